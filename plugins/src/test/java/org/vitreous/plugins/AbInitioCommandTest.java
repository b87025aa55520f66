package org.vitreous.plugins;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.Test;
import org.scijava.command.CommandModule;
import org.vitreous.io.CubicMap;
import org.vitreous.io.ParticleImages;
import org.vitreous.io.RelionStar;
import org.vitreous.plugins.spa.AbInitioCommand;
import org.vitreous.testing.TestData;

/**
 * ab-initio through a SciJava context on particles RELION wrote (../shared/data/relion, 200 images of 64²): the
 * map, the posed particles and the log are written; a STAR naming a missing stack is refused with the file named.
 */
public class AbInitioCommandTest extends CommandTesting {

	static Map<String, Object> inputs(final Path star, final Path out) {
		final Map<String, Object> m = new HashMap<>();
		m.put("particles", star.toFile());
		m.put("output", out.toFile());
		m.put("iterations", 3);
		m.put("initialBatch", 50);
		m.put("finalBatch", 60);
		m.put("healpixOrder", 1);
		m.put("device", "java");
		return m;
	}

	@Test
	public void writesMapPosesAndLog() throws Exception {
		final Path star = TestData.shared("relion/particles.star"), out = TestData.scratch("ab-initio-command");
		final CommandModule m = run(AbInitioCommand.class, inputs(star, out));
		assertFalse(m.getCancelReason(), m.isCanceled());
		final CubicMap map = CubicMap.read(out.resolve("initial_model.mrc"), "test");
		assertEquals(64, map.size());
		assertEquals(6.0, map.pixelSize(), 1e-4);
		final RelionStar posed = RelionStar.read(out.resolve("particles.star")), input = RelionStar.read(star);
		assertEquals(200, posed.size());
		// the images still resolve from the output folder: the same pixels as the input's
		try (ParticleImages images = new ParticleImages(64)) {
			assertArrayEquals(images.read(input.particle(7).image()), images.read(posed.particle(7).image()), 0);
		}
		int changed = 0;
		for (int i = 0; i < posed.size(); i++)
			if (posed.particle(i).angleTilt() != input.particle(i).angleTilt()) changed++;
		assertTrue(changed + " of 200 particles got new poses", changed > 150);
		assertEquals(3, Files.readAllLines(out.resolve("run.log")).stream().filter(l -> l.startsWith("iteration")).count());
		assertTrue(m.getOutput("summary").toString().contains("initial_model.mrc"));
	}

	@Test
	public void missingStackIsRefusedWithTheFileNamed() throws Exception {
		final Path dir = TestData.scratch("ab-initio-bad");
		final Path star = dir.resolve("particles.star");
		Files.writeString(star, Files.readString(TestData.shared("relion/particles.star")).replace("particles.mrcs",
			"missing.mrcs"));
		final Path out = dir.resolve("out");
		final CommandModule m = run(AbInitioCommand.class, inputs(star, out));
		assertTrue(m.isCanceled());
		assertTrue(m.getCancelReason(), m.getCancelReason().contains("missing.mrcs"));
		assertFalse(Files.exists(out));
	}
}

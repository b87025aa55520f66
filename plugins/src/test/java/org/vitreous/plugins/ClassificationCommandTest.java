package org.vitreous.plugins;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import javax.imageio.ImageIO;

import org.junit.Test;
import org.scijava.command.CommandModule;
import org.vitreous.io.MrcFile;
import org.vitreous.io.ParticleImages;
import org.vitreous.io.RelionStar;
import org.vitreous.io.StarFile;
import org.vitreous.io.StarTable;
import org.vitreous.plugins.spa.Classify2dCommand;
import org.vitreous.testing.TestData;

/**
 * classify-2d through a SciJava context on particles RELION wrote (../shared/data/relion, 200 images of 64²):
 * every output is there and consistent, and too many classes is refused with the file named and nothing written.
 */
public class ClassificationCommandTest extends CommandTesting {

	static Map<String, Object> inputs(final Path star, final Path out, final int classes) {
		final Map<String, Object> m = new HashMap<>();
		m.put("particles", star.toFile());
		m.put("output", out.toFile());
		m.put("classes", classes);
		m.put("iterations", 3);
		return m;
	}

	@Test
	public void writesClassesMontageAndParticleClasses() throws Exception {
		final Path star = TestData.shared("relion/particles.star"), out = TestData.scratch("classify-command");
		final CommandModule m = run(Classify2dCommand.class, inputs(star, out, 4));
		assertFalse(m.getCancelReason(), m.isCanceled());
		try (MrcFile f = MrcFile.open(out.resolve("classes.mrcs"))) {
			assertEquals(4, f.sections());
			assertEquals(64, f.width());
		}
		final BufferedImage montage = ImageIO.read(out.resolve("classes.png").toFile());
		assertTrue("montage " + montage.getWidth() + " x " + montage.getHeight(), montage.getWidth() >= 2 * 96 && montage
			.getHeight() >= 2 * 96);
		final RelionStar particles = RelionStar.read(out.resolve("particles.star"));
		assertEquals(200, particles.size());
		// the images still resolve from the output folder: the same pixels as the input's
		try (ParticleImages images = new ParticleImages(64)) {
			assertArrayEquals(images.read(RelionStar.read(star).particle(7).image()), images.read(particles.particle(7)
				.image()), 0);
		}
		final int[] members = new int[5];
		for (int i = 0; i < particles.size(); i++)
			members[particles.particle(i).classNumber()]++;
		assertEquals("no particle outside classes 1 to 4", 0, members[0]);
		final StarTable classes = StarFile.read(out.resolve("classes.star")).requireBlock("model_classes");
		assertEquals(4, classes.rowCount());
		double total = 0, previous = 1;
		for (int r = 0; r < 4; r++) {
			final double fraction = classes.getDouble(r, "rlnClassDistribution");
			assertTrue("classes in order of decreasing population", fraction <= previous + 1e-9);
			previous = fraction;
			total += fraction;
			assertEquals("class " + (r + 1) + " members", members[r + 1], classes.getInt(r, "rlnNrOfParticles", -1));
		}
		assertEquals(1, total, 1e-3);
		assertTrue(m.getOutput("summary").toString().startsWith("4 classes"));
	}

	@Test
	public void moreClassesThanParticlesIsRefused() throws Exception {
		final Path star = TestData.shared("relion/particles.star"), out = TestData.scratch("classify-command-bad")
			.resolve("out");
		final CommandModule m = run(Classify2dCommand.class, inputs(star, out, 500));
		assertTrue(m.isCanceled());
		assertTrue(m.getCancelReason(), m.getCancelReason().startsWith(star.toString()) && m.getCancelReason().contains(
			"fewer than the 500 classes"));
		assertFalse(Files.exists(out));
	}
}

package org.vitreous.plugins;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.Test;
import org.scijava.command.CommandModule;
import org.vitreous.io.MrcFile;
import org.vitreous.io.RelionStar;
import org.vitreous.metrics.Fsc;
import org.vitreous.plugins.spa.ProjectCommand;
import org.vitreous.plugins.spa.SimulateParticlesCommand;
import org.vitreous.plugins.tools.FscCommand;
import org.vitreous.plugins.tools.MapFromModelCommand;
import org.vitreous.testing.TestData;

/**
 * simulate-map → simulate-particles → project → fsc through a SciJava context, on ubiquitin from the shared data:
 * each command's files are what the library reads back, and bad input is refused in one line.
 */
public class ForwardModelCommandsTest extends CommandTesting {

	@Test
	public void mapParticlesProjectionAndFsc() throws Exception {
		final Path dir = TestData.scratch("forward-commands");
		final Path map = dir.resolve("ubq.mrc");
		CommandModule m = run(MapFromModelCommand.class, Map.of("model", TestData.shared("models/1ubq.pdb").toFile(),
			"pixelSize", 2.0, "box", 40, "bFactor", 40.0, "output", map.toFile()));
		assertFalse(m.getCancelReason(), m.isCanceled());
		try (MrcFile f = MrcFile.open(map)) {
			assertEquals(40, f.width());
			assertEquals(2.0, f.voxelSize()[0], 1e-6);
		}
		final Path particles = dir.resolve("particles");
		final Map<String, Object> sim = new HashMap<>(Map.of("map", map.toFile(), "count", 24, "snr", 0.5, "output",
			particles.toFile(), "device", "java", "seed", 3L));
		m = run(SimulateParticlesCommand.class, sim);
		assertFalse(m.getCancelReason(), m.isCanceled());
		assertEquals(24, RelionStar.read(particles.resolve("particles.star")).size());
		final Path projected = dir.resolve("projected.mrcs");
		m = run(ProjectCommand.class, Map.of("map", map.toFile(), "particles", particles.resolve("particles.star")
			.toFile(), "output", projected.toFile(), "ctf", true, "device", "java"));
		assertFalse(m.getCancelReason(), m.isCanceled());
		assertEquals(24, m.getOutput("imagesWritten"));
		// the noisy particles correlate with their noise-free projections as SNR 0.5 says: √(0.5/1.5)
		try (MrcFile a = MrcFile.open(projected); MrcFile b = MrcFile.open(particles.resolve("particles.mrcs"))) {
			final double r = org.vitreous.metrics.ImageMetrics.correlation(a.readAll(), b.readAll());
			assertEquals(Math.sqrt(0.5 / 1.5), r, 0.03);
		}
		final Path csv = dir.resolve("fsc.csv");
		final Map<String, Object> fsc = new HashMap<>(Map.of("map1", map.toFile(), "map2", map.toFile(), "output", csv
			.toFile(), "pixelSize", 0.0, "superpose", false));
		fsc.put("mask", null); // optional: given as none, as a macro or the launcher gives it
		m = run(FscCommand.class, fsc);
		assertFalse(m.getCancelReason(), m.isCanceled());
		assertTrue((String) m.getOutput("resolution"), ((String) m.getOutput("resolution")).contains("beyond Nyquist"));
		assertEquals(22, Files.readAllLines(csv).size()); // header and shells 0..20
		assertTrue(Files.size(dir.resolve("fsc.png")) > 1000);
		final Fsc.Curve c = ((FscCommand) m.getCommand()).curve();
		assertEquals(1, c.fsc()[20], 1e-9);
		// --superpose: the ribosome turned and mirrored, as an ab initio map may come, is found again
		final Path ribosome = TestData.shared("relion/ribosome_b64.mrc");
		try (MrcFile f = MrcFile.open(ribosome)) {
			final float[] turned = org.vitreous.metrics.MapAlignment.mirrorZ(org.vitreous.metrics.MapAlignment.rotate(f
				.readAll(), 64, org.vitreous.geometry.Euler.matrix(30, 75, -120)), 64);
			org.vitreous.io.MrcWriter.write(dir.resolve("turned.mrc"), net.imglib2.img.array.ArrayImgs.floats(turned, 64,
				64, 64), new org.vitreous.io.MrcWriter.Settings().pixelSize(6));
		}
		fsc.put("map1", ribosome.toFile());
		fsc.put("map2", dir.resolve("turned.mrc").toFile());
		fsc.put("output", dir.resolve("superposed.csv").toFile());
		final double plain = ((FscCommand) run(FscCommand.class, fsc).getCommand()).curve().resolutionAt(0.5);
		fsc.put("superpose", true);
		m = run(FscCommand.class, fsc);
		final double superposed = ((FscCommand) m.getCommand()).curve().resolutionAt(0.5);
		assertTrue((String) m.getOutput("resolution"), ((String) m.getOutput("resolution")).contains("mirror image"));
		assertTrue("FSC 0.5 at " + plain + " Å as given, " + superposed + " Å superposed", plain > 40 && superposed < 15);
		assertTrue(Files.exists(dir.resolve("superposed_superposed.mrc")));
		// a small protein in a small box (ubiquitin, 80 Å) superposed on itself stays put
		fsc.put("map1", map.toFile());
		fsc.put("map2", map.toFile());
		m = run(FscCommand.class, fsc);
		assertTrue((String) m.getOutput("resolution"), ((FscCommand) m.getCommand()).curve().resolutionAt(0.5) < 5);
	}

	@Test
	public void badInputIsRefusedInOneLine() throws Exception {
		final Path dir = TestData.scratch("forward-bad");
		final Path notStar = dir.resolve("poses.star");
		Files.writeString(notStar, "data_particles\nloop_\n_rlnImageName #1\n1@x.mrcs\n");
		final CommandModule m = run(ProjectCommand.class, Map.of("map", TestData.shared("relion/ribosome_b64.mrc")
			.toFile(), "particles", notStar.toFile(), "output", dir.resolve("out.mrcs").toFile(), "ctf", false, "device",
			"java"));
		assertTrue(m.isCanceled());
		assertTrue(m.getCancelReason(), m.getCancelReason().contains("poses.star") && m.getCancelReason().contains(
			"rlnAngleRot"));
		assertFalse(Files.exists(dir.resolve("out.mrcs")));
		final CommandModule d = run(ProjectCommand.class, Map.of("map", TestData.shared("relion/ribosome_b64.mrc")
			.toFile(), "particles", TestData.shared("relion/clean_noctf.star").toFile(), "output", dir.resolve("o.mrcs")
				.toFile(), "ctf", false, "device", "quantum"));
		assertTrue(d.isCanceled());
		assertTrue(d.getCancelReason(), d.getCancelReason().contains("quantum"));
	}
}

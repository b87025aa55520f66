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
import org.vitreous.metrics.VolumeComparison;
import org.vitreous.plugins.tomo.ReconstructTomogramCommand;
import org.vitreous.plugins.tomo.SimulateTiltSeriesCommand;
import org.vitreous.plugins.tools.CompareVolumesCommand;
import org.vitreous.testing.TestData;

/**
 * simulate-tilt-series → reconstruct-tomogram (each method) → compare-volumes through a SciJava context: the files
 * carry the pixel size, SIRT with positivity beats WBP on a noisy series, and bad input is refused in one line.
 */
public class TomographyCommandsTest extends CommandTesting {

	@Test
	public void simulateReconstructCompare() throws Exception {
		final Path dir = TestData.scratch("tomo-commands");
		final Path sim = dir.resolve("sim");
		final Map<String, Object> s = new HashMap<>(Map.of("phantom", "spheres", "size", 64, "thickness", 32, "pixelSize",
			8.0, "tiltMin", -60.0, "tiltMax", 60.0, "tiltStep", 3.0, "snr", 10.0, "seed", 5L, "output", sim.toFile()));
		s.put("device", "java");
		s.put("volume", null);
		CommandModule m = run(SimulateTiltSeriesCommand.class, s);
		assertFalse(m.getCancelReason(), m.isCanceled());
		try (MrcFile f = MrcFile.open(sim.resolve("tilt_series.mrc"))) {
			assertEquals(41, f.sections());
			assertEquals(8.0, f.voxelSize()[0], 1e-6);
		}
		final Map<String, Double> ssim = new HashMap<>();
		for (final String method : new String[] { "wbp", "sirt", "fourier", "cn" }) {
			final Path tomogram = dir.resolve(method + ".mrc");
			final Map<String, Object> r = new HashMap<>(Map.of("tiltSeries", sim.resolve("tilt_series.mrc").toFile(),
				"angles", sim.resolve("tilt_series.tlt").toFile(), "method", method, "thickness", 32, "iterations", 40,
				"positivity", true, "output", tomogram.toFile(), "device", "java"));
			// the coordinate network on a budget that only shows the command runs it: a small network, few steps
			r.putAll(Map.of("networkWidth", 32, "hiddenLayers", 3, "features", 32, "firstSteps", 60, "laterSteps", 25,
				"slabRows", 16));
			m = run(ReconstructTomogramCommand.class, r);
			assertFalse(m.getCancelReason(), m.isCanceled());
			try (MrcFile f = MrcFile.open(tomogram)) {
				assertEquals(32, f.sections());
				assertEquals(8.0, f.voxelSize()[0], 1e-6);
			}
			final Path json = dir.resolve(method + ".json");
			m = run(CompareVolumesCommand.class, Map.of("reference", sim.resolve("ground_truth.mrc").toFile(), "volume",
				tomogram.toFile(), "angles", sim.resolve("tilt_series.tlt").toFile(), "output", json.toFile()));
			assertFalse(m.getCancelReason(), m.isCanceled());
			final String text = Files.readString(json);
			assertTrue(text, text.contains("\"fsc_missing_mean\"") && text.contains("\"vif\""));
			assertTrue(Files.size(dir.resolve(method + ".png")) > 1000);
			final VolumeComparison c = ((CompareVolumesCommand) m.getCommand()).comparison();
			ssim.put(method, c.ssim());
			assertTrue(method + " measured-region FSC " + c.directional().measuredMean() + " above the missing region's "
				+ c.directional().missingMean(), c.directional().measuredMean() > c.directional().missingMean());
		}
		assertTrue(ssim.toString(), ssim.get("sirt") > ssim.get("wbp") + 0.1);
	}

	@Test
	public void anglesThatDoNotMatchTheSeriesAreRefused() throws Exception {
		final Path dir = TestData.scratch("tomo-bad");
		final Path sim = dir.resolve("sim");
		final Map<String, Object> s = new HashMap<>(Map.of("phantom", "shapes", "size", 32, "thickness", 16, "tiltStep",
			10.0, "output", sim.toFile(), "device", "java"));
		s.put("volume", null);
		assertFalse(run(SimulateTiltSeriesCommand.class, s).isCanceled());
		final Path angles = dir.resolve("short.tlt");
		Files.writeString(angles, "-10\n0\n10\n");
		final CommandModule m = run(ReconstructTomogramCommand.class, Map.of("tiltSeries", sim.resolve("tilt_series.mrc")
			.toFile(), "angles", angles.toFile(), "method", "wbp", "output", dir.resolve("out.mrc").toFile(), "device",
			"java"));
		assertTrue(m.isCanceled());
		assertTrue(m.getCancelReason(), m.getCancelReason().contains("short.tlt") && m.getCancelReason().contains(
			"13 sections"));
		assertFalse(Files.exists(dir.resolve("out.mrc")));
	}
}

package org.vitreous.plugins;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.Test;
import org.scijava.Context;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.vitreous.io.MrcFile;
import org.vitreous.io.RelionStar;
import org.vitreous.io.TiltAngles;
import org.vitreous.plugins.workflow.DemoCommand;
import org.vitreous.simulate.Phantoms;
import org.vitreous.testing.TestData;

/** ./vitreous demo: every output exists and holds what it says. */
public class DemoTest {

	@Test
	public void demoWritesReadableOutputs() throws Exception {
		final Path dir = TestData.scratch("demo").resolve("out");
		final Context context = Contexts.headless();
		try {
			final CommandModule m = (CommandModule) context.service(CommandService.class).run(DemoCommand.class, false,
				Map.of("output", dir.toFile(), "box", 48, "pixelSize", 1.5, "seed", 3L, "spaParticles", 1000)).get();
			assertFalse(m.getCancelReason(), m.isCanceled());
			final String summary = (String) m.getOutput("summary");
			assertTrue(summary, summary.contains("phantom_float16.mrc"));
			final float[] truth = Phantoms.gaussianBlobs(48, 40, 3).update(null).getCurrentStorageArray();
			try (MrcFile map = MrcFile.open(dir.resolve("phantom.mrc"));
				MrcFile tiff = MrcFile.open(dir.resolve("phantom_from_tiff.mrc")))
			{
				assertArrayEquals(truth, map.readAll(), 0);
				assertArrayEquals(truth, tiff.readAll(), 0);
				assertEquals(1.5, map.voxelSize()[0], 1e-6);
			}
			assertEquals(61, TiltAngles.read(dir.resolve("tilt_series.tlt")).length);
			assertEquals(dir.resolve("phantom.mrc").toAbsolutePath(), RelionStar.read(dir.resolve("map.star")).particle(
				0).image().stack());
			assertTrue(Files.exists(dir.resolve("phantom.tif")));
			assertEquals(200, RelionStar.read(dir.resolve("particles/particles.star")).size());
			try (MrcFile clean = MrcFile.open(dir.resolve("particles_clean.mrcs")); MrcFile noisy = MrcFile.open(dir
				.resolve("particles/particles.mrcs")))
			{
				assertEquals(200, clean.sections());
				// SNR 0.1: the noisy images correlate with their noise-free versions as √(0.1/1.1)
				assertEquals(Math.sqrt(0.1 / 1.1), org.vitreous.metrics.ImageMetrics.correlation(clean.readAll(), noisy
					.readAll()), 0.01);
			}
			assertTrue(summary, summary.contains("FSC 0.143"));
			// reference-free SPA: the ab initio map and the map refined from it, each superposed on the phantom, agree
			// with it beyond the 30 Å start (the smooth blobs carry little signal beyond about 20 Å at SNR 0.1)
			for (final String f : new String[] { "ab-initio/initial_model.mrc", "ab-initio/particles.star",
				"ab-initio/run.log", "refine/run_map.mrc", "refine/run_data.star", "refine/fsc.png",
				"postprocess/postprocess.mrc", "postprocess/fsc.png", "postprocess/guinier.png" })
				assertTrue(f, Files.exists(dir.resolve("spa").resolve(f)));
			assertTrue(summary, summary.contains("ab-initio"));
			assertTrue("ab initio map vs phantom: FSC 0.5 at " + superposedResolution(dir.resolve(
				"spa/ab-initio/initial_model.mrc"), truth), superposedResolution(dir.resolve("spa/ab-initio/initial_model.mrc"),
					truth) < 30);
			final double refined = superposedResolution(dir.resolve("spa/refine/run_map.mrc"), truth);
			assertTrue("refined map vs phantom: FSC 0.5 at " + refined + " Å", refined < 28);
			// the criterion: refine-3d from the ab initio map ends within one shell of refine-3d started from the
			// truth low-passed to 30 Å, on the same particles
			final CommandModule fromTruth = context.service(CommandService.class).run(
				org.vitreous.plugins.spa.Refine3dCommand.class, false, Map.of("particles", dir.resolve(
					"spa/particles/particles.star").toFile(), "reference", dir.resolve("spa/truth.mrc").toFile(), "output", dir
						.resolve("spa/refine_from_truth").toFile(), "initialLowpass", 30.0, "device", "auto")).get();
			assertFalse(fromTruth.getCancelReason(), fromTruth.isCanceled());
			final double shell = 48 * 5.0, truthStart = ((org.vitreous.plugins.spa.Refine3dCommand) fromTruth.getCommand())
				.result().resolution();
			final double abInitioStart = Double.parseDouble(summary.replaceAll("(?s).*refine-3d[^\n]*\n\s*([0-9.]+) Å.*",
				"$1"));
			System.out.printf("refine-3d from ab initio %.2f Å (shell %.2f), from the truth %.2f Å (shell %.2f)%n",
				abInitioStart, shell / abInitioStart, truthStart, shell / truthStart);
			assertTrue("from ab initio " + abInitioStart + " Å, from the truth " + truthStart + " Å", shell / abInitioStart
				>= shell / truthStart - 1);
			// the poses are in the ab initio map's frame (any orientation, either hand), so compare what every frame
			// keeps: the angle of the rotation between two particles' poses, tr(R_iᵀ R_j)
			final RelionStar t = RelionStar.read(dir.resolve("spa/particles/particles.star")), f = RelionStar.read(dir
				.resolve("spa/refine/run_data.star"));
			final double[] error = new double[t.size() - 1];
			for (int i = 0; i + 1 < t.size(); i++)
				error[i] = Math.abs(relativeAngle(t.particle(i), t.particle(i + 1)) - relativeAngle(f.particle(i), f.particle(
					i + 1)));
			java.util.Arrays.sort(error);
			assertTrue("median error of relative pose angles " + error[error.length / 2] + "°", error[error.length / 2] < 5);
			// the demo runs most commands (simulate, convert, project, fsc, ab-initio, refine-3d, postprocess, the
			// tomography stages): none of the maps, stacks and STARs they wrote holds a value that is not finite
			final int checked = assertAllFinite(dir);
			assertTrue("files checked: " + checked, checked >= 10);
		} finally {
			context.dispose();
		}
	}

	/** Every MRC, MRCS and STAR under {@code dir} holds finite numbers only; returns how many files were read. */
	static int assertAllFinite(final Path dir) throws Exception {
		final java.util.List<Path> files;
		try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
			files = walk.filter(Files::isRegularFile).toList();
		}
		int checked = 0;
		for (final Path f : files) {
			final String name = f.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
			if (name.endsWith(".mrc") || name.endsWith(".mrcs")) {
				try (MrcFile m = MrcFile.open(f)) {
					final float[] values = m.readAll();
					assertEquals(f + " holds a non-finite value", -1, org.vitreous.Finite.firstNonFinite(values));
				}
				checked++;
			}
			else if (name.endsWith(".star")) {
				for (final org.vitreous.io.StarTable t : org.vitreous.io.StarFile.read(f).blocks())
					for (int r = 0; r < t.rowCount(); r++)
						for (int c = 0; c < t.columns().size(); c++) {
							final String v = t.get(r, c).toLowerCase(java.util.Locale.ROOT);
							assertTrue(f + ": _" + t.columns().get(c) + " row " + (r + 1) + " is " + v, !v.equals("nan") && !v
								.contains("inf") || t.columns().get(c).contains("Name"));
						}
				checked++;
			}
		}
		return checked;
	}

	private static double superposedResolution(final Path map, final float[] truth) throws Exception {
		try (MrcFile f = MrcFile.open(map)) {
			final float[] aligned = org.vitreous.metrics.MapAlignment.align(truth, f.readAll(), 48, 5).aligned();
			return org.vitreous.metrics.Fsc.compute(aligned, truth, 48, 48, 48, null, 5).resolutionAt(0.5);
		}
	}

	/** The angle, degrees, of the rotation taking particle a's pose to b's. */
	private static double relativeAngle(final RelionStar.Particle a, final RelionStar.Particle b) {
		final double[] ra = org.vitreous.geometry.Euler.matrix(a.angleRot(), a.angleTilt(), a.anglePsi()),
			rb = org.vitreous.geometry.Euler.matrix(b.angleRot(), b.angleTilt(), b.anglePsi());
		return Math.toDegrees(org.vitreous.geometry.Rotations.angle(ra, rb));
	}
}

package org.vitreous.motion;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.Test;
import org.vitreous.Progress;
import org.vitreous.compute.ComputeDevice;
import org.vitreous.io.CubicMap;
import org.vitreous.io.MrcFile;
import org.vitreous.io.RelionStar;
import org.vitreous.io.StarTable;
import org.vitreous.metrics.ImageMetrics;
import org.vitreous.simulate.MovieSimulation;
import org.vitreous.testing.Peers;
import org.vitreous.testing.TestData;

/**
 * motion-correct beside relion_run_motioncorr --use_own on the same simulated movie, of the kind RELION's own
 * tests use (20 frames, about 9 px of drift, 1 e/Å² per frame): relion_import reads the simulated movies as the
 * simulation's movies.star lists them; Vitreous's whole-frame shifts are no further from the truth than RELION's;
 * the exposure-weighted sums correlate at 0.98 or more; Vitreous reads RELION's per-movie STAR and its accumulated
 * motion is RELION's.
 */
public class RelionMotionInteropTest {

	@Test
	public void shiftsAtLeastAsCloseToTheTruthAsRelions() throws Exception {
		final String relion = Peers.program("relion_run_motioncorr", "relion");
		final String importer = Peers.program("relion_import", "relion");
		final CubicMap map = MotionCorrectionTest.ribosome();
		final MovieSimulation.Settings s = new MovieSimulation.Settings();
		s.width = s.height = 1024;
		s.frames = 20;
		s.pixelSize = 1.5;
		s.particles = 12;
		s.seed = 11;
		final Path folder = TestData.scratch("movies-relion");
		final MotionStar.Motion truth = MovieSimulation.run(map.values(), map.size(), map.pixelSize(), s, folder,
			ComputeDevice.JAVA, Progress.NONE).get(0).motion();
		// relion_import lists the movies as the simulation does
		Files.createDirectories(folder.resolve("Import"));
		final Peers.Result imported = Peers.run(List.of(importer, "--do_movies", "--optics_group_name", "opticsGroup1",
			"--angpix", "1.5", "--kV", "300", "--Cs", "2.7", "--Q0", "0.1", "--i", "Movies/*.mrcs", "--odir", "Import/",
			"--ofile", "movies.star"), folder);
		assertEquals(imported.output(), 0, imported.exitCode());
		final RelionStar ours = RelionStar.read(folder.resolve("movies.star")), theirs = RelionStar.read(folder.resolve(
			"Import/movies.star"));
		assertEquals(theirs.items().get(0, RelionStar.MICROGRAPH_MOVIE_NAME), ours.items().get(0,
			RelionStar.MICROGRAPH_MOVIE_NAME));
		assertEquals(theirs.optics().getDouble(0, RelionStar.MICROGRAPH_ORIGINAL_PIXEL_SIZE), ours.optics().getDouble(0,
			RelionStar.MICROGRAPH_ORIGINAL_PIXEL_SIZE), 1e-6);
		// RELION's own motion correction, 2 threads, dose-weighted
		final long r0 = System.nanoTime();
		final Peers.Result run = Peers.run(List.of(relion, "--i", "movies.star", "--o", "MotionCorr/", "--use_own",
			"--j", "2", "--bfactor", "150", "--patch_x", "1", "--patch_y", "1", "--dose_weighting", "--dose_per_frame",
			"1", "--save_noDW"), folder);
		final double relionSeconds = (System.nanoTime() - r0) / 1e9;
		assertTrue(run.output(), Files.exists(folder.resolve("MotionCorr/Movies/movie_0001.star")));
		final MotionStar.Motion relionMotion = MotionStar.read(folder.resolve("MotionCorr/Movies/movie_0001.star"));
		// Vitreous, the same options
		final MotionCorrection.Settings c = new MotionCorrection.Settings();
		c.doseWeighting = true;
		c.dosePerFrame = 1;
		final long v0 = System.nanoTime();
		final MotionCorrectionJob.Summary summary = MotionCorrectionJob.run(folder.resolve("movies.star").toString(),
			folder.resolve("Vitreous"), c, DetectorCorrection.NONE, Progress.NONE, line -> {});
		final double vitreousSeconds = (System.nanoTime() - v0) / 1e9;
		assertEquals(summary.failures().toString(), 1, summary.corrected());
		final MotionStar.Motion ourMotion = MotionStar.read(folder.resolve("Vitreous/Movies/movie_0001.star"));
		final double ourError = MotionCorrectionTest.rms(ourMotion.shiftX(), ourMotion.shiftY(), truth.shiftX(), truth
			.shiftY());
		final double relionError = MotionCorrectionTest.rms(relionMotion.shiftX(), relionMotion.shiftY(), truth.shiftX(),
			truth.shiftY());
		final float[] ourSum, relionSum;
		try (MrcFile a = MrcFile.open(folder.resolve("Vitreous/Movies/movie_0001.mrc")); MrcFile b = MrcFile.open(folder
			.resolve("MotionCorr/Movies/movie_0001.mrc"))) {
			ourSum = a.readSection(0);
			relionSum = b.readSection(0);
		}
		final double correlation = ImageMetrics.correlation(ourSum, relionSum);
		System.out.printf("motion-correct vs relion_run_motioncorr --use_own (1024^2 x 20, 1 e/A^2 per frame, %.1f px "
			+ "drift): RMS shift error %.3f px vs %.3f px; %.2f s vs %.2f s (2 threads each, one movie, Vitreous in this "
			+ "JVM); dose-weighted sums correlate %.4f%n", Math.hypot(truth.shiftX()[19], truth.shiftY()[19]), ourError,
			relionError, vitreousSeconds, relionSeconds, correlation);
		assertTrue("ours " + ourError + " px vs RELION's " + relionError, ourError <= relionError);
		assertTrue("correlation " + correlation, correlation >= 0.98);
		// RELION's accumulated motion, from its own shifts, is what Vitreous computes from them
		final StarTable mics = RelionStar.read(folder.resolve("MotionCorr/corrected_micrographs.star")).items();
		final double[] accumulated = relionMotion.accumulatedMotion(4);
		assertEquals(mics.getDouble(0, "rlnAccumMotionTotal"), accumulated[0], 1e-3);
		assertEquals(mics.getDouble(0, "rlnAccumMotionEarly"), accumulated[1], 1e-3);
		assertEquals(mics.getDouble(0, "rlnAccumMotionLate"), accumulated[2], 1e-3);
	}
}

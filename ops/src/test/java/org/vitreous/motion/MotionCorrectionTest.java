package org.vitreous.motion;

import static org.junit.Assert.assertArrayEquals;
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
import org.vitreous.simulate.MovieSimulation;
import org.vitreous.testing.TestData;

/** Whole-frame and local motion correction against movies simulated with known motion. */
public class MotionCorrectionTest {

	static CubicMap ribosome() throws Exception {
		return CubicMap.read(TestData.shared("relion/ribosome_b64.mrc"), "test");
	}

	/** RMS distance (px) between the found and the true whole-frame shifts. */
	static double rms(final double[] x, final double[] y, final double[] tx, final double[] ty) {
		double sum = 0;
		for (int k = 0; k < x.length; k++)
			sum += Math.pow(x[k] - tx[k], 2) + Math.pow(y[k] - ty[k], 2);
		return Math.sqrt(sum / x.length);
	}

	@Test
	public void noiseFreeFramesRealignToTheTrueTrajectory() throws Exception {
		final CubicMap map = ribosome();
		final MovieSimulation.Settings s = new MovieSimulation.Settings();
		s.width = 512;
		s.height = 448;
		s.frames = 12;
		s.particles = 12;
		s.noiseFree = true;
		s.seed = 7;
		final Path folder = TestData.scratch("movies-noise-free");
		final List<MovieSimulation.Truth> truth = MovieSimulation.run(map.values(), map.size(), map.pixelSize(), s,
			folder, ComputeDevice.JAVA, Progress.NONE);
		final MotionCorrection.Settings c = new MotionCorrection.Settings();
		c.hotPixelSigma = 0;
		final MotionCorrection.Result r;
		try (MrcFile movie = MrcFile.open(folder.resolve("Movies/movie_0001.mrcs"))) {
			r = MotionCorrection.correct(movie, null, new int[0], c, Progress.NONE);
		}
		final MotionStar.Motion t = truth.get(0).motion();
		final double error = rms(r.shiftX(), r.shiftY(), t.shiftX(), t.shiftY());
		System.out.printf("noise-free movie: RMS shift error %.4f px over %d frames (drift %.1f px)%n", error, s.frames,
			Math.hypot(t.shiftX()[s.frames - 1], t.shiftY()[s.frames - 1]));
		assertEquals(0, r.shiftX()[0], 0);
		assertTrue("RMS error " + error, error < 0.01);
	}

	/**
	 * Counts are Poisson at the dose: in a movie with no ice (vacuum around the particles), away from the particles a
	 * frame's counts have mean dose × pixel² within 1% and variance / mean 1.00 ± 0.02; the same seed gives the same
	 * bytes. (With ice the field's contrast, 10% by default, adds about 0.01·mean to the variance.)
	 */
	@Test
	public void simulatedCountsArePoissonAtTheDose() throws Exception {
		final CubicMap map = ribosome();
		final MovieSimulation.Settings s = new MovieSimulation.Settings();
		s.width = s.height = 768;
		s.frames = 4;
		s.pixelSize = 1.5;
		s.particles = 3;
		s.dosePerFrame = 1.2;
		s.ice = 0;
		s.seed = 5;
		final Path a = TestData.scratch("movies-counts-a"), b = TestData.scratch("movies-counts-b");
		final List<MovieSimulation.Truth> truth = MovieSimulation.run(map.values(), map.size(), map.pixelSize(), s, a,
			ComputeDevice.JAVA, Progress.NONE);
		MovieSimulation.run(map.values(), map.size(), map.pixelSize(), s, b, ComputeDevice.JAVA, Progress.NONE);
		final double expected = s.dosePerFrame * s.pixelSize * s.pixelSize;
		final double[][] centres = truth.get(0).coordinates();
		try (MrcFile movie = MrcFile.open(a.resolve("Movies/movie_0001.mrcs"))) {
			for (int k = 0; k < s.frames; k++) {
				final float[] f = movie.readSection(k);
				double sum = 0, sq = 0;
				int n = 0;
				for (int y = 0; y < s.height; y++)
					for (int x = 0; x < s.width; x++) {
						boolean blank = true;
						for (final double[] c : centres)
							blank &= Math.hypot(x - c[0], y - c[1]) > 200;
						if (!blank) continue;
						sum += f[y * s.width + x];
						sq += f[y * s.width + x] * (double) f[y * s.width + x];
						n++;
					}
				final double mean = sum / n, dispersion = (sq / n - mean * mean) / mean;
				System.out.printf("frame %d: blank mean %.4f counts (dose x pixel^2 %.4f), variance/mean %.4f over %d px%n",
					k + 1, mean, expected, dispersion, n);
				assertEquals(expected, mean, 0.01 * expected);
				assertEquals(1, dispersion, 0.02);
			}
		}
		assertArrayEquals(Files.readAllBytes(a.resolve("Movies/movie_0001.mrcs")), Files.readAllBytes(b.resolve(
			"Movies/movie_0001.mrcs")));
		assertArrayEquals(Files.readAllBytes(a.resolve("truth/movie_0001.star")), Files.readAllBytes(b.resolve(
			"truth/movie_0001.star")));
	}

	/** Frame weights are the Grant & Grigorieff formula, normalised per frequency, to 1e-6, at 300, 200 and 100 kV. */
	@Test
	public void doseWeightsFollowTheCriticalExposure() {
		final int nx = 64, ny = 48, frames = 12;
		final double pixelSize = 1.1, dose = 1.5, pre = 2;
		for (final double kv : new double[] { 300, 200, 100 }) {
			final double factor = kv == 300 ? 1 : kv == 200 ? 0.8 : 0.64; // RELION 4's motioncorr_runner
			final DoseWeighting w = new DoseWeighting(nx, ny, pixelSize, kv, DoseWeighting.exposures(frames, dose, pre));
			final DoseWeighting.Running running = w.running();
			for (int k = 0; k < frames; k++) {
				for (int y = 0; y < ny; y++)
					for (int x = 0; x <= nx / 2; x++) {
						final double fy = (y <= ny / 2 ? y : y - ny) / (ny * pixelSize), fx = x / (nx * pixelSize);
						final double freq = Math.hypot(fx, fy);
						final double ne = freq == 0 ? Double.POSITIVE_INFINITY : (0.245 * Math.pow(freq, -1.665) + 2.81) * factor;
						double norm = 0;
						for (int j = 0; j < frames; j++)
							norm += Math.exp(-(pre + dose * (j + 1)) / ne);
						final double expected = Math.exp(-(pre + dose * (k + 1)) / (2 * ne)) / Math.sqrt(norm);
						assertEquals(expected, w.weight(k, x, y), 1e-6 * Math.max(1, expected));
						assertEquals(expected, running.weights()[y * (nx / 2 + 1) + x], 1e-6 * Math.max(1, expected));
					}
				running.next();
			}
		}
	}

	/**
	 * A movie of 2048² with a known local deformation (5 × 5 patches): the field recovered (whole-frame plus local)
	 * at the patch centres is within 0.5 px RMS of the truth and at most half the error of whole-frame alignment
	 * alone; on a movie without local motion (1536²), patch alignment costs at most 0.1 px.
	 */
	@Test
	public void localMotionIsRecovered() throws Exception {
		final CubicMap map = ribosome();
		for (final boolean local : new boolean[] { true, false }) {
			final MovieSimulation.Settings s = new MovieSimulation.Settings();
			// the movie without local motion is smaller: it only has to show that patches add nothing there
			s.width = s.height = local ? 2048 : 1536;
			s.frames = local ? 16 : 12;
			s.pixelSize = 1.5;
			s.particles = local ? 50 : 28;
			s.localMotion = local ? 3 : 0;
			s.seed = local ? 21 : 22;
			final Path folder = TestData.scratch("movies-local");
			final MotionStar.Motion truth = MovieSimulation.run(map.values(), map.size(), map.pixelSize(), s, folder,
				ComputeDevice.JAVA, Progress.NONE).get(0).motion();
			final MotionCorrection.Settings whole = new MotionCorrection.Settings(), patches = new MotionCorrection.Settings();
			patches.patchesX = patches.patchesY = 5;
			final MotionCorrection.Result w, p;
			try (MrcFile movie = MrcFile.open(folder.resolve("Movies/movie_0001.mrcs"))) {
				w = MotionCorrection.correct(movie, null, new int[0], whole, Progress.NONE);
				p = MotionCorrection.correct(movie, null, new int[0], patches, Progress.NONE);
			}
			final double wholeError = fieldError(w, truth, 5), patchError = fieldError(p, truth, 5);
			System.out.printf("%s local motion: RMS field error at the 5 x 5 patch centres %.3f px whole-frame, %.3f px "
				+ "with patches (%s)%n", local ? "with" : "without", wholeError, patchError, p.local() == null
					? "no local model" : "local model fitted");
			if (local) {
				assertTrue("patch error " + patchError, patchError <= 0.5);
				assertTrue("patch error " + patchError + " vs whole-frame " + wholeError, patchError <= wholeError / 2);
			} else assertTrue("patch error " + patchError + " vs whole-frame " + wholeError, patchError <= wholeError
				+ 0.1);
		}
	}

	/** RMS over frames and the centres of a p × p grid of the distance between the recovered and the true field. */
	static double fieldError(final MotionCorrection.Result r, final MotionStar.Motion truth, final int p) {
		double sum = 0;
		int n = 0;
		for (int k = 0; k < r.frames(); k++)
			for (int j = 0; j < p; j++)
				for (int i = 0; i < p; i++) {
					final double x = (i + 0.5) / p - 0.5, y = (j + 0.5) / p - 0.5;
					final double[] found = total(r.shiftX()[k], r.shiftY()[k], r.local(), k, x, y);
					final double[] real = total(truth.shiftX()[k], truth.shiftY()[k], truth.local(), k, x, y);
					sum += Math.pow(found[0] - real[0], 2) + Math.pow(found[1] - real[1], 2);
					n++;
				}
		return Math.sqrt(sum / n);
	}

	private static double[] total(final double gx, final double gy, final LocalMotion local, final int k,
		final double x, final double y)
	{
		final double[] l = local == null ? new double[2] : local.shiftAt(k, x, y);
		return new double[] { gx + l[0], gy + l[1] };
	}

	/** A noisy movie for experiments: -Dmovie.size, -Dmovie.frames. */
	@Test
	public void scratchNoisy() throws Exception {
		if (System.getProperty("movie.size") == null) return;
		final CubicMap map = ribosome();
		final MovieSimulation.Settings s = new MovieSimulation.Settings();
		s.width = s.height = Integer.getInteger("movie.size");
		s.frames = Integer.getInteger("movie.frames", 20);
		s.pixelSize = 1.5;
		s.particles = s.width * s.height / (256 * 256);
		s.seed = 11;
		final Path folder = TestData.scratch("movies-noisy");
		final long t0 = System.nanoTime();
		final List<MovieSimulation.Truth> truth = MovieSimulation.run(map.values(), map.size(), map.pixelSize(), s,
			folder, ComputeDevice.JAVA, Progress.NONE);
		final long t1 = System.nanoTime();
		final MotionCorrection.Settings c = new MotionCorrection.Settings();
		final MotionCorrection.Result r;
		try (MrcFile movie = MrcFile.open(folder.resolve("Movies/movie_0001.mrcs"))) {
			r = MotionCorrection.correct(movie, null, new int[0], c, Progress.NONE);
		}
		final long t2 = System.nanoTime();
		final MotionStar.Motion t = truth.get(0).motion();
		System.out.printf("noisy %d^2 x %d: simulated in %.1f s, corrected in %.1f s; RMS error %.3f px, drift %.1f px%n",
			s.width, s.frames, (t1 - t0) / 1e9, (t2 - t1) / 1e9, rms(r.shiftX(), r.shiftY(), t.shiftX(), t.shiftY()), Math
				.hypot(t.shiftX()[s.frames - 1], t.shiftY()[s.frames - 1]));
		System.out.println("folder " + folder);
	}
}

package org.vitreous.motion;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

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
			r = MotionCorrection.correct(movie, null, c, Progress.NONE);
		}
		final MotionStar.Motion t = truth.get(0).motion();
		final double error = rms(r.shiftX(), r.shiftY(), t.shiftX(), t.shiftY());
		System.out.printf("noise-free movie: RMS shift error %.4f px over %d frames (drift %.1f px)%n", error, s.frames,
			Math.hypot(t.shiftX()[s.frames - 1], t.shiftY()[s.frames - 1]));
		assertEquals(0, r.shiftX()[0], 0);
		assertTrue("RMS error " + error, error < 0.01);
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
			r = MotionCorrection.correct(movie, null, c, Progress.NONE);
		}
		final long t2 = System.nanoTime();
		final MotionStar.Motion t = truth.get(0).motion();
		System.out.printf("noisy %d^2 x %d: simulated in %.1f s, corrected in %.1f s; RMS error %.3f px, drift %.1f px%n",
			s.width, s.frames, (t1 - t0) / 1e9, (t2 - t1) / 1e9, rms(r.shiftX(), r.shiftY(), t.shiftX(), t.shiftY()), Math
				.hypot(t.shiftX()[s.frames - 1], t.shiftY()[s.frames - 1]));
		System.out.println("folder " + folder);
	}
}

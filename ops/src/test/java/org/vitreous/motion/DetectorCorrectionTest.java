package org.vitreous.motion;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.Test;
import org.vitreous.Progress;
import org.vitreous.compute.ComputeDevice;
import org.vitreous.io.CubicMap;
import org.vitreous.io.MrcFile;
import org.vitreous.io.MrcWriter;
import org.vitreous.io.SectionSource;
import org.vitreous.io.Sections;
import org.vitreous.io.TiffWriter;
import org.vitreous.metrics.ImageMetrics;
import org.vitreous.simulate.MovieSimulation;
import org.vitreous.testing.Peers;
import org.vitreous.testing.TestData;

/**
 * The detector's side of motion correction: TIFF movies (as SerialEM writes them) correct exactly as their MRC
 * stacks; a gain reference stored turned and flipped is turned back as RELION's --gain_rot/--gain_flip turn it
 * (checked against relion_run_motioncorr itself); defects (MotionCor2's defect file) are filled and kept out of the
 * alignment; a gain of the wrong size or a broken defect file gets one line naming the file.
 */
public class DetectorCorrectionTest {

	private static MovieSimulation.Settings small(final long seed) {
		final MovieSimulation.Settings s = new MovieSimulation.Settings();
		s.width = s.height = 512;
		s.frames = 10;
		s.pixelSize = 1.5;
		s.particles = 6;
		s.seed = seed;
		return s;
	}

	private static MotionCorrectionJob.Summary correct(final Path folder, final String out,
		final DetectorCorrection detector) throws IOException
	{
		final MotionCorrection.Settings c = new MotionCorrection.Settings();
		c.spectrumTile = 0;
		return MotionCorrectionJob.run(folder.resolve("movies.star").toString(), folder.resolve(out), c, detector,
			Progress.NONE, line -> {});
	}

	private static float[] image(final Path p) throws IOException {
		try (SectionSource f = Sections.open(p)) {
			return f.readSection(0);
		}
	}

	@Test
	public void tiffMoviesCorrectAsTheirMrcStacks() throws Exception {
		final CubicMap map = MotionCorrectionTest.ribosome();
		final MovieSimulation.Settings s = small(5);
		s.gainSpread = 0.2;
		s.hotPixels = 3;
		final Path mrc = TestData.scratch("movies-mrc"), tif = TestData.scratch("movies-tif");
		MovieSimulation.run(map.values(), map.size(), map.pixelSize(), s, mrc, ComputeDevice.JAVA, Progress.NONE);
		s.tiff = true;
		MovieSimulation.run(map.values(), map.size(), map.pixelSize(), s, tif, ComputeDevice.JAVA, Progress.NONE);
		try (SectionSource a = Sections.open(mrc.resolve("Movies/movie_0001.mrcs")); SectionSource b = Sections.open(tif
			.resolve("Movies/movie_0001.tif")))
		{
			assertEquals(a.sections(), b.sections());
			for (int k = 0; k < a.sections(); k++)
				assertArrayEquals("frame " + k, a.readSection(k), b.readSection(k), 0f);
		}
		assertTrue("LZW keeps the counts small", Files.size(tif.resolve("Movies/movie_0001.tif")) < 0.8 * Files.size(mrc
			.resolve("Movies/movie_0001.mrcs")));
		final MotionCorrectionJob.Summary m = correct(mrc, "mc", DetectorCorrection.ofGain(mrc.resolve("gain.mrc")));
		final MotionCorrectionJob.Summary t = correct(tif, "mc", DetectorCorrection.ofGain(tif.resolve("gain.mrc")));
		assertEquals(t.failures().toString(), 1, t.corrected());
		assertEquals(1, m.corrected());
		assertArrayEquals(image(mrc.resolve("mc/Movies/movie_0001.mrc")), image(tif.resolve("mc/Movies/movie_0001.mrc")),
			0f);
		assertArrayEquals(m.motions().get(0).shiftX(), t.motions().get(0).shiftX(), 0);
	}

	/** The gain as a file would hold it if the detector wrote it turned: what (rotation, flip) turns back to {@code g}. */
	private static Path storeTurned(final Path gain, final int rotation, final int flip, final Path to)
		throws IOException
	{
		final int n;
		final float[] g;
		try (MrcFile f = MrcFile.open(gain)) {
			n = f.width();
			g = f.readSection(0);
		}
		// the inverse of "turn, then flip": flip, then turn the other way
		final DetectorCorrection.Gain flipped = DetectorCorrection.turn(g, n, n, 0, flip);
		final DetectorCorrection.Gain stored = DetectorCorrection.turn(flipped.values(), n, n, (4 - rotation) % 4, 0);
		MrcWriter.writeImage(to, stored.values(), n, n, new MrcWriter.Settings().pixelSize(1.5));
		return to;
	}

	@Test
	public void turnedGainIsTurnedBackAsRelionTurnsIt() throws Exception {
		final String relion = Peers.program("relion_run_motioncorr", "relion");
		final CubicMap map = MotionCorrectionTest.ribosome();
		final MovieSimulation.Settings s = small(7);
		s.gainSpread = 0.3;
		final Path folder = TestData.scratch("movies-gain");
		MovieSimulation.run(map.values(), map.size(), map.pixelSize(), s, folder, ComputeDevice.JAVA, Progress.NONE);
		correct(folder, "plain", DetectorCorrection.ofGain(folder.resolve("gain.mrc")));
		final float[] plain = image(folder.resolve("plain/Movies/movie_0001.mrc"));
		final float[] relionPlain = relion(relion, folder, "gain.mrc", 0, 0, "Rplain");
		final List<String> figures = new ArrayList<>();
		for (final int[] turn : new int[][] { { 1, 1 }, { 3, 2 }, { 2, 0 } }) {
			final String name = "gain_r" + turn[0] + "f" + turn[1] + ".mrc";
			storeTurned(folder.resolve("gain.mrc"), turn[0], turn[1], folder.resolve(name));
			final String out = "r" + turn[0] + "f" + turn[1];
			final MotionCorrectionJob.Summary r = correct(folder, out, new DetectorCorrection(folder.resolve(name), turn[0],
				turn[1], null));
			assertEquals(r.failures().toString(), 1, r.corrected());
			assertArrayEquals("rotation " + turn[0] + ", flip " + turn[1], plain, image(folder.resolve(out
				+ "/Movies/movie_0001.mrc")), 0f);
			// RELION, given the same stored gain and options, sums what it sums with the gain as it is
			final double same = ImageMetrics.correlation(relionPlain, relion(relion, folder, name, turn[0], turn[1], "R"
				+ out));
			final double unturned = ImageMetrics.correlation(relionPlain, relion(relion, folder, name, 0, 0, "R0" + out));
			figures.add(String.format(Locale.ROOT, "rot %d flip %d: %.6f (unturned %.4f)", turn[0], turn[1], same,
				unturned));
			assertTrue("RELION turned the stored gain otherwise: " + figures, same > 0.999 && unturned < 0.5);
		}
		System.out.println("RELION's sums with the stored gain turned back against the gain as it is: " + figures);
	}

	private static float[] relion(final String relion, final Path folder, final String gain, final int rotation,
		final int flip, final String out) throws IOException
	{
		final Peers.Result run = Peers.run(List.of(relion, "--i", "movies.star", "--o", out + "/", "--use_own", "--j", "2",
			"--gainref", gain, "--gain_rot", Integer.toString(rotation), "--gain_flip", Integer.toString(flip),
			"--dose_per_frame", "1"), folder);
		final Path sum = folder.resolve(out + "/Movies/movie_0001.mrc");
		assertTrue(run.output(), Files.exists(sum));
		return image(sum);
	}

	@Test
	public void defectsAreFilledAndKeptOutOfTheAlignment() throws Exception {
		final CubicMap map = MotionCorrectionTest.ribosome();
		final MovieSimulation.Settings s = small(9);
		final Path folder = TestData.scratch("movies-defects");
		final MotionStar.Motion truth = MovieSimulation.run(map.values(), map.size(), map.pixelSize(), s, folder,
			ComputeDevice.JAVA, Progress.NONE).get(0).motion();
		// the detector: a dead column and a dead 8 x 8 block, the same in every frame
		final Path movie = folder.resolve("Movies/movie_0001.mrcs");
		final List<float[]> frames = new ArrayList<>();
		try (MrcFile f = MrcFile.open(movie)) {
			for (int k = 0; k < f.sections(); k++)
				frames.add(f.readSection(k));
		}
		final int n = 512;
		for (final float[] f : frames) {
			for (int y = 0; y < n; y++)
				f[y * n + 100] = 0;
			for (int y = 200; y < 208; y++)
				for (int x = 300; x < 308; x++)
					f[y * n + x] = 0;
		}
		Files.delete(movie);
		try (TiffWriter w = TiffWriter.open(folder.resolve("Movies/movie_0001.tif"), n, n, TiffWriter.Type.UINT8, true,
			"dead pixels"))
		{
			for (final float[] f : frames)
				w.writeSection(f);
			w.commit();
		}
		final Path star = folder.resolve("movies.star");
		Files.writeString(star, Files.readString(star).replace("movie_0001.mrcs", "movie_0001.tif"));
		final Path defects = folder.resolve("defects.txt");
		Files.writeString(defects, "# x y width height\n100 0 1 512\n300 200 8 8\n");
		correct(folder, "without", DetectorCorrection.NONE);
		correct(folder, "with", new DetectorCorrection(null, 0, 0, defects));
		final float[] with = image(folder.resolve("with/Movies/movie_0001.mrc"));
		double mean = 0, sq = 0;
		for (final float v : with)
			mean += v;
		mean /= with.length;
		for (final float v : with)
			sq += (v - mean) * (v - mean);
		final double sd = Math.sqrt(sq / with.length);
		double block = 0;
		for (int y = 200; y < 208; y++)
			for (int x = 300; x < 308; x++)
				block += with[y * n + x] / 64.0;
		// the aligned sum moves the dead pixels about, so the filled ones are judged as the sum's typical pixels
		assertTrue("filled block mean " + block + " against the sum's " + mean + " +- " + sd, Math.abs(block - mean) < 2
			* sd);
		final MotionStar.Motion a = MotionStar.read(folder.resolve("with/Movies/movie_0001.star")), b = MotionStar.read(
			folder.resolve("without/Movies/movie_0001.star"));
		final double errorWith = MotionCorrectionTest.rms(a.shiftX(), a.shiftY(), truth.shiftX(), truth.shiftY());
		final double errorWithout = MotionCorrectionTest.rms(b.shiftX(), b.shiftY(), truth.shiftX(), truth.shiftY());
		System.out.printf("dead column and block: RMS shift error %.3f px with the defect file, %.3f px without%n",
			errorWith, errorWithout);
		assertTrue("with defects " + errorWith + " px", errorWith < 0.3);
		assertTrue("with " + errorWith + " px, without " + errorWithout, errorWith <= errorWithout);
	}

	@Test
	public void badDetectorFilesGetOneLine() throws Exception {
		final CubicMap map = MotionCorrectionTest.ribosome();
		final MovieSimulation.Settings s = small(3);
		s.frames = 4;
		final Path folder = TestData.scratch("movies-bad-detector");
		MovieSimulation.run(map.values(), map.size(), map.pixelSize(), s, folder, ComputeDevice.JAVA, Progress.NONE);
		final Path gain = folder.resolve("small_gain.mrc");
		MrcWriter.writeImage(gain, new float[256 * 256], 256, 256, new MrcWriter.Settings());
		final MotionCorrectionJob.Summary r = correct(folder, "a", DetectorCorrection.ofGain(gain));
		assertEquals(0, r.corrected());
		assertOneLine(r.failures(), gain.toString(), "256 x 256", "512 x 512");
		final Path defects = folder.resolve("defects.txt");
		Files.writeString(defects, "10 10 2 2\n10 ten 2 2\n");
		assertOneLine(correct(folder, "b", new DetectorCorrection(null, 0, 0, defects)).failures(), defects.toString(),
			"line 2");
		Files.writeString(defects, "500 10 20 2\n");
		assertOneLine(correct(folder, "c", new DetectorCorrection(null, 0, 0, defects)).failures(), defects.toString(),
			"within frames of 512 x 512");
		try {
			new DetectorCorrection(gain, 4, 0, null);
			fail("a rotation of 4 quarter turns was taken");
		} catch (final IllegalArgumentException e) {
			assertTrue(e.getMessage(), e.getMessage().contains("0, 1, 2 or 3"));
		}
	}

	private static void assertOneLine(final List<String> failures, final String... words) {
		assertEquals(failures.toString(), 1, failures.size());
		for (final String w : words)
			assertTrue(failures.get(0), failures.get(0).contains(w) && !failures.get(0).contains("\n"));
	}
}

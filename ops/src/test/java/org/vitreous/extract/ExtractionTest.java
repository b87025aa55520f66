package org.vitreous.extract;

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
import java.util.Random;

import org.junit.Test;
import org.vitreous.Progress;
import org.vitreous.io.ImageReference;
import org.vitreous.io.MrcFile;
import org.vitreous.io.MrcWriter;
import org.vitreous.io.RelionStar;
import org.vitreous.io.StarFile;
import org.vitreous.io.StarTable;
import org.vitreous.metrics.ImageMetrics;
import org.vitreous.testing.Peers;
import org.vitreous.testing.TestData;

/**
 * extract-particles: boxes centred on the coordinate's integer part and normalised on the background (checked here
 * from first principles), the same boxes, order, count and STAR columns as relion_preprocess --extract on the same
 * micrographs and coordinates, a particles STAR that relion_refine reads, and the bad input a user can give.
 */
public class ExtractionTest {

	private static final double PIXEL = 2;
	private static final int BOX = 64, RADIUS = 24;

	/** Two micrographs (600 × 500 px: noise, a ramp, dark blobs) with their picks, one pick half off the edge. */
	private static final double[][][] PICKS = { { { 100.7, 100.2 }, { 20, 30 }, { 599, 150 }, { 300.5, 280.9 }, {
		450, 400 } }, { { 250, 250 }, { 64.9, 400.1 }, { 500.2, 64 } } };

	@Test
	public void boxesAsRelionPreprocessCutsThem() throws Exception {
		final String relion = Peers.program("relion_preprocess", "relion");
		final Path folder = TestData.scratch("extract-relion");
		writeProject(folder, PICKS);
		final Path ours = folder.resolve("ours");
		final ParticleExtraction.Settings s = settings();
		s.edge = "fill";
		final ExtractionJob.Summary r = ExtractionJob.run(folder.resolve("micrographs_ctf.star"), folder.resolve(
			"coordinates.star"), ours, s, Progress.NONE, line -> {});
		assertEquals(8, r.particles());
		final Peers.Result p = Peers.run(List.of(relion, "--i", "micrographs_ctf.star", "--coord_dir", "Picks/",
			"--coord_suffix", "_autopick.star", "--part_dir", "Relion/", "--part_star", "Relion/particles.star",
			"--extract", "--extract_size", Integer.toString(BOX), "--norm", "--bg_radius", Integer.toString(RADIUS),
			"--invert_contrast"), folder);
		assertEquals(p.output(), 0, p.exitCode());
		final RelionStar theirs = RelionStar.read(folder.resolve("Relion/particles.star"));
		final RelionStar mine = RelionStar.read(r.particlesStar());
		assertEquals(theirs.items().columns(), mine.items().columns());
		assertEquals(theirs.optics().columns(), mine.optics().columns());
		assertEquals(theirs.size(), mine.size());
		double worst = 1;
		for (int i = 0; i < mine.size(); i++) {
			for (final String c : List.of(RelionStar.COORDINATE_X, RelionStar.COORDINATE_Y, RelionStar.DEFOCUS_U,
				RelionStar.DEFOCUS_ANGLE, "rlnAutopickFigureOfMerit"))
				assertEquals(c + " of particle " + (i + 1), theirs.items().getDouble(i, c), mine.items().getDouble(i, c), 1e-6);
			final float[] a = image(theirs, i, folder), b = image(mine, i);
			final double cc = ImageMetrics.correlation(a, b);
			worst = Math.min(worst, cc);
			assertTrue("particle " + (i + 1) + ": correlation " + cc, cc >= 0.9999);
			double max = 0;
			for (int k = 0; k < a.length; k++)
				max = Math.max(max, Math.abs(a[k] - b[k]));
			assertTrue("particle " + (i + 1) + ": largest difference " + max, max < 1e-4);
		}
		assertEquals(theirs.optics().getDouble(0, RelionStar.IMAGE_PIXEL_SIZE), mine.optics().getDouble(0,
			RelionStar.IMAGE_PIXEL_SIZE), 1e-9);
		System.out.printf(Locale.ROOT, "extract-particles against relion_preprocess: %d particles, same order, "
			+ "worst correlation %.7f%n", mine.size(), worst);
		// RELION's own refinement program reads what we wrote (one iteration of 2D classification)
		final String refine = Peers.program("relion_refine", "relion");
		Files.createDirectories(ours.resolve("Class2D"));
		final Peers.Result c = Peers.run(List.of(refine, "--i", "particles.star", "--o", "Class2D/run", "--K", "1",
			"--iter", "1", "--particle_diameter", "90", "--ctf", "--psi_step", "30", "--offset_range", "2",
			"--offset_step", "2", "--j", "1", "--pool", "4", "--dont_combine_weights_via_disc", "--tau2_fudge", "2"), ours);
		assertEquals(c.output(), 0, c.exitCode());
		assertTrue(c.output(), Files.exists(ours.resolve("Class2D/run_it001_data.star")));
		assertEquals(8, RelionStar.read(ours.resolve("Class2D/run_it001_data.star")).size());
	}

	@Test
	public void centredOnTheIntegerPartAndNormalisedOnTheBackground() throws Exception {
		final Path folder = TestData.scratch("extract-science");
		writeProject(folder, PICKS);
		final ParticleExtraction.Settings s = settings();
		final ExtractionJob.Summary r = ExtractionJob.run(folder.resolve("micrographs_ctf.star"), folder.resolve(
			"coordinates.star"), folder.resolve("out"), s, Progress.NONE, line -> {});
		// the pick at x 599 and the one at (20, 30) leave their micrograph: skipped and counted by default
		assertEquals(2, r.edge());
		assertEquals(6, r.particles());
		final RelionStar star = RelionStar.read(r.particlesStar());
		for (int i = 0; i < star.size(); i++) {
			final float[] b = image(star, i);
			final double[] bg = background(b, BOX, RADIUS);
			assertEquals("background mean of " + (i + 1), 0, bg[0], 1e-4);
			assertEquals("background sd of " + (i + 1), 1, bg[1], 1e-4);
			// contrast inverted: the dark blob at the coordinate's integer part is the brightest pixel, at the centre
			int arg = 0;
			for (int k = 0; k < b.length; k++)
				if (b[k] > b[arg]) arg = k;
			assertEquals("peak column of " + (i + 1), BOX / 2, arg % BOX, 1);
			assertEquals("peak row of " + (i + 1), BOX / 2, arg / BOX, 1);
		}
		// Fourier binning to 32 px doubles the pixel size; the blob stays at the centre
		final ParticleExtraction.Settings binned = settings();
		binned.binTo = 32;
		binned.backgroundRadius = 12;
		final ExtractionJob.Summary b = ExtractionJob.run(folder.resolve("micrographs_ctf.star"), folder.resolve(
			"coordinates.star"), folder.resolve("binned"), binned, Progress.NONE, line -> {});
		final RelionStar bs = RelionStar.read(b.particlesStar());
		assertEquals(2 * PIXEL, bs.optics().getDouble(0, RelionStar.IMAGE_PIXEL_SIZE), 1e-9);
		assertEquals(32, bs.optics().getInt(0, RelionStar.IMAGE_SIZE));
		try (MrcFile f = MrcFile.open(bs.image(0).stack())) {
			assertEquals(32, f.width());
			assertEquals(2 * PIXEL, f.voxelSize()[0], 1e-4);
		}
		// a rerun finds every micrograph done and writes the same particles STAR
		final byte[] first = Files.readAllBytes(r.particlesStar());
		final ExtractionJob.Summary again = ExtractionJob.run(folder.resolve("micrographs_ctf.star"), folder.resolve(
			"coordinates.star"), folder.resolve("out"), s, Progress.NONE, line -> {});
		assertEquals(0, again.extracted());
		assertEquals(2, again.done());
		assertArrayEquals(first, Files.readAllBytes(again.particlesStar()));
	}

	@Test
	public void badInputGetsOneLineThatNamesIt() throws Exception {
		final Path folder = TestData.scratch("extract-bad");
		writeProject(folder, PICKS);
		final Path mics = folder.resolve("micrographs_ctf.star"), coords = folder.resolve("coordinates.star");
		// coordinates of a micrograph the micrographs STAR does not list: warned and counted, the rest extracted
		final StarFile list = StarFile.read(coords);
		list.blocks().get(0).addRow("Micrographs/missing.mrc", "Picks/Micrographs/mic_0001_autopick.star");
		final Path extra = folder.resolve("coordinates_extra.star");
		list.write(extra);
		final ExtractionJob.Summary r = ExtractionJob.run(mics, extra, folder.resolve("out1"), settings(),
			Progress.NONE, line -> {});
		assertEquals(r.warnings().toString(), 1, r.warnings().size());
		assertTrue(r.warnings().get(0), r.warnings().get(0).contains("missing.mrc"));
		// none of the coordinates' micrographs listed: refused
		final StarFile none = StarFile.read(coords);
		none.blocks().get(0).set(0, RelionStar.MICROGRAPH_NAME, "Micrographs/x.mrc");
		none.blocks().get(0).set(1, RelionStar.MICROGRAPH_NAME, "Micrographs/y.mrc");
		final Path nowhere = folder.resolve("coordinates_none.star");
		none.write(nowhere);
		expect(() -> ExtractionJob.run(mics, nowhere, folder.resolve("out2"), settings(), Progress.NONE, line -> {}),
			"coordinates_none.star", "names none of the 2 micrographs");
		// a box larger than the micrographs: each micrograph refused, then the job, naming the file and both sizes
		final ParticleExtraction.Settings huge = settings();
		huge.box = 700;
		huge.normalise = false;
		expect(() -> ExtractionJob.run(mics, coords, folder.resolve("out3"), huge, Progress.NONE, line -> {}),
			"mic_0001.mrc", "smaller than the 700 px box");
		// RELION's abort, when asked for, on a particle wholly outside
		final StarTable far = new StarTable("", true);
		far.addColumn(RelionStar.COORDINATE_X, "");
		far.addColumn(RelionStar.COORDINATE_Y, "");
		far.addRow("100", "100");
		far.addRow("5000", "100");
		final StarFile farFile = new StarFile();
		farFile.add(far);
		farFile.write(folder.resolve("Picks/Micrographs/mic_0002_autopick.star"));
		final ParticleExtraction.Settings abort = settings();
		abort.edge = "abort";
		expect(() -> ExtractionJob.run(mics, coords, folder.resolve("out4"), abort, Progress.NONE, line -> {}),
			"mic_0002_autopick.star", "particle 2 of Micrographs/mic_0002.mrc at (5000.0, 100.0) lies wholly outside");
		// an odd box, and a background circle wider than the box
		final ParticleExtraction.Settings odd = settings();
		odd.box = 63;
		expect(() -> ExtractionJob.run(mics, coords, folder.resolve("out5"), odd, Progress.NONE, line -> {}), "--box 63",
			"even");
		final ParticleExtraction.Settings wide = settings();
		wide.backgroundRadius = 40;
		expect(() -> ExtractionJob.run(mics, coords, folder.resolve("out6"), wide, Progress.NONE, line -> {}),
			"--background-radius 40", "larger than the 64 px box");
		// the output may not overwrite an input: coordinates given as out7/particles.star, extracted into out7
		final StarTable direct = new StarTable("particles", true);
		for (final String c : List.of(RelionStar.MICROGRAPH_NAME, RelionStar.COORDINATE_X, RelionStar.COORDINATE_Y))
			direct.addColumn(c, "");
		direct.addRow(folder.resolve("Micrographs/mic_0001.mrc").toAbsolutePath().toString(), "300", "300");
		final StarFile directFile = new StarFile();
		directFile.add(direct);
		Files.createDirectories(folder.resolve("out7"));
		final Path own = folder.resolve("out7/particles.star");
		directFile.write(own);
		final byte[] before = Files.readAllBytes(own);
		expect(() -> ExtractionJob.run(mics, own, folder.resolve("out7"), settings(), Progress.NONE, line -> {}),
			"particles.star", "input");
		assertArrayEquals(before, Files.readAllBytes(own));
	}

	private interface Job {
		void run() throws Exception;
	}

	private static void expect(final Job job, final String names, final String says) throws Exception {
		try {
			job.run();
			if (!names.isEmpty()) fail("expected a refusal naming " + names);
		} catch (final IOException | IllegalArgumentException e) {
			final String m = e.getMessage();
			assertTrue(m, m.contains(names) && m.contains(says));
			assertTrue("one line: " + m, !m.contains("\n"));
		}
	}

	private static ParticleExtraction.Settings settings() {
		final ParticleExtraction.Settings s = new ParticleExtraction.Settings();
		s.box = BOX;
		s.backgroundRadius = RADIUS;
		s.invertContrast = true;
		return s;
	}

	/**
	 * Writes Micrographs/mic_000N.mrc, micrographs_ctf.star (optics and CTF as estimate-ctf writes them),
	 * Picks/mic_000N_autopick.star and coordinates.star listing them.
	 */
	static void writeProject(final Path folder, final double[][][] picks) throws IOException {
		final int w = 600, h = 500;
		final StarTable optics = new StarTable("optics", true);
		for (final String c : List.of(RelionStar.OPTICS_GROUP_NAME, RelionStar.OPTICS_GROUP,
			RelionStar.MICROGRAPH_ORIGINAL_PIXEL_SIZE, RelionStar.VOLTAGE, RelionStar.SPHERICAL_ABERRATION,
			RelionStar.AMPLITUDE_CONTRAST, RelionStar.MICROGRAPH_PIXEL_SIZE))
			optics.addColumn(c, "");
		optics.addRow("opticsGroup1", "1", "2", "300", "2.7", "0.1", "2");
		final StarTable mics = new StarTable("micrographs", true);
		for (final String c : List.of(RelionStar.MICROGRAPH_NAME, RelionStar.OPTICS_GROUP, RelionStar.DEFOCUS_U,
			RelionStar.DEFOCUS_V, RelionStar.CTF_ASTIGMATISM, RelionStar.DEFOCUS_ANGLE, RelionStar.CTF_FIGURE_OF_MERIT,
			RelionStar.CTF_MAX_RESOLUTION))
			mics.addColumn(c, "");
		final StarTable files = new StarTable("coordinate_files", true);
		files.addColumn(RelionStar.MICROGRAPH_NAME, "");
		files.addColumn("rlnMicrographCoordinates", "");
		final Random random = new Random(5);
		for (int m = 0; m < picks.length; m++) {
			final String name = String.format(Locale.ROOT, "Micrographs/mic_%04d.mrc", m + 1);
			final float[] image = new float[w * h];
			for (int y = 0; y < h; y++)
				for (int x = 0; x < w; x++)
					image[y * w + x] = (float) (random.nextGaussian() + 0.004 * x - 0.003 * y + 7);
			final StarTable t = new StarTable("", true);
			for (final String c : List.of(RelionStar.COORDINATE_X, RelionStar.COORDINATE_Y, "rlnAutopickFigureOfMerit"))
				t.addColumn(c, "");
			for (int k = 0; k < picks[m].length; k++) {
				final double px = picks[m][k][0], py = picks[m][k][1];
				final int cx = (int) px, cy = (int) py;
				for (int y = Math.max(0, cy - 15); y < Math.min(h, cy + 16); y++)
					for (int x = Math.max(0, cx - 15); x < Math.min(w, cx + 16); x++)
						image[y * w + x] -= (float) (8 * Math.exp(-((x - cx) * (x - cx) + (y - cy) * (y - cy)) / 32.0));
				t.addRow(StarTable.formatNumber(px), StarTable.formatNumber(py), StarTable.formatNumber(2 - 0.1 * k));
			}
			Files.createDirectories(folder.resolve("Micrographs"));
			MrcWriter.writeImage(folder.resolve(name), image, w, h, new MrcWriter.Settings().pixelSize(PIXEL));
			mics.addRow(name, "1", Integer.toString(15000 + 1000 * m), Integer.toString(14000 + 1000 * m), "1000", "30",
				"0.2", "5");
			final String pick = String.format(Locale.ROOT, "Picks/Micrographs/mic_%04d_autopick.star", m + 1);
			Files.createDirectories(folder.resolve("Picks/Micrographs"));
			final StarFile f = new StarFile();
			f.add(t);
			f.write(folder.resolve(pick));
			files.addRow(name, pick);
		}
		final StarFile star = new StarFile();
		star.add(optics);
		star.add(mics);
		star.write(folder.resolve("micrographs_ctf.star"));
		final StarFile list = new StarFile();
		list.add(files);
		list.write(folder.resolve("coordinates.star"));
	}

	private static float[] image(final RelionStar star, final int i) throws IOException {
		return image(star, i, star.source().toAbsolutePath().getParent());
	}

	/** Image i of the STAR, its name resolved against {@code project} (RELION names images from its project folder). */
	private static float[] image(final RelionStar star, final int i, final Path project) throws IOException {
		final ImageReference ref = ImageReference.parse(star.items().get(i, RelionStar.IMAGE_NAME), project);
		try (MrcFile f = MrcFile.open(ref.stack())) {
			return f.readSection(ref.section());
		}
	}

	/** Mean and population sd outside the radius, computed here, not by the code under test. */
	private static double[] background(final float[] b, final int n, final int radius) {
		final List<Double> v = new ArrayList<>();
		for (int y = 0; y < n; y++)
			for (int x = 0; x < n; x++)
				if ((x - n / 2) * (x - n / 2) + (y - n / 2) * (y - n / 2) > radius * radius) v.add((double) b[y * n + x]);
		final double mean = v.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
		final double var = v.stream().mapToDouble(d -> (d - mean) * (d - mean)).average().orElseThrow();
		return new double[] { mean, Math.sqrt(var) };
	}
}

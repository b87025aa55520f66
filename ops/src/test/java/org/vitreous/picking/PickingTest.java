package org.vitreous.picking;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import org.junit.BeforeClass;
import org.junit.Test;
import org.vitreous.Progress;
import org.vitreous.compute.ComputeDevice;
import org.vitreous.compute.Parallel;
import org.vitreous.io.CubicMap;
import org.vitreous.io.MrcFile;
import org.vitreous.io.MrcWriter;
import org.vitreous.io.RelionStar;
import org.vitreous.io.StarFile;
import org.vitreous.io.StarTable;
import org.vitreous.simulate.MovieSimulation;
import org.vitreous.testing.Peers;
import org.vitreous.testing.TestData;

/**
 * pick-particles (LoG) against the truth of simulated micrographs (ribosomes with CTF in ice, known centres): picks
 * matched one-to-one to true centres within a quarter of the diameter, ranked by figure of merit at least as well as
 * relion_autopick --LoG ranks its own on the same micrographs and diameters (average precision), with a median
 * centre error no worse; the default threshold keeps F1 high; the figure of merit ranks true picks above false
 * ones; no two picks closer than the minimum distance; the same picks for another micrograph order and one thread.
 */
public class PickingTest {

	private static final double PIXEL = 3, DIAMETER_MIN = 200, DIAMETER_MAX = 300;
	private static final int MICROGRAPHS = 4;

	private static Path folder, sparseFolder;
	private static List<double[][]> truth, sparseTruth;

	@BeforeClass
	public static void simulate() throws Exception {
		folder = TestData.scratch("picking");
		truth = simulate(folder, 40, 40, 0.5);
		sparseFolder = TestData.scratch("picking-sparse");
		sparseTruth = simulate(sparseFolder, 3, 20, 1.5);
	}

	/** Simulates MICROGRAPHS micrographs into {@code folder} and returns the true centres of each. */
	private static List<double[][]> simulate(final Path folder, final int particles, final double dose,
		final double ice) throws Exception
	{
		final CubicMap ribosome = CubicMap.read(TestData.shared("relion/ribosome_b64.mrc"), "test");
		final MovieSimulation.Settings s = new MovieSimulation.Settings();
		s.movies = MICROGRAPHS;
		s.width = s.height = 1024;
		s.frames = 1;
		s.dosePerFrame = dose;
		s.ice = ice;
		s.jump = 0;
		s.creep = 0;
		s.pixelSize = PIXEL;
		s.particles = particles;
		s.defocusMin = 10000;
		s.defocusMax = 25000;
		s.seed = 23;
		final Path movies = folder.resolve("sim");
		final List<MovieSimulation.Truth> t = MovieSimulation.run(ribosome.values(), ribosome.size(), ribosome
			.pixelSize(), s, movies, ComputeDevice.JAVA, Progress.NONE);
		final List<double[][]> truth = new ArrayList<>();
		final StarFile ctf = StarFile.read(movies.resolve("truth/micrographs_ctf.star"));
		final StarTable mics = ctf.blocks().get(1);
		Files.createDirectories(folder.resolve("Micrographs"));
		for (int m = 0; m < MICROGRAPHS; m++) {
			truth.add(t.get(m).coordinates());
			final String name = String.format(Locale.ROOT, "Micrographs/mic_%04d.mrc", m + 1);
			try (MrcFile f = MrcFile.open(movies.resolve(String.format(Locale.ROOT, "Movies/movie_%04d.mrcs", m + 1)))) {
				MrcWriter.writeImage(folder.resolve(name), f.readSection(0), f.width(), f.height(), new MrcWriter.Settings()
					.pixelSize(PIXEL));
			}
			mics.set(m, RelionStar.MICROGRAPH_NAME, name);
		}
		final StarTable optics = ctf.blocks().get(0);
		if (!optics.has(RelionStar.MICROGRAPH_PIXEL_SIZE)) optics.addColumn(RelionStar.MICROGRAPH_PIXEL_SIZE, StarTable
			.formatNumber(PIXEL));
		ctf.write(folder.resolve("micrographs_ctf.star"));
		return truth;
	}

	@Test
	public void defaultThresholdHoldsWhereRelionsPicksMostlyNoise() throws Exception {
		final PickingJob.Summary ours = PickingJob.run(sparseFolder.resolve("micrographs_ctf.star"), sparseFolder
			.resolve("ours"), settings(), Progress.NONE, line -> {});
		final Score mine = score(picksOf(ours), sparseTruth);
		System.out.printf(Locale.ROOT, "sparse LoG picking (Vitreous, default threshold): %s%n", mine);
		final String relion = Peers.program("relion_autopick", "relion");
		final Score peer = score(relionPicks(relion, sparseFolder), sparseTruth);
		System.out.printf(Locale.ROOT, "sparse LoG picking (relion_autopick --LoG, default threshold): %s%n", peer);
		assertTrue("RELION's false picks per true one: " + peer, (peer.picks - peer.matched) >= 10.0 * peer.matched);
		assertTrue("F1 at the default threshold: " + mine, mine.f1 >= 0.7);
		// below the default threshold, where false picks come in, the figure of merit still ranks true ones first
		final LogPicker.Settings low = settings();
		low.threshold = 2;
		final Score ranked = score(picksOf(PickingJob.run(sparseFolder.resolve("micrographs_ctf.star"), sparseFolder
			.resolve("low"), low, Progress.NONE, line -> {})), sparseTruth);
		System.out.printf(Locale.ROOT, "LoG picking (Vitreous, threshold 2): %s%n", ranked);
		assertTrue("false picks at threshold 2: " + ranked, ranked.picks > ranked.matched);
		assertTrue("true picks at threshold 2: " + ranked, ranked.matched >= mine.matched);
		assertTrue("AUC of the figure of merit: " + ranked, ranked.auc >= 0.9);
	}

	private static List<List<LogPicker.Pick>> relionPicks(final String relion, final Path folder) throws Exception {
		final Peers.Result r = Peers.run(List.of(relion, "--i", "micrographs_ctf.star", "--odir", "RelionPick/",
			"--pickname", "autopick", "--LoG", "--LoG_diam_min", fmt(DIAMETER_MIN), "--LoG_diam_max", fmt(DIAMETER_MAX),
			"--shrink", "0", "--lowpass", "20", "--LoG_adjust_threshold", "0", "--LoG_upper_threshold", "999",
			"--Log_invert"), folder);
		assertEquals(r.output(), 0, r.exitCode());
		final List<List<LogPicker.Pick>> theirs = new ArrayList<>();
		for (int m = 0; m < MICROGRAPHS; m++)
			theirs.add(PickingJob.read(folder.resolve(String.format(Locale.ROOT,
				"RelionPick/Micrographs/mic_%04d_autopick.star", m + 1))));
		return theirs;
	}

	@Test
	public void logPicksRankTrueParticlesAtLeastAsWellAsRelion() throws Exception {
		final LogPicker.Settings s = settings();
		final PickingJob.Summary ours = PickingJob.run(folder.resolve("micrographs_ctf.star"), folder.resolve("ours"), s,
			Progress.NONE, line -> {});
		final Score mine = score(picksOf(ours), truth);
		for (final PickingJob.Picked p : ours.micrographs())
			for (int i = 0; i < p.picks().size(); i++)
				for (int j = 0; j < i; j++)
					assertTrue("two picks closer than the minimum distance", Math.hypot(p.picks().get(i).x() - p.picks().get(j)
						.x(), p.picks().get(i).y() - p.picks().get(j).y()) * PIXEL >= DIAMETER_MIN - 1e-6);
		System.out.printf(Locale.ROOT, "LoG picking (Vitreous, default threshold): %s%n", mine);
		assertTrue("F1 at the default threshold: " + mine, mine.f1 >= 0.8);
		final String relion = Peers.program("relion_autopick", "relion");
		final Score peer = score(relionPicks(relion, folder), truth);
		System.out.printf(Locale.ROOT, "LoG picking (relion_autopick --LoG, default threshold): %s%n", peer);
		assertTrue("average precision " + mine.ap + " against RELION's " + peer.ap, mine.ap >= peer.ap);
		assertTrue("median error " + mine.medianError + " px against RELION's " + peer.medianError, mine.medianError
			<= peer.medianError);
	}

	@Test
	public void samePicksForAnyOrderAndThreads() throws Exception {
		final LogPicker.Settings s = settings();
		final List<List<LogPicker.Pick>> forward = picksOf(PickingJob.run(folder.resolve("micrographs_ctf.star"), folder
			.resolve("order1"), s, Progress.NONE, line -> {}));
		// the micrographs in reverse order, picked on one thread
		final StarFile reversed = StarFile.read(folder.resolve("micrographs_ctf.star"));
		final StarTable mics = reversed.blocks().get(1), back = new StarTable("micrographs", true);
		for (final String c : mics.columns())
			back.addColumn(c, "");
		for (int r = mics.rowCount() - 1; r >= 0; r--)
			back.addRow(mics.row(r));
		final StarFile file = new StarFile();
		file.add(reversed.blocks().get(0));
		file.add(back);
		file.write(folder.resolve("reversed.star"));
		final PickingJob.Summary one = Parallel.singleThreaded(() -> PickingJob.run(folder.resolve("reversed.star"),
			folder.resolve("order2"), s, Progress.NONE, line -> {}));
		final List<List<LogPicker.Pick>> backward = picksOf(one);
		Collections.reverse(backward);
		assertEquals(forward, backward);
		// a rerun reads the picks back
		final PickingJob.Summary again = PickingJob.run(folder.resolve("micrographs_ctf.star"), folder.resolve("order1"),
			s, Progress.NONE, line -> {});
		assertEquals(MICROGRAPHS, again.done());
		assertEquals(0, again.picked());
	}

	private static LogPicker.Settings settings() {
		final LogPicker.Settings s = new LogPicker.Settings();
		s.diameterMin = DIAMETER_MIN;
		s.diameterMax = DIAMETER_MAX;
		// simulate-movies makes particles lighter than the background (see MovieSimulation): picked inverted
		s.invert = true;
		return s;
	}

	private static List<List<LogPicker.Pick>> picksOf(final PickingJob.Summary s) {
		final List<List<LogPicker.Pick>> out = new ArrayList<>();
		for (final PickingJob.Picked p : s.micrographs())
			out.add(p.picks());
		return out;
	}

	/** Picks against the truth: at the given threshold (all picks) and ranked by figure of merit. */
	record Score(int picks, int truths, int matched, double precision, double recall, double f1, double ap, double auc,
		double medianError, double lowestTrue, double highestFalse)
	{
		@Override
		public String toString() {
			return String.format(Locale.ROOT, "%d picks of %d particles, %d true: precision %.3f, recall %.3f, F1 %.3f, "
				+ "average precision %.3f, AUC %.3f, median error %.2f px; figures of merit: lowest true %.2f, highest false "
				+ "%.2f", picks, truths, matched, precision, recall, f1, ap, auc, medianError, lowestTrue, highestFalse);
		}
	}

	/**
	 * Matches each micrograph's picks, best first, to the nearest unmatched true centre within a quarter of the
	 * smallest diameter (one to one), then scores them.
	 */
	static Score score(final List<List<LogPicker.Pick>> picks, final List<double[][]> truth) {
		final double radius = DIAMETER_MIN / 4 / PIXEL;
		final List<double[]> ranked = new ArrayList<>(); // {score, 1 if true}
		final List<Double> errors = new ArrayList<>();
		int truths = 0, count = 0;
		for (int m = 0; m < picks.size(); m++) {
			final double[][] t = truth.get(m);
			truths += t.length;
			final boolean[] used = new boolean[t.length];
			final List<LogPicker.Pick> sorted = new ArrayList<>(picks.get(m));
			sorted.sort((a, b) -> Double.compare(b.score(), a.score()));
			for (final LogPicker.Pick p : sorted) {
				count++;
				int best = -1;
				double d = radius;
				for (int i = 0; i < t.length; i++) {
					final double e = Math.hypot(p.x() - t[i][0], p.y() - t[i][1]);
					if (!used[i] && e <= d) {
						d = e;
						best = i;
					}
				}
				if (best >= 0) {
					used[best] = true;
					errors.add(d);
				}
				ranked.add(new double[] { p.score(), best >= 0 ? 1 : 0 });
			}
		}
		ranked.sort((a, b) -> Double.compare(b[0], a[0]));
		double tp = 0, ap = 0;
		for (int i = 0; i < ranked.size(); i++)
			if (ranked.get(i)[1] == 1) {
				tp++;
				ap += tp / (i + 1);
			}
		ap /= truths;
		final int matched = (int) tp;
		// AUC: the chance that a true pick outranks a false one
		double pairs = 0, above = 0, falseSeen = 0;
		for (int i = ranked.size() - 1; i >= 0; i--) {
			if (ranked.get(i)[1] == 1) {
				above += falseSeen;
				pairs += ranked.size() - matched;
			}
			else falseSeen++;
		}
		final double auc = pairs > 0 ? above / pairs : 1;
		final double precision = count > 0 ? (double) matched / count : 0, recall = (double) matched / truths;
		final double[] e = errors.stream().mapToDouble(Double::doubleValue).toArray();
		Arrays.sort(e);
		double lowestTrue = Double.NaN, highestFalse = Double.NaN;
		for (final double[] r : ranked)
			if (r[1] == 1) lowestTrue = r[0];
			else if (Double.isNaN(highestFalse)) highestFalse = r[0];
		return new Score(count, truths, matched, precision, recall, precision + recall > 0 ? 2 * precision * recall
			/ (precision + recall) : 0, ap, auc, e.length > 0 ? e[e.length / 2] : Double.NaN, lowestTrue, highestFalse);
	}

	private static String fmt(final double v) {
		return StarTable.formatNumber(v);
	}
}

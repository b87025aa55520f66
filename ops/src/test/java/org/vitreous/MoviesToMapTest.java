package org.vitreous;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.junit.Test;
import org.junit.experimental.categories.Category;
import org.vitreous.compute.ComputeDevice;
import org.vitreous.ctffit.CtfEstimation;
import org.vitreous.ctffit.CtfEstimationJob;
import org.vitreous.fourier.Fft;
import org.vitreous.io.CubicMap;
import org.vitreous.io.MrcFile;
import org.vitreous.io.MrcWriter;
import org.vitreous.io.RelionStar;
import org.vitreous.io.StarFile;
import org.vitreous.io.StarTable;
import org.vitreous.metrics.Fsc;
import org.vitreous.motion.DetectorCorrection;
import org.vitreous.motion.MotionCorrection;
import org.vitreous.motion.MotionCorrectionJob;
import org.vitreous.reconstruct.ParticleReconstruction;
import org.vitreous.simulate.MovieSimulation;
import org.vitreous.testing.SlowTest;
import org.vitreous.testing.TestData;

/**
 * The front end end to end: particles simulated into drifting movies, motion-corrected (exposure-weighted) and
 * CTF-estimated, then cut out at their true coordinates and reconstructed at their true poses with the estimated
 * CTF, reach within one Fourier shell (FSC 0.5 against the true map) of the same particles reconstructed from the
 * noise-matched ideal: the same specimen and dose without drift, summed unaligned with the same weights, with the
 * true CTF.
 */
public class MoviesToMapTest {

	private static final double PIXEL = 3;

	@Test
	@Category(SlowTest.class)
	public void moviesToMapWithinAShellOfTheIdeal() throws Exception {
		final CubicMap ribosome = CubicMap.read(TestData.shared("relion/ribosome_b64.mrc"), "test");
		final MovieSimulation.Settings s = new MovieSimulation.Settings();
		s.movies = 6;
		s.width = s.height = 1024;
		s.frames = 8;
		s.dosePerFrame = 5; // 40 e/Å² in all
		s.pixelSize = PIXEL;
		s.particles = 40;
		s.defocusMin = 10000;
		s.defocusMax = 25000;
		s.astigmatism = 800;
		s.seed = 17;
		final Path folder = TestData.scratch("movies-to-map");
		final Path drifting = folder.resolve("drifting"), still = folder.resolve("still");
		final List<MovieSimulation.Truth> truth = MovieSimulation.run(ribosome.values(), ribosome.size(), ribosome
			.pixelSize(), s, drifting, ComputeDevice.JAVA, Progress.NONE);
		s.jump = 0;
		s.creep = 0;
		MovieSimulation.run(ribosome.values(), ribosome.size(), ribosome.pixelSize(), s, still, ComputeDevice.JAVA,
			Progress.NONE);
		// the pipeline: motion-correct, then estimate-ctf on the spectra motion correction wrote
		final MotionCorrection.Settings m = new MotionCorrection.Settings();
		m.doseWeighting = true;
		m.dosePerFrame = s.dosePerFrame;
		final MotionCorrectionJob.Summary corrected = MotionCorrectionJob.run(drifting.resolve("movies.star")
			.toString(), drifting.resolve("mc"), m, DetectorCorrection.NONE, Progress.NONE, line -> {});
		assertEquals(corrected.failures().toString(), s.movies, corrected.corrected());
		final CtfEstimation.Settings c = new CtfEstimation.Settings();
		c.resolutionMax = 7;
		final CtfEstimationJob.Summary ctfs = CtfEstimationJob.run(corrected.micrographs().toString(), drifting.resolve(
			"ctf"), c, true, Progress.NONE, line -> {});
		assertEquals(ctfs.failures().toString(), s.movies, ctfs.estimated());
		// the ideal: the still movies summed with the same exposure weights and no alignment at all
		final MotionCorrection.Settings unaligned = m.copy();
		unaligned.alignment.maxIterations = 0;
		MotionCorrectionJob.run(still.resolve("movies.star").toString(), still.resolve("mc"), unaligned,
			DetectorCorrection.NONE, Progress.NONE, line -> {});
		final float[] truthMap = MovieSimulation.resample(ribosome.values(), ribosome.size(), ribosome.pixelSize(),
			PIXEL);
		final int n = (int) Math.round(Math.cbrt(truthMap.length));
		// each micrograph's CTF: estimated for the pipeline, true for the ideal
		final Map<String, double[]> estimated = new HashMap<>(), exact = new HashMap<>();
		final StarTable est = RelionStar.read(ctfs.micrographs()).items();
		for (int i = 0; i < est.rowCount(); i++)
			estimated.put(Path.of(est.get(i, RelionStar.MICROGRAPH_NAME)).getFileName().toString(), new double[] { est
				.getDouble(i, RelionStar.DEFOCUS_U, 0), est.getDouble(i, RelionStar.DEFOCUS_V, 0), est.getDouble(i,
					RelionStar.DEFOCUS_ANGLE, 0) });
		for (int k = 0; k < truth.size(); k++) {
			final var t = truth.get(k).ctf();
			exact.put(String.format(Locale.ROOT, "movie_%04d.mrc", k + 1), new double[] { t.defocusU(), t.defocusV(), t
				.defocusAngle() });
		}
		final double[] pipeline = reconstruct(drifting, "mc", truth, estimated, n, truthMap);
		final double[] ideal = reconstruct(still, "mc", truth, exact, n, truthMap);
		// the control that shows the comparison can fail: the drifting movies summed without alignment
		MotionCorrectionJob.run(drifting.resolve("movies.star").toString(), drifting.resolve("unaligned"), unaligned,
			DetectorCorrection.NONE, Progress.NONE, line -> {});
		final double[] blurred = reconstruct(drifting, "unaligned", truth, exact, n, truthMap);
		System.out.printf(Locale.ROOT, "movies to map (%d movies, %d particles, %.0f A/px, box %d): FSC 0.5 against "
			+ "the truth at shell %.2f (%.1f A) from motion-corrected, CTF-estimated movies; %.2f (%.1f A) from the "
			+ "noise-matched ideal; %.2f (%.1f A) from the drifting movies unaligned%n", s.movies, (int) pipeline[1],
			PIXEL, n, pipeline[0], n * PIXEL / pipeline[0], ideal[0], n * PIXEL / ideal[0], blurred[0], n * PIXEL
				/ blurred[0]);
		assertTrue("unaligned shell " + blurred[0] + " against the ideal's " + ideal[0], blurred[0] < ideal[0] - 3);
		assertTrue("the ideal itself reaches shell " + ideal[0], ideal[0] > 10);
		assertTrue("pipeline shell " + pipeline[0] + " against the ideal's " + ideal[0], pipeline[0] >= ideal[0] - 1);
	}

	/**
	 * Cuts each particle out of its micrograph at its true coordinate (the box the simulation rendered it in, the
	 * sub-pixel remainder as the origin it was rendered with), normalises it on the background outside the particle
	 * radius as RELION's extraction does, writes the stacks and a particles STAR, reconstructs with the CTF, and
	 * returns {FSC 0.5 crossing against the truth (shells), particles}.
	 */
	private static double[] reconstruct(final Path folder, final String sums, final List<MovieSimulation.Truth> truth,
		final Map<String, double[]> ctfs, final int n, final float[] truthMap) throws IOException
	{
		final StarFile file = new StarFile();
		final StarTable optics = new StarTable("optics", true);
		for (final String col : new String[] { "rlnOpticsGroup", "rlnImagePixelSize", "rlnImageSize", "rlnImageDimensionality",
			"rlnVoltage", "rlnSphericalAberration", "rlnAmplitudeContrast" })
			optics.addColumn(col, "");
		optics.addRow("1", f(PIXEL), Integer.toString(n), "2", "300", "2.7", "0.1");
		file.add(optics);
		final StarTable rows = new StarTable("particles", true);
		for (final String col : new String[] { "rlnImageName", "rlnAngleRot", "rlnAngleTilt", "rlnAnglePsi",
			"rlnOriginXAngst", "rlnOriginYAngst", "rlnDefocusU", "rlnDefocusV", "rlnDefocusAngle", "rlnOpticsGroup" })
			rows.addColumn(col, "");
		final int centre = Fft.imageCentre(n);
		final double radius = 0.4 * n;
		int count = 0;
		for (int k = 0; k < truth.size(); k++) {
			final String name = String.format(Locale.ROOT, "movie_%04d", k + 1);
			final float[] micrograph;
			final int nx, ny;
			try (MrcFile mic = MrcFile.open(folder.resolve(sums + "/Movies/" + name + ".mrc"))) {
				nx = mic.width();
				ny = mic.height();
				micrograph = mic.readSection(0);
			}
			final double[] ctf = ctfs.get(name + ".mrc");
			final MovieSimulation.Truth t = truth.get(k);
			final Path stack = folder.resolve(sums + "_particles/" + name + ".mrcs");
			try (MrcWriter w = MrcWriter.open(stack, n, n, new MrcWriter.Settings().pixelSize(PIXEL).stack())) {
				int written = 0;
				for (int i = 0; i < t.coordinates().length; i++) {
					final double x = t.coordinates()[i][0], y = t.coordinates()[i][1];
					final int x0 = (int) Math.floor(x) - centre, y0 = (int) Math.floor(y) - centre;
					if (x0 < 0 || y0 < 0 || x0 + n > nx || y0 + n > ny) continue;
					final float[] box = new float[n * n];
					double sum = 0, sq = 0;
					int background = 0;
					for (int yy = 0; yy < n; yy++)
						for (int xx = 0; xx < n; xx++) {
							final float v = micrograph[(y0 + yy) * nx + x0 + xx];
							box[yy * n + xx] = v;
							if (Math.hypot(xx - centre, yy - centre) > radius) {
								sum += v;
								sq += v * (double) v;
								background++;
							}
						}
					final double mean = sum / background, sd = Math.sqrt(Math.max(1e-12, sq / background - mean * mean));
					for (int j = 0; j < box.length; j++)
						box[j] = (float) ((box[j] - mean) / sd);
					w.writeSection(box);
					written++;
					final double[] a = t.angles()[i];
					rows.addRow(written + "@" + sums + "_particles/" + name + ".mrcs", f(a[0]), f(a[1]), f(a[2]), f(-(x - Math.floor(x))
						* PIXEL), f(-(y - Math.floor(y)) * PIXEL), f(ctf[0]), f(ctf[1]), f(ctf[2]), "1");
				}
				w.commit();
				count += written;
			}
		}
		file.add(rows);
		final Path star = folder.resolve(sums + "_particles.star");
		file.write(star);
		final ParticleReconstruction.Settings r = new ParticleReconstruction.Settings();
		r.ctf = true;
		final ParticleReconstruction.Result map = ParticleReconstruction.run(star, r, ComputeDevice.JAVA, Progress.NONE);
		final Fsc.Curve curve = Fsc.compute(map.map(), truthMap, n, n, n, null, PIXEL);
		return new double[] { Fsc.crossing(curve.fsc(), 0.5), count };
	}

	private static String f(final double v) {
		return StarTable.formatNumber(v);
	}
}

package org.vitreous.ctffit;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.junit.Test;
import org.vitreous.Progress;
import org.vitreous.compute.ComputeDevice;
import org.vitreous.ctf.Ctf;
import org.vitreous.io.CubicMap;
import org.vitreous.io.ImageReference;
import org.vitreous.io.MrcFile;
import org.vitreous.io.MrcWriter;
import org.vitreous.io.RelionStar;
import org.vitreous.io.StarTable;
import org.vitreous.motion.DetectorCorrection;
import org.vitreous.motion.MotionCorrection;
import org.vitreous.motion.MotionCorrectionJob;
import org.vitreous.simulate.MovieSimulation;
import org.vitreous.testing.TestData;

/**
 * estimate-ctf as a job: movies simulated with known CTF, motion-corrected (which writes each sum's spectrum,
 * rlnCtfPowerSpectrum), then estimated from the sums and from the given spectra; micrographs_ctf.star against the
 * truth, a rerun that reads back what is done, a blank micrograph refused in one line while the rest are estimated,
 * and CTFFIND4's own result file (a real one, from ../shared/data) read.
 */
public class CtfEstimationJobTest {

	@Test
	public void moviesToMicrographsCtfStar() throws Exception {
		final Path dir = TestData.scratch("ctf-job");
		final MovieSimulation.Settings s = new MovieSimulation.Settings();
		s.movies = 2;
		s.width = s.height = 1024;
		s.frames = 6;
		s.dosePerFrame = 6;
		s.pixelSize = 1.2;
		s.particles = 6;
		s.defocusMin = 10000;
		s.defocusMax = 25000;
		s.astigmatism = 1000;
		s.seed = 11;
		final CubicMap map = CubicMap.read(TestData.shared("relion/ribosome_b64.mrc"), "test");
		final List<MovieSimulation.Truth> truth = MovieSimulation.run(map.values(), map.size(), map.pixelSize(), s, dir
			.resolve("sim"), ComputeDevice.JAVA, Progress.NONE);
		final MotionCorrection.Settings m = new MotionCorrection.Settings();
		m.dosePerFrame = s.dosePerFrame;
		m.doseWeighting = true;
		final MotionCorrectionJob.Summary corrected = MotionCorrectionJob.run(dir.resolve("sim/movies.star").toString(),
			dir.resolve("mc"), m, DetectorCorrection.NONE, Progress.NONE, line -> {});
		final RelionStar sums = RelionStar.read(corrected.micrographs());
		assertTrue(sums.items().has(RelionStar.CTF_POWER_SPECTRUM));
		try (MrcFile ps = MrcFile.open(dir.resolve("mc").resolve(sums.items().get(0, RelionStar.CTF_POWER_SPECTRUM)))) {
			assertEquals(512, ps.width());
			assertEquals(s.pixelSize, ps.voxelSize()[0], 1e-4);
		}
		for (final boolean given : new boolean[] { false, true }) {
			final Path out = dir.resolve(given ? "ctf-given" : "ctf");
			final List<String> log = new ArrayList<>();
			final CtfEstimationJob.Summary r = CtfEstimationJob.run(corrected.micrographs().toString(), out,
				new CtfEstimation.Settings(), given, Progress.NONE, log::add);
			log.forEach(System.out::println);
			assertEquals(2, r.estimated());
			assertTrue(r.failures().toString(), r.failures().isEmpty());
			final RelionStar star = RelionStar.read(out.resolve("micrographs_ctf.star"));
			final StarTable items = star.items();
			assertEquals(2, items.rowCount());
			assertEquals(s.pixelSize, star.optics().getDouble(0, RelionStar.MICROGRAPH_PIXEL_SIZE), 1e-6);
			for (int i = 0; i < 2; i++) {
				final Ctf t = truth.get(i).ctf();
				final double u = items.getDouble(i, RelionStar.DEFOCUS_U), v = items.getDouble(i, RelionStar.DEFOCUS_V);
				final double trueMean = (t.defocusU() + t.defocusV()) / 2, astigmatism = t.defocusU() - t.defocusV();
				System.out.printf(Locale.ROOT, "%s: true %.0f / %.0f, found %.0f / %.0f%n", given ? "given spectrum"
					: "sum", t.defocusU(), t.defocusV(), u, v);
				// 1024² sums of 36 e/Å²: the accuracy figures on larger micrographs are CtfEstimationTest's and the note's
				assertEquals(trueMean, (u + v) / 2, Math.max(100, 0.01 * trueMean));
				assertEquals(astigmatism, u - v, 250);
				assertEquals(u - v, items.getDouble(i, RelionStar.CTF_ASTIGMATISM), 0.01);
				assertTrue(items.getDouble(i, RelionStar.CTF_FIGURE_OF_MERIT) > CtfEstimation.FLAG);
				final double fit = items.getDouble(i, RelionStar.CTF_MAX_RESOLUTION);
				assertTrue(fit + " Å", fit > 2 * s.pixelSize && fit < 30);
				final String image = items.get(i, RelionStar.CTF_IMAGE);
				assertTrue(image, image.endsWith(".ctf:mrc"));
				assertTrue(Files.exists(out.resolve(image.substring(0, image.length() - 4))));
				// names rebased to the new STAR's folder still point at the sums
				assertTrue(Files.exists(ImageReference.parse(items.get(i, RelionStar.MICROGRAPH_NAME), out).stack()));
			}
			assertTrue(Files.exists(out.resolve("Movies/movie_0001_avrot.txt")));
			assertEquals(1, CtffindText.read(out.resolve("Movies/movie_0001.txt")).size());
			// a rerun reads back what is done and writes the same STAR
			final String before = Files.readString(out.resolve("micrographs_ctf.star"));
			final CtfEstimationJob.Summary again = CtfEstimationJob.run(corrected.micrographs().toString(), out,
				new CtfEstimation.Settings(), given, Progress.NONE, line -> {});
			assertEquals(0, again.estimated());
			assertEquals(2, again.skipped());
			assertEquals(before, Files.readString(out.resolve("micrographs_ctf.star")));
		}
		// a blank micrograph beside a real one, as a glob: refused in one line naming it, the other estimated
		final Path glob = dir.resolve("glob");
		Files.createDirectories(glob);
		Files.copy(dir.resolve("mc/Movies/movie_0001.mrc"), glob.resolve("a.mrc"));
		try (MrcWriter w = MrcWriter.open(glob.resolve("b.mrc"), 512, 512, new MrcWriter.Settings().pixelSize(1.2))) {
			final float[] flat = new float[512 * 512];
			java.util.Arrays.fill(flat, 7);
			w.writeSection(flat);
			w.commit();
		}
		final CtfEstimation.Settings settings = new CtfEstimation.Settings();
		settings.pixelSize = 1.2;
		final CtfEstimationJob.Summary mixed = CtfEstimationJob.run(glob.resolve("*.mrc").toString(), dir.resolve(
			"ctf-glob"), settings, false, Progress.NONE, line -> {});
		assertEquals(1, mixed.estimated());
		assertEquals(1, mixed.failures().size());
		final String reason = mixed.failures().get(0);
		assertTrue(reason, reason.contains("b.mrc") && reason.contains("no signal") && !reason.contains("\n"));
		assertEquals(1, RelionStar.read(dir.resolve("ctf-glob/micrographs_ctf.star")).size());
	}

	/**
	 * CTFFIND 4.1.8's own result file for a tilt series: every result line read (60, though its header says 41
	 * micrographs: the file as cryoCAT keeps it), values as written.
	 */
	@Test
	public void readsCtffindOutput() throws Exception {
		final List<CtffindText.Row> rows = CtffindText.read(TestData.shared("real/tomo/cryocat/TS_017/017_ctffind4.txt"));
		assertEquals(60, rows.size());
		assertEquals(6.176948, rows.get(59).fitResolution(), 1e-6);
		assertEquals(14477.870117, rows.get(0).defocus1(), 1e-6);
		assertEquals(13500.001953, rows.get(0).defocus2(), 1e-6);
		assertEquals(-84.116628, rows.get(1).azimuth(), 1e-6);
		assertEquals(12.144508, rows.get(0).fitResolution(), 1e-6);
	}
}

package org.vitreous.reconstruct;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.vitreous.testing.VolumeAssert.assertCubeEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.Test;
import org.vitreous.Progress;
import org.vitreous.compute.ComputeDevice;
import org.vitreous.fourier.Fft;
import org.vitreous.fourier.FourierFilters;
import org.vitreous.geometry.Rotations;
import org.vitreous.geometry.Symmetry;
import org.vitreous.io.CubicMap;
import org.vitreous.io.FormatException;
import org.vitreous.io.MrcFile;
import org.vitreous.io.RelionStar;
import org.vitreous.metrics.Fsc;
import org.vitreous.metrics.ImageMetrics;
import org.vitreous.simulate.ParticleSimulation;
import org.vitreous.simulate.Phantoms;
import org.vitreous.testing.Peers;
import org.vitreous.testing.TestData;

/**
 * Direct Fourier inversion against truth and against relion_reconstruct on the same STAR file.
 */
public class ReconstructionTest {

	/** The ribosome map of ../shared/data/relion (read lazily: the tests that need it skip where it is absent). */
	static Path ribosome() {
		return TestData.shared("relion").resolve("ribosome_b64.mrc");
	}

	static Path simulate(final String name, final float[] map, final int n, final double pixelSize, final int count,
		final double snr, final boolean ctf, final long seed) throws Exception
	{
		final Path folder = TestData.scratch("reconstruct").resolve(name);
		final ParticleSimulation.Settings s = new ParticleSimulation.Settings();
		s.count = count;
		s.snr = snr;
		s.ctf = ctf;
		s.seed = seed;
		s.shiftSigma = 6;
		ParticleSimulation.run(map, n, pixelSize, s, folder, ComputeDevice.JAVA, Progress.NONE);
		return folder.resolve("particles.star");
	}

	static ParticleReconstruction.Result reconstruct(final Path star, final boolean ctf, final int subset,
		final Symmetry symmetry) throws Exception
	{
		final ParticleReconstruction.Settings s = new ParticleReconstruction.Settings();
		s.ctf = ctf;
		s.subset = subset;
		s.symmetry = symmetry;
		return ParticleReconstruction.run(star, s, ComputeDevice.JAVA, Progress.NONE);
	}

	/** Noise-free projections at 3000 random poses give the map back: gridding and weights are right. */
	@Test
	public void noiseFreeProjectionsGiveTheMapBack() throws Exception {
		final CubicMap truth = CubicMap.read(ribosome(), "test");
		final Path star = simulate("clean", truth.values(), 64, 6, 3000, 0, false, 3);
		final ParticleReconstruction.Result r = reconstruct(star, false, 0, Symmetry.NONE);
		assertEquals(3000, r.particles());
		// the images carry no frequency beyond N/2 (relion_project's rule), so the truth they can give is the map
		// limited to the Nyquist sphere
		final float[] carried = nyquistSphere(truth.values(), 64);
		final double c = ImageMetrics.correlation(r.map(), carried);
		final Fsc.Curve fsc = Fsc.compute(r.map(), truth.values(), 64, 64, 64, null, 6);
		System.out.printf("noise-free reconstruction: correlation %.5f, FSC 0.5 at %.2f Å, FSC at shell 30 %.4f%n", c,
			fsc.resolutionAt(0.5), fsc.fsc()[30]);
		assertTrue("correlation " + c, c > 0.995);
		assertTrue("FSC at shell 30 " + fsc.fsc()[30], fsc.fsc()[30] > 0.95);
		// the scale is the map's own: the reconstruction is not normalised away
		double sr = 0, st = 0;
		for (int i = 0; i < r.map().length; i++) {
			sr += r.map()[i] * (double) carried[i];
			st += carried[i] * (double) carried[i];
		}
		assertEquals(1, sr / st, 0.02);
	}

	/**
	 * With CTF and SNR 0.002 (1200 particles, so the curves cross inside the box), our FSC 0.143 resolution against
	 * truth equals relion_reconstruct --ctf's on the same STAR file within one Fourier shell.
	 */
	@Test
	public void matchesRelionReconstruct() throws Exception {
		final String relion = Peers.program("relion_reconstruct", "relion");
		final CubicMap truth = CubicMap.read(ribosome(), "test");
		final Path star = simulate("noisy", truth.values(), 64, 6, 1200, 0.002, true, 5);
		final ParticleReconstruction.Result ours = reconstruct(star, true, 0, Symmetry.NONE);
		final Path theirsPath = star.resolveSibling("relion.mrc");
		final Peers.Result run = Peers.run(List.of(relion, "--i", star.toString(), "--o", theirsPath.toString(), "--ctf",
			"--angpix", "6"), star.getParent());
		assertEquals(run.output(), 0, run.exitCode());
		final float[] theirs;
		try (MrcFile f = MrcFile.open(theirsPath)) {
			theirs = f.readAll();
		}
		final Fsc.Curve a = Fsc.compute(ours.map(), truth.values(), 64, 64, 64, null, 6);
		final Fsc.Curve b = Fsc.compute(theirs, truth.values(), 64, 64, 64, null, 6);
		final Fsc.Curve ab = Fsc.compute(ours.map(), theirs, 64, 64, 64, null, 6);
		System.out.printf("vs truth: ours FSC 0.143 at shell %.2f (%.2f Å), 0.5 at %.2f; relion 0.143 at shell %.2f "
			+ "(%.2f Å), 0.5 at %.2f; ours vs relion 0.5 at %.2f Å%n", a.crossing(0.143), a.resolutionAt(0.143), a
				.crossing(0.5), b.crossing(0.143), b.resolutionAt(0.143), b.crossing(0.5), ab.resolutionAt(0.5));
		System.out.println("ours   " + curve(a));
		System.out.println("relion " + curve(b));
		assertTrue("RELION's curve must cross 0.143 inside the box for the comparison to mean something", b.crossing(
			0.143) < 30);
		assertEquals(b.crossing(0.143), a.crossing(0.143), 1.0);
		assertEquals(b.crossing(0.5), a.crossing(0.5), 1.0);
		for (int s = 1; s < 32; s++)
			assertEquals("shell " + s, b.fsc()[s], a.fsc()[s], 0.05);
	}

	/** Half sets select by rlnRandomSubset; the halves of noise-free data agree with each other and the truth. */
	@Test
	public void halfSetsSelectByRandomSubset() throws Exception {
		final CubicMap truth = CubicMap.read(ribosome(), "test");
		final Path star = simulate("halves", truth.values(), 64, 6, 1001, 0, true, 7);
		final RelionStar s = RelionStar.read(star);
		int ones = 0;
		for (int i = 0; i < s.size(); i++)
			if (s.particle(i).randomSubset() == 1) ones++;
		final ParticleReconstruction.Result h1 = reconstruct(star, true, 1, Symmetry.NONE);
		final ParticleReconstruction.Result h2 = reconstruct(star, true, 2, Symmetry.NONE);
		assertEquals(ones, h1.particles());
		assertEquals(s.size() - ones, h2.particles());
		final double c1 = ImageMetrics.correlation(h1.map(), nyquistSphere(truth.values(), 64));
		final double c12 = ImageMetrics.correlation(h1.map(), h2.map());
		assertTrue("half 1 vs truth " + c1, c1 > 0.98);
		assertTrue("half 1 vs half 2 " + c12, c12 > 0.98);
	}

	/**
	 * A C4-symmetric map from few noisy particles: imposing C4 gives a map that is C4-symmetric and closer to the
	 * truth than the C1 reconstruction of the same particles.
	 */
	@Test
	public void symmetryIsImposed() throws Exception {
		final int n = 48;
		final float[] blobs = Phantoms.gaussianBlobs(n, 6, 11).update(null).getCurrentStorageArray();
		final Symmetry c4 = Symmetry.parse("C4");
		final float[] truth = new float[n * n * n];
		for (final double[] op : c4.operators())
			rotateInto(blobs, truth, n, op);
		final Path star = simulate("c4", truth, n, 4, 600, 0.02, true, 13);
		final ParticleReconstruction.Result c1 = reconstruct(star, true, 0, Symmetry.NONE);
		final ParticleReconstruction.Result sym = reconstruct(star, true, 0, c4);
		final double cc1 = ImageMetrics.correlation(c1.map(), truth), ccSym = ImageMetrics.correlation(sym.map(), truth);
		final float[] turned = new float[n * n * n];
		rotateInto(sym.map(), turned, n, Rotations.about(new double[] { 0, 0, 1 }, Math.PI / 2));
		final double self = ImageMetrics.correlation(turned, sym.map());
		System.out.printf("C4: correlation with truth C1 %.4f, C4 %.4f; C4 map vs itself turned 90° %.5f%n", cc1,
			ccSym, self);
		assertTrue("C4 map turned 90° " + self, self > 0.99);
		assertTrue("C4 " + ccSym + " not above C1 " + cc1, ccSym > cc1 + 0.02);
	}

	/**
	 * Real particles (relion_project's 200 ribosome images with CTF at SNR 0.05, box 64): many elements of the padded
	 * grid get no sample or only the edge of one, which once made the density compensation divide by zero and write
	 * an all-NaN map. The map is finite and as good as relion_reconstruct --ctf's of the same STAR (stored beside it,
	 * so this needs no RELION): FSC 0.143 and 0.5 against the truth within one shell, and the two maps agree to FSC
	 * 0.5 at Nyquist.
	 */
	@Test
	public void realParticlesMatchRelionReconstruct() throws Exception {
		final Path folder = TestData.shared("relion");
		final float[] truth = CubicMap.read(folder.resolve("ribosome_b64.mrc"), "test").values();
		final float[] theirs = CubicMap.read(folder.resolve("recon_200.mrc"), "test").values();
		final ParticleReconstruction.Result ours = reconstruct(folder.resolve("particles.star"), true, 0, Symmetry.NONE);
		assertEquals(-1, org.vitreous.Finite.firstNonFinite(ours.map()));
		final Fsc.Curve a = Fsc.compute(ours.map(), truth, 64, 64, 64, null, 6);
		final Fsc.Curve b = Fsc.compute(theirs, truth, 64, 64, 64, null, 6);
		final Fsc.Curve ab = Fsc.compute(ours.map(), theirs, 64, 64, 64, null, 6);
		System.out.printf("real particles vs truth: ours 0.143 at shell %.2f, 0.5 at %.2f; relion 0.143 at %.2f, 0.5 "
			+ "at %.2f; ours vs relion at shell 31 %.3f%n", a.crossing(0.143), a.crossing(0.5), b.crossing(0.143), b
				.crossing(0.5), ab.fsc()[31]);
		assertEquals(b.crossing(0.143), a.crossing(0.143), 1.0);
		assertEquals(b.crossing(0.5), a.crossing(0.5), 1.0);
		assertTrue("ours against relion's at shell 31: " + ab.fsc()[31], ab.fsc()[31] > 0.5);
	}

	/**
	 * Few particles in a small box (20 at box 32) leave most of Fourier space empty; the map is finite and, from
	 * noise-free images, correlates with the truth limited to what the particles measured (its projection along
	 * the views' common axis, for 20 particles that share rot = tilt = 0, as RELION's Class2D writes them).
	 */
	@Test
	public void fewParticlesAndOneSharedViewGiveFiniteMaps() throws Exception {
		final int n = 32;
		final float[] truth = Phantoms.gaussianBlobs(n, 8, 21).update(null).getCurrentStorageArray();
		final Path star = simulate("few", truth, n, 5, 20, 0, true, 23);
		assertEquals(-1, org.vitreous.Finite.firstNonFinite(reconstruct(star, true, 0, Symmetry.NONE).map()));
		// every particle seen from the same direction, turned in plane only: the same poses with rot = tilt = 0,
		// projected afresh, measure one central section of Fourier space
		final Path folder = star.getParent(), mapPath = folder.resolve("truth.mrc");
		try (org.vitreous.io.MrcWriter w = org.vitreous.io.MrcWriter.open(mapPath, n, n, new org.vitreous.io.MrcWriter.Settings()
			.pixelSize(5).volume())) {
			for (int z = 0; z < n; z++)
				w.writeSection(java.util.Arrays.copyOfRange(truth, z * n * n, (z + 1) * n * n));
			w.commit();
		}
		final RelionStar s = RelionStar.read(star);
		final int rot = s.items().column(RelionStar.ANGLE_ROT), tilt = s.items().column(RelionStar.ANGLE_TILT);
		final int name = s.items().column(RelionStar.IMAGE_NAME);
		// the poses to project (naming the simulated stack, which the projection may not overwrite), and the same
		// poses naming the projections, to reconstruct from
		final StringBuilder poses = new StringBuilder(), views = new StringBuilder();
		for (final String line : Files.readAllLines(star)) {
			final String[] f = line.trim().split("\\s+");
			if (f.length == s.items().columns().size() && f[name].contains("@")) {
				f[rot] = "0";
				f[tilt] = "0";
				poses.append(String.join(" ", f)).append('\n');
				f[name] = f[name].substring(0, f[name].indexOf('@')) + "@one_view.mrcs";
				views.append(String.join(" ", f)).append('\n');
			} else {
				poses.append(line).append('\n');
				views.append(line).append('\n');
			}
		}
		final Path posesStar = folder.resolve("one_view_poses.star"), oneView = folder.resolve("one_view.star");
		Files.writeString(posesStar, poses);
		Files.writeString(oneView, views);
		org.vitreous.simulate.StarProjection.run(mapPath, posesStar, folder.resolve("one_view.mrcs"), true,
			ComputeDevice.JAVA, Progress.NONE);
		final ParticleReconstruction.Result r = reconstruct(oneView, true, 0, Symmetry.NONE);
		assertEquals(-1, org.vitreous.Finite.firstNonFinite(r.map()));
		final float[] projected = new float[n * n], truthProjected = new float[n * n];
		for (int z = 0; z < n; z++)
			for (int i = 0; i < n * n; i++) {
				projected[i] += r.map()[z * n * n + i];
				truthProjected[i] += truth[z * n * n + i];
			}
		final double c = ImageMetrics.correlation(projected, truthProjected);
		System.out.printf("one shared view: projection along z correlates %.4f with the truth's%n", c);
		assertTrue("projection along the common view " + c, c > 0.9);
	}

	/**
	 * The same input gives the same bytes (the Java path sums in a fixed order whatever the threads); a STAR
	 * without a pixel size reconstructs with one given; an rlnImageSize the stack does not have is refused before
	 * anything is allocated for it.
	 */
	@Test
	public void deterministicAndRefusesSizesTheStackDoesNotHave() throws Exception {
		final int n = 32;
		final float[] truth = Phantoms.gaussianBlobs(n, 8, 31).update(null).getCurrentStorageArray();
		final Path star = simulate("sizes", truth, n, 5, 60, 0.5, true, 33);
		final float[] a = reconstruct(star, true, 0, Symmetry.NONE).map(), b = reconstruct(star, true, 0, Symmetry.NONE)
			.map();
		assertCubeEquals("the same reconstruction twice", a, b, n, 0);
		final String text = Files.readString(star);
		final Path noPixel = star.resolveSibling("no_pixel_size.star"), huge = star.resolveSibling("huge.star");
		Files.writeString(noPixel, text.replace("_rlnImagePixelSize", "_rlnUnknownPixelSize"));
		final ParticleReconstruction.Settings given = new ParticleReconstruction.Settings();
		given.ctf = true;
		try {
			ParticleReconstruction.run(noPixel, given, ComputeDevice.JAVA, Progress.NONE);
			throw new AssertionError("a STAR with no pixel size reconstructed");
		} catch (final FormatException e) {
			assertTrue(e.getMessage(), e.getMessage().contains("no_pixel_size.star") && e.getMessage().contains(
				"pixel size"));
		}
		given.pixelSize = 5;
		assertCubeEquals("the pixel size given instead of stated", a, ParticleReconstruction.run(noPixel, given,
			ComputeDevice.JAVA, Progress.NONE).map(), n, 0);
		final RelionStar parsed = RelionStar.read(star);
		final int size = parsed.opticsGroup(1).imageSize();
		assertEquals(n, size);
		final String optics = "5.000000 " + n + " 2";
		assertTrue("the optics row as simulate writes it", text.contains(optics));
		Files.writeString(huge, text.replaceFirst(optics, "5.000000 46341 2"));
		try {
			reconstruct(huge, true, 0, Symmetry.NONE);
			throw new AssertionError("rlnImageSize 46341 accepted");
		} catch (final FormatException e) {
			assertTrue(e.getMessage(), e.getMessage().contains("huge.star") && e.getMessage().contains("46341"));
		}
	}

	/** A STAR file without poses is refused naming the file and the columns; nothing is reconstructed. */
	@Test
	public void refusesStarWithoutPoses() throws Exception {
		final Path dir = TestData.scratch("reconstruct-bad");
		final Path star = dir.resolve("noposes.star");
		Files.writeString(star, "data_optics\nloop_\n_rlnOpticsGroup\n_rlnImagePixelSize\n1 6\n\n"
			+ "data_particles\nloop_\n_rlnImageName\n_rlnOpticsGroup\n1@x.mrcs 1\n");
		try {
			reconstruct(star, false, 0, Symmetry.NONE);
			throw new AssertionError("accepted a STAR without angles");
		} catch (final FormatException e) {
			assertTrue(e.getMessage(), e.getMessage().contains("noposes.star") && e.getMessage().contains(
				"_rlnAngleRot"));
		}
	}

	/** The map with every frequency beyond N/2 Fourier pixels removed. */
	static float[] nyquistSphere(final float[] map, final int n) {
		final float[] f = Fft.forward(map, n, n, n);
		FourierFilters.apply(f, n, n, n, 1, s -> s * n <= n / 2 ? 1 : 0);
		return Fft.inverse(f, n, n, n);
	}

	/** Nearest-neighbour rotation of a map about its centre, added into {@code out}: out(R·r) += in(r). */
	static void rotateInto(final float[] in, final float[] out, final int n, final double[] r) {
		final int c = n / 2;
		for (int z = 0; z < n; z++)
			for (int y = 0; y < n; y++)
				for (int x = 0; x < n; x++) {
					final double[] v = Rotations.apply(Rotations.transpose(r), new double[] { x - c, y - c, z - c });
					final int sx = (int) Math.round(v[0]) + c, sy = (int) Math.round(v[1]) + c, sz = (int) Math.round(v[2])
						+ c;
					if (sx < 0 || sy < 0 || sz < 0 || sx >= n || sy >= n || sz >= n) continue;
					out[(z * n + y) * n + x] += in[(sz * n + sy) * n + sx];
				}
	}

	static String curve(final Fsc.Curve c) {
		final StringBuilder b = new StringBuilder();
		for (final double v : c.fsc())
			b.append(String.format(java.util.Locale.ROOT, " %.3f", v));
		return b.toString();
	}
}

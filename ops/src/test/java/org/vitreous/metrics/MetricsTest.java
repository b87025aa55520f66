package org.vitreous.metrics;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import net.imglib2.img.array.ArrayImgs;
import org.junit.Test;
import org.vitreous.io.MrcFile;
import org.vitreous.io.MrcWriter;
import org.vitreous.simulate.Phantoms;
import org.vitreous.testing.Peers;
import org.vitreous.testing.TestData;

/** FSC, PSNR and SSIM against analytic truth, RELION (relion_image_handler --fsc) and scikit-image. */
public class MetricsTest {

	private static float[] read(final Path p) throws Exception {
		try (MrcFile f = MrcFile.open(p)) {
			return f.readAll();
		}
	}

	private static float[] noisy(final float[] v, final double sigma, final long seed) {
		final Random r = new Random(seed);
		final float[] out = v.clone();
		for (int i = 0; i < out.length; i++)
			out[i] += (float) (sigma * r.nextGaussian());
		return out;
	}

	private static Path write(final Path dir, final String name, final float[] v, final int n) throws Exception {
		final Path p = dir.resolve(name);
		Files.deleteIfExists(p);
		MrcWriter.write(p, ArrayImgs.floats(v, n, n, n), new MrcWriter.Settings().pixelSize(2.5));
		return p;
	}

	@Test
	public void fscOfAMapWithItselfIsOneAndOfIndependentNoiseIsZero() {
		final int n = 32;
		final float[] a = noisy(new float[n * n * n], 1, 1), b = noisy(new float[n * n * n], 1, 2);
		final Fsc.Curve same = Fsc.compute(a, a, n, n, n, null, 2);
		for (final double v : same.fsc())
			assertEquals(1, v, 1e-9);
		assertTrue(Double.isNaN(same.crossing(0.143)));
		assertEquals(4, same.resolutionAt(0.143), 1e-12);
		final Fsc.Curve independent = Fsc.compute(a, b, n, n, n, null, 2);
		for (int s = 2; s < independent.shells(); s++)
			assertEquals("shell " + s, 0, independent.fsc()[s], 4 / Math.sqrt(independent.counts()[s]));
		// a crossing interpolates between the shells either side
		final Fsc.Curve c = new Fsc.Curve(new double[] { 1, 0.9, 0.6, 0.2, 0.1 }, new long[] { 1, 10, 50, 100, 200 },
			8, 3);
		assertEquals(2.25, c.crossing(0.5), 1e-12);
		assertEquals(8 * 3 / 2.25, c.resolutionAt(0.5), 1e-12);
	}

	private static List<double[]> relionFsc(final String output) {
		final List<double[]> rows = new ArrayList<>();
		boolean loop = false;
		for (final String line : output.split("\n")) {
			final String t = line.trim();
			if (t.startsWith("_rlnFourierShellCorrelation")) loop = true;
			else if (loop && !t.isEmpty() && Character.isDigit(t.charAt(0))) {
				final String[] f = t.split("\\s+");
				rows.add(new double[] { Double.parseDouble(f[0]), Double.parseDouble(f[3]) });
			}
		}
		return rows;
	}

	private static void assertMatchesRelion(final String handler, final Path a, final Path b, final double pixel)
		throws Exception
	{
		// relion_image_handler also writes an image (".spi") into its working folder: keep it in scratch
		final Peers.Result r = Peers.run(List.of(handler, "--i", a.toAbsolutePath().toString(), "--fsc", b
			.toAbsolutePath().toString(), "--angpix", Double.toString(pixel)), TestData.scratch("relion-fsc"));
		assertEquals(r.output(), 0, r.exitCode());
		final List<double[]> theirs = relionFsc(r.output());
		final float[] va = read(a), vb = read(b);
		final int n = (int) Math.round(Math.cbrt(va.length));
		final Fsc.Curve ours = Fsc.compute(va, vb, n, n, n, null, pixel);
		assertEquals(ours.shells(), theirs.size());
		for (final double[] row : theirs)
			assertEquals(a.getFileName() + " shell " + (int) row[0], row[1], ours.fsc()[(int) row[0]], 0.01);
	}

	@Test
	public void fscMatchesRelionImageHandler() throws Exception {
		final String handler = Peers.program("relion_image_handler", "relion");
		final Path relion = TestData.shared("relion");
		assertMatchesRelion(handler, relion.resolve("recon_200.mrc"), relion.resolve("ribosome_b64.mrc"), 6);
		final int n = 48;
		final Path dir = TestData.scratch("fsc");
		final float[] truth = Phantoms.gaussianBlobs(n, 30, 8).update(null).getCurrentStorageArray();
		assertMatchesRelion(handler, write(dir, "a.mrc", noisy(truth, 0.05, 1), n), write(dir, "b.mrc", noisy(truth, 0.05,
			2), n), 2.5);
		// and the curve RELION wrote into the shared data
		final List<double[]> stored = relionFsc(Files.readString(relion.resolve("fsc_relion.txt")));
		final Fsc.Curve ours = Fsc.compute(read(relion.resolve("recon_200.mrc")), read(relion.resolve(
			"ribosome_b64.mrc")), 64, 64, 64, null, 6);
		for (final double[] row : stored)
			assertEquals(row[1], ours.fsc()[(int) row[0]], 0.01);
	}

	@Test
	public void psnrAndSsimMatchScikitImage() throws Exception {
		final String python = Peers.python("skimage", "python3-skimage");
		Peers.python("mrcfile", "python3-mrcfile");
		final int n = 40;
		final Path dir = TestData.scratch("ssim");
		final float[] truth = Phantoms.gaussianBlobs(n, 25, 5).update(null).getCurrentStorageArray();
		for (final double sigma : new double[] { 0.02, 0.2 }) {
			final float[] test = noisy(truth, sigma, 3);
			final Path a = write(dir, "truth.mrc", truth, n), b = write(dir, "test.mrc", test, n);
			final String out = Peers.runPython(python, String.join("\n", "import sys, mrcfile, numpy as np",
				"from skimage.metrics import structural_similarity, peak_signal_noise_ratio",
				"a = mrcfile.read(sys.argv[1]); b = mrcfile.read(sys.argv[2])", "r = float(a.max() - a.min())",
				"print(peak_signal_noise_ratio(a, b, data_range=r))",
				"print(structural_similarity(a, b, data_range=r, gaussian_weights=True, sigma=1.5, use_sample_covariance=False))"),
				a.toString(), b.toString());
			final String[] v = out.trim().split("\\s+");
			final double psnr = ImageMetrics.psnr(truth, test), ssim = ImageMetrics.ssim(truth, test, n, n, n);
			assertEquals("PSNR at noise " + sigma, Double.parseDouble(v[0]), psnr, 1e-3);
			assertEquals("SSIM at noise " + sigma, Double.parseDouble(v[1]), ssim, 1e-3);
		}
		assertEquals(1, ImageMetrics.ssim(truth, truth, n, n, n), 1e-9);
		assertEquals(1, ImageMetrics.correlation(truth, truth), 1e-9);
	}

	/**
	 * VIFp against an independent NumPy/SciPy formulation of Sheikh and Bovik's four-scale pixel-domain VIF (their
	 * vifp_mscale), on an image and on a volume, with the images mapped to 0..255 by the reference's range.
	 */
	@Test
	public void vifMatchesAScipyFormulation() throws Exception {
		final String python = Peers.python("scipy.signal", "python3-scipy");
		Peers.python("mrcfile", "python3-mrcfile");
		final int n = 48;
		final Path dir = TestData.scratch("vif");
		final float[] truth = Phantoms.gaussianBlobs(n, 25, 5).update(null).getCurrentStorageArray();
		double previous = 1.0001;
		for (final double sigma : new double[] { 0.02, 0.1, 0.4 }) {
			final float[] test = noisy(truth, sigma, 3);
			final Path a = write(dir, "truth.mrc", truth, n), b = write(dir, "test.mrc", test, n);
			final String out = Peers.runPython(python, String.join("\n", "import sys, mrcfile, numpy as np",
				"from scipy.signal import fftconvolve", "a = mrcfile.read(sys.argv[1]).astype(np.float64)",
				"b = mrcfile.read(sys.argv[2]).astype(np.float64)", "lo = a.min(); k = 255 / (a.max() - lo)",
				"def vifp(ref, dist):", "    num = den = 0.0", "    for scale in range(1, 5):",
				"        N = 2 ** (4 - scale + 1) + 1; sd = N / 5.0", "        g = np.arange(N) - N // 2",
				"        w1 = np.exp(-g * g / (2 * sd * sd)); w1 /= w1.sum()",
				"        win = w1.reshape([N] + [1] * (ref.ndim - 1))",
				"        for ax in range(1, ref.ndim): win = win * w1.reshape([1] * ax + [N] + [1] * (ref.ndim - ax - 1))",
				"        f = lambda x: fftconvolve(x, win, mode='valid')", "        if scale > 1:",
				"            sl = tuple(slice(None, None, 2) for _ in range(ref.ndim))",
				"            ref = f(ref)[sl]; dist = f(dist)[sl]", "        mu1 = f(ref); mu2 = f(dist)",
				"        s1 = np.maximum(f(ref * ref) - mu1 * mu1, 0); s2 = np.maximum(f(dist * dist) - mu2 * mu2, 0)",
				"        s12 = f(ref * dist) - mu1 * mu2", "        e = 1e-10; gg = s12 / (s1 + e); sv = s2 - gg * s12",
				"        gg[s1 < e] = 0; sv[s1 < e] = s2[s1 < e]; s1[s1 < e] = 0",
				"        gg[s2 < e] = 0; sv[s2 < e] = 0", "        sv[gg < 0] = s2[gg < 0]; gg[gg < 0] = 0; sv[sv <= e] = e",
				"        num += np.sum(np.log10(1 + gg * gg * s1 / (sv + 2)))", "        den += np.sum(np.log10(1 + s1 / 2))",
				"    return num / den", "A = (a - lo) * k; B = (b - lo) * k", "print(vifp(A, B))",
				"a2 = a[20]; lo2 = a2.min(); k2 = 255 / (a2.max() - lo2)", "print(vifp((a2 - lo2) * k2, (b[20] - lo2) * k2))"), a
					.toString(), b.toString());
			final String[] v = out.trim().split("\\s+");
			final double vif = ImageMetrics.vif(truth, test, n, n, n);
			final float[] ta = java.util.Arrays.copyOfRange(truth, 20 * n * n, 21 * n * n), tb = java.util.Arrays
				.copyOfRange(test, 20 * n * n, 21 * n * n);
			assertEquals("3D VIF at noise " + sigma, Double.parseDouble(v[0]), vif, 1e-4);
			assertEquals("2D VIF at noise " + sigma, Double.parseDouble(v[1]), ImageMetrics.vif(ta, tb, n, n, 1), 1e-4);
			assertTrue("VIF falls with noise", vif < previous);
			previous = vif;
		}
		assertEquals(1, ImageMetrics.vif(truth, truth, n, n, n), 1e-9);
	}

	/**
	 * The measured region of ±60° in 2° steps: at shell 10 the tilt planes (0.35 voxel apart there) overlap, so the
	 * region is the double wedge of |angle from the x-y plane| ≤ 60° plus the half-voxel margins: 2/3 of the shell
	 * and a little more. A volume against itself correlates 1 in both regions; against a copy whose missing-region
	 * Fourier components were replaced by those of unrelated noise, 1 in the measured region and about 0 in the
	 * missing one.
	 */
	@Test
	public void directionalFscSplitsMeasuredFromMissing() {
		final int n = 48;
		final double[] tilts = org.vitreous.simulate.TiltSeriesSimulation.tilts(-60, 60, 2);
		final Fsc.Region measured = WedgeFsc.measured(tilts, n, n, n);
		long inside = 0, all = 0;
		final int hx = n / 2 + 1;
		for (int z = 0; z < n; z++)
			for (int y = 0; y < n; y++)
				for (int x = 0; x < hx; x++)
					if (org.vitreous.fourier.FourierFilters.shell(x, y, z, n, n, n) == 10) {
						all++;
						if (measured.contains(x, y, z)) inside++;
					}
		final double fraction = (double) inside / all;
		assertTrue("measured fraction at shell 10: " + fraction, fraction > 2 / 3.0 && fraction < 0.78);
		final float[] truth = Phantoms.gaussianBlobs(n, 25, 5).update(null).getCurrentStorageArray();
		final float[] f = org.vitreous.fourier.Fft.forward(truth, n, n, n);
		final float[] g = org.vitreous.fourier.Fft.forward(noisy(new float[truth.length], 1, 7), n, n, n);
		for (int z = 0; z < n; z++)
			for (int y = 0; y < n; y++)
				for (int x = 0; x < hx; x++)
					if (!measured.contains(x, y, z)) {
						final int p = 2 * ((z * n + y) * hx + x);
						f[p] = g[p];
						f[p + 1] = g[p + 1];
					}
		final float[] wedged = org.vitreous.fourier.Fft.inverse(f, n, n, n);
		final WedgeFsc.Result self = WedgeFsc.compute(truth, truth, n, n, n, tilts, 1);
		assertEquals(1, self.measuredMean(), 1e-6);
		assertEquals(1, self.missingMean(), 1e-6);
		final WedgeFsc.Result cut = WedgeFsc.compute(truth, wedged, n, n, n, tilts, 1);
		assertEquals(1, cut.measuredMean(), 1e-3);
		assertEquals(0, cut.missingMean(), 0.05);
	}
}

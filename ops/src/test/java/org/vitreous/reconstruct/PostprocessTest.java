package org.vitreous.reconstruct;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;
import org.vitreous.image.Masks;
import org.vitreous.io.CubicMap;
import org.vitreous.metrics.Fsc;
import org.vitreous.metrics.ImageMetrics;
import org.vitreous.simulate.AtomicModel;
import org.vitreous.simulate.ModelMap;
import org.vitreous.testing.Peers;
import org.vitreous.testing.TestData;

/**
 * Post-processing on half maps of an atomic model (1UBQ at 1 Å/px) with known B-factors and known noise, and
 * against relion_postprocess on the same half maps and mask.
 */
public class PostprocessTest {

	static final int N = 64;
	static final double PX = 1.0;

	static float[] model(final double b) throws Exception {
		return ModelMap.compute(AtomicModel.read(TestData.shared("models").resolve("1ubq.pdb")), PX, N, b, false, true)
			.map();
	}

	static float[] plusNoise(final float[] map, final double sigma, final long seed) {
		final Random r = new Random(seed);
		final float[] out = map.clone();
		for (int i = 0; i < out.length; i++)
			out[i] += (float) (sigma * r.nextGaussian());
		return out;
	}

	/**
	 * Half maps whose resolution is worse than the fit's start (10 Å, as RELION's): no B-factor is fitted (a line
	 * through a few shells is no Guinier fit) and the map is not sharpened, where one given is still applied.
	 */
	@Test
	public void noBFactorIsFittedBelowTenAngstroms() throws Exception {
		final float[] blurred = model(4000);
		double sq = 0;
		for (final float v : blurred)
			sq += v * (double) v;
		final double sd = Math.sqrt(sq / blurred.length);
		final float[] h1 = plusNoise(blurred, sd, 1), h2 = plusNoise(blurred, sd, 2);
		final Postprocess.Settings s = new Postprocess.Settings();
		final Postprocess.Result r = Postprocess.run(h1, h2, N, PX, null, s);
		System.out.printf("low resolution: %.1f Å, B-factor %s%n", r.resolution(), r.bFactor());
		assertTrue("resolution " + r.resolution(), r.resolution() > 10);
		assertTrue("fitted " + r.bFactor(), Double.isNaN(r.bFactor()));
		s.bFactor = -50;
		final Postprocess.Result given = Postprocess.run(h1, h2, N, PX, null, s);
		assertTrue("a given B-factor sharpens", ImageMetrics.correlation(given.sharpened(), r.sharpened()) < 1);
	}

	/** Blurring the map by B = 100 Å² raises the fitted B-factor by 100 (±10). */
	@Test
	public void guinierFitMeasuresTheBlur() throws Exception {
		final float[] sharp = model(20), blurred = model(120);
		final Postprocess.Settings s = new Postprocess.Settings();
		s.fitFrom = 8;
		final Postprocess.Result a = Postprocess.run(sharp, sharp, N, PX, null, s);
		final Postprocess.Result b = Postprocess.run(blurred, blurred, N, PX, null, s);
		System.out.printf("Guinier: B %.1f (model B 20), %.1f (model B 120)%n", a.bFactor(), b.bFactor());
		assertEquals(100, b.bFactor() - a.bFactor(), 10);
	}

	/**
	 * With a tight mask the masked FSC of noisy halves is inflated by the mask; the corrected curve agrees with
	 * the FSC expected from the known signal and noise inside the mask, S/(S + N) per shell, within 0.06, and
	 * crosses 0.143 within one shell of it.
	 */
	@Test
	public void phaseRandomisationRemovesTheMaskEffect() throws Exception {
		final float[] truth = model(40);
		final double sigma = 2 * standardDeviation(truth);
		final float[] noise1 = plusNoise(new float[truth.length], sigma, 1), noise2 = plusNoise(new float[truth.length],
			sigma, 2);
		final float[] h1 = add(truth, noise1), h2 = add(truth, noise2);
		final Postprocess.Settings s = new Postprocess.Settings();
		s.dilation = 0;
		s.edge = 3;
		final Postprocess.Result r = Postprocess.run(h1, h2, N, PX, null, s);
		// expected: power of the masked signal over masked signal plus masked noise
		final float[] m = r.mask();
		final Fsc.Curve signal = Fsc.compute(truth, truth, N, N, N, m, PX);
		final double[] ps = org.vitreous.fourier.FourierFilters.powerSpectrum(org.vitreous.fourier.Fft.forward(Masks
			.apply(truth.clone(), m), N, N, N), N, N, N);
		final double[] pn = org.vitreous.fourier.FourierFilters.powerSpectrum(org.vitreous.fourier.Fft.forward(Masks
			.apply(noise1.clone(), m), N, N, N), N, N, N);
		final double[] expected = new double[ps.length];
		for (int i = 0; i < ps.length; i++)
			expected[i] = ps[i] / (ps[i] + pn[i]);
		final double e = Fsc.crossing(expected, 0.143), c = Fsc.crossing(r.corrected(), 0.143), raw = r.masked()
			.crossing(0.143);
		System.out.printf("crossings: expected %.2f, corrected %.2f, masked %.2f, unmasked %.2f; randomised from %d%n", e,
			c, raw, r.unmasked().crossing(0.143), r.randomisedFrom());
		assertEquals(e, c, 1.0);
		for (int i = r.randomisedFrom() + 3; i < signal.shells() - 1; i++)
			assertEquals("shell " + i, expected[i], r.corrected()[i], 0.06);
	}

	/**
	 * On the same half maps and mask, relion_postprocess finds the same resolution (±1 shell); our B-factor from
	 * the noisy halves is within 15% of the one the noise-free map gives.
	 */
	@Test
	public void matchesRelionPostprocess() throws Exception {
		final String relion = Peers.program("relion_postprocess", "relion");
		final float[] truth = model(60);
		final double sigma = 2 * standardDeviation(truth);
		final float[] h1 = plusNoise(truth, sigma, 3), h2 = plusNoise(truth, sigma, 4);
		final Postprocess.Settings s = new Postprocess.Settings();
		final Postprocess.Result r = Postprocess.run(h1, h2, N, PX, null, s);
		final Path dir = TestData.scratch("postprocess");
		java.nio.file.Files.createDirectories(dir.resolve("relion"));
		new CubicMap(h1, N, PX).write(dir.resolve("half1.mrc"), "test half1");
		new CubicMap(h2, N, PX).write(dir.resolve("half2.mrc"), "test half2");
		new CubicMap(r.mask(), N, PX).write(dir.resolve("mask.mrc"), "test mask");
		final Peers.Result run = Peers.run(List.of(relion, "--i", "half1.mrc", "--i2", "half2.mrc", "--mask", "mask.mrc",
			"--angpix", String.valueOf(PX), "--auto_bfac", "--autob_lowres", "10", "--o", "relion/postprocess"), dir);
		assertEquals(run.output(), 0, run.exitCode());
		final double theirResolution = number(run.output(), "FINAL RESOLUTION:\\s*([0-9.]+)");
		final double theirB = number(run.output(), "apply b-factor of:\\s*(-?[0-9.]+)");
		System.out.printf("postprocess: ours %.2f Å, B %.1f; relion %.2f Å, B %.1f%n", r.resolution(), r.bFactor(),
			theirResolution, -theirB);
		assertEquals(N * PX / theirResolution, N * PX / r.resolution(), 1.0);
		// the B-factor against the fit to the noise-free map over the same range: RELION's fit is pulled down by
		// the noise, ours stays within 15%
		s.fitTo = r.resolution();
		final double clean = Postprocess.run(truth, truth, N, PX, null, s).bFactor();
		System.out.printf("B-factor of the noise-free map: %.1f%n", clean);
		assertEquals(clean, r.bFactor(), 0.15 * clean);
	}

	static double number(final String text, final String regex) {
		final Matcher m = Pattern.compile(regex).matcher(text);
		assertTrue("no match for " + regex + " in:\n" + text, m.find());
		return Double.parseDouble(m.group(1));
	}

	static float[] add(final float[] a, final float[] b) {
		final float[] c = new float[a.length];
		for (int i = 0; i < c.length; i++)
			c[i] = a[i] + b[i];
		return c;
	}

	static double standardDeviation(final float[] v) {
		double s = 0, q = 0;
		for (final float x : v) {
			s += x;
			q += x * (double) x;
		}
		final double mean = s / v.length;
		return Math.sqrt(q / v.length - mean * mean);
	}
}

package org.vitreous.simulate;

import java.util.Random;

/**
 * Poisson deviates, as a counting detector records electrons: by inversion of the cumulative distribution for
 * means up to 30, by Hörmann's transformed rejection (PTRS, 1993) above; both exact.
 */
final class Poisson {

	private Poisson() {}

	static float sample(final Random random, final double mean) {
		if (!(mean > 0)) return 0;
		return mean <= 30 ? inversion(random, mean) : rejection(random, mean);
	}

	private static float inversion(final Random random, final double mean) {
		final double u = random.nextDouble();
		double p = Math.exp(-mean), cumulative = p;
		int k = 0;
		while (u > cumulative && k < 1000) {
			k++;
			p *= mean / k;
			cumulative += p;
		}
		return k;
	}

	private static float rejection(final Random random, final double mean) {
		final double slam = Math.sqrt(mean), loglam = Math.log(mean);
		final double b = 0.931 + 2.53 * slam, a = -0.059 + 0.02483 * b, invalpha = 1.1239 + 1.1328 / (b - 3.4);
		final double vr = 0.9277 - 3.6224 / (b - 2);
		while (true) {
			final double u = random.nextDouble() - 0.5, v = random.nextDouble(), us = 0.5 - Math.abs(u);
			final double k = Math.floor((2 * a / us + b) * u + mean + 0.43);
			if (us >= 0.07 && v <= vr) return (float) k;
			if (k < 0 || us < 0.013 && v > us) continue;
			if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -mean + k * loglam - logFactorial(k))
				return (float) k;
		}
	}

	/** ln(k!) by Stirling's series (exact to double precision for k ≥ 10), by summing below. */
	private static double logFactorial(final double k) {
		if (k < 10) {
			double s = 0;
			for (int i = 2; i <= k; i++)
				s += Math.log(i);
			return s;
		}
		return (k + 0.5) * Math.log(k) - k + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * k) - 1 / (360 * k * k * k);
	}
}

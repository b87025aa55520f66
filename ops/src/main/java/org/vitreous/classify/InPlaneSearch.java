package org.vitreous.classify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.vitreous.compute.Parallel;
import org.vitreous.fourier.FourierPoints;
import org.vitreous.geometry.Euler;

/**
 * The E-step of 2D classification for one particle, coarse to fine: every class at every coarse in-plane angle and
 * shift on the low-frequency points, then the children (± a quarter of the coarse angle step, ± half the shift
 * step) of the hypotheses that carry 99.9% of the coarse posterior, on all points to the limit. The posterior
 * over the fine hypotheses gives the particle's contributions to the classes; the best gives its class and pose.
 * A function of the particle and the iteration's references alone, so an iteration maps it over the particles.
 */
final class InPlaneSearch {

	/** A fine hypothesis: class, fine angle index ({@link #fineAngle}), shift in pixels, log-likelihood. */
	record Hypothesis(int k, int angle, double shiftX, double shiftY, double logLikelihood) {}

	/**
	 * What the search finds: the contributions (posterior ≥ 10⁻³, renormalised), the best hypothesis's class, ψ and
	 * shift, its posterior probability, the particle's log-likelihood (the log of the sum over hypotheses), its
	 * normalised cross-correlation with the best reference, and its residual power per shell there.
	 */
	record Alignment(List<ClassAverages.Contribution> contributions, int k, double psi, double shiftX, double shiftY,
		double maxProbability, double logLikelihood, double score, double[] residual, double[] residualCount)
	{}

	private final int classes, coarseCount, shells, maxSignificant;
	private final double coarseStep, shiftStep, offsetRange, maxOffset;
	private final Points coarse, fine;
	private final float[][][] coarseRefs, fineRefs;
	private final float[] coarseWeight, fineWeight;
	private final double[] logPrior;

	/**
	 * @param planes the classes, prepared for in-plane sampling
	 * @param fraction the classes' shares of the particles (the prior)
	 * @param noise σ² per shell
	 * @param limit the resolution limit (Fourier pixels); the coarse pass uses up to half of it, at least 6
	 * @param coarseCount coarse in-plane angles over 360°
	 */
	InPlaneSearch(final int n, final FourierPlane[] planes, final double[] fraction, final double[] noise,
		final double limit, final int coarseCount, final double shiftStep, final double offsetRange,
		final int maxSignificant)
	{
		this.classes = planes.length;
		this.coarseCount = coarseCount;
		this.coarseStep = 360.0 / coarseCount;
		this.shells = n / 2 + 1;
		this.shiftStep = shiftStep;
		this.offsetRange = offsetRange;
		this.maxOffset = Math.max(offsetRange, n / 4.0);
		this.maxSignificant = maxSignificant;
		final double coarseLimit = Math.min(limit, Math.max(6, limit / 2));
		coarse = new Points(n, coarseLimit);
		fine = new Points(n, limit);
		// references: every class at every coarse angle on the coarse points, and at both children of every
		// coarse angle (± a quarter of the coarse step) on the fine points
		coarseRefs = new float[classes][coarseCount][];
		fineRefs = new float[classes][2 * coarseCount][];
		Parallel.forRange(classes, (ks, ke) -> {
			for (int k = ks; k < ke; k++)
				for (int c = 0; c < coarseCount; c++) {
					coarseRefs[k][c] = coarse.sample(planes[k], c * coarseStep);
					for (int h = 0; h < 2; h++)
						fineRefs[k][2 * c + h] = fine.sample(planes[k], c * coarseStep + (h == 0 ? -0.25 : 0.25) * coarseStep);
				}
		});
		coarseWeight = coarse.weights(noise);
		fineWeight = fine.weights(noise);
		logPrior = new double[classes];
		for (int k = 0; k < classes; k++)
			logPrior[k] = Math.log(Math.max(fraction[k], 1e-12));
	}

	/** Aligns a particle (centred masked transform, CTF image) from its last offset (pixels). */
	Alignment align(final float[] x, final float[] ctf, final double lastX, final double lastY) {
		// coarse pass
		final double[][] shifts = shiftGrid(lastX, lastY, offsetRange, 2 * shiftStep, maxOffset);
		final float[] a = coarse.products(x, ctf, coarseWeight), bw = coarse.ctfWeights(ctf, coarseWeight);
		final float[][] shifted = new float[shifts.length][];
		for (int t = 0; t < shifts.length; t++)
			shifted[t] = coarse.shift(a, shifts[t][0], shifts[t][1]);
		final int hypotheses = classes * coarseCount * shifts.length;
		final double[] ll = new double[hypotheses];
		double best = Double.NEGATIVE_INFINITY;
		for (int k = 0; k < classes; k++)
			for (int c = 0; c < coarseCount; c++) {
				final float[] ref = coarseRefs[k][c];
				final double half = 0.5 * weightedPower(bw, ref);
				for (int t = 0; t < shifts.length; t++) {
					final double v = logPrior[k] + dot(shifted[t], ref) - half;
					ll[(k * coarseCount + c) * shifts.length + t] = v;
					if (v > best) best = v;
				}
			}
		final int[] significant = significant(ll, best, maxSignificant);
		// fine pass over the children of the significant coarse hypotheses
		final float[] af = fine.products(x, ctf, fineWeight), bf = fine.ctfWeights(ctf, fineWeight);
		final List<Hypothesis> children = new ArrayList<>();
		final Map<Long, float[]> shiftedFine = new HashMap<>();
		double bestFine = Double.NEGATIVE_INFINITY;
		for (final int h : significant) {
			final int t = h % shifts.length, c = h / shifts.length % coarseCount, k = h / shifts.length / coarseCount;
			for (int half = 0; half < 2; half++) {
				final float[] ref = fineRefs[k][2 * c + half];
				final double power = 0.5 * weightedPower(bf, ref);
				for (int q = 0; q < 4; q++) {
					final double sx = shifts[t][0] + (q % 2 == 0 ? -0.5 : 0.5) * shiftStep, sy = shifts[t][1] + (q / 2 == 0
						? -0.5 : 0.5) * shiftStep;
					final float[] xs = shiftedFine.computeIfAbsent(Math.round(sx * 1024) * 1_000_003L + Math.round(sy * 1024),
						key -> fine.shift(af, sx, sy));
					final double v = logPrior[k] + dot(xs, ref) - power;
					children.add(new Hypothesis(k, 2 * c + half, sx, sy, v));
					bestFine = Math.max(bestFine, v);
				}
			}
		}
		double total = 0;
		for (final Hypothesis child : children)
			total += Math.exp(child.logLikelihood() - bestFine);
		final List<ClassAverages.Contribution> mine = new ArrayList<>();
		Hypothesis top = null;
		double kept = 0;
		for (final Hypothesis child : children) {
			final double g = Math.exp(child.logLikelihood() - bestFine) / total;
			if (top == null || child.logLikelihood() > top.logLikelihood()) top = child;
			if (g < 1e-3) continue;
			kept += g;
			mine.add(new ClassAverages.Contribution(child.k(), fineAngle(child.angle(), coarseStep), child.shiftX(), child
				.shiftY(), g));
		}
		final double keptTotal = kept;
		mine.replaceAll(c -> new ClassAverages.Contribution(c.k(), c.psi(), c.shiftX(), c.shiftY(), c.weight()
			/ keptTotal));
		final float[] ref = fineRefs[top.k()][top.angle()];
		final float[] xs = fine.shift(af, top.shiftX(), top.shiftY());
		final double score = dot(xs, ref) / Math.sqrt(Math.max(1e-30, fine.particlePower(x, fineWeight) * weightedPower(bf,
			ref)));
		final double[] residual = new double[shells], residualCount = new double[shells];
		fine.residual(x, ctf, ref, top.shiftX(), top.shiftY(), residual, residualCount);
		return new Alignment(mine, top.k(), fineAngle(top.angle(), coarseStep), top.shiftX(), top.shiftY(), Math.exp(top
			.logLikelihood() - bestFine) / total, bestFine + Math.log(total), score, residual, residualCount);
	}

	/** ψ of fine angle index {@code f} (two children per coarse angle, a quarter step either side). */
	static double fineAngle(final int f, final double coarseStep) {
		final double a = (f / 2) * coarseStep + (f % 2 == 0 ? -0.25 : 0.25) * coarseStep;
		return a < 0 ? a + 360 : a;
	}

	/** The Fourier points within a limit, for scoring (the x = 0 column counted half, the origin left out). */
	static final class Points {
		final FourierPoints at;

		Points(final int n, final double limit) {
			at = new FourierPoints(n, limit);
		}

		/**
		 * w per point: 2/σ² of its shell (σ² = E|N|² of a complex element, whose real and imaginary parts each have
		 * variance σ²/2, so −log p = |X − CP|²/σ² = Σ w·(½|CP|² − Re X conj CP) + const), halved on the x = 0
		 * column (which holds each frequency and its mirror).
		 */
		float[] weights(final double[] sigma2) {
			return at.inverseNoise(sigma2, 2);
		}

		/** A class plane read at Aᵀ·j for every point j, A the in-plane rotation by ψ. */
		float[] sample(final FourierPlane plane, final double psiDegrees) {
			final double[] a = Euler.matrix(0, 0, psiDegrees);
			final float[] out = new float[2 * at.size()];
			for (int i = 0; i < at.size(); i++)
				plane.read(a[0] * at.kx(i) + a[3] * at.ky(i), a[1] * at.kx(i) + a[4] * at.ky(i), out, 2 * i);
			return out;
		}

		/** X·C·w per point (complex). */
		float[] products(final float[] x, final float[] ctf, final float[] w) {
			final float[] out = new float[2 * at.size()];
			for (int i = 0; i < at.size(); i++) {
				final int e = at.element(i);
				final float f = ctf[e] * w[i];
				out[2 * i] = x[2 * e] * f;
				out[2 * i + 1] = x[2 * e + 1] * f;
			}
			return out;
		}

		/** C²·w per point. */
		float[] ctfWeights(final float[] ctf, final float[] w) {
			final float[] out = new float[at.size()];
			for (int i = 0; i < at.size(); i++)
				out[i] = ctf[at.element(i)] * ctf[at.element(i)] * w[i];
			return out;
		}

		/** The products moved by (sx, sy) pixels: times exp(−2πi j·s/N). */
		float[] shift(final float[] a, final double sx, final double sy) {
			return at.shift(a, sx, sy);
		}

		/** Σ w·|X|² over the points (a shift does not change it). */
		double particlePower(final float[] x, final float[] w) {
			double sum = 0;
			for (int i = 0; i < at.size(); i++) {
				final int e = at.element(i);
				sum += w[i] * (x[2 * e] * x[2 * e] + x[2 * e + 1] * x[2 * e + 1]);
			}
			return sum;
		}

		/** Adds |X·e_s − C·P|² per shell to {@code sums} and the point counts to {@code counts}. */
		void residual(final float[] x, final float[] ctf, final float[] ref, final double sx, final double sy,
			final double[] sums, final double[] counts)
		{
			final float[] moved = at.shift(at.gather(x), sx, sy);
			for (int i = 0; i < at.size(); i++) {
				final int e = at.element(i);
				final double dr = moved[2 * i] - ctf[e] * ref[2 * i], di = moved[2 * i + 1] - ctf[e] * ref[2 * i + 1];
				sums[at.shell(i)] += dr * dr + di * di;
				counts[at.shell(i)]++;
			}
		}
	}

	/** Shifts on a square grid of {@code step} within {@code range} of (cx, cy) and {@code max} of the origin. */
	static double[][] shiftGrid(final double cx, final double cy, final double range, final double step,
		final double max)
	{
		final List<double[]> out = new ArrayList<>();
		final int reach = (int) Math.floor(range / step + 1e-9);
		for (int j = -reach; j <= reach; j++)
			for (int i = -reach; i <= reach; i++) {
				final double x = cx + i * step, y = cy + j * step;
				if (Math.hypot(i * step, j * step) <= range + 1e-9 && Math.hypot(x, y) <= max) out.add(new double[] { x, y });
			}
		if (out.isEmpty()) out.add(new double[] { 0, 0 });
		return out.toArray(new double[0][]);
	}

	/**
	 * The hypotheses that carry 99.9% of the posterior (softmax of {@code ll}, whose maximum is {@code best}), at
	 * most {@code max} of them, most probable first.
	 */
	static int[] significant(final double[] ll, final double best, final int max) {
		// the max most probable, kept sorted (most probable first) while scanning once
		final int[] top = new int[max];
		final double[] topP = new double[max];
		int size = 0;
		double total = 0;
		for (int i = 0; i < ll.length; i++) {
			final double p = Math.exp(ll[i] - best);
			total += p;
			if (size == max && p <= topP[max - 1]) continue;
			int j = size < max ? size++ : max - 1;
			while (j > 0 && topP[j - 1] < p) {
				top[j] = top[j - 1];
				topP[j] = topP[j - 1];
				j--;
			}
			top[j] = i;
			topP[j] = p;
		}
		double cumulative = 0;
		int keep = 0;
		while (keep < size && cumulative < 0.999 * total)
			cumulative += topP[keep++];
		return Arrays.copyOf(top, Math.max(1, keep));
	}

	/** Σ C²·w·|P|². */
	static double weightedPower(final float[] ctfWeight, final float[] ref) {
		double sum = 0;
		for (int i = 0; i < ctfWeight.length; i++)
			sum += ctfWeight[i] * (ref[2 * i] * ref[2 * i] + ref[2 * i + 1] * ref[2 * i + 1]);
		return sum;
	}

	/** Σ Re(a·conj(b)). */
	static double dot(final float[] a, final float[] b) {
		double sum = 0;
		for (int i = 0; i < a.length; i++)
			sum += a[i] * b[i];
		return sum;
	}
}

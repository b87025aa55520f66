package org.vitreous.ctffit;

import java.util.Arrays;
import java.util.function.ToDoubleFunction;

/** The Nelder–Mead simplex method, maximising: for the few smooth parameters of a CTF fit. */
final class Simplex {

	private Simplex() {}

	/** The point of highest f found from {@code start}, the simplex spanned by {@code steps}, within {@code evaluations}. */
	static double[] maximise(final ToDoubleFunction<double[]> f, final double[] start, final double[] steps,
		final int evaluations)
	{
		final int n = start.length;
		final double[][] p = new double[n + 1][];
		final double[] v = new double[n + 1];
		for (int i = 0; i <= n; i++) {
			p[i] = start.clone();
			if (i > 0) p[i][i - 1] += steps[i - 1];
			v[i] = f.applyAsDouble(p[i]);
		}
		int used = n + 1;
		while (used < evaluations) {
			// order best first
			final Integer[] order = new Integer[n + 1];
			for (int i = 0; i <= n; i++)
				order[i] = i;
			Arrays.sort(order, (a, b) -> Double.compare(v[b], v[a]));
			final double[][] q = new double[n + 1][];
			final double[] w = new double[n + 1];
			for (int i = 0; i <= n; i++) {
				q[i] = p[order[i]];
				w[i] = v[order[i]];
			}
			System.arraycopy(q, 0, p, 0, n + 1);
			System.arraycopy(w, 0, v, 0, n + 1);
			if (Math.abs(v[0] - v[n]) < 1e-9 * (Math.abs(v[0]) + 1e-12)) break;
			final double[] centroid = new double[n];
			for (int i = 0; i < n; i++)
				for (int d = 0; d < n; d++)
					centroid[d] += p[i][d] / n;
			final double[] reflected = along(centroid, p[n], -1);
			final double fr = f.applyAsDouble(reflected);
			used++;
			if (fr > v[0]) {
				final double[] expanded = along(centroid, p[n], -2);
				final double fe = f.applyAsDouble(expanded);
				used++;
				if (fe > fr) set(p, v, n, expanded, fe);
				else set(p, v, n, reflected, fr);
			}
			else if (fr > v[n - 1]) set(p, v, n, reflected, fr);
			else {
				final double[] contracted = along(centroid, p[n], 0.5);
				final double fc = f.applyAsDouble(contracted);
				used++;
				if (fc > v[n]) set(p, v, n, contracted, fc);
				else for (int i = 1; i <= n; i++) {
					p[i] = along(p[0], p[i], 0.5);
					v[i] = f.applyAsDouble(p[i]);
					used++;
				}
			}
		}
		int best = 0;
		for (int i = 1; i <= n; i++)
			if (v[i] > v[best]) best = i;
		return p[best];
	}

	/** centroid + t·(point − centroid). */
	private static double[] along(final double[] centroid, final double[] point, final double t) {
		final double[] out = new double[centroid.length];
		for (int d = 0; d < out.length; d++)
			out[d] = centroid[d] + t * (point[d] - centroid[d]);
		return out;
	}

	private static void set(final double[][] p, final double[] v, final int i, final double[] point, final double value) {
		p[i] = point;
		v[i] = value;
	}
}

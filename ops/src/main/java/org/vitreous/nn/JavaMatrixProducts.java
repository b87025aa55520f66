package org.vitreous.nn;

import java.util.Arrays;

import org.vitreous.compute.Parallel;

/**
 * {@link MatrixProducts} in Java. Every product is written as row updates c_i += a_ik·b_k (contiguous
 * multiply-adds the JIT vectorises), four rows of A at a time so each row of B is loaded once per four; rows of C
 * are split over threads, and Aᵀ·B sums per-thread partial products in a fixed order, so results do not depend on
 * timing.
 */
final class JavaMatrixProducts implements MatrixProducts {

	static final JavaMatrixProducts INSTANCE = new JavaMatrixProducts();

	@Override
	public void ab(final float[] a, final float[] b, final int m, final int k, final int n, final float[] c) {
		check(a, (long) m * k, b, (long) k * n, c, (long) m * n);
		Parallel.forRange((m + 3) / 4, (start, end) -> rows(a, b, 4 * start, Math.min(m, 4 * end), k, n, c));
	}

	@Override
	public void abt(final float[] a, final float[] b, final int m, final int k, final int n, final float[] c) {
		check(a, (long) m * k, b, (long) n * k, c, (long) m * n);
		final float[] bt = new float[k * n];
		for (int j = 0; j < n; j++)
			for (int l = 0; l < k; l++)
				bt[l * n + j] = b[j * k + l];
		Parallel.forRange((m + 3) / 4, (start, end) -> rows(a, bt, 4 * start, Math.min(m, 4 * end), k, n, c));
	}

	/** C rows [from, to) = A rows · B. */
	private static void rows(final float[] a, final float[] b, final int from, final int to, final int k, final int n,
		final float[] c)
	{
		int i = from;
		for (; i + 3 < to; i += 4) {
			final int c0 = i * n, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
			Arrays.fill(c, c0, c3 + n, 0);
			for (int l = 0; l < k; l++) {
				final float a0 = a[i * k + l], a1 = a[(i + 1) * k + l], a2 = a[(i + 2) * k + l], a3 = a[(i + 3) * k + l];
				final int bl = l * n;
				for (int j = 0; j < n; j++) {
					final float v = b[bl + j];
					c[c0 + j] += a0 * v;
					c[c1 + j] += a1 * v;
					c[c2 + j] += a2 * v;
					c[c3 + j] += a3 * v;
				}
			}
		}
		for (; i < to; i++) {
			final int ci = i * n;
			Arrays.fill(c, ci, ci + n, 0);
			for (int l = 0; l < k; l++) {
				final float ai = a[i * k + l];
				final int bl = l * n;
				for (int j = 0; j < n; j++)
					c[ci + j] += ai * b[bl + j];
			}
		}
	}

	@Override
	public void atb(final float[] a, final float[] b, final int m, final int k, final int n, final float[] c) {
		check(a, (long) m * k, b, (long) m * n, c, (long) k * n);
		final int parts = Math.max(1, Math.min(Parallel.threads(), m / 64));
		final float[][] partial = new float[parts][];
		Parallel.forRange(parts, parts, (start, end) -> {
			for (int p = start; p < end; p++) {
				final float[] acc = new float[k * n];
				final int from = (int) ((long) m * p / parts), to = (int) ((long) m * (p + 1) / parts);
				int i = from;
				for (; i + 3 < to; i += 4) { // acc_l += a_il·b_i over four rows i at once
					final int b0 = i * n, b1 = b0 + n, b2 = b1 + n, b3 = b2 + n;
					for (int l = 0; l < k; l++) {
						final float a0 = a[i * k + l], a1 = a[(i + 1) * k + l], a2 = a[(i + 2) * k + l], a3 = a[(i + 3) * k + l];
						final int cl = l * n;
						for (int j = 0; j < n; j++)
							acc[cl + j] += a0 * b[b0 + j] + a1 * b[b1 + j] + a2 * b[b2 + j] + a3 * b[b3 + j];
					}
				}
				for (; i < to; i++)
					for (int l = 0; l < k; l++) {
						final float ai = a[i * k + l];
						final int cl = l * n, bi = i * n;
						for (int j = 0; j < n; j++)
							acc[cl + j] += ai * b[bi + j];
					}
				partial[p] = acc;
			}
		});
		System.arraycopy(partial[0], 0, c, 0, k * n);
		for (int p = 1; p < parts; p++)
			for (int j = 0; j < k * n; j++)
				c[j] += partial[p][j];
	}

	static void check(final float[] a, final long na, final float[] b, final long nb, final float[] c, final long nc) {
		if (a.length < na || b.length < nb || c.length < nc) throw new IllegalArgumentException("matrices of "
			+ a.length + ", " + b.length + " and " + c.length + " values are smaller than the product needs (" + na
			+ ", " + nb + ", " + nc + ")");
	}
}

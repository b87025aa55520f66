package org.vitreous.fourier;

import java.util.ArrayList;
import java.util.List;

/**
 * The Fourier points an alignment scores: the elements (kx, ky) of an N × N half transform ({@link Fft} layout)
 * within a resolution limit, the origin left out, in storage order (rows of ky, then kx). Each point knows its
 * element, its shell (the rounded radius, {@link #shell(double, double, double)}) and whether it lies on the x = 0
 * column, which holds each frequency and its conjugate mirror and so counts half in a likelihood.
 * <p>
 * Alignment works on compacted vectors: complex values at the points only ({@link #gather}), moved by a
 * sub-pixel shift with {@link #shift}. 2D classification, ab initio and refine-3d all score through it, so the
 * shell rule, the weights and the phase shift exist once.
 */
public final class FourierPoints {

	private final int n, hx;
	private final int[] kx, ky, element, shell;

	/** The points of an N × N transform with kx² + ky² ≤ limit² (limit in Fourier pixels), the origin left out. */
	public FourierPoints(final int n, final double limit) {
		this.n = n;
		this.hx = Fft.halfWidth(n);
		final List<int[]> points = new ArrayList<>();
		final double r2 = limit * limit;
		for (int y = 0; y < n; y++) {
			final int fy = Fft.frequency(y, n);
			for (int x = 0; x < hx; x++)
				if (x * x + fy * fy <= r2 && (x != 0 || fy != 0)) points.add(new int[] { x, fy, y * hx + x });
		}
		final int m = points.size();
		kx = new int[m];
		ky = new int[m];
		element = new int[m];
		shell = new int[m];
		for (int i = 0; i < m; i++) {
			kx[i] = points.get(i)[0];
			ky[i] = points.get(i)[1];
			element[i] = points.get(i)[2];
			shell[i] = shell(kx[i], ky[i], 0);
		}
	}

	/** The shell of frequency (x, y, z) in Fourier pixels: its radius, rounded. The one rule for every stage. */
	public static int shell(final double x, final double y, final double z) {
		return (int) Math.round(Math.sqrt(x * x + y * y + z * z));
	}

	/** Box size N. */
	public int boxSize() {
		return n;
	}

	/** Number of points. */
	public int size() {
		return kx.length;
	}

	public int kx(final int i) {
		return kx[i];
	}

	public int ky(final int i) {
		return ky[i];
	}

	/** The point's element in the half transform (complex values at 2·e, 2·e + 1). */
	public int element(final int i) {
		return element[i];
	}

	public int shell(final int i) {
		return shell[i];
	}

	/**
	 * Per point, {@code scale}/σ² of its shell (σ² the noise power per complex element, shells past the end of
	 * {@code sigma2} take its last), halved on the x = 0 column.
	 */
	public float[] inverseNoise(final double[] sigma2, final double scale) {
		final float[] w = new float[kx.length];
		for (int i = 0; i < w.length; i++)
			w[i] = (float) ((kx[i] == 0 ? 0.5 : 1) * scale / Math.max(sigma2[Math.min(shell[i], sigma2.length - 1)],
				1e-30));
		return w;
	}

	/** The complex values of {@code transform} at the points, compacted. */
	public float[] gather(final float[] transform) {
		final float[] out = new float[2 * kx.length];
		for (int i = 0; i < kx.length; i++) {
			out[2 * i] = transform[2 * element[i]];
			out[2 * i + 1] = transform[2 * element[i] + 1];
		}
		return out;
	}

	/**
	 * A compacted vector moved by (sx, sy) pixels: each value times exp(−2πi k·s/N), from separable phase tables
	 * ({@link FourierFilters#phases}), as {@link FourierFilters#shift} moves a whole transform.
	 */
	public float[] shift(final float[] a, final double sx, final double sy) {
		final float[] out = new float[a.length];
		final double[] ex = FourierFilters.phases(hx, n, sx, true), ey = FourierFilters.phases(n, n, sy, false);
		for (int i = 0; i < kx.length; i++) {
			final int y = Fft.index(ky[i], n);
			final double c = ex[2 * kx[i]] * ey[2 * y] - ex[2 * kx[i] + 1] * ey[2 * y + 1], s = ex[2 * kx[i]] * ey[2 * y
				+ 1] + ex[2 * kx[i] + 1] * ey[2 * y];
			out[2 * i] = (float) (a[2 * i] * c - a[2 * i + 1] * s);
			out[2 * i + 1] = (float) (a[2 * i] * s + a[2 * i + 1] * c);
		}
		return out;
	}
}

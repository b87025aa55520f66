package org.vitreous.metrics;

import org.vitreous.compute.Parallel;

/**
 * Real-space comparisons of a volume with a reference: correlation, PSNR and SSIM. PSNR and SSIM follow
 * scikit-image (peak_signal_noise_ratio; structural_similarity with gaussian_weights=True, sigma 1.5, truncate
 * 3.5, K1 = 0.01, K2 = 0.03, population covariances, the mean taken after cropping (window − 1)/2 voxels from
 * every side) with the data range taken as max − min of the reference, which callers of scikit-image must pass
 * explicitly for float data.
 */
public final class ImageMetrics {

	private ImageMetrics() {}

	/** Pearson correlation over all voxels. */
	public static double correlation(final float[] a, final float[] b) {
		check(a, b);
		double sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
		final int n = a.length;
		for (int i = 0; i < n; i++) {
			sa += a[i];
			sb += b[i];
		}
		final double ma = sa / n, mb = sb / n;
		for (int i = 0; i < n; i++) {
			final double x = a[i] - ma, y = b[i] - mb;
			saa += x * x;
			sbb += y * y;
			sab += x * y;
		}
		return sab / Math.sqrt(saa * sbb);
	}

	/** max − min of the reference. */
	public static double dataRange(final float[] reference) {
		double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
		for (final float v : reference) {
			lo = Math.min(lo, v);
			hi = Math.max(hi, v);
		}
		return hi - lo;
	}

	/** 10·log10(range² / MSE) in dB, range = {@link #dataRange} of the reference. */
	public static double psnr(final float[] reference, final float[] test) {
		return psnr(reference, test, dataRange(reference));
	}

	public static double psnr(final float[] reference, final float[] test, final double range) {
		check(reference, test);
		double mse = 0;
		for (int i = 0; i < reference.length; i++) {
			final double d = reference[i] - (double) test[i];
			mse += d * d;
		}
		mse /= reference.length;
		return 10 * Math.log10(range * range / mse);
	}

	/** Mean SSIM of two nx × ny × nz volumes (nz = 1 for images), data range of the reference. */
	public static double ssim(final float[] reference, final float[] test, final int nx, final int ny, final int nz) {
		return ssim(reference, test, nx, ny, nz, dataRange(reference));
	}

	public static double ssim(final float[] x, final float[] y, final int nx, final int ny, final int nz,
		final double range)
	{
		check(x, y);
		if (x.length != (long) nx * ny * nz) throw new IllegalArgumentException("volume of " + x.length
			+ " voxels is not " + nx + " x " + ny + " x " + nz);
		final double sigma = 1.5;
		final int radius = (int) (3.5 * sigma + 0.5), pad = radius; // window 2·radius + 1 = 11
		final int dims = nz > 1 ? 3 : ny > 1 ? 2 : 1;
		if (nx <= 2 * pad || (dims > 1 && ny <= 2 * pad) || (dims > 2 && nz <= 2 * pad))
			throw new IllegalArgumentException("SSIM needs at least " + (2 * pad + 1) + " voxels along every axis");
		final double[] kernel = new double[2 * radius + 1];
		double ks = 0;
		for (int i = -radius; i <= radius; i++)
			ks += kernel[i + radius] = Math.exp(-i * i / (2 * sigma * sigma));
		for (int i = 0; i < kernel.length; i++)
			kernel[i] /= ks;
		final int n = x.length;
		final double[] xx = new double[n], yy = new double[n], xy = new double[n], dx = new double[n], dy = new double[n];
		for (int i = 0; i < n; i++) {
			dx[i] = x[i];
			dy[i] = y[i];
			xx[i] = dx[i] * dx[i];
			yy[i] = dy[i] * dy[i];
			xy[i] = dx[i] * dy[i];
		}
		final double[][] f = { dx, dy, xx, yy, xy };
		for (final double[] a : f)
			for (int axis = 0; axis < dims; axis++)
				filter(a, nx, ny, nz, axis, kernel);
		final double c1 = Math.pow(0.01 * range, 2), c2 = Math.pow(0.03 * range, 2);
		double sum = 0;
		long count = 0;
		final int zLo = dims > 2 ? pad : 0, zHi = dims > 2 ? nz - pad : nz;
		final int yLo = dims > 1 ? pad : 0, yHi = dims > 1 ? ny - pad : ny;
		for (int z = zLo; z < zHi; z++)
			for (int yi = yLo; yi < yHi; yi++)
				for (int xi = pad; xi < nx - pad; xi++) {
					final int i = (z * ny + yi) * nx + xi;
					final double ux = dx[i], uy = dy[i];
					final double vx = xx[i] - ux * ux, vy = yy[i] - uy * uy, vxy = xy[i] - ux * uy;
					sum += (2 * ux * uy + c1) * (2 * vxy + c2) / ((ux * ux + uy * uy + c1) * (vx + vy + c2));
					count++;
				}
		return sum / count;
	}

	/** Separable Gaussian filter along one axis with mirrored ('reflect') edges, in place. */
	private static void filter(final double[] a, final int nx, final int ny, final int nz, final int axis,
		final double[] kernel)
	{
		final int n = axis == 0 ? nx : axis == 1 ? ny : nz;
		final int stride = axis == 0 ? 1 : axis == 1 ? nx : nx * ny;
		final int lines = a.length / n, radius = kernel.length / 2;
		Parallel.forRange(lines, (start, end) -> {
			final double[] line = new double[n];
			for (int l = start; l < end; l++) {
				final int base = axis == 0 ? l * nx : axis == 1 ? (l / nx) * nx * ny + l % nx : l;
				for (int i = 0; i < n; i++)
					line[i] = a[base + i * stride];
				for (int i = 0; i < n; i++) {
					double s = 0;
					for (int k = -radius; k <= radius; k++) {
						int j = i + k;
						while (j < 0 || j >= n)
							j = j < 0 ? -j - 1 : 2 * n - j - 1;
						s += kernel[k + radius] * line[j];
					}
					a[base + i * stride] = s;
				}
			}
		});
	}

	private static void check(final float[] a, final float[] b) {
		if (a.length != b.length) throw new IllegalArgumentException("volumes of " + a.length + " and " + b.length
			+ " voxels cannot be compared");
	}
}

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

	/**
	 * Pixel-domain visual information fidelity (VIFp; Sheikh and Bovik 2006, the four-scale pixel-domain form): at
	 * scales s = 1..4, Gaussian windows of N = 2^(5−s) + 1 voxels and σ N/5 (applied over 'valid' positions only,
	 * every axis; the data low-passed and halved between scales), the information the test keeps of the reference,
	 * Σ log(1 + g²σ_r²/(σ_v² + σ_n²)), over what the reference holds, Σ log(1 + σ_r²/σ_n²), with σ_n² = 2. σ_n² = 2
	 * is meant for 8-bit grey levels, so both volumes are first mapped by the same affine map that takes the
	 * reference's range to 0..255. 1 for identical volumes; less for any loss. Works on 2D (nz = 1) and 3D.
	 * Scales whose window no longer fits are skipped.
	 */
	public static double vif(final float[] reference, final float[] test, final int nx, final int ny, final int nz) {
		check(reference, test);
		if (reference.length != (long) nx * ny * nz) throw new IllegalArgumentException("volume of "
			+ reference.length + " voxels is not " + nx + " x " + ny + " x " + nz);
		final double range = dataRange(reference);
		double min = Double.POSITIVE_INFINITY;
		for (final float v : reference)
			min = Math.min(min, v);
		final double scale = range > 0 ? 255 / range : 1;
		double[] r = new double[reference.length], t = new double[test.length];
		for (int i = 0; i < r.length; i++) {
			r[i] = (reference[i] - min) * scale;
			t[i] = (test[i] - min) * scale;
		}
		final double noise = 2, eps = 1e-10;
		final boolean is3d = nz > 1;
		int[] dims = { nx, ny, nz };
		double numerator = 0, denominator = 0;
		for (int s = 1; s <= 4; s++) {
			final int n = (1 << (5 - s)) + 1;
			final double[] kernel = new double[n];
			double ks = 0;
			for (int i = 0; i < n; i++)
				ks += kernel[i] = Math.exp(-Math.pow(i - n / 2, 2) / (2 * Math.pow(n / 5.0, 2)));
			for (int i = 0; i < n; i++)
				kernel[i] /= ks;
			if (s > 1) { // low-pass then take every second voxel
				if (dims[0] < n || dims[1] < n || is3d && dims[2] < n) break;
				final int[] d = dims;
				final double[] fr = valid(r, d, kernel, is3d), ft = valid(t, d, kernel, is3d);
				final int[] vd = { d[0] - n + 1, d[1] - n + 1, is3d ? d[2] - n + 1 : 1 };
				r = everySecond(fr, vd, is3d);
				t = everySecond(ft, vd, is3d);
				dims = new int[] { (vd[0] + 1) / 2, (vd[1] + 1) / 2, is3d ? (vd[2] + 1) / 2 : 1 };
			}
			if (dims[0] < n || dims[1] < n || is3d && dims[2] < n) break;
			final double[] rr = new double[r.length], tt = new double[r.length], rt = new double[r.length];
			for (int i = 0; i < r.length; i++) {
				rr[i] = r[i] * r[i];
				tt[i] = t[i] * t[i];
				rt[i] = r[i] * t[i];
			}
			final double[] mr = valid(r, dims, kernel, is3d), mt = valid(t, dims, kernel, is3d);
			final double[] srr = valid(rr, dims, kernel, is3d), stt = valid(tt, dims, kernel, is3d), srt = valid(rt, dims,
				kernel, is3d);
			for (int i = 0; i < mr.length; i++) {
				double sr = Math.max(0, srr[i] - mr[i] * mr[i]), st = Math.max(0, stt[i] - mt[i] * mt[i]);
				final double sc = srt[i] - mr[i] * mt[i];
				double g = sc / (sr + eps), sv = st - g * sc;
				if (sr < eps) {
					g = 0;
					sv = st;
					sr = 0;
				}
				if (st < eps) {
					g = 0;
					sv = 0;
				}
				if (g < 0) {
					sv = st;
					g = 0;
				}
				if (sv <= eps) sv = eps;
				numerator += Math.log10(1 + g * g * sr / (sv + noise));
				denominator += Math.log10(1 + sr / noise);
			}
		}
		return denominator > 0 ? numerator / denominator : 1;
	}

	/** Separable filtering by {@code kernel} along every axis, keeping only positions where it fits ('valid'). */
	private static double[] valid(final double[] a, final int[] dims, final double[] kernel, final boolean is3d) {
		double[] cur = a;
		int[] d = dims.clone();
		for (int axis = 0; axis < (is3d ? 3 : 2); axis++) {
			final int n = kernel.length;
			final int[] o = d.clone();
			o[axis] = d[axis] - n + 1;
			final double[] out = new double[o[0] * o[1] * o[2]];
			final int stride = axis == 0 ? 1 : axis == 1 ? d[0] : d[0] * d[1];
			final double[] src = cur;
			final int[] dd = d;
			Parallel.forRange(o[2], (z0, z1) -> {
				for (int z = z0; z < z1; z++)
					for (int y = 0; y < o[1]; y++)
						for (int x = 0; x < o[0]; x++) {
							final int from = (z * dd[1] + y) * dd[0] + x;
							double sum = 0;
							for (int k = 0; k < n; k++)
								sum += kernel[k] * src[from + k * stride];
							out[(z * o[1] + y) * o[0] + x] = sum;
						}
			});
			cur = out;
			d = o;
		}
		return cur;
	}

	private static double[] everySecond(final double[] a, final int[] d, final boolean is3d) {
		final int mx = (d[0] + 1) / 2, my = (d[1] + 1) / 2, mz = is3d ? (d[2] + 1) / 2 : 1;
		final double[] out = new double[mx * my * mz];
		for (int z = 0; z < mz; z++)
			for (int y = 0; y < my; y++)
				for (int x = 0; x < mx; x++)
					out[(z * my + y) * mx + x] = a[((is3d ? 2 * z : z) * d[1] + 2 * y) * d[0] + 2 * x];
		return out;
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

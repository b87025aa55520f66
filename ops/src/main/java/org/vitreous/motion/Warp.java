package org.vitreous.motion;

import org.vitreous.compute.Parallel;

/**
 * Resampling of a frame through a local motion field, by bicubic interpolation (Keys, a = −0.5), which keeps
 * more of the high frequencies than the bilinear interpolation RELION's own correction uses. Pixels whose source
 * falls outside the frame take the nearest edge pixel.
 */
final class Warp {

	private Warp() {}

	/**
	 * Adds frame z resampled through the field to {@code target}: target(p) += image(p − sign·s(z, p)), with s the
	 * local shift of {@code model} at p. Sign 1 undoes the motion (correction); −1 applies it (simulation).
	 */
	static void add(final float[] image, final int nx, final int ny, final LocalMotion model, final double z,
		final double sign, final float[] target)
	{
		// at frame z the field is a quadratic in (x, y): c0 + c1·x + c2·x² + c3·y + c4·y² + c5·xy per axis
		final double[] cx = model.coefficientsX(), cy = model.coefficientsY(), ax = new double[6], ay = new double[6];
		for (int b = 0; b < 6; b++) {
			ax[b] = sign * (cx[3 * b] * z + cx[3 * b + 1] * z * z + cx[3 * b + 2] * z * z * z);
			ay[b] = sign * (cy[3 * b] * z + cy[3 * b + 1] * z * z + cy[3 * b + 2] * z * z * z);
		}
		Parallel.forRange(ny, (start, end) -> {
			for (int y = start; y < end; y++) {
				final double v = (double) y / ny - 0.5;
				// the terms that do not depend on x, and those linear in x
				final double x0 = ax[0] + ax[3] * v + ax[4] * v * v, x1 = ax[1] + ax[5] * v;
				final double y0 = ay[0] + ay[3] * v + ay[4] * v * v, y1 = ay[1] + ay[5] * v;
				for (int x = 0; x < nx; x++) {
					final double u = (double) x / nx - 0.5;
					final double sx = x0 + (x1 + ax[2] * u) * u, sy = y0 + (y1 + ay[2] * u) * u;
					target[y * nx + x] += (float) sample(image, nx, ny, x - sx, y - sy);
				}
			}
		});
	}

	static void add(final float[] image, final int nx, final int ny, final LocalMotion model, final double z,
		final float[] target)
	{
		add(image, nx, ny, model, z, 1, target);
	}

	/** The image at (x, y), bicubic (Keys' cubic convolution, a = −0.5), edges clamped. */
	static double sample(final float[] image, final int nx, final int ny, final double x, final double y) {
		final int ix = (int) Math.floor(x), iy = (int) Math.floor(y);
		final double fx = x - ix, fy = y - iy;
		final double x0 = keys(1 + fx), x1 = keys(fx), x2 = keys(1 - fx), x3 = keys(2 - fx);
		final double y0 = keys(1 + fy), y1 = keys(fy), y2 = keys(1 - fy), y3 = keys(2 - fy);
		final int c0 = clamp(ix - 1, nx), c1 = clamp(ix, nx), c2 = clamp(ix + 1, nx), c3 = clamp(ix + 2, nx);
		double v = 0;
		for (int j = 0; j < 4; j++) {
			final int row = clamp(iy - 1 + j, ny) * nx;
			final double r = x0 * image[row + c0] + x1 * image[row + c1] + x2 * image[row + c2] + x3 * image[row + c3];
			v += (j == 0 ? y0 : j == 1 ? y1 : j == 2 ? y2 : y3) * r;
		}
		return v;
	}

	private static int clamp(final int i, final int n) {
		return i < 0 ? 0 : i >= n ? n - 1 : i;
	}

	/** Keys' kernel at distance t ≥ 0 (a = −0.5). */
	private static double keys(final double t) {
		final double a = -0.5;
		if (t <= 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
		if (t < 2) return ((a * t - 5 * a) * t + 8 * a) * t - 4 * a;
		return 0;
	}
}

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
		Parallel.forRange(ny, (start, end) -> {
			for (int y = start; y < end; y++) {
				final double ny0 = (double) y / ny - 0.5;
				for (int x = 0; x < nx; x++) {
					final double[] s = model.shiftAt(z, (double) x / nx - 0.5, ny0);
					target[y * nx + x] += (float) sample(image, nx, ny, x - sign * s[0], y - sign * s[1]);
				}
			}
		});
	}

	static void add(final float[] image, final int nx, final int ny, final LocalMotion model, final double z,
		final float[] target)
	{
		add(image, nx, ny, model, z, 1, target);
	}

	/** The image at (x, y), bicubic. */
	static double sample(final float[] image, final int nx, final int ny, final double x, final double y) {
		final int ix = (int) Math.floor(x), iy = (int) Math.floor(y);
		final double fx = x - ix, fy = y - iy;
		final double[] wx = weights(fx), wy = weights(fy);
		double v = 0;
		for (int j = 0; j < 4; j++) {
			final int yy = Math.min(ny - 1, Math.max(0, iy - 1 + j));
			double row = 0;
			for (int i = 0; i < 4; i++) {
				final int xx = Math.min(nx - 1, Math.max(0, ix - 1 + i));
				row += wx[i] * image[yy * nx + xx];
			}
			v += wy[j] * row;
		}
		return v;
	}

	/** Keys' cubic convolution weights for the four samples around a point t ∈ [0, 1) past the second. */
	private static double[] weights(final double t) {
		final double a = -0.5, t2 = t * t, t3 = t2 * t;
		return new double[] { a * (t3 - 2 * t2 + t), (a + 2) * t3 - (a + 3) * t2 + 1, -(a + 2) * t3 + (2 * a + 3) * t2
			- a * t, -a * (t3 - t2) };
	}
}

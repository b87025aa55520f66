package org.vitreous.projection;

/**
 * Where the Fourier-slice projector reads and the back-projector writes: the eight trilinear corners of the point
 * padding·Aᵀ·(x, ky, 0) on the padded half-complex grid, their weights, and whether the point was mirrored to
 * x ≥ 0 (then the value is conjugated). Corners beyond the stored half (x > P/2) are left out. One instance per
 * thread; {@link #locate} overwrites it.
 */
final class Trilinear {

	/** Complex-element indices (z·P + y)·hp + x of the corners, their z and their weights. */
	final int[] element = new int[8], z = new int[8];
	final float[] weight = new float[8];
	int count;
	boolean mirrored;

	private final int p, hp, padding;

	Trilinear(final int paddedSize, final int padding) {
		this.p = paddedSize;
		this.hp = paddedSize / 2 + 1;
		this.padding = padding;
	}

	/** Locates slice element (x, ky) of rotation {@code a} (row-major). */
	void locate(final double[] a, final int x, final int ky) {
		double xp = (a[0] * x + a[3] * ky) * padding, yp = (a[1] * x + a[4] * ky) * padding, zp = (a[2] * x + a[5]
			* ky) * padding;
		mirrored = xp < 0;
		if (mirrored) {
			xp = -xp;
			yp = -yp;
			zp = -zp;
		}
		final int x0 = (int) Math.floor(xp), y0 = (int) Math.floor(yp), z0 = (int) Math.floor(zp);
		final float fx = (float) (xp - x0), fy = (float) (yp - y0), fz = (float) (zp - z0);
		count = 0;
		for (int dz = 0; dz < 2; dz++) {
			final int zi = Math.floorMod(z0 + dz, p);
			final float wz = dz == 0 ? 1 - fz : fz;
			for (int dy = 0; dy < 2; dy++) {
				final int yi = Math.floorMod(y0 + dy, p);
				final float wyz = wz * (dy == 0 ? 1 - fy : fy);
				for (int dx = 0; dx < 2; dx++) {
					final int xi = x0 + dx;
					if (xi >= hp) continue;
					element[count] = (zi * p + yi) * hp + xi;
					z[count] = zi;
					weight[count] = wyz * (dx == 0 ? 1 - fx : fx);
					count++;
				}
			}
		}
	}
}

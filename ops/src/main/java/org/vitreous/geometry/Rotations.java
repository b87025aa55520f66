package org.vitreous.geometry;

import java.util.Random;

/**
 * 3 × 3 rotation matrices as {@code double[9]}, row-major: m[3·row + column]. A matrix acts on column vectors,
 * v' = m·v, with coordinates (x, y, z) in the ImgLib2 / MRC order.
 */
public final class Rotations {

	private Rotations() {}

	public static double[] identity() {
		return new double[] { 1, 0, 0, 0, 1, 0, 0, 0, 1 };
	}

	/** Right-handed rotation by {@code angle} radians about the unit vector {@code axis} (Rodrigues). */
	public static double[] about(final double[] axis, final double angle) {
		final double n = Math.sqrt(axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2]);
		if (!(n > 0)) throw new IllegalArgumentException("rotation axis has no direction");
		final double x = axis[0] / n, y = axis[1] / n, z = axis[2] / n;
		final double c = Math.cos(angle), s = Math.sin(angle), t = 1 - c;
		return new double[] { t * x * x + c, t * x * y - s * z, t * x * z + s * y, t * x * y + s * z, t * y * y + c,
			t * y * z - s * x, t * x * z - s * y, t * y * z + s * x, t * z * z + c };
	}

	public static double[] multiply(final double[] a, final double[] b) {
		final double[] m = new double[9];
		for (int r = 0; r < 3; r++)
			for (int c = 0; c < 3; c++)
				m[3 * r + c] = a[3 * r] * b[c] + a[3 * r + 1] * b[3 + c] + a[3 * r + 2] * b[6 + c];
		return m;
	}

	public static double[] transpose(final double[] a) {
		return new double[] { a[0], a[3], a[6], a[1], a[4], a[7], a[2], a[5], a[8] };
	}

	public static double[] apply(final double[] m, final double[] v) {
		return new double[] { m[0] * v[0] + m[1] * v[1] + m[2] * v[2], m[3] * v[0] + m[4] * v[1] + m[5] * v[2], m[6]
			* v[0] + m[7] * v[1] + m[8] * v[2] };
	}

	/** The angle in radians of the rotation that takes {@code a} to {@code b}: the geodesic distance on SO(3). */
	public static double angle(final double[] a, final double[] b) {
		double trace = 0;
		for (int i = 0; i < 9; i++)
			trace += a[i] * b[i]; // trace(aᵀ·b)
		return Math.acos(Math.max(-1, Math.min(1, (trace - 1) / 2)));
	}

	/** Largest element-wise difference of two matrices. */
	public static double distance(final double[] a, final double[] b) {
		double d = 0;
		for (int i = 0; i < 9; i++)
			d = Math.max(d, Math.abs(a[i] - b[i]));
		return d;
	}

	/** A rotation drawn uniformly (Haar measure) on SO(3). */
	public static double[] random(final Random random) {
		return Quaternion.random(random).matrix();
	}
}

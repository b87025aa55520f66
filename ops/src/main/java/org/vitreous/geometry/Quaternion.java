package org.vitreous.geometry;

import java.util.Random;

/** A unit quaternion w + xi + yj + zk for a rotation; q and −q are the same rotation. */
public record Quaternion(double w, double x, double y, double z) {

	/** The quaternion of a rotation matrix (Shepperd's method, stable for every angle). */
	public static Quaternion of(final double[] m) {
		final double trace = m[0] + m[4] + m[8];
		double w, x, y, z;
		if (trace > 0) {
			final double s = 2 * Math.sqrt(1 + trace);
			w = s / 4;
			x = (m[7] - m[5]) / s;
			y = (m[2] - m[6]) / s;
			z = (m[3] - m[1]) / s;
		}
		else if (m[0] > m[4] && m[0] > m[8]) {
			final double s = 2 * Math.sqrt(1 + m[0] - m[4] - m[8]);
			w = (m[7] - m[5]) / s;
			x = s / 4;
			y = (m[1] + m[3]) / s;
			z = (m[2] + m[6]) / s;
		}
		else if (m[4] > m[8]) {
			final double s = 2 * Math.sqrt(1 + m[4] - m[0] - m[8]);
			w = (m[2] - m[6]) / s;
			x = (m[1] + m[3]) / s;
			y = s / 4;
			z = (m[5] + m[7]) / s;
		}
		else {
			final double s = 2 * Math.sqrt(1 + m[8] - m[0] - m[4]);
			w = (m[3] - m[1]) / s;
			x = (m[2] + m[6]) / s;
			y = (m[5] + m[7]) / s;
			z = s / 4;
		}
		return new Quaternion(w, x, y, z).normalized();
	}

	/** Uniform on SO(3): a normalised 4D Gaussian vector. */
	public static Quaternion random(final Random random) {
		return new Quaternion(random.nextGaussian(), random.nextGaussian(), random.nextGaussian(), random
			.nextGaussian()).normalized();
	}

	public Quaternion normalized() {
		final double n = Math.sqrt(w * w + x * x + y * y + z * z);
		return new Quaternion(w / n, x / n, y / n, z / n);
	}

	/** The rotation this·q (apply q first). */
	public Quaternion times(final Quaternion q) {
		return new Quaternion(w * q.w - x * q.x - y * q.y - z * q.z, w * q.x + x * q.w + y * q.z - z * q.y, w * q.y
			- x * q.z + y * q.w + z * q.x, w * q.z + x * q.y - y * q.x + z * q.w);
	}

	public Quaternion inverse() {
		return new Quaternion(w, -x, -y, -z);
	}

	/** Angle in radians between the two rotations. */
	public double angleTo(final Quaternion q) {
		final double dot = Math.abs(w * q.w + x * q.x + y * q.y + z * q.z);
		return 2 * Math.acos(Math.min(1, dot));
	}

	public double[] matrix() {
		return new double[] { 1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y), 2 * (x * y + w * z), 1
			- 2 * (x * x + z * z), 2 * (y * z - w * x), 2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y
				* y) };
	}
}

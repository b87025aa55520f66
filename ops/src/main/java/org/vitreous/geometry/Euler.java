package org.vitreous.geometry;

/**
 * RELION's ZYZ Euler angles (rot, tilt, psi), in degrees: A = Rz(psi)·Ry(tilt)·Rz(rot) in RELION's matrix
 * convention, A00 = cψcθcφ − sψsφ, A02 = −cψsθ, A20 = sθcφ, A22 = cθ. A rotates reference coordinates into the
 * particle's view: the projection of the reference at A is the image whose pixel (x, y) integrates the map along
 * the line Aᵀ·(x, y, t). Conversions agree with RELION's Euler_angles2matrix and Euler_matrix2angles.
 */
public final class Euler {

	private static final double EPSILON = 1.1920929e-7; // FLT_EPSILON, as in RELION

	private Euler() {}

	/** The matrix A of angles in degrees. */
	public static double[] matrix(final double rot, final double tilt, final double psi) {
		final double a = Math.toRadians(rot), b = Math.toRadians(tilt), g = Math.toRadians(psi);
		final double ca = Math.cos(a), cb = Math.cos(b), cg = Math.cos(g);
		final double sa = Math.sin(a), sb = Math.sin(b), sg = Math.sin(g);
		final double cc = cb * ca, cs = cb * sa, sc = sb * ca, ss = sb * sa;
		return new double[] { cg * cc - sg * sa, cg * cs + sg * ca, -cg * sb, -sg * cc - cg * sa, -sg * cs + cg * ca,
			sg * sb, sc, ss, cb };
	}

	/** Angles {rot, tilt, psi} in degrees of a rotation matrix, tilt in [0, 180], as RELION chooses them. */
	public static double[] angles(final double[] m) {
		final double absSinTilt = Math.sqrt(m[2] * m[2] + m[5] * m[5]);
		double rot, tilt, psi;
		if (absSinTilt > 16 * EPSILON) {
			psi = Math.atan2(m[5], -m[2]);
			rot = Math.atan2(m[7], m[6]);
			final double sign;
			if (Math.abs(Math.sin(psi)) < EPSILON) sign = Math.signum(-m[2] / Math.cos(psi));
			else sign = Math.sin(psi) > 0 ? Math.signum(m[5]) : -Math.signum(m[5]);
			tilt = Math.atan2(sign * absSinTilt, m[8]);
		}
		else if (m[8] > 0) {
			rot = 0;
			tilt = 0;
			psi = Math.atan2(-m[3], m[0]);
		}
		else {
			rot = 0;
			tilt = Math.PI;
			psi = Math.atan2(m[3], -m[0]);
		}
		return new double[] { Math.toDegrees(rot), Math.toDegrees(tilt), Math.toDegrees(psi) };
	}

	/** The viewing direction (third row of A): the reference direction that projects along the beam. */
	public static double[] direction(final double rot, final double tilt) {
		final double a = Math.toRadians(rot), b = Math.toRadians(tilt);
		return new double[] { Math.sin(b) * Math.cos(a), Math.sin(b) * Math.sin(a), Math.cos(b) };
	}
}

package org.vitreous.nn;

/**
 * sin and cos in float for the network's activations and encodings, where {@link Math#sin} dominated the cost of
 * a step: the argument is reduced to r = x − kπ with |r| ≤ π/2, and sin r is its Taylor polynomial to degree 11
 * (error below 1e-7 there), signed by the parity of k. The absolute error stays below 1e-5 for |x| ≤ 100 (it
 * grows with |x|, as the float reduction loses bits); the network's arguments stay well inside that.
 */
final class FastSine {

	private FastSine() {}

	private static final float PI_HI = 3.1415927f;
	private static final float PI_LO = (float) (Math.PI - 3.1415927f);

	static float sin(final float x) {
		final float k = Math.round(x * (float) (1 / Math.PI));
		final float r = (x - k * PI_HI) - k * PI_LO;
		final float r2 = r * r;
		final float p = r * (1 + r2 * (-1f / 6 + r2 * (1f / 120 + r2 * (-1f / 5040 + r2 * (1f / 362880 + r2 * (-1f
			/ 39916800))))));
		return (((int) k) & 1) == 0 ? p : -p;
	}

	static float cos(final float x) {
		return sin(x + (float) (Math.PI / 2));
	}
}

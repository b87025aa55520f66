package org.vitreous.nn;

import org.vitreous.compute.ComputeDevice;

/**
 * The three matrix products a dense layer needs, on row-major {@code float[]} matrices: C = A·B (forward),
 * C = A·Bᵀ (gradient to the input) and C = Aᵀ·B (gradient to the weights). A is m × k in {@code ab} and
 * {@code abt} (B is k × n, or n × k for {@code abt}); in {@code atb} A is m × k and B is m × n, and C is k × n.
 * A plain-Java implementation (multi-threaded, the reference) and an OpenCL one, chosen by the device.
 */
public interface MatrixProducts {

	/** C (m × n) = A (m × k) · B (k × n). */
	void ab(float[] a, float[] b, int m, int k, int n, float[] c);

	/** C (m × n) = A (m × k) · Bᵀ, B being n × k. */
	void abt(float[] a, float[] b, int m, int k, int n, float[] c);

	/** C (k × n) = Aᵀ · B, A being m × k and B m × n. */
	void atb(float[] a, float[] b, int m, int k, int n, float[] c);

	static MatrixProducts on(final ComputeDevice device) {
		return device.isOpenCl() ? new OpenClMatrixProducts(device.openCl()) : JavaMatrixProducts.INSTANCE;
	}
}

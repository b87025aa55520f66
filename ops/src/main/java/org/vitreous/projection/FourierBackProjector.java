package org.vitreous.projection;

import org.vitreous.compute.ComputeDevice;

/**
 * The adjoint of {@link FourierProjector}: inserts N × N half-complex slices into a padded 3D accumulator with the
 * same trilinear weights the projector reads with (points with negative x go, conjugated, to their mirror), and
 * adds each slice element's weight (CTF², or 1) times the same trilinear weights to the weight sums. The data
 * part is exactly the transpose of the projector under the real inner product Re Σ a·conj(b) over the stored
 * elements, so ⟨P v, s⟩ = ⟨v, Pᵀ s⟩.
 */
public interface FourierBackProjector extends AutoCloseable {

	/** A back-projector into a box of {@code size} padded by {@code padding} on {@code device}. */
	static FourierBackProjector create(final int size, final int padding, final double maxRadius,
		final ComputeDevice device)
	{
		if (device.isOpenCl()) return new OpenClFourierBackProjector(size, padding, maxRadius, device.openCl());
		return new JavaFourierBackProjector(size, padding, maxRadius);
	}

	/**
	 * Inserts slices at rotations.
	 *
	 * @param slices n slices of {@link FourierProjector#sliceLength} floats
	 * @param sliceWeights n × (N/2+1)·N real weights per slice element, or null for weight 1
	 */
	void insert(double[][] rotations, float[] slices, float[] sliceWeights);

	/** The sums so far (for OpenCL, copied from the device). */
	FourierAccumulator accumulator();

	@Override
	void close();
}

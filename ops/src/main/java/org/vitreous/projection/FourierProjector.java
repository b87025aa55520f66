package org.vitreous.projection;

import org.vitreous.compute.ComputeDevice;
import org.vitreous.fourier.Fft;

/**
 * Central slices of a {@link FourierVolume} (the SPA forward projector). For rotation A (RELION's, see
 * {@link org.vitreous.geometry.Euler}) the slice element at 2D frequency (x, y) of the N × N image is the
 * volume's transform at padding·Aᵀ·(x, y, 0), by trilinear interpolation; points with negative x are read as the
 * conjugate of their mirror. Elements with x² + y² > maxRadius² are zero (RELION uses N/2). Slices are N × N
 * half-complex transforms referred to the image centre, so {@link Fft#inverseCentred} gives the projection image;
 * slice i occupies floats [i·L, (i+1)·L) with L = {@link #sliceLength}. By the Fourier slice theorem the image is
 * the line integral of the map along Aᵀ·(x, y, t), in voxel units.
 */
public interface FourierProjector extends AutoCloseable {

	/** A projector of {@code volume} on {@code device} (Java or OpenCL). */
	static FourierProjector create(final FourierVolume volume, final double maxRadius, final ComputeDevice device) {
		if (device.isOpenCl()) return new OpenClFourierProjector(volume, maxRadius, device.openCl());
		return new JavaFourierProjector(volume, maxRadius);
	}

	/** Floats in one N × N half-complex slice. */
	static int sliceLength(final int n) {
		return Fft.length(n, n, 1);
	}

	/** The box size N of the slices. */
	int size();

	/** Computes the slices at {@code rotations} (row-major 3 × 3) into {@code slices}. */
	void project(double[][] rotations, float[] slices);

	/** Releases device memory; the Java projector holds none. */
	@Override
	void close();
}

package org.vitreous.projection;

import java.util.Arrays;

import org.vitreous.compute.OpenClDevice;
import org.vitreous.compute.OpenClDevice.Buffer;
import org.vitreous.compute.OpenClDevice.Kernel;

/**
 * {@link FourierBackProjector} on an OpenCL device: sums stay on the device, slices are added with atomic float
 * additions (so the order of additions, and the last bits of the sums, may vary between runs).
 */
final class OpenClFourierBackProjector implements FourierBackProjector {

	private final OpenClDevice device;
	private final int size, padding;
	private final float r2max;
	private final Buffer data, weights;

	OpenClFourierBackProjector(final int size, final int padding, final double maxRadius, final OpenClDevice device) {
		this.device = device;
		this.size = size;
		this.padding = padding;
		this.r2max = (float) (maxRadius * maxRadius);
		final int p = size * padding;
		final long elements = (long) (p / 2 + 1) * p * p;
		final Buffer d = device.buffer(2 * elements);
		try {
			this.weights = device.buffer(elements);
		} catch (final RuntimeException e) {
			d.close();
			throw e;
		}
		this.data = d;
	}

	@Override
	public void insert(final double[][] rotations, final float[] slices, final float[] sliceWeights) {
		if (rotations.length == 0) return;
		final int n = size, length = FourierProjector.sliceLength(n), hx = n / 2 + 1;
		if (slices.length < (long) rotations.length * length) throw new IllegalArgumentException(slices.length / length
			+ " slices for " + rotations.length + " rotations");
		if (sliceWeights != null && sliceWeights.length < (long) rotations.length * hx * n)
			throw new IllegalArgumentException("too few slice weights for " + rotations.length + " slices");
		final float[] s = slices.length == (long) rotations.length * length ? slices : Arrays.copyOf(slices,
			rotations.length * length);
		try (Buffer rot = device.buffer(Rotations9.pack(rotations)); Buffer in = device.buffer(s); Buffer w = sliceWeights
			== null ? device.buffer(1) : device.buffer(Arrays.copyOf(sliceWeights, rotations.length * hx * n));
			Kernel k = device.kernel(getClass(), "projectors.cl", "fourier_backproject"))
		{
			k.arg(0, data).arg(1, weights).arg(2, size * padding).arg(3, padding).arg(4, rot).arg(5, n).arg(6, r2max).arg(
				7, in).arg(8, w).arg(9, sliceWeights == null ? 0 : 1);
			device.run(k, hx, n, rotations.length);
		}
	}

	@Override
	public FourierAccumulator accumulator() {
		final FourierAccumulator a = new FourierAccumulator(size, padding);
		device.read(data, a.data());
		device.read(weights, a.weights());
		return a;
	}

	@Override
	public void close() {
		data.close();
		weights.close();
	}
}

package org.vitreous.projection;

import org.vitreous.compute.OpenClDevice;
import org.vitreous.compute.OpenClDevice.Buffer;
import org.vitreous.compute.OpenClDevice.Kernel;

/** {@link FourierProjector} on an OpenCL device; the volume is uploaded once and kept until {@link #close}. */
final class OpenClFourierProjector implements FourierProjector {

	private final OpenClDevice device;
	private final FourierVolume volume;
	private final float r2max;
	private final Buffer data;

	OpenClFourierProjector(final FourierVolume volume, final double maxRadius, final OpenClDevice device) {
		this.device = device;
		this.volume = volume;
		this.r2max = (float) (maxRadius * maxRadius);
		this.data = device.buffer(volume.data());
	}

	@Override
	public int size() {
		return volume.size();
	}

	@Override
	public void project(final double[][] rotations, final float[] slices) {
		if (rotations.length == 0) return;
		final int n = volume.size(), length = FourierProjector.sliceLength(n);
		if (slices.length < (long) rotations.length * length) throw new IllegalArgumentException("room for "
			+ slices.length / length + " slices, not " + rotations.length);
		try (Buffer rot = device.buffer(Rotations9.pack(rotations)); Buffer out = device.buffer((long) rotations.length
			* length); Kernel k = device.kernel(getClass(), "projectors.cl", "fourier_project"))
		{
			k.arg(0, data).arg(1, volume.paddedSize()).arg(2, volume.padding()).arg(3, rot).arg(4, n).arg(5, r2max).arg(
				6, out);
			device.run(k, n / 2 + 1, n, rotations.length);
			device.read(out, 0, slices, 0, rotations.length * length);
		}
	}

	@Override
	public void close() {
		data.close();
	}
}

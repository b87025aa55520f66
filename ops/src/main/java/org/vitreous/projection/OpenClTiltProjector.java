package org.vitreous.projection;

import org.vitreous.compute.OpenClDevice;
import org.vitreous.compute.OpenClDevice.Buffer;
import org.vitreous.compute.OpenClDevice.Kernel;

/** {@link TiltProjector} on an OpenCL device; buffers live for one call. */
final class OpenClTiltProjector extends TiltGeometry {

	private final OpenClDevice device;

	OpenClTiltProjector(final int nx, final int ny, final int nz, final double[] tilts, final OpenClDevice device) {
		super(nx, ny, nz, tilts);
		this.device = device;
	}

	@Override
	public void project(final float[] volume, final float[] series) {
		check(volume, series);
		try (Buffer v = device.buffer(volume); Buffer cs = device.buffer(cosSin); Buffer out = device.buffer(
			(long) series.length); Kernel k = device.kernel(getClass(), "projectors.cl", "tilt_project"))
		{
			k.arg(0, v).arg(1, nx).arg(2, ny).arg(3, nz).arg(4, cs).arg(5, nx).arg(6, out);
			device.run(k, nx, ny, nt);
			device.read(out, series);
		}
	}

	@Override
	public void backProject(final float[] series, final float[] volume) {
		check(volume, series);
		try (Buffer s = device.buffer(series); Buffer cs = device.buffer(cosSin); Buffer out = device.buffer(
			(long) volume.length); Kernel k = device.kernel(getClass(), "projectors.cl", "tilt_backproject"))
		{
			k.arg(0, s).arg(1, nx).arg(2, ny).arg(3, nt).arg(4, cs).arg(5, nx).arg(6, nz).arg(7, out);
			device.run(k, nx, ny, nz);
			device.read(out, volume);
		}
	}

	@Override
	public void close() {}
}

package org.vitreous.projection;

import org.vitreous.compute.OpenClDevice;
import org.vitreous.compute.OpenClDevice.Buffer;
import org.vitreous.compute.OpenClDevice.Kernel;

/** {@link TiltProjector} on an OpenCL device; buffers live for one call. */
final class OpenClTiltProjector implements TiltProjector {

	private final OpenClDevice device;
	private final int nx, ny, nz, nt;
	private final float[] cosSin;

	OpenClTiltProjector(final int nx, final int ny, final int nz, final double[] tilts, final OpenClDevice device) {
		this.device = device;
		this.nx = nx;
		this.ny = ny;
		this.nz = nz;
		this.nt = tilts.length;
		this.cosSin = TiltProjector.cosSin(tilts);
	}

	private void check(final float[] volume, final float[] series) {
		if (volume.length != (long) nx * ny * nz || series.length != (long) nx * ny * nt)
			throw new IllegalArgumentException("volume of " + volume.length + " and series of " + series.length
				+ " values do not match " + nx + " x " + ny + " x " + nz + " with " + nt + " tilts");
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

package org.vitreous.projection;

import org.vitreous.compute.ComputeDevice;

/**
 * The single-axis tomography projector (DESIGN section 3): the tilt axis is y, the beam is z at tilt 0, and at
 * tilt t the voxel at centred (x, z) lands on detector column u = x·cos t − z·sin t (centres at index n/2).
 * Each voxel spreads over the two nearest detector columns by linear interpolation (a hat of width one pixel), so
 * the sum of every projection equals the sum of the volume where the detector covers it; a projection is a ray sum
 * in voxel units. The back-projector is its exact transpose: every voxel gathers the linear interpolation of each
 * projection at u(x, z). Volumes are nx × ny × nz (x fastest); tilt series nu × ny × tilts with nu = nx.
 */
public interface TiltProjector extends AutoCloseable {

	/** A projector for this volume geometry and these tilts (degrees) on {@code device}. */
	static TiltProjector create(final int nx, final int ny, final int nz, final double[] tilts,
		final ComputeDevice device)
	{
		if (nx <= 0 || ny <= 0 || nz <= 0) throw new IllegalArgumentException("volume " + nx + " x " + ny + " x " + nz);
		if (tilts.length == 0) throw new IllegalArgumentException("no tilt angles");
		if (device.isOpenCl()) return new OpenClTiltProjector(nx, ny, nz, tilts, device.openCl());
		return new JavaTiltProjector(nx, ny, nz, tilts);
	}

	/** Projects {@code volume} into {@code series} (overwritten). */
	void project(float[] volume, float[] series);

	/** Back-projects {@code series} into {@code volume} (overwritten). */
	void backProject(float[] series, float[] volume);

	/**
	 * Back-projects {@code series} into {@code volume} (overwritten) for a one-pass reconstruction such as WBP,
	 * where the exact transpose is not needed: an implementation may read each row from a copy oversampled
	 * {@link #OVERSAMPLING} times by linear interpolation with the nearest sample, which moves each read by at most
	 * 1/32 of a pixel from the exact linear interpolation. This one is exact.
	 */
	default void backProjectOnce(final float[] series, final float[] volume) {
		backProject(series, volume);
	}

	/** Oversampling of the rows that {@link #backProjectOnce} may read from. */
	int OVERSAMPLING = 16;

	@Override
	void close();

	/** cos t and sin t interleaved, t in radians. */
	static float[] cosSin(final double[] tilts) {
		final float[] cs = new float[2 * tilts.length];
		for (int t = 0; t < tilts.length; t++) {
			cs[2 * t] = (float) Math.cos(Math.toRadians(tilts[t]));
			cs[2 * t + 1] = (float) Math.sin(Math.toRadians(tilts[t]));
		}
		return cs;
	}
}

package org.vitreous.projection;

/** The geometry both tilt projectors share: volume size, tilts as (cos, sin), and the size checks. */
abstract class TiltGeometry implements TiltProjector {

	final int nx, ny, nz, nt;
	final float[] cosSin;

	TiltGeometry(final int nx, final int ny, final int nz, final double[] tilts) {
		this.nx = nx;
		this.ny = ny;
		this.nz = nz;
		this.nt = tilts.length;
		this.cosSin = TiltProjector.cosSin(tilts);
	}

	final void check(final float[] volume, final float[] series) {
		if (volume.length != (long) nx * ny * nz) throw new IllegalArgumentException("volume of " + volume.length
			+ " voxels is not " + nx + " x " + ny + " x " + nz);
		if (series.length != (long) nx * ny * nt) throw new IllegalArgumentException("tilt series of " + series.length
			+ " pixels is not " + nx + " x " + ny + " x " + nt);
	}
}

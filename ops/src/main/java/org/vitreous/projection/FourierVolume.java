package org.vitreous.projection;

import org.vitreous.compute.Parallel;
import org.vitreous.fourier.Fft;

/**
 * A map prepared for Fourier-slice projection, as RELION prepares it: the N³ map is zero-padded to P = padding·N
 * voxels a side (the map's centre N/2 at the padded centre P/2), divided by sinc²(r/P) (the gridding correction
 * for trilinear interpolation in Fourier space, r in voxels from the centre) and transformed with its centre as
 * origin ({@link Fft#forwardCentred}). Data are in the half-complex layout of {@link Fft}, P × P × P.
 */
public final class FourierVolume {

	private final int size, padding;
	private final float[] data;

	private FourierVolume(final int size, final int padding, final float[] data) {
		this.size = size;
		this.padding = padding;
		this.data = data;
	}

	/** Prepares an N³ map (x fastest) for projection with trilinear interpolation. */
	public static FourierVolume of(final float[] map, final int n, final int padding) {
		if ((long) n * n * n != map.length) throw new IllegalArgumentException("a map of " + map.length
			+ " voxels is not " + n + "³");
		if (padding < 1 || padding > 4) throw new IllegalArgumentException("padding " + padding + " is outside 1 to 4");
		final int p = n * padding, off = p / 2 - n / 2, c = n / 2;
		final float[] padded = new float[p * p * p];
		Parallel.forRange(n, (start, end) -> {
			for (int z = start; z < end; z++)
				for (int y = 0; y < n; y++)
					for (int x = 0; x < n; x++) {
						padded[((z + off) * p + y + off) * p + x + off] = (float) (map[(z * n + y) * n + x]
							/ trilinearKernel(x - c, y - c, z - c, p));
					}
		});
		return new FourierVolume(n, padding, Fft.forwardCentred(padded, p, p, p));
	}

	/**
	 * The real-space image of the trilinear interpolation kernel on a P-voxel padded grid, sinc²(r/P), at offset
	 * (dx, dy, dz) voxels from the centre: maps are divided by it before projection and after reconstruction.
	 */
	public static double trilinearKernel(final int dx, final int dy, final int dz, final int p) {
		final double r = Math.sqrt((double) dx * dx + (double) dy * dy + (double) dz * dz) / p;
		final double sinc = r > 0 ? Math.sin(Math.PI * r) / (Math.PI * r) : 1;
		return sinc * sinc;
	}

	/** Wraps an existing padded half-complex transform (P = padding·n). */
	public static FourierVolume wrap(final float[] data, final int n, final int padding) {
		final int p = n * padding;
		if (data.length != Fft.length(p, p, p)) throw new IllegalArgumentException(data.length
			+ " floats do not hold a half-complex " + p + "³ transform");
		return new FourierVolume(n, padding, data);
	}

	/** The box size N of the map and of the projections. */
	public int size() {
		return size;
	}

	public int padding() {
		return padding;
	}

	/** The padded size P = padding·N. */
	public int paddedSize() {
		return size * padding;
	}

	/** The half-complex P³ transform (shared, not copied). */
	public float[] data() {
		return data;
	}
}

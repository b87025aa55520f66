package org.vitreous.simulate;

import java.util.Arrays;

import org.vitreous.compute.ComputeDevice;
import org.vitreous.compute.Parallel;
import org.vitreous.ctf.Ctf;
import org.vitreous.fourier.Fft;
import org.vitreous.fourier.FourierFilters;
import org.vitreous.projection.FourierProjector;
import org.vitreous.projection.FourierVolume;

/**
 * Particle images of a map as RELION's relion_project makes them: the central slice at the pose (RELION's Euler
 * angles), shifted by minus the origin offsets (the offsets move the particle onto the reference projection, so
 * the particle is the projection moved by −origin), multiplied by the CTF when one is given, and transformed back
 * to an N × N real image. Frequencies beyond N/2 Fourier pixels are zero, as in relion_project.
 */
public final class ParticleRenderer implements AutoCloseable {

	/** Poses rendered per projector call. */
	public static final int BATCH = 256;

	private final int n;
	private final double pixelSize;
	private final FourierProjector projector;

	/**
	 * @param map the N³ map, x fastest
	 * @param pixelSize Å per pixel of map and images
	 * @param padding Fourier padding of the map (RELION's --pad, 2 by default)
	 */
	public ParticleRenderer(final float[] map, final int n, final double pixelSize, final int padding,
		final ComputeDevice device)
	{
		this.n = n;
		this.pixelSize = pixelSize;
		this.projector = FourierProjector.create(FourierVolume.of(map, n, padding), n / 2.0, device);
	}

	public int size() {
		return n;
	}

	/**
	 * Renders images.
	 *
	 * @param rotations the pose matrices (RELION's A)
	 * @param origins origin offsets {x, y} in Å per image (RELION's rlnOriginXAngst/YAngst)
	 * @param ctfs a CTF per image, or null for none (entries may be null too)
	 * @param images n images of N × N floats, filled
	 */
	public void render(final double[][] rotations, final double[][] origins, final Ctf[] ctfs, final float[] images) {
		final int count = rotations.length, length = FourierProjector.sliceLength(n), area = n * n;
		if (images.length < (long) count * area) throw new IllegalArgumentException("room for " + images.length / area
			+ " images, not " + count);
		final float[] slices = new float[count * length];
		projector.project(rotations, slices);
		Parallel.forRange(count, (start, end) -> {
			for (int i = start; i < end; i++) {
				final float[] f = Arrays.copyOfRange(slices, i * length, (i + 1) * length);
				if (ctfs != null && ctfs[i] != null) ctfs[i].apply(f, n, n, pixelSize);
				// one phase ramp moves the particle by −origin and un-centres the transform (Fft.inverseCentred)
				final double dx = -origins[i][0] / pixelSize, dy = -origins[i][1] / pixelSize;
				FourierFilters.shift(f, n, n, 1, dx + Fft.imageCentre(n), dy + Fft.imageCentre(n), 0);
				System.arraycopy(Fft.inverse(f, n, n, 1), 0, images, i * area, area);
			}
		});
	}

	@Override
	public void close() {
		projector.close();
	}
}

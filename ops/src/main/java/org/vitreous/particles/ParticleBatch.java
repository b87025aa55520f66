package org.vitreous.particles;

import java.io.IOException;

import org.vitreous.compute.Parallel;
import org.vitreous.ctf.Ctf;
import org.vitreous.fourier.FourierFilters;
import org.vitreous.image.Masks;

/**
 * Particles read for alignment: each image masked by a soft circle and Fourier-transformed with its origin at the
 * box centre ({@link FourierFilters#centredTransform}), with its CTF image (null without CTF). Members
 * {@code members} of the source, in that order.
 */
public record ParticleBatch(int[] members, float[][] transforms, float[][] ctfs) {

	/** Reads {@code members}; the images are read in order, the transforms made in parallel. */
	public static ParticleBatch read(final ParticleSource source, final int[] members, final float[] circle,
		final boolean ctf) throws IOException
	{
		final int n = source.boxSize();
		final double pixelSize = source.pixelSize();
		final float[][] pixels = new float[members.length][], transforms = new float[members.length][], ctfs =
			new float[members.length][];
		final Ctf[] c = new Ctf[members.length];
		for (int i = 0; i < members.length; i++) {
			pixels[i] = source.image(members[i]);
			if (ctf) c[i] = source.ctf(members[i]);
		}
		Parallel.forRange(members.length, (start, end) -> {
			for (int i = start; i < end; i++) {
				transforms[i] = FourierFilters.centredTransform(Masks.particle(pixels[i], circle), n, 0, 0);
				ctfs[i] = c[i] == null ? null : c[i].image(n, n, pixelSize);
			}
		});
		return new ParticleBatch(members, transforms, ctfs);
	}

	/** Reads members {@code start} to {@code start + count − 1}. */
	public static ParticleBatch read(final ParticleSource source, final int start, final int count,
		final float[] circle, final boolean ctf) throws IOException
	{
		final int[] members = new int[count];
		for (int i = 0; i < count; i++)
			members[i] = start + i;
		return read(source, members, circle, ctf);
	}
}

package org.vitreous.reconstruct;

import java.io.IOException;

import org.vitreous.compute.Parallel;
import org.vitreous.ctf.Ctf;
import org.vitreous.ctf.CtfStar;
import org.vitreous.image.Masks;
import org.vitreous.io.ParticleImages;
import org.vitreous.io.RelionStar;

/**
 * Particles read for alignment: each image masked by a soft circle and Fourier-transformed with its origin at the
 * box centre ({@link Reconstructor#transform}), with its CTF image (null without CTF). Rows {@code members} of
 * the STAR, in that order.
 */
public record ParticleBatch(int[] members, float[][] transforms, float[][] ctfs) {

	/** Reads rows {@code members}; the images are read in order, the transforms made in parallel. */
	public static ParticleBatch read(final RelionStar star, final ParticleImages images, final int[] members,
		final int n, final double pixelSize, final float[] circle, final boolean ctf) throws IOException
	{
		final float[][] pixels = new float[members.length][], transforms = new float[members.length][], ctfs =
			new float[members.length][];
		final Ctf[] c = new Ctf[members.length];
		for (int i = 0; i < members.length; i++) {
			final RelionStar.Particle p = star.particle(members[i]);
			pixels[i] = images.read(p.image());
			if (ctf) c[i] = CtfStar.of(star, members[i], p);
		}
		Parallel.forRange(members.length, (start, end) -> {
			for (int i = start; i < end; i++) {
				transforms[i] = Reconstructor.transform(Masks.particle(pixels[i], circle), n, 0, 0);
				ctfs[i] = c[i] == null ? null : c[i].image(n, n, pixelSize);
			}
		});
		return new ParticleBatch(members, transforms, ctfs);
	}

	/** Reads rows {@code start} to {@code start + count − 1}. */
	public static ParticleBatch read(final RelionStar star, final ParticleImages images, final int start,
		final int count, final int n, final double pixelSize, final float[] circle, final boolean ctf) throws IOException
	{
		final int[] members = new int[count];
		for (int i = 0; i < count; i++)
			members[i] = start + i;
		return read(star, images, members, n, pixelSize, circle, ctf);
	}
}

package org.vitreous.particles;

import org.vitreous.ctf.Ctf;
import org.vitreous.io.RelionStar;

/** Particles held in memory: images, metadata and CTFs given by the caller. */
public final class MemoryParticles implements ParticleSource {

	private final int n;
	private final double pixelSize;
	private final float[][] images;
	private final RelionStar.Particle[] particles;
	private final Ctf[] ctfs;

	/**
	 * @param images N × N pixels per particle
	 * @param particles metadata per particle (its image reference is not read)
	 * @param ctfs CTF per particle; null where the particles have none (a stage asked to model the CTF refuses)
	 */
	public MemoryParticles(final int n, final double pixelSize, final float[][] images,
		final RelionStar.Particle[] particles, final Ctf[] ctfs)
	{
		if (particles.length != images.length || ctfs != null && ctfs.length != images.length)
			throw new IllegalArgumentException(images.length + " images, " + particles.length + " particles" + (ctfs == null
				? "" : ", " + ctfs.length + " CTFs"));
		for (final float[] image : images)
			if (image.length != n * n) throw new IllegalArgumentException("an image of " + image.length + " pixels in a "
				+ n + " x " + n + " source");
		this.n = n;
		this.pixelSize = pixelSize;
		this.images = images;
		this.particles = particles;
		this.ctfs = ctfs;
	}

	@Override
	public int size() {
		return images.length;
	}

	@Override
	public int boxSize() {
		return n;
	}

	@Override
	public double pixelSize() {
		return pixelSize;
	}

	@Override
	public RelionStar.Particle particle(final int i) {
		return particles[i];
	}

	@Override
	public float[] image(final int i) {
		return images[i];
	}

	@Override
	public Ctf ctf(final int i) {
		if (ctfs == null) throw new IllegalStateException("these particles have no CTFs");
		return ctfs[i];
	}

	@Override
	public void close() {}
}

package org.vitreous.particles;

import java.io.IOException;

import org.vitreous.ctf.Ctf;
import org.vitreous.ctf.CtfStar;
import org.vitreous.io.ParticleImages;
import org.vitreous.io.RelionStar;

/** The particles of a RELION STAR and the stacks it names, streamed: each image is read when it is asked for. */
public final class StarParticles implements ParticleSource {

	private final RelionStar star;
	private final ParticleImages images;
	private final int n;
	private final double pixelSize;

	/** The STAR's particles, of the box and pixel size its optics and stacks give ({@link RelionStar#imageGeometry}). */
	public StarParticles(final RelionStar star) throws IOException {
		this(star, star.imageGeometry());
	}

	/** The STAR's particles, of a box and pixel size the caller has found or been given. */
	public StarParticles(final RelionStar star, final RelionStar.ImageGeometry geometry) {
		this.star = star;
		this.n = geometry.size();
		this.pixelSize = geometry.pixelSize();
		this.images = new ParticleImages(n);
	}

	/** The STAR read. */
	public RelionStar star() {
		return star;
	}

	@Override
	public int size() {
		return star.size();
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
	public RelionStar.Particle particle(final int i) throws IOException {
		return star.particle(i);
	}

	@Override
	public float[] image(final int i) throws IOException {
		return images.read(star.image(i));
	}

	@Override
	public Ctf ctf(final int i) throws IOException {
		return CtfStar.of(star, i);
	}

	@Override
	public void close() throws IOException {
		images.close();
	}
}

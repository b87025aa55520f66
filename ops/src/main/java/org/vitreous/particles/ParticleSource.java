package org.vitreous.particles;

import java.io.IOException;

import org.vitreous.ctf.Ctf;
import org.vitreous.io.RelionStar;

/**
 * The particles a stage works on: how many, their box and pixel size, and for particle i its image, its CTF and
 * its metadata (pose, origin, half set, class, as a {@link RelionStar.Particle}). Stages read through this, never
 * a STAR and its stacks directly, so the same stage runs on particles streamed from disk ({@link StarParticles}),
 * on particles made in memory ({@link MemoryParticles}: a simulation, a test, one partition of a cluster job), and
 * later on particles extracted from micrographs. Images are read in index order by one thread at a time; what
 * is done with them is the stage's to spread over threads ({@link ParticleBatch}).
 */
public interface ParticleSource extends AutoCloseable {

	int size();

	/** N: the images are N × N. */
	int boxSize();

	/** Å/px of the images. */
	double pixelSize();

	/** Particle i's metadata. */
	RelionStar.Particle particle(int i) throws IOException;

	/** Particle i's N × N pixels, row-major. */
	float[] image(int i) throws IOException;

	/** Particle i's CTF, from its defocus and its optics group's voltage, Cs and amplitude contrast. */
	Ctf ctf(int i) throws IOException;

	@Override
	void close() throws IOException;
}

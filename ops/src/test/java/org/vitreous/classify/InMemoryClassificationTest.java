package org.vitreous.classify;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Random;

import org.junit.Test;
import org.vitreous.Progress;
import org.vitreous.io.ImageReference;
import org.vitreous.io.RelionStar;
import org.vitreous.particles.MemoryParticles;

/**
 * classify-2d's core on particles held in memory, no file read or written (issue 16): two shapes, an off-centre
 * pair of blobs and a bar, at random in-plane angles in noise, fall into two classes, each holding one shape.
 */
public class InMemoryClassificationTest {

	@Test
	public void twoShapesFallIntoTwoClasses() throws Exception {
		final int n = 32, count = 80;
		final Random random = new Random(5);
		final float[][] images = new float[count][];
		final RelionStar.Particle[] particles = new RelionStar.Particle[count];
		final boolean[] bar = new boolean[count];
		for (int i = 0; i < count; i++) {
			bar[i] = i % 2 == 0;
			final double angle = random.nextDouble() * 2 * Math.PI, c = Math.cos(angle), s = Math.sin(angle);
			images[i] = new float[n * n];
			for (int y = 0; y < n; y++)
				for (int x = 0; x < n; x++) {
					final double u = c * (x - n / 2) + s * (y - n / 2), v = -s * (x - n / 2) + c * (y - n / 2);
					final double signal = bar[i] ? (Math.abs(u) < 8 && Math.abs(v) < 2 ? 1 : 0) : Math.exp(-((u - 5) * (u - 5)
						+ v * v) / 8) + Math.exp(-((u + 3) * (u + 3) + (v - 4) * (v - 4)) / 8);
					images[i][y * n + x] = (float) (signal + 0.5 * random.nextGaussian());
				}
			particles[i] = new RelionStar.Particle(new ImageReference(i + 1, null), 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0);
		}
		final Classify2d.Settings s = new Classify2d.Settings();
		s.classes = 2;
		s.iterations = 6;
		s.ctf = false;
		s.initialResolution = 20;
		final Classify2d.Classes classes = Classify2d.classify(new MemoryParticles(n, 2, images, particles,
			null), s, Progress.NONE, line -> {});
		final int[] of = classes.classOf();
		int agree = 0;
		for (int i = 0; i < count; i++)
			if ((of[i] == of[0]) == bar[i]) agree++;
		// the labels are arbitrary: agreement is the share on one side or the other
		final double purity = Math.max(agree, count - agree) / (double) count;
		System.out.printf("in-memory classify-2d: %d of %d particles with their shape's class%n", Math.round(purity
			* count), count);
		assertEquals(2, classes.averages().length);
		assertTrue("purity " + purity, purity > 0.9);
	}
}

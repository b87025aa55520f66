package org.vitreous.simulate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.vitreous.Progress;
import org.vitreous.compute.ComputeDevice;
import org.vitreous.ctf.Ctf;
import org.vitreous.geometry.Euler;
import org.vitreous.geometry.Quaternion;
import org.vitreous.io.ImageReference;
import org.vitreous.io.MrcWriter;
import org.vitreous.io.RelionStar;
import org.vitreous.particles.MemoryParticles;

/**
 * Simulated single-particle data with known truth: uniform random poses, Gaussian origin offsets, a defocus per
 * particle drawn uniformly from a range with random astigmatism, the CTF, and white Gaussian noise at a requested
 * SNR (DESIGN section 3: the variance of all noise-free images over the whole box divided by the noise variance).
 * Writes {@code particles.mrcs} and {@code particles.star} (true poses and CTF, random halves 1 and 2 alternating).
 * The same seed gives the same bytes: poses and CTFs come from one seeded generator, each image's noise from a
 * generator seeded by the seed and the image number.
 */
public final class ParticleSimulation {

	/** What to simulate. Lengths in Å, angles in degrees, voltage in kV, Cs in mm. */
	public static final class Settings {
		public int count = 1000;
		public double snr = 0.1;
		public double defocusMin = 10000, defocusMax = 25000, astigmatism = 500;
		public double shiftSigma = 5;
		public double voltage = 300, sphericalAberration = 2.7, amplitudeContrast = 0.1;
		public boolean ctf = true;
		public long seed = 1;
		public int padding = 2;
	}

	/** The truth drawn for one particle. */
	public record Truth(double rot, double tilt, double psi, double originX, double originY, Ctf ctf) {}

	private ParticleSimulation() {}

	/** The poses, offsets and CTFs the settings and seed give (no images). */
	public static Truth[] draw(final Settings s) {
		if (s.count < 1) throw new IllegalArgumentException("count must be at least 1, not " + s.count);
		if (s.snr < 0 || Double.isNaN(s.snr)) throw new IllegalArgumentException("SNR must be positive (or 0 for none), not "
			+ s.snr);
		if (s.defocusMin > s.defocusMax) throw new IllegalArgumentException("defocus range " + s.defocusMin + " to "
			+ s.defocusMax + " is empty");
		final Random r = new Random(s.seed);
		final Truth[] t = new Truth[s.count];
		for (int i = 0; i < s.count; i++) {
			final double[] e = Euler.angles(Quaternion.random(r).matrix());
			final double ox = r.nextGaussian() * s.shiftSigma, oy = r.nextGaussian() * s.shiftSigma;
			final double mean = s.defocusMin + r.nextDouble() * (s.defocusMax - s.defocusMin);
			final double astig = r.nextDouble() * s.astigmatism, angle = r.nextDouble() * 180;
			final Ctf ctf = s.ctf ? new Ctf(s.voltage, s.sphericalAberration, s.amplitudeContrast, mean + astig / 2, mean
				- astig / 2, angle) : null;
			t[i] = new Truth(e[0], e[1], e[2], ox, oy, ctf);
		}
		return t;
	}

	/** Particles simulated into memory, and the SNR measured (signal variance over that of the noise added). */
	public record Simulated(MemoryParticles particles, double snr) {}

	/**
	 * Simulates into memory: the same images, truth and SNR {@link #run} writes to files (count × N² floats held),
	 * for a stage's core to run on in a test with no file touched.
	 */
	public static Simulated simulate(final float[] map, final int n, final double pixelSize, final Settings s,
		final ComputeDevice device, final Progress progress) throws IOException
	{
		final Truth[] truth = draw(s);
		final float[][] images = new float[s.count][];
		final double snr;
		try (ParticleRenderer renderer = new ParticleRenderer(map, n, pixelSize, s.padding, device)) {
			snr = noisyImages(renderer, n, truth, s, progress, (i, image) -> images[i] = image.clone());
		}
		final RelionStar.Particle[] particles = new RelionStar.Particle[s.count];
		final Ctf[] ctfs = s.ctf ? new Ctf[s.count] : null;
		for (int i = 0; i < s.count; i++) {
			particles[i] = particle(truth[i], i, null);
			if (ctfs != null) ctfs[i] = truth[i].ctf();
		}
		return new Simulated(new MemoryParticles(n, pixelSize, images, particles, ctfs), snr);
	}

	/**
	 * Simulates into {@code folder} (created if needed): particles.mrcs and particles.star. Both are written whole
	 * or not at all.
	 *
	 * @return the measured SNR: signal variance over the variance of the noise actually added
	 */
	public static double run(final float[] map, final int n, final double pixelSize, final Settings s,
		final Path folder, final ComputeDevice device, final Progress progress, final Path... inputs)
		throws IOException
	{
		final Truth[] truth = draw(s);
		Files.createDirectories(folder);
		final Path stack = folder.toAbsolutePath().resolve("particles.mrcs"), starPath = folder.resolve("particles.star");
		final MrcWriter.Settings ms = new MrcWriter.Settings().pixelSize(pixelSize).stack().label(
			"Vitreous simulate-particles: " + s.count + " particles, SNR " + s.snr + ", seed " + s.seed);
		try (ParticleRenderer renderer = new ParticleRenderer(map, n, pixelSize, s.padding, device); MrcWriter w =
			MrcWriter.open(stack, n, n, ms, inputs))
		{
			final double snr = noisyImages(renderer, n, truth, s, progress, (i, image) -> w.writeSection(image));
			final RelionStar star = RelionStar.createParticles(List.of(new RelionStar.OpticsGroup("opticsGroup1", 1,
				s.voltage, s.sphericalAberration, s.amplitudeContrast, pixelSize, n, 2)));
			for (int i = 0; i < s.count; i++)
				star.add(particle(truth[i], i, stack), folder);
			w.commit();
			try {
				star.write(starPath, inputs);
			} catch (final IOException | RuntimeException e) {
				Files.deleteIfExists(stack);
				throw e;
			}
			return snr;
		}
	}

	/** Particle i's metadata: its true pose, origin and CTF, half set 1 or 2 alternating. */
	private static RelionStar.Particle particle(final Truth t, final int i, final Path stack) {
		final Ctf c = t.ctf();
		return new RelionStar.Particle(new ImageReference(i + 1, stack), t.rot(), t.tilt(), t.psi(), t.originX(), t
			.originY(), c == null ? 0 : c.defocusU(), c == null ? 0 : c.defocusV(), c == null ? 0 : c.defocusAngle(), 1,
			i % 2 + 1, 0);
	}

	/** Where each noisy image goes, in index order (the array is reused for the next). */
	private interface ImageSink {
		void accept(int index, float[] image) throws IOException;
	}

	/**
	 * Renders every image twice: first to measure the variance of the noise-free signal over all images, then with
	 * the noise that gives the requested SNR, each into {@code sink}. Returns the SNR measured.
	 */
	private static double noisyImages(final ParticleRenderer renderer, final int n, final Truth[] truth,
		final Settings s, final Progress progress, final ImageSink sink) throws IOException
	{
		final int area = n * n;
		double sum = 0, sumSq = 0;
		final float[] batch = new float[ParticleRenderer.BATCH * area];
		for (int start = 0; start < s.count; start += ParticleRenderer.BATCH) {
			progress.checkCancelled();
			final int m = render(renderer, truth, start, batch);
			for (int i = 0; i < m * area; i++) {
				sum += batch[i];
				sumSq += batch[i] * (double) batch[i];
			}
			progress.report(start + m, 2L * s.count, "measuring the signal");
		}
		final double total = (double) s.count * area, mean = sum / total;
		final double signalVariance = sumSq / total - mean * mean;
		final double sigma = s.snr > 0 && !Double.isInfinite(s.snr) ? Math.sqrt(signalVariance / s.snr) : 0;
		double noiseSum = 0, noiseSq = 0;
		final float[] image = new float[area];
		for (int start = 0; start < s.count; start += ParticleRenderer.BATCH) {
			progress.checkCancelled();
			final int m = render(renderer, truth, start, batch);
			for (int i = 0; i < m; i++) {
				final Random noise = new Random(s.seed * 1_000_003L + start + i);
				for (int j = 0; j < area; j++) {
					final double e = sigma * noise.nextGaussian();
					noiseSum += e;
					noiseSq += e * e;
					image[j] = (float) (batch[i * area + j] + e);
				}
				sink.accept(start + i, image);
			}
			progress.report(s.count + start + m, 2L * s.count, "writing particles");
		}
		final double noiseVariance = noiseSq / total - (noiseSum / total) * (noiseSum / total);
		return noiseVariance > 0 ? signalVariance / noiseVariance : Double.POSITIVE_INFINITY;
	}

	private static int render(final ParticleRenderer renderer, final Truth[] truth, final int start,
		final float[] images)
	{
		final int m = Math.min(ParticleRenderer.BATCH, truth.length - start);
		final double[][] rot = new double[m][], origins = new double[m][];
		final Ctf[] ctfs = new Ctf[m];
		for (int i = 0; i < m; i++) {
			final Truth t = truth[start + i];
			rot[i] = Euler.matrix(t.rot(), t.tilt(), t.psi());
			origins[i] = new double[] { t.originX(), t.originY() };
			ctfs[i] = t.ctf();
		}
		renderer.render(rot, origins, ctfs, images);
		return m;
	}
}

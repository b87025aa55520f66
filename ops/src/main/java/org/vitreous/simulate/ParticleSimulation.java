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
		if (s.snr < 0 || Double.isNaN(s.snr)) throw new IllegalArgumentException("SNR must be positive (or 0 for none), not "
			+ s.snr);
		final Truth[] truth = draw(s);
		Files.createDirectories(folder);
		final Path stack = folder.toAbsolutePath().resolve("particles.mrcs"), starPath = folder.resolve("particles.star");
		final int area = n * n;
		try (ParticleRenderer renderer = new ParticleRenderer(map, n, pixelSize, s.padding, device)) {
			// pass 1: the variance of the noise-free signal over all images
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
			// pass 2: the same images again, with noise, streamed to the stack
			double noiseSum = 0, noiseSq = 0;
			final MrcWriter.Settings ms = new MrcWriter.Settings().pixelSize(pixelSize).stack().label(
				"Vitreous simulate-particles: " + s.count + " particles, SNR " + s.snr + ", seed " + s.seed);
			try (MrcWriter w = MrcWriter.open(stack, n, n, ms, inputs)) {
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
						w.writeSection(image);
					}
					progress.report(s.count + start + m, 2L * s.count, "writing particles");
				}
				final RelionStar star = RelionStar.createParticles(List.of(new RelionStar.OpticsGroup("opticsGroup1", 1,
					s.voltage, s.sphericalAberration, s.amplitudeContrast, pixelSize, n, 2)));
				for (int i = 0; i < s.count; i++) {
					final Truth t = truth[i];
					final Ctf c = t.ctf();
					star.add(new RelionStar.Particle(new ImageReference(i + 1, stack), t.rot(), t.tilt(), t.psi(), t
						.originX(), t.originY(), c == null ? 0 : c.defocusU(), c == null ? 0 : c.defocusV(), c == null ? 0 : c
							.defocusAngle(), 1, i % 2 + 1, 0), folder);
				}
				w.commit();
				try {
					star.write(starPath, inputs);
				} catch (final IOException | RuntimeException e) {
					Files.deleteIfExists(stack);
					throw e;
				}
			}
			final double noiseVariance = noiseSq / total - (noiseSum / total) * (noiseSum / total);
			return noiseVariance > 0 ? signalVariance / noiseVariance : Double.POSITIVE_INFINITY;
		}
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

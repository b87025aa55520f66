package org.vitreous.reconstruct;

import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import java.util.Random;

import org.junit.Test;
import org.vitreous.compute.ComputeDevice;
import org.vitreous.fourier.Fft;
import org.vitreous.geometry.Rotations;
import org.vitreous.geometry.So3Grid;
import org.vitreous.geometry.Symmetry;
import org.vitreous.io.CubicMap;
import org.vitreous.metrics.Fsc;
import org.vitreous.projection.FourierProjector;
import org.vitreous.projection.FourierVolume;

/**
 * What refine-3d's E-step knows of a particle beyond its pose, on particles that look real (issue 15, item 23):
 * genuine particles of known intensity scales (log-normal, as ice thickness makes them) and junk (a blob of the
 * particle's power at a random place), both in white noise. The particles are made in Fourier space, where the
 * search scores them: X = α·P_A + noise for the genuine, X = blob + noise for junk.
 * <ul>
 * <li>The least-squares scale at the found pose follows the true scale, and junk's is lower.</li>
 * <li>The global search's certainty is high for the genuine and low for junk.</li>
 * <li>Inserted with its scale (w·α·X over w·α²), the map from the same particles at the same found poses is
 * closer to the truth than the unweighted one: junk and faint particles count for what they carry.</li>
 * </ul>
 */
public class ScaleAndCertaintyTest {

	static final int N = 64, GENUINE = 240, JUNK = 80;

	@Test
	public void scaleAndCertaintySetApartJunkAndImproveTheMap() throws Exception {
		final float[] truth = CubicMap.read(ReconstructionTest.ribosome(), "test").values();
		final FourierVolume volume = FourierVolume.of(truth, N, 2);
		final int count = GENUINE + JUNK, length = FourierProjector.sliceLength(N), hx = Fft.halfWidth(N);
		final Random random = new Random(7);
		final double[][] truePoses = new double[count][];
		final double[] trueScale = new double[count];
		for (int i = 0; i < count; i++) {
			truePoses[i] = Rotations.random(random);
			trueScale[i] = i < GENUINE ? Math.exp(0.35 * random.nextGaussian()) : 0;
		}
		final float[] clean = new float[count * length];
		try (FourierProjector p = FourierProjector.create(volume, N / 2.0, ComputeDevice.JAVA)) {
			p.project(truePoses, clean);
		}
		// the mean signal power per element within the search limit sets the noise: SNR 1 per element there
		final double limit = 12;
		double power = 0;
		int elements = 0;
		for (int i = 0; i < GENUINE; i++)
			for (int y = 0; y < N; y++)
				for (int x = 0; x < hx; x++) {
					final int fy = Fft.frequency(y, N);
					if (x * x + fy * fy > limit * limit) continue;
					final int e = i * length + 2 * (y * hx + x);
					power += clean[e] * clean[e] + clean[e + 1] * clean[e + 1];
					elements++;
				}
		power /= elements;
		final double sigma2 = power / 1;
		final float[] particles = new float[count * length];
		for (int i = 0; i < count; i++) {
			final double cx = 3 * random.nextGaussian(), cy = 3 * random.nextGaussian(), width = 2 + 3 * random
				.nextDouble();
			for (int y = 0; y < N; y++)
				for (int x = 0; x < hx; x++) {
					final int fy = Fft.frequency(y, N), e = i * length + 2 * (y * hx + x);
					double re, im;
					if (i < GENUINE) {
						re = trueScale[i] * clean[e];
						im = trueScale[i] * clean[e + 1];
					} else { // a Gaussian blob of the particle's power at (cx, cy)
						final double k2 = x * x + fy * fy, phase = -2 * Math.PI * (x * cx + fy * cy) / N;
						final double a = Math.sqrt(power) * 3 * Math.exp(-2 * Math.PI * Math.PI * width * width * k2 / (N * N));
						re = a * Math.cos(phase);
						im = a * Math.sin(phase);
					}
					particles[e] = (float) (re + Math.sqrt(sigma2 / 2) * random.nextGaussian());
					particles[e + 1] = (float) (im + Math.sqrt(sigma2 / 2) * random.nextGaussian());
				}
		}
		final double[] noise = new double[N / 2 + 1];
		Arrays.fill(noise, sigma2);
		final double[][] found = new double[count][];
		final double[] scale = new double[count], certainty = new double[count];
		final So3Grid grid = new So3Grid(2, Symmetry.NONE);
		try (PoseSearch search = new PoseSearch(volume, limit, noise)) {
			search.prepareGlobal(grid, ComputeDevice.JAVA);
			for (int i = 0; i < count; i++) {
				final float[] x = Arrays.copyOfRange(particles, i * length, (i + 1) * length);
				final PoseSearch.Particle p = search.prepare(x, null);
				final PoseSearch.Global g = search.globalPosterior(p, 0, 0, 0, 1, 3, 1.5 * grid.step());
				PoseSearch.Candidate best = null;
				for (final PoseSearch.Candidate c : g.best()) {
					final PoseSearch.Candidate polished = search.local(p, c, grid.step() / 2, 2, 1, 1, 0);
					if (best == null || polished.score() > best.score()) best = polished;
				}
				found[i] = best.rotation();
				certainty[i] = g.certainty();
				scale[i] = Math.max(0, search.residual(x, null, best, new double[N / 2 + 1], new double[N / 2 + 1]));
			}
		}
		int right = 0;
		for (int i = 0; i < GENUINE; i++)
			if (Math.toDegrees(Rotations.angle(found[i], truePoses[i])) < 15) right++;
		final double scaleCorrelation = pearson(Arrays.copyOf(scale, GENUINE), Arrays.copyOf(
			trueScale, GENUINE));
		final double certaintyAuc = auc(certainty), scaleAuc = auc(scale);
		final double plain = truthFsc(particles, found, null, truth), corrected = truthFsc(particles, found, scale,
			truth);
		System.out.printf("E-step on %d genuine + %d junk: %d genuine within 15°; scale vs true scale r = %.3f; "
			+ "genuine vs junk AUC: certainty %.3f, scale %.3f; mean FSC vs truth to shell %d: plain %.4f, "
			+ "scale-corrected %.4f%n", GENUINE, JUNK, right, scaleCorrelation, certaintyAuc, scaleAuc, (int) limit, plain,
			corrected);
		// at this SNR a few genuine particles lose to a pseudo-symmetric view; most must be found
		assertTrue("genuine particles found " + right, right > 0.75 * GENUINE);
		assertTrue("scale correlation " + scaleCorrelation, scaleCorrelation > 0.9);
		assertTrue("certainty AUC " + certaintyAuc, certaintyAuc > 0.75);
		assertTrue("scale AUC " + scaleAuc, scaleAuc > 0.85);
		assertTrue("scale-corrected " + corrected + " vs plain " + plain, corrected > plain + 0.01);
	}

	/** The mean FSC against the truth over shells 1 to N/2 − 1 of the map from these particles at these poses. */
	static double truthFsc(final float[] particles, final double[][] poses, final double[] scales, final float[] truth) {
		try (Reconstructor r = new Reconstructor(N, 6, 2, ComputeDevice.JAVA)) {
			r.insert(particles, poses, null, scales);
			final float[] map = FourierInversion.invert(r.accumulator(), Symmetry.NONE, 0, 10);
			final double[] fsc = Fsc.compute(map, truth, N, N, N, null, 6).fsc();
			double sum = 0;
			for (int s = 1; s < N / 2; s++)
				sum += fsc[s];
			return sum / (N / 2 - 1);
		}
	}

	/** The probability that a genuine particle's value exceeds a junk particle's (ties count half). */
	static double auc(final double[] v) {
		double wins = 0;
		for (int i = 0; i < GENUINE; i++)
			for (int j = GENUINE; j < GENUINE + JUNK; j++)
				wins += v[i] > v[j] ? 1 : v[i] == v[j] ? 0.5 : 0;
		return wins / ((double) GENUINE * JUNK);
	}

	static double pearson(final double[] a, final double[] b) {
		double ma = 0, mb = 0;
		for (int i = 0; i < a.length; i++) {
			ma += a[i] / a.length;
			mb += b[i] / b.length;
		}
		double ab = 0, aa = 0, bb = 0;
		for (int i = 0; i < a.length; i++) {
			ab += (a[i] - ma) * (b[i] - mb);
			aa += (a[i] - ma) * (a[i] - ma);
			bb += (b[i] - mb) * (b[i] - mb);
		}
		return ab / Math.sqrt(aa * bb);
	}
}

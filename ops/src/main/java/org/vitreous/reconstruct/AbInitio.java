package org.vitreous.reconstruct;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;

import org.vitreous.Progress;
import org.vitreous.compute.ComputeDevice;
import org.vitreous.compute.Parallel;
import org.vitreous.ctf.CtfStar;
import org.vitreous.fourier.Fft;
import org.vitreous.fourier.FourierFilters;
import org.vitreous.geometry.Euler;
import org.vitreous.geometry.Rotations;
import org.vitreous.geometry.So3Grid;
import org.vitreous.geometry.Symmetry;
import org.vitreous.image.Masks;
import org.vitreous.io.AtomicOutput;
import org.vitreous.io.CubicMap;
import org.vitreous.io.RelionStar;
import org.vitreous.particles.ParticleBatch;
import org.vitreous.particles.ParticleSource;
import org.vitreous.particles.StarParticles;
import org.vitreous.projection.FourierAccumulator;
import org.vitreous.projection.FourierBackProjector;
import org.vitreous.projection.FourierProjector;
import org.vitreous.projection.FourierVolume;

/**
 * A first map from particles with no reference, by stochastic gradient descent on a voxel map with the poses
 * marginalised, as RELION 3.1's {@code --denovo_3dref --sgd} makes one.
 * <p>
 * Each iteration draws a mini-batch of particles and computes each one's posterior over the poses of a coarse
 * SO(3) grid and a few shifts against the current map (noise-weighted, CTF-aware; {@link PoseSearch#posterior}).
 * The batch's particles are inserted into Fourier sums at their most likely poses, each weighted by its posterior
 * probability, and the map's sums move a step towards the batch's: D ← (1 − η)·D + η·D_batch (and the weights
 * alike), which is a gradient step on the likelihood of the batch with the map's Fourier components as the
 * variables. The map is the Wiener-regularised inverse of the sums, low-passed to the iteration's limit
 * (frequency marching: the limit rises from the initial to the final resolution over the first 80% of the
 * iterations, as the batch grows), cut to the particle's sphere and clipped at zero (positivity; densities drawn
 * positive). The first batch is inserted at random poses. Symmetry is imposed on the sums. The noise power the
 * posteriors use starts inflated ({@link Settings#initialNoiseFudge}) and decays to the measured one, as RELION's
 * σ² fudge does: while the map is still wrong, flat posteriors spread each particle over many poses instead of
 * locking it into the wrong one.
 * <p>
 * After the last iteration every particle gets its most likely pose against the final map, written to a STAR
 * file that refine-3d can start from (with the map as its reference).
 */
public final class AbInitio {

	/** What to run and how. */
	public static final class Settings {
		public int iterations = 60;
		/** Particles per mini-batch at the start and at the end (it grows linearly). */
		public int initialBatch = 100, finalBatch = 200;
		/** Resolution limits, Å: the first iteration's and the last's (0 for 2.5 pixels). */
		public double initialResolution = 35, finalResolution = 20;
		/** η, the step towards each batch's sums (RELION's --sgd_stepsize). */
		public double stepSize = 0.5;
		/** HEALPix order of the pose grid: 1 is 30°, 2 is 15°. */
		public int healpixOrder = 2;
		/** Shifts searched, pixels: within this range of the centre, on this step. */
		public double offsetRange = 2, offsetStep = 1;
		/** Diameter of the spherical mask, Å; 0 for 90% of the box. */
		public double particleDiameter;
		public boolean ctf = true;
		public Symmetry symmetry = Symmetry.NONE;
		/** Hypotheses kept per particle for insertion. */
		public int keep = 32;
		/**
		 * The noise power is inflated by this factor at the start, the excess halving every sixth of the iterations
		 * (RELION's --sgd_sigma2fudge_initial): flatter posteriors while the map is still wrong.
		 */
		public double initialNoiseFudge = 8;
		/** Wiener constant, as a fraction of the mean weight. */
		public double wiener = 0.05;
		public long seed = 1;
	}

	/** One iteration's record. */
	public record Iteration(int number, double resolution, int batch, double meanMaxProbability, double seconds) {}

	/**
	 * The map (N³, x fastest), the iterations, and every particle with the pose, origin and half set it was given
	 * at the end (half sets kept where the input had them, drawn at random where not).
	 */
	public record Result(float[] map, int size, double pixelSize, List<Iteration> history,
		RelionStar.Particle[] particles)
	{}

	private AbInitio() {}

	/**
	 * Runs ab initio on {@code starPath}, writing {@code folder}/{@code initial_model.mrc}, {@code particles.star}
	 * (the input rows with the final poses, origins and half sets) and {@code run.log}.
	 */
	public static Result run(final Path starPath, final Path folder, final Settings s, final ComputeDevice device,
		final Progress progress, final Consumer<String> log) throws IOException
	{
		final RelionStar star = RelionStar.read(starPath);
		star.imageGeometry(); // refuses a file with no particles or no pixel size before any work
		if (s.ctf) CtfStar.requireColumns(star);
		final List<String> lines = new ArrayList<>();
		final Result result;
		try (StarParticles source = new StarParticles(star)) {
			result = reconstruct(source, s, device, progress, line -> {
				lines.add(line);
				log.accept(line);
			});
		}
		final Path here = folder.toAbsolutePath();
		for (int i = 0; i < star.size(); i++)
			star.set(i, result.particles()[i], here);
		Files.createDirectories(folder);
		new CubicMap(result.map(), result.size(), result.pixelSize()).write(folder.resolve("initial_model.mrc"),
			"Vitreous ab-initio: " + star.size() + " particles, " + s.iterations + " iterations, " + s.symmetry,
			starPath);
		star.write(folder.resolve("particles.star"), starPath);
		AtomicOutput.writeString(folder.resolve("run.log"), String.join("\n", lines) + "\n", starPath);
		return result;
	}

	/** Ab initio on any particle source: the core, no file read or written beyond what the source reads. */
	public static Result reconstruct(final ParticleSource source, final Settings s, final ComputeDevice device,
		final Progress progress, final Consumer<String> log) throws IOException
	{
		if (s.iterations < 1) throw new IllegalArgumentException("ab initio needs at least one iteration");
		if (s.initialBatch < 1 || s.finalBatch < s.initialBatch) throw new IllegalArgumentException("batch sizes "
			+ s.initialBatch + " to " + s.finalBatch + " must grow from at least 1");
		final double pixelSize = source.pixelSize();
		final int n = source.boxSize(), count = source.size();
		final double radius = Masks.particleRadius(s.particleDiameter, n, pixelSize);
		final float[] circle = Masks.circle(n, radius, Masks.PARTICLE_EDGE), sphere = Masks.sphere(n, radius,
			Masks.PARTICLE_EDGE);
		final double finalLimit = Math.min(n / 2.0 - 1, s.finalResolution > 0 ? n * pixelSize / s.finalResolution : n
			/ 2.5), initialLimit = Math.min(finalLimit, n * pixelSize / s.initialResolution);
		final Random random = new Random(s.seed);
		final So3Grid grid = new So3Grid(s.healpixOrder, s.symmetry);
		final double[] noise = new double[n / 2 + 1];
		final List<Iteration> history = new ArrayList<>();
		float[] map = null;
		FourierAccumulator sums = null;
		// the initial noise: the particles' mean power per shell (signal included, an overestimate to start)
		initialNoise(source, circle, Math.min(count, 200), noise);
		for (int it = 1; it <= s.iterations; it++) {
			progress.checkCancelled();
			final long t0 = System.nanoTime();
			final double march = Math.min(1, (it - 1) / Math.max(1.0, 0.8 * s.iterations - 1));
			final double limit = initialLimit + (finalLimit - initialLimit) * march;
			final int batch = Math.min(count, (int) Math.round(s.initialBatch + (s.finalBatch - s.initialBatch) * march));
			final int[] members = sample(random, count, batch);
			final ParticleBatch b = ParticleBatch.read(source, members, circle, s.ctf);
			final double[][] rotations;
			final double[][] shifts;
			final double[] weights, maxProbability = new double[batch];
			final int[] owner;
			if (map == null) {
				rotations = new double[batch][];
				for (int i = 0; i < batch; i++)
					rotations[i] = Rotations.random(random);
				shifts = new double[batch][2];
				weights = new double[batch];
				Arrays.fill(weights, 1);
				owner = new int[batch];
				for (int i = 0; i < batch; i++)
					owner[i] = i;
			}
			else {
				final double fudge = 1 + (s.initialNoiseFudge - 1) * Math.pow(0.5, (it - 1) / (s.iterations / 6.0));
				final Hypotheses h = expectation(map, n, limit, noise, fudge, grid, b, s, device, maxProbability);
				rotations = h.rotations;
				shifts = h.shifts;
				weights = h.weights;
				owner = h.owner;
			}
			final FourierAccumulator batchSums = insert(b, rotations, shifts, weights, owner, n, device);
			if (sums == null) sums = batchSums;
			else step(sums, batchSums, s.stepSize);
			map = regularise(FourierInversion.invert(sums, s.symmetry, s.wiener, 0), n, pixelSize, n * pixelSize / limit,
				sphere);
			final double seconds = (System.nanoTime() - t0) / 1e9, meanMax = Arrays.stream(maxProbability)
				.average().orElse(0);
			history.add(new Iteration(it, n * pixelSize / limit, batch, meanMax, seconds));
			log.accept(String.format(Locale.ROOT, "iteration %d: limit %.1f Å, batch %d, mean max probability %.3f, "
				+ "%.1f s", it, n * pixelSize / limit, batch, meanMax, seconds));
			progress.report(it, s.iterations, "ab initio");
		}
		final RelionStar.Particle[] particles = assignPoses(source, map, n, pixelSize, finalLimit, noise, grid, circle,
			s, device, random);
		return new Result(map, n, pixelSize, history, particles);
	}

	/** {@code k} distinct indices below {@code n}, drawn at random. */
	static int[] sample(final Random random, final int n, final int k) {
		final int[] all = new int[n];
		for (int i = 0; i < n; i++)
			all[i] = i;
		for (int i = 0; i < k; i++) {
			final int j = i + random.nextInt(n - i), t = all[i];
			all[i] = all[j];
			all[j] = t;
		}
		return Arrays.copyOf(all, k);
	}

	/** Posterior-weighted hypotheses of a batch, flattened: pose, shift, weight and the batch index each is of. */
	record Hypotheses(double[][] rotations, double[][] shifts, double[] weights, int[] owner) {}

	/**
	 * The E step: each batch particle's most likely hypotheses and their posterior probabilities under the noise
	 * power σ² times {@code fudge}; σ² is then measured afresh, within the limit, from the residuals at the best.
	 */
	static Hypotheses expectation(final float[] map, final int n, final double limit, final double[] noise,
		final double fudge, final So3Grid grid, final ParticleBatch b, final Settings s, final ComputeDevice device,
		final double[] maxProbability)
	{
		final int batch = b.members().length;
		final PoseSearch.Posterior[] posteriors = new PoseSearch.Posterior[batch];
		final double[][] residuals = new double[batch][noise.length], counts = new double[batch][noise.length];
		final double[] inflated = noise.clone();
		for (int k = 0; k < inflated.length; k++)
			inflated[k] *= fudge;
		try (PoseSearch search = new PoseSearch(FourierVolume.of(map, n, 2), limit, inflated)) {
			search.prepareGlobal(grid, device);
			Parallel.forRange(batch, (start, end) -> {
				for (int i = start; i < end; i++) {
					final PoseSearch.Particle p = search.prepare(b.transforms()[i], b.ctfs()[i]);
					posteriors[i] = search.posterior(p, 0, 0, s.offsetRange, s.offsetStep, s.keep);
					search.residual(b.transforms()[i], b.ctfs()[i], posteriors[i].best()[0], residuals[i], counts[i]);
				}
			});
		}
		final double[] sum = new double[noise.length], number = new double[noise.length];
		for (int i = 0; i < batch; i++)
			for (int k = 0; k < noise.length; k++) {
				sum[k] += residuals[i][k];
				number[k] += counts[i][k];
			}
		for (int k = 1; k < noise.length; k++)
			if (number[k] > 0) noise[k] = sum[k] / number[k];
		final List<double[]> rotations = new ArrayList<>(), shifts = new ArrayList<>();
		final List<Double> weights = new ArrayList<>();
		final List<Integer> owner = new ArrayList<>();
		for (int i = 0; i < batch; i++) {
			final PoseSearch.Posterior post = posteriors[i];
			double kept = 0;
			for (final PoseSearch.Candidate c : post.best())
				kept += Math.exp(c.score() - post.logSum());
			maxProbability[i] = Math.exp(post.best()[0].score() - post.logSum());
			for (final PoseSearch.Candidate c : post.best()) {
				final double g = Math.exp(c.score() - post.logSum()) / kept;
				if (g < 1e-3) continue;
				rotations.add(c.rotation());
				shifts.add(new double[] { c.shiftX(), c.shiftY() });
				weights.add(g);
				owner.add(i);
			}
		}
		return new Hypotheses(rotations.toArray(new double[0][]), shifts.toArray(new double[0][]), weights.stream()
			.mapToDouble(Double::doubleValue).toArray(), owner.stream().mapToInt(Integer::intValue).toArray());
	}

	/** Fourier sums of the batch's particles at the hypotheses, each times γ·C with weight γ·C². */
	static FourierAccumulator insert(final ParticleBatch b, final double[][] rotations, final double[][] shifts,
		final double[] weights, final int[] owner, final int n, final ComputeDevice device)
	{
		final int count = rotations.length, length = FourierProjector.sliceLength(n), hx = Fft
			.halfWidth(n);
		final float[] slices = new float[count * length], sliceWeights = new float[count * hx * n];
		Parallel.forRange(count, (start, end) -> {
			for (int h = start; h < end; h++) {
				final int i = owner[h];
				final float[] x = b.transforms()[i].clone(), c = b.ctfs()[i];
				FourierFilters.shift(x, n, n, 1, shifts[h][0], shifts[h][1], 0);
				final float g = (float) weights[h];
				for (int e = 0; e < hx * n; e++) {
					final float cv = c == null ? 1 : c[e];
					slices[h * length + 2 * e] = g * cv * x[2 * e];
					slices[h * length + 2 * e + 1] = g * cv * x[2 * e + 1];
					sliceWeights[h * hx * n + e] = g * cv * cv;
				}
			}
		});
		try (FourierBackProjector p = FourierBackProjector.create(n, 2, n / 2.0, device)) {
			p.insert(rotations, slices, sliceWeights);
			return p.accumulator();
		}
	}

	/** sums ← (1 − η)·sums + η·batch, data and weights alike. */
	static void step(final FourierAccumulator sums, final FourierAccumulator batch, final double eta) {
		final float[] d = sums.data(), w = sums.weights(), bd = batch.data(), bw = batch.weights();
		final float keep = (float) (1 - eta), take = (float) eta;
		for (int i = 0; i < d.length; i++)
			d[i] = keep * d[i] + take * bd[i];
		for (int i = 0; i < w.length; i++)
			w[i] = keep * w[i] + take * bw[i];
	}

	/** The priors: low-pass to {@code resolution} Å, the spherical mask, positivity. */
	static float[] regularise(final float[] map, final int n, final double pixelSize, final double resolution,
		final float[] sphere)
	{
		final float[] f = Fft.forward(map, n, n, n);
		FourierFilters.apply(f, n, n, n, pixelSize, FourierFilters.lowPass(resolution, 2, n, pixelSize));
		final float[] low = Masks.apply(Fft.inverse(f, n, n, n), sphere);
		for (int i = 0; i < low.length; i++)
			low[i] = Math.max(0, low[i]);
		return low;
	}

	/** σ² per shell from the mean power of the first {@code sample} particles. */
	static void initialNoise(final ParticleSource source, final float[] circle, final int sample, final double[] noise)
		throws IOException
	{
		final int n = source.boxSize();
		final double[] counts = new double[noise.length];
		for (final float[] x : ParticleBatch.read(source, 0, sample, circle, false).transforms())
			FourierFilters.addShellPower(x, n, noise, counts);
		for (int k = 0; k < noise.length; k++)
			noise[k] = counts[k] > 0 ? noise[k] / counts[k] : 1;
	}

	/**
	 * Every particle's most likely pose and shift against {@code map}, and a half set for those that have none.
	 */
	static RelionStar.Particle[] assignPoses(final ParticleSource source, final float[] map, final int n,
		final double pixelSize, final double limit, final double[] noise, final So3Grid grid, final float[] circle,
		final Settings s, final ComputeDevice device, final Random random) throws IOException
	{
		final int count = source.size(), chunk = 256;
		final RelionStar.Particle[] particles = new RelionStar.Particle[count];
		try (PoseSearch search = new PoseSearch(FourierVolume.of(map, n, 2), limit, noise)) {
			search.prepareGlobal(grid, device);
			for (int start = 0; start < count; start += chunk) {
				final ParticleBatch b = ParticleBatch.read(source, start, Math.min(chunk, count - start), circle, s.ctf);
				final int[] members = b.members();
				final PoseSearch.Candidate[] best = new PoseSearch.Candidate[members.length];
				Parallel.forRange(members.length, (a, e) -> {
					for (int i = a; i < e; i++)
						best[i] = search.global(search.prepare(b.transforms()[i], b.ctfs()[i]), 0, 0, s.offsetRange,
							s.offsetStep, 1)[0];
				});
				for (int i = 0; i < members.length; i++) {
					final RelionStar.Particle p = source.particle(members[i]);
					final double[] e = Euler.angles(best[i].rotation());
					particles[members[i]] = p.withPose(e[0], e[1], e[2], best[i].shiftX() * pixelSize, best[i].shiftY()
						* pixelSize).withSubset(p.randomSubset() > 0 ? p.randomSubset() : 1 + random.nextInt(2));
				}
			}
		}
		return particles;
	}
}

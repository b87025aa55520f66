package org.vitreous.classify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

import net.imglib2.img.array.ArrayImgs;
import org.vitreous.Progress;
import org.vitreous.compute.Parallel;
import org.vitreous.ctf.CtfStar;
import org.vitreous.fourier.Fft;
import org.vitreous.fourier.FourierFilters;
import org.vitreous.fourier.FourierPoints;
import org.vitreous.geometry.Euler;
import org.vitreous.image.Masks;
import org.vitreous.io.AtomicOutput;
import org.vitreous.io.FormatException;
import org.vitreous.io.MrcWriter;
import org.vitreous.io.RelionStar;
import org.vitreous.io.StarFile;
import org.vitreous.io.StarTable;
import org.vitreous.particles.ParticleBatch;
import org.vitreous.particles.ParticleSource;
import org.vitreous.particles.StarParticles;

/**
 * Reference-free 2D classification by expectation-maximisation, as RELION's 2D classification does it. The model
 * is K class averages A_k, class fractions π_k and a noise power σ² per Fourier shell; a particle X with CTF C is
 * C·R_ψ(A_k) moved by a shift t plus Gaussian noise, so its log-likelihood is
 * <pre>
 *   L(k, ψ, t) = Σ_j w_j·[Re(X_j·e_t,j·conj(C_j·P_j)) − ½·C_j²·|P_j|²],   w = 2/σ², P = A_k read at R_ψᵀ·j
 * </pre>
 * over the Fourier points j within the iteration's limit (σ² is E|N|² of a complex element, so each of its real
 * and imaginary parts has variance σ²/2 and −log p = |X − CP|²/σ²; RELION's sigma2_noise is that per-part
 * variance, with the same result). Each iteration computes every particle's posterior over
 * (k, ψ, t) ∝ π_k·exp(L) and rebuilds each class as the posterior-weighted, CTF-corrected average of the particles
 * turned back by ψ: A_k = Σ γ·C·X·e_t / (Σ γ·C² + σ²/(T·τ²)) (RELION's Wiener-like update, τ² the classes' power
 * per shell, T the regularisation fudge, 2 as RELION's 2D default). The classes are then masked by the particle
 * circle and re-centred on their centres of mass.
 * <p>
 * Cost is held down as RELION's adaptive oversampling does: the posterior is first computed over a coarse grid
 * (ψ and shift steps doubled, at most half the frequency limit); only the coarse hypotheses that carry 99.9% of
 * the probability (at most {@link Settings#maxSignificant}) are refined, each into its 2 × 4 children at the
 * fine steps and the full limit, and the posterior over those is what the classes are built from. The limit
 * widens linearly from {@link Settings#initialResolution} to {@link Settings#finalResolution} over the
 * iterations; the angular step is the rotation that moves the particle's rim by half the resolution.
 * <p>
 * A class's score is the posterior-weighted mean, over its members, of the normalised cross-correlation of the
 * particle with its best hypothesis; classes of junk (ice, empty boxes) correlate with nothing and score low.
 */
public final class Classification2D {

	/** What to classify and how. */
	public static final class Settings {
		/** K. */
		public int classes = 50;
		public int iterations = 25;
		/** Diameter of the soft circular mask on particles and classes, Å; 0 for 90% of the box. */
		public double particleDiameter;
		/** Model the CTF (RELION's --ctf); otherwise images are compared as they are. */
		public boolean ctf = true;
		/** Resolution limit of the first iteration, Å. */
		public double initialResolution = 30;
		/** Resolution limit of the last iteration, Å; 0 for 2.5 pixels (40% of Nyquist). */
		public double finalResolution;
		/** Shifts are searched within this many pixels of each particle's last offset. */
		public double offsetRange = 5;
		/** Finest shift step, pixels. */
		public double offsetStep = 1;
		/** Regularisation fudge T (RELION's --tau2_fudge). */
		public double tauFudge = 2;
		/** Coarse hypotheses refined per particle, at most. */
		public int maxSignificant = 48;
		/** Seed of the random initial classes. */
		public long seed = 1;
	}

	/** One class, numbered from 1 in order of decreasing population. */
	public record ClassSummary(int number, double fraction, double score, int members) {}

	/** The classes (K images of N × N, x fastest, in class order) and where the outputs are. */
	public record Result(float[] averages, int size, double pixelSize, List<ClassSummary> classes, Path folder) {}

	private Classification2D() {}

	/**
	 * Classifies the particles of {@code starPath} into {@code folder}: {@code classes.mrcs} (the averages in
	 * order of decreasing population), {@code classes.star} (per class: image, fraction of the particles, score),
	 * {@code particles.star} (the input rows with rlnClassNumber, rlnAnglePsi, origins, rlnMaxValueProbDistribution
	 * and rlnLogLikeliContribution) and {@code run.log}.
	 */
	public static Result run(final Path starPath, final Path folder, final Settings settings, final Progress progress,
		final Consumer<String> log) throws IOException
	{
		if (settings.classes < 1) throw new IllegalArgumentException("the number of classes must be at least 1, not "
			+ settings.classes);
		if (settings.iterations < 1) throw new IllegalArgumentException("the number of iterations must be at least 1");
		final RelionStar star = RelionStar.read(starPath);
		final RelionStar.ImageGeometry geometry = star.imageGeometry();
		if (settings.ctf) CtfStar.requireColumns(star);
		final double pixelSize = geometry.pixelSize();
		final int n = geometry.size();
		if (star.size() < settings.classes) throw new FormatException(starPath, "has " + star.size()
			+ " particles, fewer than the " + settings.classes + " classes asked for");
		final List<String> lines = new ArrayList<>();
		final Consumer<String> both = line -> {
			lines.add(line);
			log.accept(line);
		};
		try (StarParticles source = new StarParticles(star)) {
			final Job job = new Job(star, source, n, pixelSize, settings, progress, both);
			job.initialise();
			for (int it = 1; it <= settings.iterations; it++)
				job.iterate(it);
			return job.write(folder, starPath, lines);
		}
	}

	/** The state of one classification run. */
	private static final class Job {
		final RelionStar star;
		final ParticleSource source;
		final int n, hx, count, classes, shells;
		final double pixelSize, radius;
		final Settings settings;
		final Progress progress;
		final Consumer<String> log;
		final float[] circle;
		/** Per particle: class (0-based), ψ (degrees), offset (pixels), probability of the best, log-likelihood. */
		final int[] classOf;
		final double[] psi, offsetX, offsetY, maxProbability, logLikelihood, score;
		float[][] averages;
		double[] fraction, noise;

		Job(final RelionStar star, final ParticleSource source, final int n, final double pixelSize,
			final Settings settings, final Progress progress, final Consumer<String> log)
		{
			this.star = star;
			this.source = source;
			this.n = n;
			this.hx = Fft.halfWidth(n);
			this.count = star.size();
			this.classes = settings.classes;
			this.shells = n / 2 + 1;
			this.pixelSize = pixelSize;
			this.settings = settings;
			this.progress = progress;
			this.log = log;
			final double diameter = settings.particleDiameter > 0 ? settings.particleDiameter : 0.9 * n * pixelSize;
			this.radius = Math.min(diameter / pixelSize / 2, n / 2.0 - 1);
			this.circle = Masks.circle(n, radius - 3, 3);
			classOf = new int[count];
			psi = new double[count];
			offsetX = new double[count];
			offsetY = new double[count];
			maxProbability = new double[count];
			logLikelihood = new double[count];
			score = new double[count];
		}

		/** A batch of particles read and transformed: centred transforms (masked images) and CTFs. */
		private record Batch(int start, int size, float[][] transforms, float[][] ctfs) {}

		Batch read(final int start, final int size) throws IOException {
			progress.checkCancelled();
			final ParticleBatch b = ParticleBatch.read(source, start, size, circle, settings.ctf);
			final float[][] ctfs = b.ctfs();
			for (int i = 0; i < size; i++)
				if (ctfs[i] == null) ctfs[i] = ones();
			return new Batch(start, size, b.transforms(), ctfs);
		}

		private float[] ones() {
			final float[] c = new float[hx * n];
			Arrays.fill(c, 1);
			return c;
		}

		/**
		 * Initial classes: each particle put in a random class at a random in-plane angle (RELION's start), the
		 * noise power from the particles' mean power spectrum.
		 */
		void initialise() throws IOException {
			final Random random = new Random(settings.seed);
			for (int i = 0; i < count; i++) {
				classOf[i] = random.nextInt(classes);
				psi[i] = random.nextDouble() * 360;
			}
			noise = new double[shells];
			final double[] counts = new double[shells];
			final FourierPlane[] sums = new FourierPlane[classes];
			for (int k = 0; k < classes; k++)
				sums[k] = FourierPlane.accumulator(n);
			final int batch = 256;
			for (int start = 0; start < count; start += batch) {
				final Batch b = read(start, Math.min(batch, count - start));
				for (int i = 0; i < b.size(); i++)
					FourierFilters.addShellPower(b.transforms()[i], n, noise, counts);
				final List<List<Contribution>> contributions = new ArrayList<>();
				for (int i = 0; i < b.size(); i++)
					contributions.add(List.of(new Contribution(classOf[b.start() + i], psi[b.start() + i], 0, 0, 1)));
				insert(sums, b, contributions, shells);
			}
			for (int s = 0; s < shells; s++)
				noise[s] = counts[s] > 0 ? noise[s] / counts[s] : 1;
			fraction = new double[classes];
			Arrays.fill(fraction, 1.0 / classes);
			// no signal estimate yet: finish regularises with a fiftieth of the mean class size
			averages = finish(sums, true);
		}

		/** A hypothesis that contributes to a class: class, ψ, shift (pixels) and posterior probability. */
		private record Contribution(int k, double psi, double shiftX, double shiftY, double weight) {}

		/**
		 * Adds each particle's contributions to its classes' sums, up to {@code radius} Fourier pixels; classes in
		 * parallel, particles in order. Contributions at the same class and ψ are summed in the particle's frame
		 * first (Σ γ·X·e_t, Σ γ), so each (class, ψ) is rotated into the class once.
		 */
		void insert(final FourierPlane[] sums, final Batch b, final List<List<Contribution>> contributions,
			final double radius)
		{
			final int reach = (int) Math.min(shells - 1, Math.ceil(radius));
			Parallel.forRange(classes, (ks, ke) -> {
				for (int i = 0; i < b.size(); i++) {
					final List<Contribution> list = contributions.get(i);
					final boolean[] done = new boolean[list.size()];
					for (int first = 0; first < list.size(); first++) {
						final Contribution c = list.get(first);
						if (done[first] || c.k() < ks || c.k() >= ke) continue;
						final float[] x = b.transforms()[i], ctf = b.ctfs()[i];
						final float[] sum = new float[x.length];
						double weight = 0;
						for (int j = first; j < list.size(); j++) {
							final Contribution d = list.get(j);
							if (done[j] || d.k() != c.k() || d.psi() != c.psi()) continue;
							done[j] = true;
							weight += d.weight();
							addShifted(x, d.shiftX(), d.shiftY(), (float) d.weight(), sum, reach);
						}
						final double[] a = Euler.matrix(0, 0, c.psi());
						final FourierPlane plane = sums[c.k()];
						final float g = (float) weight;
						for (int y = 0; y < n; y++) {
							final int fy = Fft.frequency(y, n);
							if (Math.abs(fy) > reach) continue;
							for (int fx = 0; fx <= reach && fx < hx; fx++) {
								if (fx * fx + fy * fy > reach * reach) continue;
								final int e = y * hx + fx;
								final float cv = ctf[e];
								// the particle's frequency j sits at Aᵀ·j of the class
								plane.add(a[0] * fx + a[3] * fy, a[1] * fx + a[4] * fy, cv * sum[2 * e], cv * sum[2 * e + 1], g * cv
									* cv);
							}
						}
					}
				}
			});
		}

		/** Adds g·X·exp(−2πi j·s/N) to {@code out} within {@code reach} Fourier pixels (separable phase tables). */
		void addShifted(final float[] x, final double sx, final double sy, final float g, final float[] out,
			final int reach)
		{
			final double[] ex = FourierFilters.phases(hx, n, sx, true), ey = FourierFilters.phases(n, n, sy, false);
			for (int y = 0; y < n; y++) {
				final int fy = Fft.frequency(y, n);
				if (Math.abs(fy) > reach) continue;
				for (int fx = 0; fx <= reach && fx < hx; fx++) {
					final int e = y * hx + fx;
					final double c = ex[2 * fx] * ey[2 * y] - ex[2 * fx + 1] * ey[2 * y + 1], s = ex[2 * fx] * ey[2 * y + 1]
						+ ex[2 * fx + 1] * ey[2 * y];
					out[2 * e] += (float) (g * (x[2 * e] * c - x[2 * e + 1] * s));
					out[2 * e + 1] += (float) (g * (x[2 * e] * s + x[2 * e + 1] * c));
				}
			}
		}


		/**
		 * The class images from their sums: each element divided by its weight plus σ²/(T·τ²), τ² the class's own
		 * signal power per shell (its average's power less the noise the weights predict; with no signal left in a
		 * shell the class is zero there, so every class is low-passed where its data run out), masked by the particle
		 * circle and moved onto its centre of mass. {@code initial} regularises with a fiftieth of the mean class size
		 * instead (random classes have no signal to measure).
		 */
		float[][] finish(final FourierPlane[] sums, final boolean initial) {
			final float[][] out = new float[classes][];
			Parallel.forRange(classes, (ks, ke) -> {
				for (int k = ks; k < ke; k++) {
					final double floor = 0.02 * Math.max(1, count / (double) classes);
					final double[] tau2 = initial ? null : sums[k].signalPower(noise);
					final float[] image = sums[k].average(s -> initial ? floor : noise[Math.min(s, shells - 1)]
						/ (settings.tauFudge * Math.max(tau2[Math.min(s, shells - 1)], 1e-30)));
					out[k] = centre(Masks.apply(image, circle));
				}
			});
			return out;
		}

		/** The image moved so that the centre of mass of its positive part is at the centre. */
		float[] centre(final float[] image) {
			double sum = 0, sx = 0, sy = 0;
			for (int y = 0; y < n; y++)
				for (int x = 0; x < n; x++) {
					final double v = Math.max(0, image[y * n + x]);
					sum += v;
					sx += v * (x - n / 2);
					sy += v * (y - n / 2);
				}
			if (!(sum > 0)) return image;
			final float[] f = Fft.forward(image, n, n, 1);
			FourierFilters.shift(f, n, n, 1, -sx / sum, -sy / sum, 0);
			return Masks.apply(Fft.inverse(f, n, n, 1), circle);
		}


		/** The resolution limit of iteration {@code it}, Fourier pixels: linear from the initial to the final. */
		double limit(final int it) {
			final double finalLimit = settings.finalResolution > 0 ? n * pixelSize / settings.finalResolution : n / 2.5;
			final double initialLimit = Math.min(finalLimit, Math.max(4, n * pixelSize / settings.initialResolution));
			return Math.min(n / 2.0 - 1, settings.iterations == 1 ? finalLimit : initialLimit + (finalLimit - initialLimit)
				* (Math.min(it, settings.iterations) - 1) / (settings.iterations - 1));
		}

		/** One EM iteration. */
		void iterate(final int it) throws IOException {
			final double limit = limit(it);
			// classes are only read up to the next iteration's limit (plus the interpolation's reach): the last
			// iteration builds them to Nyquist
			final double buildRadius = it == settings.iterations ? shells : limit(it + 1) + 2;
			final double coarseLimit = Math.min(limit, Math.max(6, limit / 2));
			// the rotation that moves the rim by half the resolution; coarse steps are twice the fine ones
			final double resolutionPixels = n / limit;
			final double fineStep = Math.max(1, Math.min(10, Math.toDegrees(resolutionPixels / 2 / radius)));
			final int coarseCount = (int) Math.ceil(360 / (2 * fineStep));
			final double coarseStep = 360.0 / coarseCount;
			final double shiftStep = settings.offsetStep;
			final Points coarse = new Points(coarseLimit), fine = new Points(limit);
			// references: every class at every coarse angle on the coarse points, and at both children of every
			// coarse angle (± a quarter of the coarse step) on the fine points
			final FourierPlane[] planes = new FourierPlane[classes];
			for (int k = 0; k < classes; k++)
				planes[k] = FourierPlane.of(averages[k], n);
			final float[][][] coarseRefs = new float[classes][coarseCount][], fineRefs = new float[classes][2
				* coarseCount][];
			Parallel.forRange(classes, (ks, ke) -> {
				for (int k = ks; k < ke; k++)
					for (int c = 0; c < coarseCount; c++) {
						coarseRefs[k][c] = coarse.sample(planes[k], c * coarseStep);
						for (int h = 0; h < 2; h++)
							fineRefs[k][2 * c + h] = fine.sample(planes[k], c * coarseStep + (h == 0 ? -0.25 : 0.25) * coarseStep);
					}
			});
			final float[] coarseWeight = coarse.weights(noise), fineWeight = fine.weights(noise);
			final double[] logPrior = new double[classes];
			for (int k = 0; k < classes; k++)
				logPrior[k] = Math.log(Math.max(fraction[k], 1e-12));
			final FourierPlane[] sums = new FourierPlane[classes];
			for (int k = 0; k < classes; k++)
				sums[k] = FourierPlane.accumulator(n);
			final double[] residual = new double[shells], residualCount = new double[shells], classWeight =
				new double[classes], classScore = new double[classes];
			final double maxOffset = Math.max(settings.offsetRange, n / 4.0);
			final int batchSize = 256;
			for (int start = 0; start < count; start += batchSize) {
				final Batch b = read(start, Math.min(batchSize, count - start));
				final List<List<Contribution>> contributions = new ArrayList<>();
				for (int i = 0; i < b.size(); i++)
					contributions.add(null);
				final double[][] residuals = new double[b.size()][], residualCounts = new double[b.size()][];
				Parallel.forRange(b.size(), (s, e) -> {
					for (int i = s; i < e; i++) {
						final int index = b.start() + i;
						final float[] x = b.transforms()[i], ctf = b.ctfs()[i];
						// coarse pass
						final double[][] shifts = shiftGrid(offsetX[index], offsetY[index], settings.offsetRange, 2 * shiftStep,
							maxOffset);
						final float[] a = coarse.products(x, ctf, coarseWeight), bw = coarse.ctfWeights(ctf, coarseWeight);
						final float[][] shifted = new float[shifts.length][];
						for (int t = 0; t < shifts.length; t++)
							shifted[t] = coarse.shift(a, shifts[t][0], shifts[t][1]);
						final int hypotheses = classes * coarseCount * shifts.length;
						final double[] ll = new double[hypotheses];
						double best = Double.NEGATIVE_INFINITY;
						for (int k = 0; k < classes; k++)
							for (int c = 0; c < coarseCount; c++) {
								final float[] ref = coarseRefs[k][c];
								final double half = 0.5 * weightedPower(bw, ref);
								for (int t = 0; t < shifts.length; t++) {
									final double v = logPrior[k] + dot(shifted[t], ref) - half;
									ll[(k * coarseCount + c) * shifts.length + t] = v;
									if (v > best) best = v;
								}
							}
						final int[] significant = significant(ll, best, settings.maxSignificant);
						// fine pass over the children of the significant coarse hypotheses
						final float[] af = fine.products(x, ctf, fineWeight), bf = fine.ctfWeights(ctf, fineWeight);
						final List<double[]> children = new ArrayList<>(); // k, psi index (fine), shiftX, shiftY, ll
						final Map<Long, float[]> shiftedFine = new HashMap<>();
						double bestFine = Double.NEGATIVE_INFINITY;
						for (final int h : significant) {
							final int t = h % shifts.length, c = h / shifts.length % coarseCount, k = h / shifts.length / coarseCount;
							for (int half = 0; half < 2; half++) {
								final float[] ref = fineRefs[k][2 * c + half];
								final double power = 0.5 * weightedPower(bf, ref);
								for (int q = 0; q < 4; q++) {
									final double sx = shifts[t][0] + (q % 2 == 0 ? -0.5 : 0.5) * shiftStep, sy = shifts[t][1] + (q / 2
										== 0 ? -0.5 : 0.5) * shiftStep;
									final float[] xs = shiftedFine.computeIfAbsent(Math.round(sx * 1024) * 1_000_003L + Math.round(sy * 1024),
										key -> fine.shift(af, sx, sy));
									final double v = logPrior[k] + dot(xs, ref) - power;
									children.add(new double[] { k, 2 * c + half, sx, sy, v });
									bestFine = Math.max(bestFine, v);
								}
							}
						}
						double total = 0;
						for (final double[] child : children)
							total += Math.exp(child[4] - bestFine);
						final List<Contribution> mine = new ArrayList<>();
						double[] top = null;
						double kept = 0;
						for (final double[] child : children) {
							final double g = Math.exp(child[4] - bestFine) / total;
							if (top == null || child[4] > top[4]) top = child;
							if (g < 1e-3) continue;
							kept += g;
							mine.add(new Contribution((int) child[0], fineAngle((int) child[1], coarseStep), child[2], child[3], g));
						}
						final double keptTotal = kept;
						mine.replaceAll(c -> new Contribution(c.k(), c.psi(), c.shiftX(), c.shiftY(), c.weight() / keptTotal));
						contributions.set(i, mine);
						final int k = (int) top[0];
						classOf[index] = k;
						psi[index] = fineAngle((int) top[1], coarseStep);
						offsetX[index] = top[2];
						offsetY[index] = top[3];
						maxProbability[index] = Math.exp(top[4] - bestFine) / total;
						logLikelihood[index] = bestFine + Math.log(total);
						final float[] ref = fineRefs[k][(int) top[1]];
						final float[] xs = fine.shift(af, top[2], top[3]);
						score[index] = dot(xs, ref) / Math.sqrt(Math.max(1e-30, fine.particlePower(x, fineWeight) * weightedPower(bf, ref)));
						residuals[i] = new double[shells];
						residualCounts[i] = new double[shells];
						fine.residual(x, ctf, ref, top[2], top[3], residuals[i], residualCounts[i]);
					}
				});
				for (int i = 0; i < b.size(); i++) {
					for (int s = 0; s < shells; s++) {
						residual[s] += residuals[i][s];
						residualCount[s] += residualCounts[i][s];
					}
					for (final Contribution c : contributions.get(i)) {
						classWeight[c.k()] += c.weight();
						classScore[c.k()] += c.weight() * score[b.start() + i];
					}
				}
				insert(sums, b, contributions, buildRadius);
				progress.report(start + b.size(), count, "iteration " + it);
			}
			// the model: noise within the limit, class fractions, the signal power of the classes, the classes
			for (int s = 1; s < shells; s++)
				if (residualCount[s] > 0) noise[s] = residual[s] / residualCount[s];
			for (int k = 0; k < classes; k++)
				fraction[k] = classWeight[k] / count;
			averages = finish(sums, false);
			classScores = new double[classes];
			for (int k = 0; k < classes; k++)
				classScores[k] = classWeight[k] > 0 ? classScore[k] / classWeight[k] : 0;
			final double meanMax = Arrays.stream(maxProbability).average().orElse(0);
			int empty = 0;
			for (int k = 0; k < classes; k++)
				if (fraction[k] < 0.5 / count) empty++;
			log.accept(String.format(Locale.ROOT, "iteration %d: limit %.1f Å (%.1f Fourier px), ψ step %.2f°, shift step "
				+ "%.2f px; mean max probability %.3f; %d empty classes", it, n * pixelSize / limit, limit, coarseStep / 2,
				shiftStep, meanMax, empty));
			if (it < settings.iterations) reseedEmpty(it);
		}

		double[] classScores;

		/**
		 * Classes that lost (nearly) all their particles restart as a copy of the most populous class plus noise
		 * within the next iteration's resolution limit (a quarter of the class's RMS there, seeded): an exact copy
		 * would score every particle as the original does and never split from it, while the perturbed copy takes
		 * the particles it happens to fit better, and the two drift apart. K classes stay in use.
		 */
		void reseedEmpty(final int it) {
			final Random random = new Random(settings.seed * 1_000_003L + it);
			final double limit = limit(it + 1);
			for (int k = 0; k < classes; k++) {
				if (fraction[k] >= 0.2 / classes) continue;
				int largest = 0;
				for (int j = 1; j < classes; j++)
					if (fraction[j] > fraction[largest]) largest = j;
				final float[] source = Fft.forward(averages[largest], n, n, 1), noise = new float[source.length];
				double signal = 0, power = 0;
				for (int y = 0; y < n; y++) {
					final int fy = Fft.frequency(y, n);
					for (int fx = 0; fx < hx; fx++) {
						if (fx * fx + fy * fy > limit * limit) continue;
						final int e = 2 * (y * hx + fx);
						signal += source[e] * source[e] + source[e + 1] * source[e + 1];
						noise[e] = (float) random.nextGaussian();
						noise[e + 1] = (float) random.nextGaussian();
						power += noise[e] * noise[e] + noise[e + 1] * noise[e + 1];
					}
				}
				final float scale = (float) (power > 0 ? 0.25 * Math.sqrt(signal / power) : 0);
				for (int i = 0; i < source.length; i++)
					source[i] += scale * noise[i];
				averages[k] = Masks.apply(Fft.inverse(source, n, n, 1), circle);
				fraction[largest] /= 2;
				fraction[k] = fraction[largest];
			}
		}

		/** ψ of fine angle index {@code f} (two children per coarse angle, a quarter step either side). */
		double fineAngle(final int f, final double coarseStep) {
			final double a = (f / 2) * coarseStep + (f % 2 == 0 ? -0.25 : 0.25) * coarseStep;
			return a < 0 ? a + 360 : a;
		}

		/** The Fourier points within a limit, for scoring (the x = 0 column counted half, the origin left out). */
		final class Points {
			final FourierPoints at;

			Points(final double limit) {
				at = new FourierPoints(n, limit);
			}

			/**
			 * w per point: 2/σ² of its shell (σ² = E|N|² of a complex element, whose real and imaginary parts each have
			 * variance σ²/2, so −log p = |X − CP|²/σ² = Σ w·(½|CP|² − Re X conj CP) + const), halved on the x = 0
			 * column (which holds each frequency and its mirror).
			 */
			float[] weights(final double[] sigma2) {
				return at.inverseNoise(sigma2, 2);
			}

			/** A class plane read at Aᵀ·j for every point j, A the in-plane rotation by ψ. */
			float[] sample(final FourierPlane plane, final double psiDegrees) {
				final double[] a = Euler.matrix(0, 0, psiDegrees);
				final float[] out = new float[2 * at.size()];
				for (int i = 0; i < at.size(); i++)
					plane.read(a[0] * at.kx(i) + a[3] * at.ky(i), a[1] * at.kx(i) + a[4] * at.ky(i), out, 2 * i);
				return out;
			}

			/** X·C·w per point (complex). */
			float[] products(final float[] x, final float[] ctf, final float[] w) {
				final float[] out = new float[2 * at.size()];
				for (int i = 0; i < at.size(); i++) {
					final int e = at.element(i);
					final float f = ctf[e] * w[i];
					out[2 * i] = x[2 * e] * f;
					out[2 * i + 1] = x[2 * e + 1] * f;
				}
				return out;
			}

			/** C²·w per point. */
			float[] ctfWeights(final float[] ctf, final float[] w) {
				final float[] out = new float[at.size()];
				for (int i = 0; i < at.size(); i++)
					out[i] = ctf[at.element(i)] * ctf[at.element(i)] * w[i];
				return out;
			}

			/** The products moved by (sx, sy) pixels: times exp(−2πi j·s/N). */
			float[] shift(final float[] a, final double sx, final double sy) {
				return at.shift(a, sx, sy);
			}

			/** Σ w·|X|² over the points (a shift does not change it). */
			double particlePower(final float[] x, final float[] w) {
				double sum = 0;
				for (int i = 0; i < at.size(); i++) {
					final int e = at.element(i);
					sum += w[i] * (x[2 * e] * x[2 * e] + x[2 * e + 1] * x[2 * e + 1]);
				}
				return sum;
			}

			/** Adds |X·e_s − C·P|² per shell to {@code sums} and the point counts to {@code counts}. */
			void residual(final float[] x, final float[] ctf, final float[] ref, final double sx, final double sy,
				final double[] sums, final double[] counts)
			{
				final float[] moved = at.shift(at.gather(x), sx, sy);
				for (int i = 0; i < at.size(); i++) {
					final int e = at.element(i);
					final double dr = moved[2 * i] - ctf[e] * ref[2 * i], di = moved[2 * i + 1] - ctf[e] * ref[2 * i + 1];
					sums[at.shell(i)] += dr * dr + di * di;
					counts[at.shell(i)]++;
				}
			}
		}

		/** Writes the outputs; classes renumbered by decreasing population. */
		Result write(final Path folder, final Path input, final List<String> lines) throws IOException {
			Files.createDirectories(folder);
			final Integer[] order = new Integer[classes];
			for (int k = 0; k < classes; k++)
				order[k] = k;
			Arrays.sort(order, (a, b) -> Double.compare(fraction[b], fraction[a]));
			final int[] number = new int[classes];
			for (int r = 0; r < classes; r++)
				number[order[r]] = r + 1;
			final int[] members = new int[classes];
			for (int i = 0; i < count; i++)
				members[classOf[i]]++;
			final float[] stack = new float[classes * n * n];
			final List<ClassSummary> summaries = new ArrayList<>();
			for (int r = 0; r < classes; r++) {
				final int k = order[r];
				System.arraycopy(averages[k], 0, stack, r * n * n, n * n);
				summaries.add(new ClassSummary(r + 1, fraction[k], classScores[k], members[k]));
			}
			MrcWriter.write(folder.resolve("classes.mrcs"), ArrayImgs.floats(stack, n, n, classes),
				new MrcWriter.Settings().pixelSize(pixelSize).stack().label("Vitreous classify-2d: " + classes
					+ " classes"), input);
			// the particles, with their classes and in-plane poses
			final StarTable items = star.items();
			for (final String column : new String[] { "rlnMaxValueProbDistribution", "rlnLogLikeliContribution",
				"rlnClassScore" })
				if (!items.has(column)) items.addColumn(column, "0");
			for (int i = 0; i < count; i++) {
				final RelionStar.Particle p = star.particle(i);
				star.set(i, p.withPose(0, 0, psi[i], offsetX[i] * pixelSize, offsetY[i] * pixelSize).withClass(
					number[classOf[i]]), folder.toAbsolutePath());
				items.set(i, "rlnMaxValueProbDistribution", maxProbability[i]);
				items.set(i, "rlnLogLikeliContribution", logLikelihood[i]);
				items.set(i, "rlnClassScore", score[i]);
			}
			star.write(folder.resolve("particles.star"), input);
			// the classes
			final StarFile model = new StarFile();
			final StarTable table = new StarTable("model_classes", true);
			for (final String column : new String[] { "rlnReferenceImage", "rlnClassDistribution", "rlnClassScore",
				"rlnNrOfParticles" })
				table.addColumn(column, "");
			for (final ClassSummary c : summaries)
				table.addRow(c.number() + "@classes.mrcs", StarTable.formatNumber(c.fraction()), StarTable.formatNumber(c
					.score()), Integer.toString(c.members()));
			model.add(table);
			model.write(folder.resolve("classes.star"), input);
			try (AtomicOutput out = AtomicOutput.create(folder.resolve("run.log"), input)) {
				Files.writeString(out.path(), String.join("\n", lines) + "\n");
				out.commit();
			}
			return new Result(stack, n, pixelSize, summaries, folder);
		}
	}

	/** Shifts on a square grid of {@code step} within {@code range} of (cx, cy) and {@code max} of the origin. */
	static double[][] shiftGrid(final double cx, final double cy, final double range, final double step,
		final double max)
	{
		final List<double[]> out = new ArrayList<>();
		final int reach = (int) Math.floor(range / step + 1e-9);
		for (int j = -reach; j <= reach; j++)
			for (int i = -reach; i <= reach; i++) {
				final double x = cx + i * step, y = cy + j * step;
				if (Math.hypot(i * step, j * step) <= range + 1e-9 && Math.hypot(x, y) <= max) out.add(new double[] { x, y });
			}
		if (out.isEmpty()) out.add(new double[] { 0, 0 });
		return out.toArray(new double[0][]);
	}

	/**
	 * The hypotheses that carry 99.9% of the posterior (softmax of {@code ll}, whose maximum is {@code best}), at
	 * most {@code max} of them, most probable first.
	 */
	static int[] significant(final double[] ll, final double best, final int max) {
		// the max most probable, kept sorted (most probable first) while scanning once
		final int[] top = new int[max];
		final double[] topP = new double[max];
		int size = 0;
		double total = 0;
		for (int i = 0; i < ll.length; i++) {
			final double p = Math.exp(ll[i] - best);
			total += p;
			if (size == max && p <= topP[max - 1]) continue;
			int j = size < max ? size++ : max - 1;
			while (j > 0 && topP[j - 1] < p) {
				top[j] = top[j - 1];
				topP[j] = topP[j - 1];
				j--;
			}
			top[j] = i;
			topP[j] = p;
		}
		double cumulative = 0;
		int keep = 0;
		while (keep < size && cumulative < 0.999 * total)
			cumulative += topP[keep++];
		return Arrays.copyOf(top, Math.max(1, keep));
	}

	/** Σ C²·w·|P|². */
	static double weightedPower(final float[] ctfWeight, final float[] ref) {
		double sum = 0;
		for (int i = 0; i < ctfWeight.length; i++)
			sum += ctfWeight[i] * (ref[2 * i] * ref[2 * i] + ref[2 * i + 1] * ref[2 * i + 1]);
		return sum;
	}

	/** Σ Re(a·conj(b)). */
	static double dot(final float[] a, final float[] b) {
		double sum = 0;
		for (int i = 0; i < a.length; i++)
			sum += a[i] * b[i];
		return sum;
	}
}

package org.vitreous.classify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Consumer;

import net.imglib2.img.array.ArrayImgs;
import org.vitreous.Progress;
import org.vitreous.compute.Parallel;
import org.vitreous.ctf.CtfStar;
import org.vitreous.fourier.Fft;
import org.vitreous.fourier.FourierFilters;
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
public final class Classify2d {

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

	private Classify2d() {}

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
			return classify(source, settings, progress, both).write(star, folder, starPath, lines);
		}
	}

	/**
	 * The core of {@link #run}, on any particle source and touching no file: the classes and every particle's
	 * class, in-plane pose and scores, in memory ({@link Classes}).
	 */
	public static Classes classify(final ParticleSource source, final Settings settings, final Progress progress,
		final Consumer<String> log) throws IOException
	{
		if (source.size() < settings.classes) throw new IllegalArgumentException(source.size()
			+ " particles, fewer than the " + settings.classes + " classes asked for");
		final Classes job = new Classes(source, settings, progress, log);
		job.initialise();
		for (int it = 1; it <= settings.iterations; it++)
			job.iterate(it);
		return job;
	}

	/**
	 * The state of one classification run: the K class images (class order, not yet by population) and, per
	 * particle, its class (0-based), ψ in degrees, offset in pixels, the probability of its best hypothesis, its
	 * log-likelihood and its score against its class.
	 */
	public static final class Classes {
		final ParticleSource source;
		final int n, hx, count, classes, shells;
		final double pixelSize, radius;
		final Settings settings;
		final Progress progress;
		final Consumer<String> log;
		final float[] circle;
		final ClassAverages kit;
		/** Per particle: class (0-based), ψ (degrees), offset (pixels), probability of the best, log-likelihood. */
		final int[] classOf;
		final double[] psi, offsetX, offsetY, maxProbability, logLikelihood, score;
		float[][] averages;
		double[] fraction, noise;

		Classes(final ParticleSource source, final Settings settings, final Progress progress,
			final Consumer<String> log)
		{
			final int n = source.boxSize();
			final double pixelSize = source.pixelSize();
			this.source = source;
			this.n = n;
			this.hx = Fft.halfWidth(n);
			this.count = source.size();
			this.classes = settings.classes;
			this.shells = n / 2 + 1;
			this.pixelSize = pixelSize;
			this.settings = settings;
			this.progress = progress;
			this.log = log;
			// the particle's rim, for the angular step; the mask is every stage's
			this.radius = Math.min(Masks.particleDiameter(settings.particleDiameter, n, pixelSize) / pixelSize / 2, n / 2.0
				- 1);
			this.circle = Masks.circle(n, Masks.particleRadius(settings.particleDiameter, n, pixelSize),
				Masks.PARTICLE_EDGE);
			this.kit = new ClassAverages(n, classes, circle);
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
				final List<List<ClassAverages.Contribution>> contributions = new ArrayList<>();
				for (int i = 0; i < b.size(); i++)
					contributions.add(List.of(new ClassAverages.Contribution(classOf[b.start() + i], psi[b.start() + i], 0, 0,
						1)));
				kit.insert(sums, b.transforms(), b.ctfs(), contributions, shells);
			}
			for (int s = 0; s < shells; s++)
				noise[s] = counts[s] > 0 ? noise[s] / counts[s] : 1;
			fraction = new double[classes];
			Arrays.fill(fraction, 1.0 / classes);
			// no signal estimate yet: finish regularises with a fiftieth of the mean class size
			averages = kit.finish(sums, true, noise, count, settings.tauFudge);
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
			// the rotation that moves the rim by half the resolution; coarse steps are twice the fine ones
			final double resolutionPixels = n / limit;
			final double fineStep = Math.max(1, Math.min(10, Math.toDegrees(resolutionPixels / 2 / radius)));
			final int coarseCount = (int) Math.ceil(360 / (2 * fineStep));
			final double coarseStep = 360.0 / coarseCount;
			final double shiftStep = settings.offsetStep;
			final FourierPlane[] planes = new FourierPlane[classes];
			for (int k = 0; k < classes; k++)
				planes[k] = FourierPlane.of(averages[k], n);
			final InPlaneSearch search = new InPlaneSearch(n, planes, fraction, noise, limit, coarseCount, shiftStep,
				settings.offsetRange, settings.maxSignificant);
			final FourierPlane[] sums = new FourierPlane[classes];
			for (int k = 0; k < classes; k++)
				sums[k] = FourierPlane.accumulator(n);
			final double[] residual = new double[shells], residualCount = new double[shells], classWeight =
				new double[classes], classScore = new double[classes];
			final int batchSize = 256;
			for (int start = 0; start < count; start += batchSize) {
				final Batch b = read(start, Math.min(batchSize, count - start));
				final List<List<ClassAverages.Contribution>> contributions = new ArrayList<>();
				for (int i = 0; i < b.size(); i++)
					contributions.add(null);
				final double[][] residuals = new double[b.size()][], residualCounts = new double[b.size()][];
				Parallel.forRange(b.size(), (s, e) -> {
					for (int i = s; i < e; i++) {
						final int index = b.start() + i;
						final InPlaneSearch.Alignment found = search.align(b.transforms()[i], b.ctfs()[i], offsetX[index],
							offsetY[index]);
						contributions.set(i, found.contributions());
						classOf[index] = found.k();
						psi[index] = found.psi();
						offsetX[index] = found.shiftX();
						offsetY[index] = found.shiftY();
						maxProbability[index] = found.maxProbability();
						logLikelihood[index] = found.logLikelihood();
						score[index] = found.score();
						residuals[i] = found.residual();
						residualCounts[i] = found.residualCount();
					}
				});
				for (int i = 0; i < b.size(); i++) {
					for (int s = 0; s < shells; s++) {
						residual[s] += residuals[i][s];
						residualCount[s] += residualCounts[i][s];
					}
					for (final ClassAverages.Contribution c : contributions.get(i)) {
						classWeight[c.k()] += c.weight();
						classScore[c.k()] += c.weight() * score[b.start() + i];
					}
				}
				kit.insert(sums, b.transforms(), b.ctfs(), contributions, buildRadius);
				progress.report(start + b.size(), count, "iteration " + it);
			}
			// the model: noise within the limit, class fractions, the signal power of the classes, the classes
			for (int s = 1; s < shells; s++)
				if (residualCount[s] > 0) noise[s] = residual[s] / residualCount[s];
			for (int k = 0; k < classes; k++)
				fraction[k] = classWeight[k] / count;
			averages = kit.finish(sums, false, noise, count, settings.tauFudge);
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
			if (it < settings.iterations) kit.reseedEmpty(averages, fraction, limit(it + 1), settings.seed * 1_000_003L
				+ it);
		}

		double[] classScores;

		/** Writes the outputs; classes renumbered by decreasing population. */
		/** The class images, in class order. */
		public float[][] averages() {
			return averages;
		}

		/** Each particle's class, 0-based. */
		public int[] classOf() {
			return classOf.clone();
		}

		/** Writes the outputs of {@code star}'s particles (the rows this run classified, in order). */
		Result write(final RelionStar star, final Path folder, final Path input, final List<String> lines)
			throws IOException
		{
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
			AtomicOutput.writeString(folder.resolve("run.log"), String.join("\n", lines) + "\n", input);
			return new Result(stack, n, pixelSize, summaries, folder);
		}
	}


}

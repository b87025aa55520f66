package org.vitreous.reconstruct;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
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
import org.vitreous.io.CubicMap;
import org.vitreous.io.FormatException;
import org.vitreous.io.RelionStar;
import org.vitreous.metrics.Fsc;
import org.vitreous.particles.ParticleBatch;
import org.vitreous.particles.ParticleSource;
import org.vitreous.particles.StarParticles;
import org.vitreous.projection.FourierProjector;
import org.vitreous.projection.FourierVolume;

/**
 * Gold-standard 3D auto-refinement by best-pose search with local refinement (projection matching, as FREALIGN
 * and cisTEM refine, rather than RELION's marginalisation over poses).
 * <p>
 * The particles are split into two half sets (rlnRandomSubset, or alternating when the STAR has none); each half
 * is refined against its own reference, both starting from the same low-passed initial map. An iteration scores
 * every particle against its half's reference ({@link PoseSearch}: CTF-aware, noise-weighted, within a resolution
 * limit), takes the best pose and shift, and reconstructs each half from its own particles. The FSC between the
 * half maps (never the truth) sets everything the next iteration uses: the search limit (two shells beyond the
 * 0.143 crossing), the reference filter (√(2·FSC/(1+FSC)), zero beyond the crossing), the angular step
 * (the rotation that moves a point on the particle's rim by the resolution) and the shift step. The first
 * iterations search globally over an SO(3) grid; later ones climb locally from each particle's last pose.
 * Refinement stops when the resolution has not improved for two iterations; a last pass reconstructs the map
 * from all particles.
 * <p>
 * Each iteration hands its state to the next through a {@link RefineCheckpoint}: in memory for {@link #refine}, or
 * for {@link #run} the output folder ({@code run_itNNN_half1/2.mrc}, {@code _data.star} and, last,
 * {@code _model.star}, a RELION-style model STAR: {@link RefineModel}), where the next iteration starts from what was
 * written, whether it runs in the same process or in a resumed one, so an interrupted and resumed run gives the same
 * result as an uninterrupted one.
 */
public final class Refine3d {

	/** How to refine. Lengths in Å unless named otherwise. */
	public static final class Settings {
		/** The initial map is low-passed to this resolution. */
		public double initialLowpass = 30;
		/** Diameter of the soft spherical mask on references and images; 0 for 90% of the box. */
		public double particleDiameter = 0;
		public Symmetry symmetry = Symmetry.NONE;
		public boolean ctf = true;
		/** Iterations searched globally before the local searches begin. */
		public int globalIterations = 2;
		/** HEALPix order of the global grid (2: 15°). */
		public int globalOrder = 2;
		/** Shift search range in pixels about the centre (global) or the last shift (local). */
		public double offsetRange = 5;
		/** Poses from the global grid that are refined locally. */
		public int candidates = 3;
		public int maxIterations = 25;
		public int padding = 2;
		/** Stop after this many completed iterations in this call (the run can be resumed); 0 for no limit. */
		public int stopAfter = 0;
		/**
		 * Insert each particle with its intensity scale against the reference, as RELION's --scale corrects each
		 * group's; without it a faint or junk particle weighs as much as a bright one.
		 */
		public boolean scaleCorrection = true;
	}

	/** One iteration's figures, as the log records them. */
	public record Iteration(int number, double resolution, double searchLimit, double angularStep, double shiftStep,
		boolean global, double meanAngularChange, double meanShiftChange)
	{}

	/**
	 * The outcome: the history; and once finished, the half maps' FSC and resolution at the iteration chosen (the
	 * best), its half maps, the map from all particles, and every particle's pose, scale and certainty there.
	 */
	public record Result(List<Iteration> history, Fsc.Curve fsc, double resolution, boolean finished, int chosen,
		float[][] halves, float[] map, RelionStar.Particle[] particles, double[] scale, double[] certainty)
	{}

	private Refine3d() {}

	static String name(final int iteration, final String what) {
		return String.format(Locale.ROOT, "run_it%03d_%s", iteration, what);
	}

	/**
	 * Refines, or resumes the refinement already in {@code folder}. Writes run_half1.mrc, run_half2.mrc,
	 * run_map.mrc, run_data.star, fsc.csv and run.log there when it finishes.
	 */
	public static Result run(final Path particlesStar, final Path referenceMap, final Path folder,
		final Settings settings, final ComputeDevice device, final Progress progress, final Consumer<String> log)
		throws IOException
	{
		Files.createDirectories(folder);
		final RelionStar input = RelionStar.read(particlesStar);
		if (input.size() < 2) throw new FormatException(particlesStar, "has " + input.size()
			+ " particles; gold-standard refinement needs two half sets");
		if (settings.ctf) CtfStar.requireColumns(input);
		final RelionStar.ImageGeometry geometry = input.imageGeometry();
		final CubicMap reference = CubicMap.read(referenceMap, "refinement");
		final int n = reference.size();
		if (geometry.size() != n) throw new FormatException(referenceMap, "is " + n + "³; the particles are "
			+ geometry.size() + " px");
		final RefineCheckpoint.Folder store = new RefineCheckpoint.Folder(folder, input, particlesStar, n, geometry
			.pixelSize());
		final Result r;
		try (StarParticles source = new StarParticles(input, geometry)) {
			r = refine(source, reference.values(), settings, device, progress, log, store, particlesStar);
		}
		if (r.finished()) Refine3dOutputs.write(r, folder, n, geometry.pixelSize(), particlesStar);
		return r;
	}

	/** Refines in memory: the core on any particle source, from an N³ reference, no file read or written. */
	public static Result refine(final ParticleSource source, final float[] reference, final Settings settings,
		final ComputeDevice device, final Progress progress, final Consumer<String> log) throws IOException
	{
		if (source.size() < 2) throw new IllegalArgumentException(source.size()
			+ " particles; gold-standard refinement needs two half sets");
		return refine(source, reference, settings, device, progress, log, new RefineCheckpoint.Memory(), null);
	}

	private static Result refine(final ParticleSource source, final float[] reference, final Settings settings,
		final ComputeDevice device, final Progress progress, final Consumer<String> log, final RefineCheckpoint store,
		final Path origin) throws IOException
	{
		final Refinement r = new Refinement(source, origin, settings, device, progress, log);
		final int last = store.lastCompleted(settings.maxIterations);
		RefineCheckpoint.State state;
		if (last < 0) state = store.save(r.start(reference));
		else {
			log.accept("resuming after iteration " + last);
			state = store.load(last);
		}
		int done = 0;
		while (!state.model().converged && state.iteration() < settings.maxIterations) {
			if (settings.stopAfter > 0 && done >= settings.stopAfter) return new Result(state.model().history, null,
				state.model().resolution, false, 0, null, null, null, null, null);
			state = store.save(r.iterate(state));
			done++;
		}
		return Refine3dOutputs.finish(r, state, store);
	}

	/** One refinement: the particles, the settings and what follows from them (box, masks). */
	static final class Refinement {
		final ParticleSource source;
		/** The input STAR, named in errors; null in memory. */
		final Path origin;
		final int n, count;
		final double pixelSize, diameter;
		final Settings settings;
		final ComputeDevice device;
		final Progress progress;
		final Consumer<String> log;
		final float[] sphere, circle;

		Refinement(final ParticleSource source, final Path origin, final Settings settings, final ComputeDevice device,
			final Progress progress, final Consumer<String> log)
		{
			this.source = source;
			this.origin = origin;
			this.n = source.boxSize();
			this.count = source.size();
			this.pixelSize = source.pixelSize();
			this.settings = settings;
			this.device = device;
			this.progress = progress;
			this.log = log;
			this.diameter = Masks.particleDiameter(settings.particleDiameter, n, pixelSize);
			final double radius = Masks.particleRadius(settings.particleDiameter, n, pixelSize);
			this.sphere = Masks.sphere(n, radius, Masks.PARTICLE_EDGE);
			this.circle = Masks.circle(n, radius, Masks.PARTICLE_EDGE);
		}

		/** Iteration 0: the low-passed reference for both halves, the half sets, and the noise from the images. */
		RefineCheckpoint.State start(final float[] map) throws IOException {
			final float[] f = Fft.forward(map, n, n, n);
			FourierFilters.apply(f, n, n, n, pixelSize, FourierFilters.lowPass(settings.initialLowpass, 2, n, pixelSize));
			final float[] low = Fft.inverse(f, n, n, n);
			final RelionStar.Particle[] particles = new RelionStar.Particle[count];
			final boolean[] used = new boolean[3];
			for (int i = 0; i < count; i++) {
				final RelionStar.Particle p = source.particle(i);
				final int h = p.randomSubset() == 1 || p.randomSubset() == 2 ? p.randomSubset() : i % 2 + 1;
				used[h] = true;
				particles[i] = p.withSubset(h);
			}
			if (!used[1] || !used[2]) {
				final String problem = "puts every particle in one half set";
				if (origin != null) throw new FormatException(origin, problem);
				throw new IllegalArgumentException("the particles " + problem);
			}
			final RefineModel m = new RefineModel();
			m.iteration = 0;
			m.resolution = settings.initialLowpass;
			m.noise = imageNoise();
			m.best = Double.POSITIVE_INFINITY;
			log.accept(String.format(Locale.ROOT, "iteration 0: reference low-passed to %.1f Å; %d particles, box %d, "
				+ "%.3f Å/px, mask diameter %.0f Å", settings.initialLowpass, count, n, pixelSize, diameter));
			return new RefineCheckpoint.State(0, particles, null, null, new float[][] { low, low }, m);
		}

		/** The mean power spectrum of up to 512 masked particle images: the noise before any signal is known. */
		double[] imageNoise() throws IOException {
			final int shells = n / 2 + 1, used = Math.min(count, 512);
			final double[] sum = new double[shells];
			for (int i = 0; i < used; i++) {
				final float[] image = Masks.particle(source.image(i), circle);
				final double[] p = FourierFilters.powerSpectrum(Fft.forward(image, n, n, 1), n, n, 1);
				for (int s = 0; s < shells; s++)
					sum[s] += p[s] / used;
			}
			return sum;
		}

		/** One iteration after {@code last}: search both halves against their references, reconstruct, measure. */
		RefineCheckpoint.State iterate(final RefineCheckpoint.State last) throws IOException {
			final int k = last.iteration() + 1;
			final RefineModel previous = last.model();
			final double resolution = Math.min(previous.resolution, settings.initialLowpass);
			final boolean global = k <= settings.globalIterations;
			// never below the initial low-pass
			final double initial = Math.min(n / 2.0 - 1, n * pixelSize / settings.initialLowpass);
			final double limit = k == 1 ? initial : Math.max(initial, Math.min(n / 2.0 - 1, crossing(previous.fsc) + 2));
			// the rotation that moves a point on the rim of the particle by the resolution
			final double angularStep = Math.max(0.25, Math.toDegrees(resolution / (diameter / 2)) / 2);
			final double shiftStep = Math.max(0.1, Math.min(1, resolution / pixelSize / 8));
			// the global search looks at low frequencies only (at most half the limit, at least 8 shells), where a
			// wrong pose still correlates smoothly; the local climb then uses everything up to the limit
			final double globalLimit = Math.min(limit, Math.max(8, limit / 2));
			final So3Grid grid = global ? new So3Grid(settings.globalOrder, settings.symmetry) : null;
			final PoseSearch[] searches = new PoseSearch[2], globals = new PoseSearch[2];
			final Reconstructor[] recs = new Reconstructor[2];
			try {
				for (int h = 0; h < 2; h++) {
					final float[] ref = last.halves()[h];
					final float[] filtered = k == 1 ? Masks.apply(ref.clone(), sphere) : filterReference(ref, previous.fsc);
					final FourierVolume volume = FourierVolume.of(filtered, n, settings.padding);
					searches[h] = new PoseSearch(volume, limit, previous.noise);
					if (global) {
						globals[h] = new PoseSearch(volume, globalLimit, previous.noise);
						globals[h].prepareGlobal(grid, device);
					}
					recs[h] = new Reconstructor(n, pixelSize, settings.padding, device);
				}
				final int shells = n / 2 + 1;
				final double[][] residual = new double[count][], residualCount = new double[count][];
				final double[] angularChange = new double[count], shiftChange = new double[count];
				final double[] scale = new double[count], certainty = new double[count];
				final int length = FourierProjector.sliceLength(n), batch = ParticleReconstruction.BATCH;
				final double[] previousCertainty = last.certainty();
				final RelionStar.Particle[] particles = last.particles().clone();
				final RefineStep step = new RefineStep(searches, global ? globals : null, grid, n, angularStep, shiftStep,
					settings.offsetRange, settings.candidates);
				for (int start = 0; start < count; start += batch) {
					progress.checkCancelled();
					final int m = Math.min(batch, count - start), s0 = start;
					final RelionStar.Particle[] ps = new RelionStar.Particle[m];
					System.arraycopy(particles, start, ps, 0, m);
					final ParticleBatch b = ParticleBatch.read(source, start, m, circle, settings.ctf);
					final RefineStep.Aligned[] aligned = new RefineStep.Aligned[m];
					Parallel.forRange(m, (from, to) -> {
						for (int i = from; i < to; i++) {
							final double[] before = Euler.matrix(ps[i].angleRot(), ps[i].angleTilt(), ps[i].anglePsi());
							final double bx = ps[i].originXAngst() / pixelSize, by = ps[i].originYAngst() / pixelSize;
							aligned[i] = step.align(ps[i].randomSubset() - 1, b.transforms()[i], b.ctfs()[i], before, bx, by,
								previousCertainty == null ? 1 : previousCertainty[s0 + i]);
							final PoseSearch.Candidate best = aligned[i].pose();
							angularChange[s0 + i] = Math.toDegrees(Rotations.angle(before, best.rotation()));
							shiftChange[s0 + i] = Math.hypot(best.shiftX() - bx, best.shiftY() - by) * pixelSize;
							final double[] e = Euler.angles(best.rotation());
							ps[i] = ps[i].withPose(e[0], e[1], e[2], best.shiftX() * pixelSize, best.shiftY() * pixelSize);
						}
					});
					for (int i = 0; i < m; i++) {
						residual[start + i] = aligned[i].residual();
						residualCount[start + i] = aligned[i].residualCount();
						scale[start + i] = aligned[i].scale();
						certainty[start + i] = aligned[i].certainty();
					}
					for (int h = 0; h < 2; h++) {
						final List<Integer> mine = new ArrayList<>();
						for (int i = 0; i < m; i++)
							if (ps[i].randomSubset() == h + 1) mine.add(i);
						final double[][] rot = new double[mine.size()][];
						final float[] t = new float[mine.size() * length];
						final float[][] c = settings.ctf ? new float[mine.size()][] : null;
						final double[] a = settings.scaleCorrection ? new double[mine.size()] : null;
						for (int j = 0; j < mine.size(); j++) {
							rot[j] = aligned[mine.get(j)].pose().rotation();
							System.arraycopy(aligned[mine.get(j)].moved(), 0, t, j * length, length);
							if (c != null) c[j] = b.ctfs()[mine.get(j)];
							if (a != null) a[j] = scale[start + mine.get(j)];
						}
						if (!mine.isEmpty()) recs[h].insertCtfImages(t, rot, c, a);
					}
					System.arraycopy(ps, 0, particles, start, m);
					progress.report(start + m, count, "iteration " + k);
				}
				final float[][] halves = new float[2][];
				for (int h = 0; h < 2; h++) {
					halves[h] = FourierInversion.invert(recs[h].accumulator(), settings.symmetry, 0, 10);
					if (settings.scaleCorrection) Refine3dOutputs.toParticleScale(halves[h], scale, particles, h + 1);
				}
				final Fsc.Curve fsc = Fsc.compute(Masks.apply(halves[0].clone(), sphere), Masks.apply(halves[1].clone(),
					sphere), n, n, n, null, pixelSize);
				final RefineModel model = new RefineModel();
				model.iteration = k;
				model.fsc = fsc.fsc();
				model.resolution = n * pixelSize / crossing(fsc.fsc());
				model.noise = previous.noise.clone();
				final double[] sums = new double[shells], counts = new double[shells];
				for (int i = 0; i < count; i++)
					for (int s = 0; s < shells; s++) {
						sums[s] += residual[i][s];
						counts[s] += residualCount[i][s];
					}
				for (int s = 1; s < shells; s++)
					if (counts[s] > 0) model.noise[s] = sums[s] / counts[s];
				final double meanAngle = Arrays.stream(angularChange).average().orElse(0), meanShift = Arrays.stream(
					shiftChange).average().orElse(0);
				model.history.addAll(previous.history);
				model.history.add(new Iteration(k, model.resolution, limit, angularStep, shiftStep, global, meanAngle,
					meanShift));
				model.best = Math.min(previous.best, model.resolution);
				model.stalled = model.resolution < previous.best * 0.99 ? 0 : previous.stalled + 1;
				model.converged = !global && model.stalled >= 2;
				log.accept(String.format(Locale.ROOT, "iteration %d: resolution %.2f Å (FSC 0.143 of the half maps); "
					+ "search to %.1f shells, %s, angular step %.2f°, shift step %.2f px; mean pose change %.2f°, %.2f Å",
					k, model.resolution, limit, global ? "global" : "local", angularStep, shiftStep, meanAngle, meanShift));
				return new RefineCheckpoint.State(k, particles, scale, certainty, halves, model);
			} finally {
				for (int h = 0; h < 2; h++) {
					if (searches[h] != null) searches[h].close();
					if (globals[h] != null) globals[h].close();
					if (recs[h] != null) recs[h].close();
				}
			}
		}

		/** The half map for the next search: masked, weighted by √(2·FSC/(1+FSC)), zero beyond the 0.143 crossing. */
		float[] filterReference(final float[] map, final double[] fsc) {
			final float[] f = Fft.forward(Masks.apply(map.clone(), sphere), n, n, n);
			final double cut = crossing(fsc);
			FourierFilters.apply(f, n, n, n, pixelSize, s -> {
				final double shell = s * n * pixelSize;
				if (shell > cut) return 0;
				final int i = (int) Math.min(fsc.length - 1, Math.round(shell));
				final double c = Math.max(0, fsc[i]);
				return Math.sqrt(2 * c / (1 + c));
			});
			return Fft.inverse(f, n, n, n);
		}

	}

	/**
	 * The 0.143 crossing of the half maps' FSC in shells, looked for from shell 3 on (the lowest shells hold too
	 * few elements to decide on); the last shell where it never falls below.
	 */
	static double crossing(final double[] fsc) {
		final double c = Fsc.crossing(fsc, 3, s -> 0.143);
		return Double.isNaN(c) ? fsc.length - 1 : c;
	}
}

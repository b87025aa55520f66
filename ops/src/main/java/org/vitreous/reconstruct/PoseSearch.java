package org.vitreous.reconstruct;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.vitreous.compute.ComputeDevice;
import org.vitreous.fourier.FourierFilters;
import org.vitreous.fourier.FourierPoints;
import org.vitreous.geometry.Rotations;
import org.vitreous.geometry.So3Grid;
import org.vitreous.projection.FourierProjector;
import org.vitreous.projection.FourierVolume;

/**
 * Finds a particle's pose and shift against one reference by maximising a noise-weighted, CTF-aware
 * normalised cross-correlation over the Fourier points within a resolution limit:
 * <pre>
 *   score(A, s) = Σ_k w(k)·Re(X(k)·e_s(k)·conj(C(k)·P_A(k))) / √(Σ_k w(k)·C(k)²·|P_A(k)|²)
 * </pre>
 * with X the particle's centred transform, e_s the phase ramp that moves it by s, C its CTF, P_A the reference's
 * central slice at pose A and w = 1/σ² the inverse noise power of the shell. The score is the likelihood's
 * cross term normalised by the projection's own weighted power, so it does not depend on the reference's scale.
 * <p>
 * A global search scores every pose of an {@link So3Grid} (projections made once and shared by all particles) at
 * a grid of shifts and keeps the best few; a local search climbs from a pose over 3 × 3 × 3 small rotations and
 * 3 × 3 shifts, halving both steps until they are fine enough.
 */
public final class PoseSearch implements AutoCloseable {

	/** A pose (RELION's A), the shift in pixels that moves the particle onto the reference, and its score. */
	public record Candidate(double[] rotation, double shiftX, double shiftY, double score) {}

	/** A particle prepared for scoring: per search point X·C·w (complex, {@code a}) and C²·w ({@code b}). */
	public record Particle(float[] a, float[] b) {}

	private final int n;
	private final FourierPoints points;
	private final FourierProjector projector;
	private final FourierVolume volume;
	private final double limit;
	private final float[] weight;
	private float[] gridSlices;
	private So3Grid grid;

	/**
	 * @param volume the reference, prepared for projection
	 * @param limit the search's resolution limit in Fourier pixels (of the N-pixel box)
	 * @param noise σ² per shell (shells 0 to N/2), from the previous iteration
	 */
	public PoseSearch(final FourierVolume volume, final double limit, final double[] noise) {
		this.n = volume.size();
		points = new FourierPoints(n, limit);
		weight = points.inverseNoise(noise, 1);
		this.volume = volume;
		this.limit = limit;
		this.projector = FourierProjector.create(volume, limit, ComputeDevice.JAVA);
	}

	/** Number of Fourier points scored. */
	public int points() {
		return points.size();
	}

	/** Prepares a particle from its centred transform (not shifted) and CTF (null for none) on the N × N grid. */
	public Particle prepare(final float[] transform, final float[] ctf) {
		final int m = points.size();
		final float[] a = new float[2 * m], b = new float[m];
		for (int i = 0; i < m; i++) {
			final int e = points.element(i);
			final float c = ctf == null ? 1 : ctf[e], w = weight[i];
			a[2 * i] = transform[2 * e] * c * w;
			a[2 * i + 1] = transform[2 * e + 1] * c * w;
			b[i] = c * c * w;
		}
		return new Particle(a, b);
	}

	/** Projects every pose of {@code g} once, for {@link #global}. */
	public void prepareGlobal(final So3Grid g, final ComputeDevice device) {
		final int poses = g.size(), m = points.size(), length = FourierProjector.sliceLength(n), chunk = 256;
		gridSlices = new float[poses * 2 * m];
		try (FourierProjector p = FourierProjector.create(volume, limit, device)) {
			final float[] slices = new float[chunk * length];
			for (int start = 0; start < poses; start += chunk) {
				final int count = Math.min(chunk, poses - start);
				final double[][] rotations = new double[count][];
				for (int i = 0; i < count; i++)
					rotations[i] = g.matrix(start + i);
				p.project(rotations, slices);
				for (int i = 0; i < count; i++)
					compact(slices, i * length, gridSlices, (start + i) * 2 * m);
			}
		}
		grid = g;
	}

	private void compact(final float[] slices, final int offset, final float[] out, final int at) {
		for (int i = 0; i < points.size(); i++) {
			out[at + 2 * i] = slices[offset + 2 * points.element(i)];
			out[at + 2 * i + 1] = slices[offset + 2 * points.element(i) + 1];
		}
	}

	/**
	 * The {@code keep} best distinct poses of the prepared grid, each with its best shift on a square grid of
	 * {@code step} pixels within {@code range} pixels of (cx, cy).
	 */
	public Candidate[] global(final Particle p, final double cx, final double cy, final double range,
		final double step, final int keep)
	{
		return globalPosterior(p, cx, cy, range, step, keep, 0).best();
	}

	/**
	 * {@link #global}, and how sure the particle's pose is: the posterior probability that the pose lies within
	 * {@code reach} degrees of the best one. With the reference's scale fitted to the particle, the log-likelihood
	 * of a hypothesis is the square of its score (−Σ w·|X·e_s − α·C·P|² at its best α = dot/power), so the posterior
	 * of pose A is proportional to Σ_s exp(score(A, s)²). A particle that matches the reference in one orientation
	 * has a certainty near 1; one that matches none (junk, an empty or damaged image) spreads its posterior over
	 * many orientations.
	 */
	public Global globalPosterior(final Particle p, final double cx, final double cy, final double range,
		final double step, final int keep, final double reach)
	{
		if (grid == null) throw new IllegalStateException("prepareGlobal first");
		final double[][] shifts = shiftGrid(cx, cy, range, step);
		final float[][] shifted = shifted(p, shifts);
		final int m = points.size(), poses = grid.size();
		final Best best = new Best(keep);
		// the posterior's mass per pose, only where a certainty is asked for (global() asks for none)
		final boolean mass = reach > 0;
		final double[] logMass = new double[poses];
		double max = Double.NEGATIVE_INFINITY;
		final double[] l = new double[shifts.length];
		for (int pose = 0; pose < poses; pose++) {
			final int at = pose * 2 * m;
			final double norm = weightedPower(p, gridSlices, at, m);
			logMass[pose] = Double.NEGATIVE_INFINITY;
			if (!(norm > 0)) continue;
			final double inv = 1 / Math.sqrt(norm);
			int top = -1;
			double topScore = Double.NEGATIVE_INFINITY;
			for (int s = 0; s < shifts.length; s++) {
				final double score = dot(shifted[s], gridSlices, at, m) * inv;
				if (mass) l[s] = score * Math.abs(score);
				if (score > topScore) {
					topScore = score;
					top = s;
				}
			}
			best.offer(topScore, pose, top);
			if (!mass) continue;
			final double lTop = topScore * Math.abs(topScore);
			double sum = 0;
			for (int s = 0; s < shifts.length; s++)
				sum += Math.exp(l[s] - lTop);
			logMass[pose] = lTop + Math.log(sum);
			max = Math.max(max, logMass[pose]);
		}
		final Candidate[] candidates = best.candidates(grid, shifts);
		if (candidates.length == 0 || !mass) return new Global(candidates, 0);
		final double[] centre = candidates[0].rotation();
		double near = 0, all = 0;
		for (int pose = 0; pose < poses; pose++) {
			if (logMass[pose] == Double.NEGATIVE_INFINITY) continue;
			final double w = Math.exp(logMass[pose] - max);
			all += w;
			if (symmetricAngle(centre, grid.matrix(pose)) <= reach) near += w;
		}
		return new Global(candidates, all > 0 ? near / all : 0);
	}

	/** The angle in degrees between two poses, the nearest of b's symmetry mates (b·S: the same map) taken. */
	private double symmetricAngle(final double[] a, final double[] b) {
		double min = Double.POSITIVE_INFINITY;
		for (final double[] s : grid.symmetry().operators())
			min = Math.min(min, Rotations.angle(a, Rotations.multiply(b, s)));
		return Math.toDegrees(min);
	}

	/** The best candidates of a global search and the posterior probability that the best pose is right. */
	public record Global(Candidate[] best, double certainty) {}

	/** The {@code keep} highest-scoring (pose, shift) pairs offered, best first. */
	private static final class Best {
		final double[] score;
		final int[] pose, shift;

		Best(final int keep) {
			score = new double[keep];
			pose = new int[keep];
			shift = new int[keep];
			Arrays.fill(score, Double.NEGATIVE_INFINITY);
		}

		void offer(final double value, final int p, final int s) {
			if (!(value > score[score.length - 1])) return;
			int j = score.length - 1;
			while (j > 0 && score[j - 1] < value) {
				score[j] = score[j - 1];
				pose[j] = pose[j - 1];
				shift[j] = shift[j - 1];
				j--;
			}
			score[j] = value;
			pose[j] = p;
			shift[j] = s;
		}

		Candidate[] candidates(final So3Grid grid, final double[][] shifts) {
			final List<Candidate> out = new ArrayList<>();
			for (int j = 0; j < score.length; j++)
				if (score[j] > Double.NEGATIVE_INFINITY) out.add(new Candidate(grid.matrix(pose[j]), shifts[shift[j]][0],
					shifts[shift[j]][1], score[j]));
			return out.toArray(new Candidate[0]);
		}
	}

	/**
	 * A particle's posterior over the prepared grid's poses and a square grid of shifts ({@code step} pixels within
	 * {@code range} of (cx, cy)), for marginalisation: the log-likelihood of each hypothesis is
	 * <pre>
	 *   L = Σ_k w(k)·[2·Re(X·e_s·conj(C·P_A)) − C²·|P_A|²]
	 * </pre>
	 * (complex Gaussian noise of power σ² = 1/w per element; the reference must be on the particles' scale, as a
	 * map reconstructed from them is). Returns the {@code keep} most likely hypotheses, each with its L as score,
	 * and the log of Σ exp(L) over every hypothesis, so that exp(L − logSum) is a posterior probability.
	 */
	public Posterior posterior(final Particle p, final double cx, final double cy, final double range,
		final double step, final int keep)
	{
		if (grid == null) throw new IllegalStateException("prepareGlobal first");
		final double[][] shifts = shiftGrid(cx, cy, range, step);
		final float[][] shifted = shifted(p, shifts);
		final int m = points.size(), poses = grid.size();
		final Best best = new Best(keep);
		double max = Double.NEGATIVE_INFINITY, sum = 0; // Σ exp(L − max), rescaled as max rises
		for (int pose = 0; pose < poses; pose++) {
			final int at = pose * 2 * m;
			final double energy = weightedPower(p, gridSlices, at, m);
			for (int s = 0; s < shifts.length; s++) {
				final double l = 2 * dot(shifted[s], gridSlices, at, m) - energy;
				if (l > max) {
					sum = sum * Math.exp(max - l) + 1;
					max = l;
				}
				else sum += Math.exp(l - max);
				best.offer(l, pose, s);
			}
		}
		return new Posterior(best.candidates(grid, shifts), max + Math.log(sum));
	}

	/** The most likely hypotheses (score = log-likelihood) and the log of the sum of exp(L) over all of them. */
	public record Posterior(Candidate[] best, double logSum) {}

	/**
	 * Climbs from {@code start}: scores the 27 rotations Δ·A (Δ about x, y, z by −1, 0, +1 angular steps) at the
	 * 3 × 3 shifts around the current shift, moves to the best, repeats while that is on the edge (at most
	 * {@code 4} moves a level), then halves both steps until the angular step is below {@code finalStep}.
	 *
	 * @param angularStep first angular step, degrees
	 * @param shiftStep first shift step, pixels
	 * @param maxShift no shift further than this many pixels from the origin is taken
	 */
	public Candidate local(final Particle p, final Candidate start, final double angularStep, final double finalStep,
		final double shiftStep, final double minShiftStep, final double maxShift)
	{
		final int m = points.size(), length = FourierProjector.sliceLength(n);
		final double[][] rotations = new double[27][];
		final float[] slices = new float[27 * length], compact = new float[27 * 2 * m];
		Candidate current = start;
		double step = angularStep, shift = shiftStep;
		while (true) {
			for (int moves = 0; moves < 4; moves++) {
				for (int i = 0; i < 27; i++) {
					final double ax = Math.toRadians(step * (i % 3 - 1)), ay = Math.toRadians(step * (i / 3 % 3 - 1)),
						az = Math.toRadians(step * (i / 9 - 1));
					final double[] delta = Rotations.multiply(Rotations.about(Z, az), Rotations.multiply(Rotations.about(Y,
						ay), Rotations.about(X, ax)));
					rotations[i] = Rotations.multiply(delta, current.rotation());
				}
				projector.project(rotations, slices);
				for (int i = 0; i < 27; i++)
					compact(slices, i * length, compact, i * 2 * m);
				final double[][] shifts = new double[9][];
				for (int j = 0; j < 9; j++)
					shifts[j] = new double[] { current.shiftX() + shift * (j % 3 - 1), current.shiftY() + shift * (j / 3
						- 1) };
				final float[][] shifted = shifted(p, shifts);
				int bestR = CENTRE_ROTATION, bestS = CENTRE_SHIFT;
				double best = Double.NEGATIVE_INFINITY;
				for (int i = 0; i < 27; i++) {
					final int at = i * 2 * m;
					final double norm = weightedPower(p, compact, at, m);
					if (!(norm > 0)) continue;
					final double inv = 1 / Math.sqrt(norm);
					for (int j = 0; j < 9; j++) {
						final boolean centre = i == CENTRE_ROTATION && j == CENTRE_SHIFT;
						if (!centre && Math.hypot(shifts[j][0], shifts[j][1]) > maxShift) continue;
						final double score = dot(shifted[j], compact, at, m) * inv;
						if (score > best || centre && score >= best) {
							best = score;
							bestR = i;
							bestS = j;
						}
					}
				}
				current = new Candidate(rotations[bestR], shifts[bestS][0], shifts[bestS][1], best);
				if (bestR == CENTRE_ROTATION && bestS == CENTRE_SHIFT) break;
			}
			if (step <= finalStep && shift <= minShiftStep) return current;
			step = step > finalStep ? Math.max(step / 2, finalStep) : step;
			shift = shift > minShiftStep ? Math.max(shift / 2, minShiftStep) : shift;
		}
	}

	private static final double[] X = { 1, 0, 0 }, Y = { 0, 1, 0 }, Z = { 0, 0, 1 };
	private static final int CENTRE_ROTATION = 13, CENTRE_SHIFT = 4;

	/** Σ C²·w·|P|² over the m points of a projection read from {@code at}: the score's normalisation. */
	private static double weightedPower(final Particle p, final float[] projection, final int at, final int m) {
		double norm = 0;
		for (int k = 0; k < m; k++) {
			final float re = projection[at + 2 * k], im = projection[at + 2 * k + 1];
			norm += p.b()[k] * (re * re + im * im);
		}
		return norm;
	}

	/** Σ Re(a·conj(b)) over m complex points, b read from {@code at}. */
	private static double dot(final float[] a, final float[] b, final int at, final int m) {
		double sum = 0;
		for (int i = 0, j = at; i < 2 * m; i += 2, j += 2)
			sum += a[i] * b[j] + a[i + 1] * b[j + 1];
		return sum;
	}

	/** The particle's weighted products moved by each shift (pixels): a·exp(−2πi k·s/N). */
	private float[][] shifted(final Particle p, final double[][] shifts) {
		final float[][] out = new float[shifts.length][];
		for (int s = 0; s < shifts.length; s++)
			out[s] = points.shift(p.a(), shifts[s][0], shifts[s][1]);
		return out;
	}

	/** Shifts on a square grid of {@code step} within a disc of {@code range} about (cx, cy), the centre first. */
	static double[][] shiftGrid(final double cx, final double cy, final double range, final double step) {
		final List<double[]> out = new ArrayList<>();
		final int reach = (int) Math.floor(range / step + 1e-9);
		out.add(new double[] { cx, cy });
		for (int j = -reach; j <= reach; j++)
			for (int i = -reach; i <= reach; i++)
				if ((i != 0 || j != 0) && Math.hypot(i * step, j * step) <= range + 1e-9) out.add(new double[] { cx + i
					* step, cy + j * step });
		return out.toArray(new double[0][]);
	}

	/**
	 * Adds the residual power |X·e_s − α·C·P|² of the particle at a pose, per shell of the search points, to
	 * {@code sums} (α the least-squares scale), and the number of points per shell to {@code counts}; returns α.
	 */
	public double residual(final float[] transform, final float[] ctf, final Candidate c, final double[] sums,
		final double[] counts)
	{
		final int m = points.size(), length = FourierProjector.sliceLength(n);
		final float[] slice = new float[length];
		projector.project(new double[][] { c.rotation() }, slice);
		final float[] x = transform.clone();
		FourierFilters.shift(x, n, n, 1, c.shiftX(), c.shiftY(), 0);
		double xp = 0, pp = 0;
		for (int i = 0; i < m; i++) {
			final int e = points.element(i);
			final float cv = ctf == null ? 1 : ctf[e];
			final double pr = cv * slice[2 * e], pi = cv * slice[2 * e + 1];
			xp += x[2 * e] * pr + x[2 * e + 1] * pi;
			pp += pr * pr + pi * pi;
		}
		final double alpha = pp > 0 ? xp / pp : 0;
		for (int i = 0; i < m; i++) {
			final int e = points.element(i);
			final float cv = ctf == null ? 1 : ctf[e];
			final double dr = x[2 * e] - alpha * cv * slice[2 * e], di = x[2 * e + 1] - alpha * cv * slice[2 * e + 1];
			sums[points.shell(i)] += dr * dr + di * di;
			counts[points.shell(i)]++;
		}
		return alpha;
	}

	@Override
	public void close() {
		projector.close();
	}
}

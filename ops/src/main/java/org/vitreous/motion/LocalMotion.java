package org.vitreous.motion;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The smooth local motion of a movie beyond its whole-frame shifts, in the form MotionCor2 and RELION write
 * (RELION's ThirdOrderPolynomialModel, rlnMotionModelVersion 1): for frame z (0 for the first frame used),
 * and x, y the position in the frame divided by its width and height minus 0.5, the shift in pixels is
 * Σ c·z^a·b(x, y) over a = 1, 2, 3 and b = 1, x, x², y, y², xy, 18 coefficients per axis, stored in that order
 * (b slowest). Every term has a factor z, so the first frame does not move. Shifts add to the whole-frame ones
 * and share their sign: the frame aligned is frame(p − s(p)).
 */
public final class LocalMotion {

	/** Coefficients per axis. */
	public static final int TERMS = 18;

	private final double[] cx, cy;

	public LocalMotion(final double[] cx, final double[] cy) {
		if (cx.length != TERMS || cy.length != TERMS) throw new IllegalArgumentException("a local motion model has "
			+ TERMS + " coefficients per axis, not " + cx.length + " and " + cy.length);
		this.cx = cx.clone();
		this.cy = cy.clone();
	}

	/** No local motion. */
	public static LocalMotion none() {
		return new LocalMotion(new double[TERMS], new double[TERMS]);
	}

	public double[] coefficientsX() {
		return cx.clone();
	}

	public double[] coefficientsY() {
		return cy.clone();
	}

	/** The 18 basis values at frame z and normalised position (x, y). */
	static double[] basis(final double z, final double x, final double y) {
		final double[] b = new double[TERMS];
		final double[] space = { 1, x, x * x, y, y * y, x * y };
		for (int i = 0; i < 6; i++) {
			b[3 * i] = space[i] * z;
			b[3 * i + 1] = space[i] * z * z;
			b[3 * i + 2] = space[i] * z * z * z;
		}
		return b;
	}

	/** The local shift (x, y) in pixels at frame z and normalised position (x, y). */
	public double[] shiftAt(final double z, final double x, final double y) {
		final double[] b = basis(z, x, y);
		double sx = 0, sy = 0;
		for (int i = 0; i < TERMS; i++) {
			sx += cx[i] * b[i];
			sy += cy[i] * b[i];
		}
		return new double[] { sx, sy };
	}

	/**
	 * Adds frame z of nx × ny resampled through this field to {@code target} (bicubic): target(p) += image(p −
	 * sign·s(z, p)). Sign 1 undoes the motion, as correction does; −1 applies it, as a simulation does.
	 */
	public void warp(final float[] image, final int nx, final int ny, final double z, final double sign,
		final float[] target)
	{
		Warp.add(image, nx, ny, this, z, sign, target);
	}

	/** One measured local shift: a patch centred at normalised (x, y), at frame z. */
	public record Observation(double z, double x, double y, double shiftX, double shiftY) {}

	/** The least-squares model of the observations (at least 19 of them, from at least 3 positions). */
	public static LocalMotion fit(final List<Observation> observations) {
		if (observations.size() <= TERMS) throw new IllegalArgumentException(observations.size()
			+ " local shifts: a local motion model of " + TERMS + " terms needs more");
		final double[][] normal = new double[TERMS][TERMS];
		final double[] bx = new double[TERMS], by = new double[TERMS];
		for (final Observation o : observations) {
			final double[] b = basis(o.z(), o.x(), o.y());
			for (int i = 0; i < TERMS; i++) {
				bx[i] += b[i] * o.shiftX();
				by[i] += b[i] * o.shiftY();
				for (int j = 0; j < TERMS; j++)
					normal[i][j] += b[i] * b[j];
			}
		}
		return new LocalMotion(solve(normal, bx), solve(normal, by));
	}

	/**
	 * Fits, then drops the observations of each patch whose RMS misfit is more than 3 times the median patch's (and
	 * more than half a pixel), and fits again: a patch on a carbon edge or an empty hole that aligned on noise
	 * does not bend the field. Returns the model and the patches kept.
	 */
	public static Fit robustFit(final List<List<Observation>> patches) {
		final List<Observation> all = new ArrayList<>();
		patches.forEach(all::addAll);
		LocalMotion model = fit(all);
		final double[] misfit = new double[patches.size()];
		for (int p = 0; p < patches.size(); p++)
			misfit[p] = model.rmsMisfit(patches.get(p));
		final double[] sorted = misfit.clone();
		Arrays.sort(sorted);
		final double median = sorted[sorted.length / 2], limit = Math.max(0.5, 3 * median);
		final List<Observation> kept = new ArrayList<>();
		final boolean[] used = new boolean[patches.size()];
		for (int p = 0; p < patches.size(); p++)
			if (misfit[p] <= limit) {
				used[p] = true;
				kept.addAll(patches.get(p));
			}
		if (kept.size() < all.size() && kept.size() > TERMS) model = fit(kept);
		return new Fit(model, used);
	}

	/** A fitted model and which patches it kept. */
	public record Fit(LocalMotion model, boolean[] kept) {}

	/** The RMS distance (px) between the observations and the model. */
	public double rmsMisfit(final List<Observation> observations) {
		double sum = 0;
		for (final Observation o : observations) {
			final double[] s = shiftAt(o.z(), o.x(), o.y());
			sum += (s[0] - o.shiftX()) * (s[0] - o.shiftX()) + (s[1] - o.shiftY()) * (s[1] - o.shiftY());
		}
		return observations.isEmpty() ? 0 : Math.sqrt(sum / observations.size());
	}

	/** Solves a symmetric system by Gaussian elimination with partial pivoting; a singular one gives zeros there. */
	private static double[] solve(final double[][] matrix, final double[] rhs) {
		final int n = rhs.length;
		final double[][] a = new double[n][];
		for (int i = 0; i < n; i++)
			a[i] = Arrays.copyOf(matrix[i], n + 1);
		for (int i = 0; i < n; i++)
			a[i][n] = rhs[i];
		double scale = 0;
		for (int i = 0; i < n; i++)
			scale = Math.max(scale, Math.abs(a[i][i]));
		for (int col = 0; col < n; col++) {
			int pivot = col;
			for (int r = col + 1; r < n; r++)
				if (Math.abs(a[r][col]) > Math.abs(a[pivot][col])) pivot = r;
			final double[] t = a[col];
			a[col] = a[pivot];
			a[pivot] = t;
			if (Math.abs(a[col][col]) <= 1e-12 * scale) {
				a[col][col] = 0; // a term the observations do not determine
				continue;
			}
			for (int r = 0; r < n; r++) {
				if (r == col || a[r][col] == 0) continue;
				final double f = a[r][col] / a[col][col];
				for (int c = col; c <= n; c++)
					a[r][c] -= f * a[col][c];
			}
		}
		final double[] x = new double[n];
		for (int i = 0; i < n; i++)
			x[i] = a[i][i] == 0 ? 0 : a[i][n] / a[i][i];
		return x;
	}
}

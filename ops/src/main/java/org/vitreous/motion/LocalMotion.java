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

	/**
	 * The least-squares model of patch shift trajectories, each patch's trajectory known only up to a constant: a
	 * patch's shifts are measured against its own first frame, whose error would otherwise be carried into every
	 * frame of it (RELION's fit takes them as they are). Within each patch the observations and the basis are taken
	 * about their means, so only the change of shift along the trajectory is fitted.
	 */
	public static LocalMotion fit(final List<List<Observation>> patches) {
		int count = 0;
		for (final List<Observation> p : patches)
			count += p.size();
		if (count <= TERMS) throw new IllegalArgumentException(count + " local shifts: a local motion model of " + TERMS
			+ " terms needs more");
		final double[][] normal = new double[TERMS][TERMS];
		final double[] bx = new double[TERMS], by = new double[TERMS];
		for (final List<Observation> patch : patches) {
			if (patch.isEmpty()) continue;
			final double[][] basis = new double[patch.size()][];
			final double[] mean = new double[TERMS];
			double mx = 0, my = 0;
			for (int i = 0; i < patch.size(); i++) {
				final Observation o = patch.get(i);
				basis[i] = basis(o.z(), o.x(), o.y());
				for (int t = 0; t < TERMS; t++)
					mean[t] += basis[i][t] / patch.size();
				mx += o.shiftX() / patch.size();
				my += o.shiftY() / patch.size();
			}
			for (int i = 0; i < patch.size(); i++) {
				final Observation o = patch.get(i);
				final double dx = o.shiftX() - mx, dy = o.shiftY() - my;
				for (int a = 0; a < TERMS; a++) {
					final double ba = basis[i][a] - mean[a];
					bx[a] += ba * dx;
					by[a] += ba * dy;
					for (int b = 0; b < TERMS; b++)
						normal[a][b] += ba * (basis[i][b] - mean[b]);
				}
			}
		}
		return new LocalMotion(solve(normal, bx), solve(normal, by));
	}

	/** The RMS misfit (px) of a patch's trajectory to the model, each taken about its mean over the patch. */
	public double relativeMisfit(final List<Observation> patch) {
		if (patch.isEmpty()) return 0;
		final double[][] d = new double[patch.size()][2];
		double mx = 0, my = 0;
		for (int i = 0; i < patch.size(); i++) {
			final Observation o = patch.get(i);
			final double[] s = shiftAt(o.z(), o.x(), o.y());
			d[i][0] = o.shiftX() - s[0];
			d[i][1] = o.shiftY() - s[1];
			mx += d[i][0] / patch.size();
			my += d[i][1] / patch.size();
		}
		double sum = 0;
		for (final double[] e : d)
			sum += (e[0] - mx) * (e[0] - mx) + (e[1] - my) * (e[1] - my);
		return Math.sqrt(sum / patch.size());
	}

	/**
	 * Fits, then drops the observations of each patch whose RMS misfit is more than 3 times the median patch's (and
	 * more than half a pixel), and fits again: a patch on a carbon edge or an empty hole that aligned on noise
	 * does not bend the field. Returns the model and the patches kept.
	 */
	public static Fit robustFit(final List<List<Observation>> patches) {
		LocalMotion model = fit(patches);
		final double[] misfit = new double[patches.size()];
		for (int p = 0; p < patches.size(); p++)
			misfit[p] = model.relativeMisfit(patches.get(p));
		final double[] sorted = misfit.clone();
		Arrays.sort(sorted);
		final double median = sorted[sorted.length / 2], limit = Math.max(0.5, 3 * median);
		final List<List<Observation>> kept = new ArrayList<>();
		final boolean[] used = new boolean[patches.size()];
		for (int p = 0; p < patches.size(); p++)
			if (misfit[p] <= limit) {
				used[p] = true;
				kept.add(patches.get(p));
			}
		if (kept.size() < patches.size() && kept.size() >= 3) model = fit(kept);
		return new Fit(model, used);
	}

	/** A fitted model and which patches it kept. */
	public record Fit(LocalMotion model, boolean[] kept) {}

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

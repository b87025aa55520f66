package org.vitreous.motion;

import org.vitreous.compute.Parallel;
import org.vitreous.fourier.Fft;
import org.vitreous.fourier.FourierFilters;

/**
 * Aligns the images of a {@link FrameSpectra} to one another, as MotionCor2 and RELION's own motion correction do:
 * each image against the sum of all the others (so its own noise never correlates with itself), weighted by a
 * B-factor, iterated until the shifts stop changing. Each image's shift is first found on a coarse
 * cross-correlation map (its pixel a few image pixels) and then refined on the exact correlation as a continuous
 * function of the shift, c(s) = Re Σ W(k)·R(k)·conj(F(k))·exp(2πi k·s), by Newton's method: the peak of the
 * band-limited correlation itself, not a parabola through three samples of it.
 * <p>
 * Shifts follow RELION's rlnMicrographShiftX/Y: image i aligned is image(x − s_i), i.e. s_i is minus the
 * displacement of its content, in pixels; the first image's shift is 0.
 */
public final class FrameAlignment {

	/** How to align. */
	public static final class Settings {
		/**
		 * B-factor of the correlation's weight exp(−2B·|k|²), k in cycles/px, px² (RELION's --bfactor and its
		 * default); larger values align on lower frequencies.
		 */
		public double bFactor = 150;
		/** Stop when the shifts change by less than this (RMS over images, px). */
		public double tolerance = 0.01;
		public int maxIterations = 10;
		/** The largest shift of an image against the sum of the others that is looked for, px. */
		public double searchRange = 40;

		public Settings copy() {
			final Settings c = new Settings();
			c.bFactor = bFactor;
			c.tolerance = tolerance;
			c.maxIterations = maxIterations;
			c.searchRange = searchRange;
			return c;
		}
	}

	/** The shifts found (px) and whether they converged within the iterations allowed. */
	public record Shifts(double[] x, double[] y, boolean converged, int iterations) {}

	private FrameAlignment() {}

	/** The frequency beyond which the weight of {@code bFactor} is below 10⁻³ (cycles/px, at most 0.5). */
	public static double maxFrequency(final double bFactor) {
		return bFactor > 0 ? Math.min(0.5, Math.sqrt(Math.log(1e3) / (2 * bFactor))) : 0.5;
	}

	public static Shifts align(final FrameSpectra spectra, final Settings settings) {
		return align(spectra, settings, new double[spectra.images()], new double[spectra.images()]);
	}

	/** Aligns starting from the shifts given. */
	public static Shifts align(final FrameSpectra spectra, final Settings settings, final double[] startX,
		final double[] startY)
	{
		final int frames = spectra.images(), points = spectra.points();
		if (frames < 2) return new Shifts(new double[frames], new double[frames], true, 0);
		final float[] weight = new float[points];
		for (int j = 0; j < points; j++) {
			final double kx = spectra.fx[j] / (double) spectra.nx, ky = spectra.fy[j] / (double) spectra.ny;
			weight[j] = (float) (spectra.multiplicity[j] * Math.exp(-2 * settings.bFactor * (kx * kx + ky * ky)));
		}
		final double[] sx = startX.clone(), sy = startY.clone();
		boolean converged = false;
		int iteration = 0;
		while (iteration < settings.maxIterations && !converged) {
			iteration++;
			final float[][] aligned = new float[frames][];
			Parallel.forRange(frames, (a, b) -> {
				for (int k = a; k < b; k++)
					aligned[k] = shifted(spectra, spectra.values[k], sx[k], sy[k]);
			});
			final float[] sum = new float[2 * points];
			for (final float[] g : aligned)
				for (int i = 0; i < sum.length; i++)
					sum[i] += g[i];
			final double[] nx = new double[frames], ny = new double[frames];
			final boolean coarse = iteration == 1;
			Parallel.forRange(frames, (a, b) -> {
				for (int k = a; k < b; k++) {
					final float[] f = spectra.values[k], g = aligned[k];
					final float[] product = new float[2 * points];
					for (int j = 0; j < points; j++) {
						// A = W·(S − G)·conj(F)
						final float rr = sum[2 * j] - g[2 * j], ri = sum[2 * j + 1] - g[2 * j + 1];
						product[2 * j] = weight[j] * (rr * f[2 * j] + ri * f[2 * j + 1]);
						product[2 * j + 1] = weight[j] * (ri * f[2 * j] - rr * f[2 * j + 1]);
					}
					double x0 = sx[k], y0 = sy[k];
					if (coarse) {
						final double[] peak = coarsePeak(spectra, product, settings.searchRange);
						x0 = peak[0];
						y0 = peak[1];
					}
					final double[] best = newton(spectra, product, x0, y0);
					nx[k] = best[0];
					ny[k] = best[1];
				}
			});
			double change = 0;
			for (int k = 0; k < frames; k++) {
				final double x = nx[k] - nx[0], y = ny[k] - ny[0];
				change += (x - sx[k]) * (x - sx[k]) + (y - sy[k]) * (y - sy[k]);
				sx[k] = x;
				sy[k] = y;
			}
			converged = Math.sqrt(change / frames) < settings.tolerance;
		}
		return new Shifts(sx, sy, converged, iteration);
	}

	/** The values of image {@code v} moved by (dx, dy) px: multiplied by exp(−2πi k·d). */
	static float[] shifted(final FrameSpectra s, final float[] v, final double dx, final double dy) {
		final double[] px = FourierFilters.phases(Fft.halfWidth(s.nx), s.nx, dx, true), py = FourierFilters.phases(s.ny,
			s.ny, dy, false);
		final float[] out = new float[v.length];
		for (int j = 0; j < s.fx.length; j++) {
			final int ix = 2 * s.fx[j], iy = 2 * Fft.index(s.fy[j], s.ny);
			final double c = px[ix] * py[iy] - px[ix + 1] * py[iy + 1], sn = px[ix] * py[iy + 1] + px[ix + 1] * py[iy];
			out[2 * j] = (float) (v[2 * j] * c - v[2 * j + 1] * sn);
			out[2 * j + 1] = (float) (v[2 * j] * sn + v[2 * j + 1] * c);
		}
		return out;
	}

	/** The maximum of the correlation sampled on a coarse grid within the search range, refined by parabolas (px). */
	static double[] coarsePeak(final FrameSpectra s, final float[] product, final double range) {
		int maxX = 0, maxY = 0;
		for (int j = 0; j < s.fx.length; j++) {
			maxX = Math.max(maxX, s.fx[j]);
			maxY = Math.max(maxY, Math.abs(s.fy[j]));
		}
		final int mx = goodSize(2 * maxX + 2), my = goodSize(2 * maxY + 2), hx = Fft.halfWidth(mx);
		final float[] grid = new float[2 * hx * my];
		for (int j = 0; j < s.fx.length; j++) {
			// the stored half holds kx > 0 once: its weight (2) already counts the conjugate, which the inverse of a
			// half-complex array adds itself, so the point goes in at half weight
			final float m = s.fx[j] == 0 ? 1 : 0.5f;
			final int e = 2 * (Fft.index(s.fy[j], my) * hx + s.fx[j]);
			grid[e] += m * product[2 * j];
			grid[e + 1] += m * product[2 * j + 1];
		}
		final float[] ccf = Fft.inverse(grid, mx, my, 1);
		final double scaleX = s.nx / (double) mx, scaleY = s.ny / (double) my;
		final int rx = (int) Math.min(mx / 2 - 1, Math.ceil(range / scaleX)), ry = (int) Math.min(my / 2 - 1, Math.ceil(
			range / scaleY));
		int bx = 0, by = 0;
		double best = Double.NEGATIVE_INFINITY;
		for (int y = -ry; y <= ry; y++)
			for (int x = -rx; x <= rx; x++) {
				final double v = ccf[Fft.index(y, my) * mx + Fft.index(x, mx)];
				if (v > best) {
					best = v;
					bx = x;
					by = y;
				}
			}
		final double xm = ccf[Fft.index(by, my) * mx + Fft.index(bx - 1, mx)], xp = ccf[Fft.index(by, my) * mx + Fft
			.index(bx + 1, mx)];
		final double ym = ccf[Fft.index(by - 1, my) * mx + Fft.index(bx, mx)], yp = ccf[Fft.index(by + 1, my) * mx + Fft
			.index(bx, mx)];
		final double ox = parabola(xm, best, xp), oy = parabola(ym, best, yp);
		return new double[] { (bx + ox) * scaleX, (by + oy) * scaleY };
	}

	private static double parabola(final double m, final double c, final double p) {
		final double d = m + p - 2 * c;
		return d < 0 ? Math.max(-0.5, Math.min(0.5, 0.5 * (m - p) / d)) : 0;
	}

	/**
	 * The shift that maximises c(s) = Re Σ A·exp(2πi k·s), from (x0, y0), by Newton's method on its gradient and
	 * Hessian (steps limited to one pixel; a step that does not raise c is halved).
	 */
	static double[] newton(final FrameSpectra s, final float[] a, final double x0, final double y0) {
		double x = x0, y = y0;
		double[] e = evaluate(s, a, x, y);
		for (int step = 0; step < 30; step++) {
			// e: c, gx, gy, hxx, hxy, hyy
			final double det = e[3] * e[5] - e[4] * e[4];
			double dx, dy;
			if (e[3] < 0 && det > 0) {
				dx = -(e[5] * e[1] - e[4] * e[2]) / det;
				dy = -(e[3] * e[2] - e[4] * e[1]) / det;
			} else {
				// not at a concave point: go uphill along the gradient by at most a pixel
				final double g = Math.hypot(e[1], e[2]);
				if (g == 0) break;
				dx = 0.25 * e[1] / g;
				dy = 0.25 * e[2] / g;
			}
			final double length = Math.hypot(dx, dy);
			if (length > 1) {
				dx /= length;
				dy /= length;
			}
			double[] next = evaluate(s, a, x + dx, y + dy);
			int halvings = 0;
			while (next[0] < e[0] && halvings < 8) {
				dx /= 2;
				dy /= 2;
				next = evaluate(s, a, x + dx, y + dy);
				halvings++;
			}
			if (next[0] < e[0]) break;
			x += dx;
			y += dy;
			e = next;
			if (Math.hypot(dx, dy) < 1e-3) break;
		}
		return new double[] { x, y };
	}

	/** c(s), its gradient and its Hessian at s = (x, y). */
	private static double[] evaluate(final FrameSpectra s, final float[] a, final double x, final double y) {
		// exp(+2πi k·s): the phase table of a shift by −s
		final double[] px = FourierFilters.phases(Fft.halfWidth(s.nx), s.nx, -x, true), py = FourierFilters.phases(s.ny,
			s.ny, -y, false);
		double c = 0, gx = 0, gy = 0, hxx = 0, hxy = 0, hyy = 0;
		for (int j = 0; j < s.fx.length; j++) {
			final int ix = 2 * s.fx[j], iy = 2 * Fft.index(s.fy[j], s.ny);
			final double er = px[ix] * py[iy] - px[ix + 1] * py[iy + 1], ei = px[ix] * py[iy + 1] + px[ix + 1] * py[iy];
			final double qr = a[2 * j] * er - a[2 * j + 1] * ei, qi = a[2 * j] * ei + a[2 * j + 1] * er;
			final double kx = s.fx[j] / (double) s.nx, ky = s.fy[j] / (double) s.ny;
			c += qr;
			gx -= kx * qi;
			gy -= ky * qi;
			hxx -= kx * kx * qr;
			hxy -= kx * ky * qr;
			hyy -= ky * ky * qr;
		}
		final double tp = 2 * Math.PI, tp2 = tp * tp;
		return new double[] { c, tp * gx, tp * gy, tp2 * hxx, tp2 * hxy, tp2 * hyy };
	}

	/** The smallest even size at least n whose prime factors are 2, 3 and 5. */
	static int goodSize(final int n) {
		for (int m = Math.max(2, n + (n & 1));; m += 2) {
			int r = m;
			for (final int p : new int[] { 2, 3, 5 })
				while (r % p == 0)
					r /= p;
			if (r == 1) return m;
		}
	}
}

package org.vitreous.tomo;

import java.util.Arrays;

import org.vitreous.Progress;
import org.vitreous.compute.ComputeDevice;
import org.vitreous.compute.Parallel;
import org.vitreous.fourier.Fft;
import org.vitreous.io.TiltSeries;
import org.vitreous.projection.TiltProjector;

/**
 * The classical tomogram reconstructions from a single-axis tilt series: weighted back-projection, SIRT and direct
 * Fourier inversion. Every method returns a {@code width × height × thickness} volume (x fastest, z along the beam)
 * in the units of the projections' ray sums, so a volume projected by {@link TiltProjector} and reconstructed
 * comes back at its own scale.
 */
public final class TomogramReconstruction {

	private TomogramReconstruction() {}

	/**
	 * Weighted (filtered) back-projection: each projection row is filtered by the Ram-Lak ramp (built in real space,
	 * Kak and Slaney eq. 61, so the zero frequency keeps its proper small weight), zero-padded to at least twice its
	 * length, optionally rolled off above {@code lowPass} cycles/px with a Gaussian fall-off of σ 0.05 cycles/px (as
	 * IMOD's radial filter), weighted by the angular interval it stands for, and back-projected once
	 * ({@link TiltProjector#backProjectOnce}: on the Java path the rows are read from 16× linearly oversampled copies,
	 * within 1/32 px of exact linear interpolation; the back-projection took 1.3–1.5× less time that way at 128³ and
	 * 256³).
	 *
	 * @param lowPass the roll-off start in cycles/px, in (0, 0.5]; 0.5 keeps the full ramp
	 */
	public static float[] weightedBackProjection(final TiltSeries series, final int thickness, final double lowPass,
		final ComputeDevice device)
	{
		checkThickness(thickness);
		if (!(lowPass > 0 && lowPass <= 0.5)) throw new IllegalArgumentException("low-pass of " + lowPass
			+ " cycles/px is outside (0, 0.5]");
		final float[] filtered = new RampFilter(series.width(), series.tilts(), lowPass).apply(series.values(), series
			.height());
		final float[] volume = new float[series.width() * series.height() * thickness];
		try (TiltProjector p = TiltProjector.create(series.width(), series.height(), thickness, series.tilts(), device)) {
			p.backProjectOnce(filtered, volume);
		}
		return volume;
	}

	/**
	 * The WBP filter for rows of {@code width} pixels of a series at {@code tilts}: the ramp at the padded length
	 * and each tilt's angular weight, computed once and applied to any number of series of that geometry.
	 */
	static final class RampFilter {

		private final int width, padded;
		private final float[] filter;
		private final double[] weights;

		RampFilter(final int width, final double[] tilts, final double lowPass) {
			this.width = width;
			this.padded = Math.max(64, Integer.highestOneBit(2 * width - 1) << 1);
			this.filter = rampFilter(padded, lowPass);
			this.weights = angularWeights(tilts);
		}

		/** {@code series} (width × height × tilts) with every row ramp-filtered and weighted, as a new array. */
		float[] apply(final float[] series, final int height) {
			final float[] out = Fft.filterRows(series, width, padded, filter);
			final int tilt = width * height;
			Parallel.forRange(weights.length, (start, end) -> {
				for (int t = start; t < end; t++) {
					final float w = (float) weights[t];
					for (int i = t * tilt; i < (t + 1) * tilt; i++)
						out[i] *= w;
				}
			});
			return out;
		}
	}

	/**
	 * The Ram-Lak filter for {@code n}-point circular convolution, per stored (non-negative) frequency: the DFT of
	 * its band-limited impulse response h(0) = 1/4, h(k) = −1/(πk)² for odd k, 0 for even k, which is ≈ |f| in
	 * cycles/px, times the roll-off above {@code lowPass}.
	 */
	static float[] rampFilter(final int n, final double lowPass) {
		final int half = n / 2 + 1;
		final float[] filter = new float[half];
		for (int k = 0; k < half; k++) {
			double sum = 0.25;
			for (int j = 1; j < n; j += 2) {
				final int distance = Math.min(j, n - j);
				sum -= Math.cos(2 * Math.PI * k * j / n) / (Math.PI * distance * Math.PI * distance);
			}
			final double f = (double) k / n, over = f - lowPass;
			filter[k] = (float) (sum * (over > 0 ? Math.exp(-over * over / (2 * 0.05 * 0.05)) : 1));
		}
		return filter;
	}

	/**
	 * SIRT: x ← x + λ·C·Aᵀ·R·(b − A·x) from x = 0, with R the inverse ray lengths (row sums of A) and C the inverse
	 * voxel weights (column sums), the classic simultaneous update that converges for 0 < λ < 2; with
	 * {@code positivity} every iterate is clipped at 0 (for densities drawn positive, as the phantoms and
	 * contrast-inverted tomograms).
	 */
	public static float[] sirt(final TiltSeries series, final int thickness, final int iterations,
		final double relaxation, final boolean positivity, final ComputeDevice device, final Progress progress)
	{
		checkThickness(thickness);
		if (iterations < 1) throw new IllegalArgumentException("SIRT needs at least one iteration, not " + iterations);
		if (!(relaxation > 0 && relaxation < 2)) throw new IllegalArgumentException("relaxation " + relaxation
			+ " is outside (0, 2), where SIRT converges");
		final int nx = series.width(), ny = series.height(), nt = series.tilts().length;
		final float[] b = series.values();
		final float[] x = new float[nx * ny * thickness], residual = new float[b.length], update = new float[x.length];
		try (TiltProjector p = TiltProjector.create(nx, ny, thickness, series.tilts(), device)) {
			final float[] rows = new float[b.length], columns = new float[x.length];
			Arrays.fill(update, 1);
			p.project(update, rows);
			Arrays.fill(residual, 1);
			p.backProject(residual, columns);
			invert(rows);
			invert(columns);
			for (int i = 0; i < iterations; i++) {
				progress.checkCancelled();
				p.project(x, residual);
				Parallel.forRange(residual.length, (s, e) -> {
					for (int j = s; j < e; j++)
						residual[j] = (b[j] - residual[j]) * rows[j];
				});
				p.backProject(residual, update);
				final float lambda = (float) relaxation;
				Parallel.forRange(x.length, (s, e) -> {
					for (int j = s; j < e; j++) {
						final float v = x[j] + lambda * columns[j] * update[j];
						x[j] = positivity && v < 0 ? 0 : v;
					}
				});
				progress.report(i + 1, iterations, "SIRT iteration " + (i + 1) + " of " + iterations);
			}
		}
		return x;
	}

	private static void invert(final float[] a) {
		for (int i = 0; i < a.length; i++)
			a[i] = a[i] > 1e-6f ? 1 / a[i] : 0;
	}

	/**
	 * Direct Fourier inversion with gridding, slice by slice along the tilt axis (each y row is an independent 2D
	 * problem in x and z): the 1D transform of projection row y at tilt t is the line k·(cos t, −sin t) of the
	 * slice's 2D transform (central slice theorem); the lines are spread onto a 2D grid padded twice by bilinear
	 * weights (a sample reaching the kx < 0 half lands as its Hermitian mate); each grid value is the weighted mean of what reached
	 * it, divided by max(weight, 1) so that the sparse outer shells between lines fade instead of ringing; an
	 * inverse transform and the division by the bilinear kernel's sinc² (the gridding correction) give the slice.
	 * Unmeasured frequencies (the missing wedge) stay zero.
	 */
	public static float[] fourierInversion(final TiltSeries series, final int thickness) {
		checkThickness(thickness);
		final int nx = series.width(), ny = series.height(), nt = series.tilts().length, nz = thickness;
		final int grid = 2 * Math.max(nx, nz) + (2 * Math.max(nx, nz)) % 2, half = grid / 2 + 1;
		final float[] cos = new float[nt], sin = new float[nt];
		for (int t = 0; t < nt; t++) {
			cos[t] = (float) Math.cos(Math.toRadians(series.tilts()[t]));
			sin[t] = (float) Math.sin(Math.toRadians(series.tilts()[t]));
		}
		final double[] correction = new double[grid];
		for (int i = 0; i < grid; i++) {
			final int r = Fft.frequency(i, grid);
			final double a = Math.PI * r / grid, sinc = r == 0 ? 1 : Math.sin(a) / a;
			correction[i] = 1 / (sinc * sinc);
		}
		final float[] volume = new float[nx * ny * nz];
		final int cu = nx / 2, cx = nx / 2, cz = nz / 2;
		Parallel.forRange(ny, (start, end) -> {
			final float[] line = new float[grid];
			final float[] data = new float[2 * half * grid];
			final float[] weight = new float[half * grid];
			for (int y = start; y < end; y++) {
				Arrays.fill(data, 0);
				Arrays.fill(weight, 0);
				for (int t = 0; t < nt; t++) {
					Arrays.fill(line, 0);
					final int row = series.row(t, y);
					for (int u = 0; u < nx; u++)
						line[Fft.index(u - cu, grid)] = series.values()[row + u];
					final float[] f = Fft.forward(line, grid, 1, 1);
					for (int k = 0; k < grid / 2; k++) { // k < 0 is the Hermitian mate, which the mirrored insertion adds
						final float re = f[2 * k], im = f[2 * k + 1];
						final float gx = k * cos[t], gz = -k * sin[t];
						final int x0 = (int) Math.floor(gx), z0 = (int) Math.floor(gz);
						final float fx = gx - x0, fz = gz - z0;
						for (int dz = 0; dz <= 1; dz++)
							for (int dx = 0; dx <= 1; dx++) {
								final float w = (dx == 0 ? 1 - fx : fx) * (dz == 0 ? 1 - fz : fz);
								if (w == 0) continue;
								final int kx = x0 + dx, kz = z0 + dz;
								if (Math.abs(kx) >= half || Math.abs(kz) > grid / 2) continue;
								if (kx >= 0) add(data, weight, kx, Fft.index(kz, grid), half, w, re, im);
								if (kx <= 0) add(data, weight, -kx, Fft.index(-kz, grid), half, w, re, -im);
							}
					}
				}
				for (int i = 0; i < weight.length; i++) {
					final float w = Math.max(weight[i], 1);
					data[2 * i] /= w;
					data[2 * i + 1] /= w;
				}
				final float[] slice = Fft.inverse(data, grid, grid, 1);
				for (int z = 0; z < nz; z++) {
					final int gz = Fft.index(z - cz, grid);
					for (int x = 0; x < nx; x++) {
						final int gx = Fft.index(x - cx, grid);
						volume[(z * ny + y) * nx + x] = (float) (slice[gz * grid + gx] * correction[gx] * correction[gz]);
					}
				}
			}
		});
		return volume;
	}

	private static void add(final float[] data, final float[] weight, final int kx, final int kzIndex, final int half,
		final float w, final float re, final float im)
	{
		final int i = kzIndex * half + kx;
		data[2 * i] += w * re;
		data[2 * i + 1] += w * im;
		weight[i] += w;
	}

	private static void checkThickness(final int thickness) {
		if (thickness < 1) throw new IllegalArgumentException("tomogram thickness of " + thickness + " px; give at least 1");
	}

	/**
	 * The angular interval (radians) each tilt stands for in a Riemann sum over the tilt range: half the distance to
	 * each neighbour in angle order, the ends taking their one neighbour's distance, so a uniform series of step Δ
	 * gives Δ everywhere. A single tilt stands for π.
	 */
	static double[] angularWeights(final double[] tilts) {
		final int n = tilts.length;
		final double[] w = new double[n];
		if (n == 1) {
			w[0] = Math.PI;
			return w;
		}
		final Integer[] order = new Integer[n];
		for (int i = 0; i < n; i++)
			order[i] = i;
		Arrays.sort(order, (a, b) -> Double.compare(tilts[a], tilts[b]));
		for (int k = 0; k < n; k++) {
			final double lo = k > 0 ? tilts[order[k]] - tilts[order[k - 1]] : tilts[order[1]] - tilts[order[0]];
			final double hi = k < n - 1 ? tilts[order[k + 1]] - tilts[order[k]] : lo;
			w[order[k]] = Math.toRadians((lo + hi) / 2);
		}
		return w;
	}
}

package org.vitreous.tomo;

import java.util.Locale;
import java.util.function.Consumer;

import org.vitreous.Progress;
import org.vitreous.compute.ComputeDevice;
import org.vitreous.compute.Parallel;
import org.vitreous.io.TiltSeries;
import org.vitreous.nn.Activation;
import org.vitreous.nn.Adam;
import org.vitreous.nn.FourierFeatures;
import org.vitreous.nn.MatrixProducts;
import org.vitreous.nn.Network;
import org.vitreous.projection.TiltProjector;

/**
 * Unsupervised coordinate-network tomography: a SIREN behind Gaussian Fourier features maps a voxel's coordinates
 * to its density and is fitted, with no pre-training, so that its reprojections match the measured tilts. Where
 * the tilts measured nothing (the missing wedge) the network's smooth, continuous representation fills in.
 * <p>
 * The volume is cut into slabs along the tilt axis (y; each y row is an independent 2D problem, so a slab is a complete
 * sub-problem). Each slab's network starts from the previous slab's weights, is evaluated once per step on the slab's
 * voxel grid (rows widened by an overlap), pushed through the fast tomography projector, and the loss gradient comes
 * back through the projector's adjoint: loss = mean(r·F·r) + λ_TV·mean(√(|∇v|² + ε²)) + λ₊·mean(min(v, 0)²), r = P·v −
 * b, F the ramp filter of weighted back-projection (or the identity, plain squares; see {@link Settings#rampWeighted}).
 * Adam's rate follows a cosine from the set rate down to a tenth over each slab. Slabs are stitched with linear
 * blending across the overlaps. Coordinates are centred and divided by half the largest dimension, so the volume spans
 * about [−1, 1]; y is global, so a network carried to the next slab starts from an extrapolation of the last.
 */
public final class CoordinateNetwork {

	/** What the fit does; the defaults are the study's (4 hidden layers of 256, 2000 then 400 steps). */
	public static final class Settings {
		public int networkWidth = 256;
		public int hiddenLayers = 4;
		/** Fourier features (the encoding gives twice as many inputs). */
		public int features = 64;
		/** Standard deviation of the features' frequencies, cycles per unit of the normalised coordinates. */
		public double featureSigma = 3;
		/**
		 * Sine frequency ω of the SIREN. The paper's 30 fits noise into the missing wedge here; 10 gave the best
		 * SSIM and missing-region FSC on the phantoms (5: smoother, SSIM alike, less of the wedge filled).
		 */
		public double omega = 10;
		public int firstSteps = 2000;
		public int laterSteps = 400;
		/** Core rows of a slab along y (the tilt axis); 0 chooses from the volume's size. */
		public int slabRows = 0;
		/** Rows added on each side of a slab's core and blended with the neighbour's. */
		public int overlap = 2;
		public double learningRate = 1e-3;
		public double totalVariation = 0;
		public double positivityPenalty = 0;
		/**
		 * Softplus output: the density is positive by construction. On by default, as positivity is what lets the
		 * network fill the wedge (without it SSIM on the phantoms fell from 0.71 to 0.37); a raw EM tilt series, where
		 * density is dark, needs its contrast inverted first.
		 */
		public boolean positiveOutput = true;
		/**
		 * Measurements per network parameter below which the hidden width shrinks (the network is scaled to what
		 * the slab measured); 0 keeps {@link #width}.
		 */
		public double measurementsPerParameter = 2;
		public long seed = 1;
		/**
		 * Measure the residual in the ramp-weighted norm rᵀ·F·r (F: the WBP filter with angular weights) instead of
		 * plain squares: the gradient to the volume is then the weighted back-projection of the residual, whose
		 * spectrum is flat over the measured region, instead of the plain back-projection, which favours low
		 * frequencies by 1/|k| and leaves fine detail to converge last.
		 */
		public boolean rampWeighted = true;

		public void check() {
			if (networkWidth < 1 || hiddenLayers < 1 || features < 1) throw new IllegalArgumentException("network of "
				+ hiddenLayers + " x " + networkWidth + " with " + features + " features");
			if (firstSteps < 1 || laterSteps < 0) throw new IllegalArgumentException("steps " + firstSteps + " / "
				+ laterSteps);
			if (slabRows < 0 || overlap < 0) throw new IllegalArgumentException("slab rows " + slabRows + ", overlap "
				+ overlap);
			if (!(learningRate > 0) || totalVariation < 0 || positivityPenalty < 0 || !(featureSigma > 0) || !(omega > 0))
				throw new IllegalArgumentException("learning rate, sigma and omega must be positive; penalties not negative");
		}
	}

	private CoordinateNetwork() {}

	/** The hidden width for a slab of {@code measurements} values: at most {@code s.networkWidth}, at least 16. */
	static int width(final Settings s, final long measurements) {
		if (s.measurementsPerParameter <= 0) return s.networkWidth;
		final int in = 2 * s.features;
		int w = s.networkWidth;
		while (w > 16 && parameters(in, w, s.hiddenLayers) * s.measurementsPerParameter > measurements)
			w -= 8;
		return Math.max(16, w);
	}

	private static long parameters(final int in, final int w, final int layers) {
		return (long) in * w + w + (long) (layers - 1) * (w * w + w) + w + 1;
	}

	/**
	 * Reconstructs a {@code width × height × thickness} tomogram; {@code log} receives one line per slab (its
	 * rows, network width, final loss, time).
	 */
	public static float[] reconstruct(final TiltSeries series, final int thickness, final Settings s,
		final ComputeDevice device, final Progress progress, final Consumer<String> log)
	{
		s.check();
		if (thickness < 1) throw new IllegalArgumentException("tomogram thickness of " + thickness + " px");
		final int nx = series.width(), ny = series.height(), nz = thickness, nt = series.tilts().length;
		final int core = s.slabRows > 0 ? Math.min(s.slabRows, ny) : Math.max(1, Math.min(ny, (int) Math.ceil(ny / 8.0)));
		final int slabs = (ny + core - 1) / core;
		final float[] sum = new float[nx * ny * nz], rowWeight = new float[ny];
		final MatrixProducts products = MatrixProducts.on(device);
		final double half = Math.max(nx, Math.max(ny, nz)) / 2.0;
		final long totalSteps = s.firstSteps + (long) (slabs - 1) * s.laterSteps;
		final TomogramReconstruction.RampFilter ramp = s.rampWeighted ? new TomogramReconstruction.RampFilter(nx, series
			.tilts(), 0.5) : null;
		long done = 0;
		Network network = null;
		int networkWidth = -1;
		for (int slab = 0; slab < slabs; slab++) {
			final int y0 = slab * core, y1 = Math.min(ny, y0 + core);
			final int lo = Math.max(0, y0 - s.overlap), hi = Math.min(ny, y1 + s.overlap), rows = hi - lo;
			final long measurements = (long) nx * (y1 - y0) * nt;
			final int w = width(s, measurements);
			if (network == null || w != networkWidth) { // the first slab, or a narrower last slab: a fresh network
				network = Network.siren(new FourierFeatures(3, s.features, s.featureSigma, s.seed), 3, w, s.hiddenLayers, 1,
					s.omega, s.positiveOutput ? Activation.softplus(1) : null, s.seed + 1, products);
				networkWidth = w;
			}
			final float[] coords = coordinates(nx, lo, hi, nz, ny, half);
			final int voxels = nx * rows * nz;
			final float[] b = new float[nt * rows * nx];
			for (int t = 0; t < nt; t++)
				System.arraycopy(series.values(), series.row(t, lo), b, t * rows * nx, rows * nx);
			final int steps = slab == 0 ? s.firstSteps : s.laterSteps;
			final long start = System.nanoTime();
			double loss = Double.NaN;
			final Adam adam = new Adam(network.parameters(), s.learningRate);
			try (TiltProjector projector = TiltProjector.create(nx, rows, nz, series.tilts(), device)) {
				final float[] projection = new float[b.length], gradient = new float[voxels];
				for (int step = 0; step < steps; step++) {
					progress.checkCancelled();
					adam.setRate(s.learningRate * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI * step / steps))));
					final float[] v = network.forward(coords, voxels);
					projector.project(v, projection);
					final double scale = 2.0 / b.length;
					double sq = 0;
					for (int i = 0; i < b.length; i++) {
						final float r = projection[i] - b[i];
						sq += (double) r * r;
						projection[i] = (float) (scale * r);
					}
					loss = sq / b.length;
					projector.backProject(ramp == null ? projection : ramp.apply(projection, rows), gradient);
					if (s.totalVariation > 0) loss += totalVariation(v, nx, rows, nz, s.totalVariation, gradient);
					if (s.positivityPenalty > 0) {
						double pos = 0;
						final double k = s.positivityPenalty / voxels;
						for (int i = 0; i < voxels; i++)
							if (v[i] < 0) {
								pos += (double) v[i] * v[i];
								gradient[i] += (float) (2 * k * v[i]);
							}
						loss += k * pos;
					}
					network.backward(gradient, voxels);
					adam.step();
					if (++done % 10 == 0) progress.report(done, totalSteps, "coordinate network: slab " + (slab + 1) + " of "
						+ slabs + ", step " + (step + 1) + " of " + steps);
				}
			}
			final float[] v = network.forward(coords, voxels);
			for (int y = lo; y < hi; y++) { // 1 in the core, falling linearly to 0 across each overlap
				final double wy = y < y0 ? (double) (y - lo + 1) / (y0 - lo + 1) : y >= y1 ? (double) (hi - y) / (hi - y1 + 1)
					: 1;
				rowWeight[y] += (float) wy;
				for (int z = 0; z < nz; z++)
					for (int x = 0; x < nx; x++)
						sum[(z * ny + y) * nx + x] += (float) (wy * v[(z * rows + (y - lo)) * nx + x]);
			}
			log.accept(String.format(Locale.ROOT, "slab %d of %d: rows %d-%d (core %d-%d), width %d, %d steps, loss %.4g, %.1f s",
				slab + 1, slabs, lo, hi - 1, y0, y1 - 1, w, steps, loss, (System.nanoTime() - start) / 1e9));
		}
		Parallel.forRange(nz * ny, (a, e) -> { // every row is covered by at least one slab's core
			for (int r = a; r < e; r++) {
				final float k = 1 / rowWeight[r % ny];
				for (int x = 0, i = r * nx; x < nx; x++, i++)
					sum[i] *= k;
			}
		});
		return sum;
	}

	/** Normalised coordinates of the voxels of rows [lo, hi), in the slab's own x-fastest order. */
	static float[] coordinates(final int nx, final int lo, final int hi, final int nz, final int ny, final double half) {
		final int rows = hi - lo;
		final float[] c = new float[3 * nx * rows * nz];
		for (int z = 0, i = 0; z < nz; z++)
			for (int y = lo; y < hi; y++)
				for (int x = 0; x < nx; x++, i++) {
					c[3 * i] = (float) ((x - nx / 2) / half);
					c[3 * i + 1] = (float) ((y - ny / 2) / half);
					c[3 * i + 2] = (float) ((z - nz / 2) / half);
				}
		return c;
	}

	/**
	 * Adds the gradient of λ·mean over voxels of √(dx² + dy² + dz² + ε²) (forward differences, ε = 1e-3) to
	 * {@code gradient} and returns the term's value.
	 */
	static double totalVariation(final float[] v, final int nx, final int ny, final int nz, final double lambda,
		final float[] gradient)
	{
		final double eps2 = 1e-6, k = lambda / v.length;
		double sum = 0;
		for (int z = 0; z < nz; z++)
			for (int y = 0; y < ny; y++)
				for (int x = 0; x < nx; x++) {
					final int i = (z * ny + y) * nx + x;
					final float dx = x + 1 < nx ? v[i + 1] - v[i] : 0;
					final float dy = y + 1 < ny ? v[i + nx] - v[i] : 0;
					final float dz = z + 1 < nz ? v[i + nx * ny] - v[i] : 0;
					final double norm = Math.sqrt((double) dx * dx + dy * dy + dz * dz + eps2);
					sum += norm;
					final float gx = (float) (k * dx / norm), gy = (float) (k * dy / norm), gz = (float) (k * dz / norm);
					if (x + 1 < nx) {
						gradient[i + 1] += gx;
						gradient[i] -= gx;
					}
					if (y + 1 < ny) {
						gradient[i + nx] += gy;
						gradient[i] -= gy;
					}
					if (z + 1 < nz) {
						gradient[i + nx * ny] += gz;
						gradient[i] -= gz;
					}
				}
		return k * sum;
	}
}

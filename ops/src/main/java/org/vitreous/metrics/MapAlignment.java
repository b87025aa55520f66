package org.vitreous.metrics;

import org.vitreous.compute.Parallel;
import org.vitreous.fourier.Fft;
import org.vitreous.fourier.FourierFilters;
import org.vitreous.geometry.Rotations;
import org.vitreous.geometry.So3Grid;

/**
 * Superposes a map on a reference of the same box, for comparing a map made without a reference (whose
 * orientation, position and hand are arbitrary) with the truth or another map. Both are Fourier-binned to a small
 * box and low-passed; every rotation of a 15° SO(3) grid is scored by the peak of its cross-correlation over all
 * translations (one FFT each), for the map and for its mirror image; the best is refined by climbing over
 * rotations about x, y and z with halving steps down to 0.5° on a finer box, and the translation is found at full
 * size. The answer is the map rotated (trilinear) and moved onto the reference.
 */
public final class MapAlignment {

	/**
	 * The aligned map, the rotation R (the aligned map at x is the input's value at Rᵀ·x, about the box centre,
	 * after mirroring z if {@code mirrored}), the shift in voxels applied after, and the normalised correlation.
	 */
	public record Result(float[] aligned, double[] rotation, double[] shift, boolean mirrored, double correlation) {}

	private MapAlignment() {}

	/**
	 * Aligns {@code map} onto {@code reference} (both n³) with the features that carry its orientation: those coarser
	 * than 25 Å, or than an eighth of the box where that is finer (a small protein in a small box is a featureless
	 * blob at 25 Å), and never finer than 4 px.
	 */
	public static Result align(final float[] reference, final float[] map, final int n, final double pixelSize) {
		return align(reference, map, n, pixelSize, Math.max(4 * pixelSize, Math.min(25, n * pixelSize / 8)));
	}

	/** Aligns {@code map} onto {@code reference} (both n³), using features coarser than {@code resolution} Å. */
	public static Result align(final float[] reference, final float[] map, final int n, final double pixelSize,
		final double resolution)
	{
		if (reference.length != (long) n * n * n || map.length != reference.length) throw new IllegalArgumentException(
			"maps of " + reference.length + " and " + map.length + " voxels are not both " + n + "³");
		final int coarse = Math.min(n, 24) & ~1, fine = Math.min(n, 40) & ~1;
		Result best = null;
		for (final boolean mirror : new boolean[] { false, true }) {
			final float[] moving = mirror ? mirrorZ(map, n) : map;
			final Scorer c = new Scorer(reference, moving, n, pixelSize, resolution, coarse);
			final So3Grid grid = new So3Grid(2);
			final double[] scores = new double[grid.size()];
			Parallel.forRange(grid.size(), (start, end) -> {
				for (int i = start; i < end; i++)
					scores[i] = c.score(grid.matrix(i))[0];
			});
			int top = 0;
			for (int i = 1; i < scores.length; i++)
				if (scores[i] > scores[top]) top = i;
			final Scorer f = new Scorer(reference, moving, n, pixelSize, resolution, fine);
			double[] rotation = grid.matrix(top);
			double score = f.score(rotation)[0];
			for (double step = 8; step >= 0.5; step /= 2) {
				boolean moved = true;
				for (int moves = 0; moved && moves < 6; moves++) {
					moved = false;
					final double[][] candidates = new double[27][];
					final double[] candidateScores = new double[27];
					final double[] current = rotation, stepRadians = { Math.toRadians(step) };
					Parallel.forRange(27, (start, end) -> {
						for (int i = start; i < end; i++) {
							final double[] d = Rotations.multiply(Rotations.multiply(Rotations.about(new double[] { 1, 0, 0 },
								stepRadians[0] * (i % 3 - 1)), Rotations.about(new double[] { 0, 1, 0 }, stepRadians[0] * (i / 3 % 3
									- 1))), Rotations.about(new double[] { 0, 0, 1 }, stepRadians[0] * (i / 9 - 1)));
							candidates[i] = Rotations.multiply(d, current);
							candidateScores[i] = f.score(candidates[i])[0];
						}
					});
					for (int i = 0; i < 27; i++)
						if (candidateScores[i] > score + 1e-9) {
							score = candidateScores[i];
							rotation = candidates[i];
							moved = true;
						}
				}
			}
			final float[] rotated = rotate(moving, n, rotation);
			final double[] full = new Scorer(reference, rotated, n, pixelSize, resolution, n).score(Rotations.identity());
			if (best == null || full[0] > best.correlation()) {
				final float[] g = Fft.forward(rotated, n, n, n);
				FourierFilters.shift(g, n, n, n, full[1], full[2], full[3]);
				best = new Result(Fft.inverse(g, n, n, n), rotation, new double[] { full[1], full[2], full[3] }, mirror,
					full[0]);
			}
		}
		return best;
	}

	/** The map mirrored through the plane z = n/2. */
	public static float[] mirrorZ(final float[] map, final int n) {
		final float[] out = new float[map.length];
		for (int z = 0; z < n; z++) {
			final int from = (n - z) % n;
			System.arraycopy(map, from * n * n, out, z * n * n, n * n);
		}
		return out;
	}

	/** v'(x) = v(Rᵀ·(x − c) + c), c = n/2, trilinear, 0 outside. */
	public static float[] rotate(final float[] map, final int n, final double[] r) {
		final float[] out = new float[map.length];
		final double c = n / 2;
		Parallel.forRange(n, (start, end) -> {
			for (int z = start; z < end; z++)
				for (int y = 0; y < n; y++)
					for (int x = 0; x < n; x++) {
						final double px = x - c, py = y - c, pz = z - c;
						// Rᵀ·p: column-wise
						final double sx = r[0] * px + r[3] * py + r[6] * pz + c, sy = r[1] * px + r[4] * py + r[7] * pz + c, sz =
							r[2] * px + r[5] * py + r[8] * pz + c;
						out[(z * n + y) * n + x] = trilinear(map, n, sx, sy, sz);
					}
		});
		return out;
	}

	private static float trilinear(final float[] v, final int n, final double x, final double y, final double z) {
		final int x0 = (int) Math.floor(x), y0 = (int) Math.floor(y), z0 = (int) Math.floor(z);
		if (x0 < 0 || y0 < 0 || z0 < 0 || x0 >= n - 1 || y0 >= n - 1 || z0 >= n - 1) return 0;
		final double fx = x - x0, fy = y - y0, fz = z - z0;
		double sum = 0;
		for (int dz = 0; dz < 2; dz++)
			for (int dy = 0; dy < 2; dy++)
				for (int dx = 0; dx < 2; dx++)
					sum += (dx == 0 ? 1 - fx : fx) * (dy == 0 ? 1 - fy : fy) * (dz == 0 ? 1 - fz : fz) * v[((z0 + dz) * n + y0
						+ dy) * n + x0 + dx];
		return (float) sum;
	}

	/** Scores rotations of one map against a reference on an m³ box, low-passed. */
	private static final class Scorer {
		final int m, n;
		final float[] referenceTransform, moving;
		final double referenceNorm;

		Scorer(final float[] reference, final float[] map, final int n, final double pixelSize, final double resolution,
			final int m)
		{
			this.m = m;
			this.n = n;
			final double coarsePixel = pixelSize * n / m;
			this.referenceTransform = small(reference, n, m, coarsePixel, resolution);
			this.referenceTransform[0] = 0;
			this.referenceTransform[1] = 0;
			this.moving = Fft.inverse(small(map, n, m, coarsePixel, resolution), m, m, m);
			double norm = 0;
			for (int i = 0; i < referenceTransform.length; i += 2)
				norm += referenceTransform[i] * referenceTransform[i] + referenceTransform[i + 1] * referenceTransform[i + 1];
			this.referenceNorm = Math.sqrt(norm);
		}

		static float[] small(final float[] map, final int n, final int m, final double coarsePixel,
			final double resolution)
		{
			final float[] f = FourierFilters.resize(Fft.forward(map, n, n, n), n, n, n, m, m, m);
			FourierFilters.apply(f, m, m, m, coarsePixel, FourierFilters.lowPass(resolution, 2, m, coarsePixel));
			return f;
		}

		/**
		 * The normalised correlation of the rotated map with the reference at its best translation, and that
		 * translation in voxels of the full box (x, y, z).
		 */
		double[] score(final double[] rotation) {
			final float[] g = Fft.forward(rotate(moving, m, rotation), m, m, m);
			g[0] = 0;
			g[1] = 0;
			double norm = 0;
			final float[] product = new float[g.length];
			for (int i = 0; i < g.length; i += 2) {
				norm += g[i] * g[i] + g[i + 1] * g[i + 1];
				// R·conj(G): its inverse peaks at the shift that moves the rotated map onto the reference
				product[i] = referenceTransform[i] * g[i] + referenceTransform[i + 1] * g[i + 1];
				product[i + 1] = referenceTransform[i + 1] * g[i] - referenceTransform[i] * g[i + 1];
			}
			final float[] cc = Fft.inverse(product, m, m, m);
			int top = 0;
			for (int i = 1; i < cc.length; i++)
				if (cc[i] > cc[top]) top = i;
			final double scale = (double) n / m;
			final int tx = Fft.frequency(top % m, m), ty = Fft.frequency(top / m % m, m), tz = Fft.frequency(top / m / m,
				m);
			// Σ over the half-complex array counts each x > 0 element once for itself and its mirror: the inverse
			// transform's value is Σ over all elements / m³, and Parseval's sums match that up to the x = 0 plane
			return new double[] { cc[top] * m * m * m / (2 * referenceNorm * Math.sqrt(norm) + 1e-30), tx * scale, ty
				* scale, tz * scale };
		}
	}
}

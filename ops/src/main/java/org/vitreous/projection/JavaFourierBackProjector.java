package org.vitreous.projection;

import org.vitreous.compute.Parallel;
import org.vitreous.fourier.Fft;

/**
 * The reference implementation of {@link FourierBackProjector}. Slice elements are first placed (rotated, mirrored
 * to x ≥ 0) and sorted by the lower z plane of their trilinear stencil; then each thread adds, plane by plane of
 * its own slab of z, the elements whose stencil touches that plane. A plane of the padded grid (data and weights)
 * fits in cache while the elements aimed at it are added, where inserting slice by slice would touch memory all
 * over the grid. Each element is rotated twice, by one thread (once to count its plane, once to place it),
 * where the slab-per-thread insertion rotated every element on every thread. The elements keep their slice order
 * within a plane, so the sums are deterministic: the same bytes for any number of threads, without locks.
 */
final class JavaFourierBackProjector implements FourierBackProjector {

	/** Slice elements placed and sorted at a time: bounds the scratch memory (six floats each). */
	private static final int CHUNK_ELEMENTS = 1 << 21;

	private final FourierAccumulator sums;
	private final double maxRadius;
	/**
	 * Scratch for the sorted elements of a chunk, kept between calls: per element x, y, the fraction in z, re, im
	 * and weight, interleaved, so that placing writes one stream per plane.
	 */
	private float[] sorted = new float[0];
	private static final int FIELDS = 6;

	JavaFourierBackProjector(final int size, final int padding, final double maxRadius) {
		this.sums = new FourierAccumulator(size, padding);
		this.maxRadius = maxRadius;
	}

	@Override
	public void insert(final double[][] rotations, final float[] slices, final float[] sliceWeights) {
		final int n = sums.size(), hx = Fft.halfWidth(n), length = FourierProjector.sliceLength(n);
		if (slices.length < (long) rotations.length * length) throw new IllegalArgumentException(slices.length / length
			+ " slices for " + rotations.length + " rotations");
		if (sliceWeights != null && sliceWeights.length < (long) rotations.length * hx * n)
			throw new IllegalArgumentException("too few slice weights for " + rotations.length + " slices");
		final int perSlice = Math.max(1, hx * n), chunk = Math.max(1, CHUNK_ELEMENTS / perSlice);
		for (int first = 0; first < rotations.length; first += chunk)
			insertChunk(rotations, slices, sliceWeights, first, Math.min(rotations.length, first + chunk));
	}

	/** Where each element of one slice goes: its padded-grid position (x ≥ 0) and value, conjugated if mirrored. */
	private interface Placement {
		void at(double xp, double yp, double zp, float re, float im, float weight);
	}

	/** Visits the elements of slice {@code i} within the radius, rotated into the padded grid. */
	private void place(final double[][] rotations, final float[] slices, final float[] sliceWeights, final int i,
		final Placement placement)
	{
		final int n = sums.size(), hx = Fft.halfWidth(n), length = FourierProjector.sliceLength(n), pad = sums
			.padding(), p = sums.paddedSize(), hp = Fft.halfWidth(p);
		final double r2max = maxRadius * maxRadius;
		final double[] a = rotations[i];
		for (int y = 0; y < n; y++) {
			final int ky = Fft.frequency(y, n);
			for (int x = 0; x < hx; x++) {
				if ((double) x * x + (double) ky * ky > r2max) continue;
				double xp = (a[0] * x + a[3] * ky) * pad, yp = (a[1] * x + a[4] * ky) * pad, zp = (a[2] * x + a[5] * ky)
					* pad;
				final int s = i * length + 2 * (y * hx + x);
				float im = slices[s + 1];
				if (xp < 0) {
					xp = -xp;
					yp = -yp;
					zp = -zp;
					im = -im;
				}
				// as the OpenCL kernel: a position that is not finite or lies outside the padded box (a NaN or
				// infinite rotation) touches nothing
				if (!(xp < hp && Math.abs(yp) <= p && Math.abs(zp) <= p)) continue;
				placement.at(xp, yp, zp, slices[s], im, sliceWeights == null ? 1 : sliceWeights[(i * n + y) * hx
					+ x]);
			}
		}
	}

	private void insertChunk(final double[][] rotations, final float[] slices, final float[] sliceWeights,
		final int first, final int end)
	{
		final int p = sums.paddedSize(), hp = Fft.halfWidth(p);
		// Parts of the chunk, in slice order, each counted and placed by one task: a plane's elements are laid out
		// part after part, so they stay in slice order whatever the number of threads.
		final int parts = Math.min(end - first, Parallel.threads());
		final int[][] counts = new int[parts][p + 1];
		Parallel.forRange(parts, (ps, pe) -> {
			for (int part = ps; part < pe; part++) {
				final int[] c = counts[part];
				for (int i = partStart(first, end, parts, part); i < partStart(first, end, parts, part + 1); i++)
					place(rotations, slices, sliceWeights, i, (xp, yp, zp, re, im, w) -> c[Fft.index((int) Math.floor(zp),
						p)]++);
			}
		});
		// start of each part's run within each plane: planes in order, parts in order within a plane
		final int[] planeStart = new int[p + 1];
		final int[][] offset = new int[parts][p];
		int total = 0;
		for (int z = 0; z < p; z++) {
			planeStart[z] = total;
			for (int part = 0; part < parts; part++) {
				offset[part][z] = total;
				total += counts[part][z];
			}
		}
		planeStart[p] = total;
		if (sorted.length < (long) total * FIELDS) sorted = new float[total * FIELDS];
		final float[] e = sorted;
		Parallel.forRange(parts, (ps, pe) -> {
			for (int part = ps; part < pe; part++) {
				final int[] next = offset[part];
				for (int i = partStart(first, end, parts, part); i < partStart(first, end, parts, part + 1); i++)
					place(rotations, slices, sliceWeights, i, (xp, yp, zp, vr, vi, w) -> {
						final int z0 = (int) Math.floor(zp);
						final int k = FIELDS * next[Fft.index(z0, p)]++;
						e[k] = (float) xp;
						e[k + 1] = (float) yp;
						e[k + 2] = (float) (zp - z0);
						e[k + 3] = vr;
						e[k + 4] = vi;
						e[k + 5] = w;
					});
			}
		});
		final float[] data = sums.data(), weights = sums.weights();
		Parallel.forRange(p, (zs, ze) -> {
			for (int z = zs; z < ze; z++) {
				// elements whose lower plane is z (weight 1 − fz), then those whose upper plane is z (weight fz)
				for (int upper = 0; upper < 2; upper++) {
					final int bucket = upper == 0 ? z : (z + p - 1) % p;
					for (int k = FIELDS * planeStart[bucket]; k < FIELDS * planeStart[bucket + 1]; k += FIELDS) {
						final float xp = e[k], yp = e[k + 1], re = e[k + 3], im = e[k + 4], wt = e[k + 5];
						final float wz = upper == 0 ? 1 - e[k + 2] : e[k + 2];
						// the in-plane bilinear half of the trilinear stencil, written out: x0 + 1 is the only index
						// that can leave the stored half
						final int x0 = (int) xp, y0 = (int) Math.floor(yp); // xp ≥ 0
						final float fx = xp - x0, fy = yp - y0;
						final int plane = z * p;
						for (int dy = 0; dy < 2; dy++) {
							final int q = (plane + Fft.index(y0 + dy, p)) * hp + x0;
							final float wy = wz * (dy == 0 ? 1 - fy : fy), w0 = wy * (1 - fx), w1 = wy * fx;
							data[2 * q] += w0 * re;
							data[2 * q + 1] += w0 * im;
							weights[q] += w0 * wt;
							if (x0 + 1 < hp) {
								data[2 * q + 2] += w1 * re;
								data[2 * q + 3] += w1 * im;
								weights[q + 1] += w1 * wt;
							}
						}
					}
				}
			}
		});
	}

	/** First slice of {@code part} when slices [first, end) are cut into {@code parts} contiguous parts. */
	private static int partStart(final int first, final int end, final int parts, final int part) {
		return first + (int) ((long) (end - first) * part / parts);
	}

	@Override
	public FourierAccumulator accumulator() {
		return sums;
	}

	@Override
	public void close() {}
}

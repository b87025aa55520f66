package org.vitreous.reconstruct;

import java.util.List;

import org.vitreous.compute.Parallel;
import org.vitreous.fourier.Fft;
import org.vitreous.geometry.Symmetry;
import org.vitreous.image.Masks;
import org.vitreous.projection.FourierAccumulator;
import org.vitreous.projection.FourierVolume;

/**
 * Direct Fourier inversion of back-projection sums into a map, in RELION's order: the x = 0 plane is made
 * Hermitian, the sums are symmetrised over the point group (trilinear interpolation on the padded grid, data and
 * weights alike), each element is divided by its weight plus a Wiener constant, the padded transform is inverted
 * about its centre, the central N³ is cut out and divided by sinc²(r/P), the real-space image of the trilinear
 * kernel the insertion convolved the sums with, and the map is cut to the sphere of radius N/2 with a soft edge of
 * {@link #EDGE} voxels (outside it there is only noise the gridding correction amplified). Frequencies beyond N/2
 * Fourier pixels are zero.
 */
public final class FourierInversion {

	private FourierInversion() {}

	/**
	 * The N³ map (x fastest) from {@code sums}.
	 *
	 * @param symmetry the point group to impose ({@link Symmetry#NONE} for none)
	 * @param wiener the regularisation constant, as a fraction of the mean weight inside the Nyquist sphere: each
	 *          element's weight becomes W + wiener·mean W before the division
	 * @param griddingIterations 0 divides each element by its own weight; more compute density-compensation
	 *          factors ω by Pipe and Menon's iteration, as RELION does (10 by default), so that (W·ω) convolved with
	 *          a Kaiser–Bessel blob is 1, and the element becomes D·ω. The blob (radius 1.9 padded Fourier pixels,
	 *          α 15, order 0) spreads the estimate of under-sampled elements over their neighbours, which keeps
	 *          their noise down.
	 */
	public static float[] invert(final FourierAccumulator sums, final Symmetry symmetry, final double wiener,
		final int griddingIterations)
	{
		if (!(wiener >= 0)) throw new IllegalArgumentException("the Wiener constant " + wiener + " is negative");
		final int n = sums.size(), p = sums.paddedSize(), hp = Fft.halfWidth(p);
		float[] data = sums.data().clone(), weights = sums.weights().clone();
		hermitianPlane(data, weights, p);
		if (symmetry.order() > 1) {
			final float[][] s = symmetrise(data, weights, p, symmetry.operators(), n / 2.0 * sums.padding());
			data = s[0];
			weights = s[1];
		}
		final double rmax = n / 2.0 * sums.padding(), r2max = rmax * rmax;
		double sum = 0;
		long count = 0;
		for (int z = 0; z < p; z++) {
			final int kz = Fft.frequency(z, p);
			for (int y = 0; y < p; y++) {
				final int ky = Fft.frequency(y, p);
				for (int x = 0; x < hp; x++)
					if ((double) x * x + ky * ky + kz * kz <= r2max) {
						sum += weights[(z * p + y) * hp + x];
						count++;
					}
			}
		}
		final double floor = count == 0 ? 0 : wiener * sum / count;
		final float[] w = weights;
		for (int q = 0; q < w.length; q++)
			w[q] += floor;
		final float[] factor = griddingIterations > 0 ? densityCompensation(w, p, rmax, griddingIterations) : null;
		final float[] d = data, scaled = new float[data.length];
		insideSphere(p, rmax, (q, x, ky, kz) -> {
			final double f = factor != null ? factor[q] : w[q] > 0 ? 1 / w[q] : 0;
			scaled[2 * q] = (float) (d[2 * q] * f);
			scaled[2 * q + 1] = (float) (d[2 * q + 1] * f);
		});
		return Masks.apply(cropAndCorrect(Fft.inverseCentred(scaled, p, p, p), n, p), Masks.sphere(n, n / 2.0, EDGE));
	}

	/** The soft edge, in voxels, of the sphere of radius N/2 the map is cut to (relion_reconstruct's). */
	public static final double EDGE = 3;

	/** Blob radius, in padded Fourier pixels, and Kaiser–Bessel α, as relion_reconstruct's defaults. */
	static final double BLOB_RADIUS = 1.9, BLOB_ALPHA = 15;

	/**
	 * Pipe–Menon density compensation: ω ← ω / ((W·ω) ∗ b), starting from ω = 1, with b the blob normalised to sum
	 * 1 on the grid offsets within its radius. The convolution runs directly on the half-complex grid (neighbours
	 * with x &lt; 0 read the mirror element).
	 */
	static float[] densityCompensation(final float[] weights, final int p, final double rmax, final int iterations) {
		final int hp = Fft.halfWidth(p), reach = (int) Math.floor(BLOB_RADIUS), side = 2 * reach + 1;
		// the blob on the grid offsets within its radius, as a side³ kernel (zero beyond the radius), summing to 1
		final double[] blob = new double[side * side * side];
		double total = 0;
		for (int dz = -reach; dz <= reach; dz++)
			for (int dy = -reach; dy <= reach; dy++)
				for (int dx = -reach; dx <= reach; dx++) {
					final double r = Math.sqrt(dx * dx + dy * dy + dz * dz);
					if (r > BLOB_RADIUS) continue;
					final double v = besselI0(BLOB_ALPHA * Math.sqrt(1 - (r / BLOB_RADIUS) * (r / BLOB_RADIUS)));
					blob[((dz + reach) * side + dy + reach) * side + dx + reach] = v;
					total += v;
				}
		final float[] kernel = new float[blob.length];
		for (int i = 0; i < kernel.length; i++)
			kernel[i] = (float) (blob[i] / total);
		final float[] omega = new float[weights.length], product = new float[weights.length];
		java.util.Arrays.fill(omega, 1);
		final double r2max = rmax * rmax;
		for (int it = 0; it < iterations; it++) {
			for (int q = 0; q < product.length; q++)
				product[q] = weights[q] * omega[q];
			Parallel.forRange(p, (zStart, zEnd) -> {
				// per neighbouring row (dy, dz): where it starts, and where its mirror (−ky−dy, −kz−dz) starts, which
				// neighbours with x < 0 read
				final int[] row = new int[side * side], mirror = new int[side * side];
				final float[] conv = new float[hp];
				for (int z = zStart; z < zEnd; z++) {
					final int kz = Fft.frequency(z, p);
					for (int y = 0; y < p; y++) {
						final int ky = Fft.frequency(y, p);
						if ((double) ky * ky + (double) kz * kz > r2max) continue;
						for (int dz = -reach, j = 0; dz <= reach; dz++)
							for (int dy = -reach; dy <= reach; dy++, j++) {
								row[j] = (Fft.index(kz + dz, p) * p + Fft.index(ky + dy, p)) * hp;
								mirror[j] = (Fft.index(-kz - dz, p) * p + Fft.index(-ky - dy, p)) * hp;
							}
						final int base = (z * p + y) * hp;
						int xEnd = 0; // elements 0 to xEnd − 1 of the row are inside the sphere
						while (xEnd < hp && (double) xEnd * xEnd + ky * ky + kz * kz <= r2max)
							xEnd++;
						// the inside of the row, where every neighbour is in the stored half: one contiguous multiply-add
						// per kernel element over the row, which the JIT turns into vector instructions
						final int lo = Math.min(reach, xEnd), hi = Math.max(lo, Math.min(xEnd, hp - reach));
						java.util.Arrays.fill(conv, 0, hp, 0);
						for (int j = 0; j < row.length; j++)
							for (int d = 0; d < side; d++) {
								final float kv = kernel[j * side + d];
								if (kv == 0) continue;
								final int shift = row[j] + d - reach;
								for (int x = lo; x < hi; x++)
									conv[x] += kv * product[shift + x];
							}
						for (int x = 0; x < xEnd; x++) {
							double c = conv[x];
							if (x < lo || x >= hi) { // the edges: mirrored neighbours at x < 0, none beyond the half
								c = 0;
								for (int j = 0; j < row.length; j++)
									for (int d = 0; d < side; d++) {
										final int nx = x + d - reach;
										if (nx >= hp) continue;
										c += kernel[j * side + d] * product[nx < 0 ? mirror[j] - nx : row[j] + nx];
									}
							}
							omega[base + x] /= (float) Math.max(c, 1e-20);
						}
					}
				}
			});
		}
		return omega;
	}

	/** What to do at one element of the padded half-complex grid: index q, frequency (x, ky, kz). */
	interface Element {
		void at(int q, int x, int ky, int kz);
	}

	/** Visits every element within {@code rmax} padded Fourier pixels of the origin, in parallel over z. */
	static void insideSphere(final int p, final double rmax, final Element element) {
		final int hp = Fft.halfWidth(p);
		final double r2max = rmax * rmax;
		Parallel.forRange(p, (start, end) -> {
			for (int z = start; z < end; z++) {
				final int kz = Fft.frequency(z, p);
				for (int y = 0; y < p; y++) {
					final int ky = Fft.frequency(y, p);
					for (int x = 0; x < hp; x++)
						if ((double) x * x + ky * ky + kz * kz <= r2max) element.at((z * p + y) * hp + x, x, ky, kz);
				}
			}
		});
	}

	/** The modified Bessel function I0 (power series; fine for the arguments a blob needs). */
	static double besselI0(final double x) {
		double sum = 1, term = 1;
		for (int i = 1; i < 60; i++) {
			term *= (x / (2 * i)) * (x / (2 * i));
			sum += term;
			if (term < 1e-17 * sum) break;
		}
		return sum;
	}

	/** The central N³ of a P³ map, divided by the trilinear kernel's sinc²(r/P). */
	static float[] cropAndCorrect(final float[] padded, final int n, final int p) {
		final int off = p / 2 - n / 2, c = n / 2;
		final float[] map = new float[n * n * n];
		Parallel.forRange(n, (start, end) -> {
			for (int z = start; z < end; z++)
				for (int y = 0; y < n; y++)
					for (int x = 0; x < n; x++) {
						map[(z * n + y) * n + x] = (float) (padded[((z + off) * p + y + off) * p + x + off] / FourierVolume
							.trilinearKernel(x - c, y - c, z - c, p));
					}
		});
		return map;
	}

	/**
	 * Makes the x = 0 plane Hermitian: the insertion put each sample near x = 0 either at (0, y, z) or, conjugated,
	 * at (0, −y, −z); both elements get the sum of the pair (data conjugated), which keeps data / weight.
	 */
	static void hermitianPlane(final float[] data, final float[] weights, final int p) {
		final int hp = Fft.halfWidth(p);
		for (int z = 0; z < p; z++)
			for (int y = 0; y < p; y++) {
				final int mz = (p - z) % p, my = (p - y) % p;
				final int q = (z * p + y) * hp, m = (mz * p + my) * hp;
				if (m < q) continue;
				if (m == q) {
					data[2 * q + 1] = 0;
					continue;
				}
				final float re = data[2 * q] + data[2 * m], im = data[2 * q + 1] - data[2 * m + 1];
				final float wt = weights[q] + weights[m];
				data[2 * q] = re;
				data[2 * q + 1] = im;
				data[2 * m] = re;
				data[2 * m + 1] = -im;
				weights[q] = wt;
				weights[m] = wt;
			}
	}

	/**
	 * Σ over the group of the sums read at S·k (trilinear, the mirror conjugated where S·k has x &lt; 0), for data
	 * and weights, within {@code rmax} padded Fourier pixels.
	 */
	static float[][] symmetrise(final float[] data, final float[] weights, final int p, final List<double[]> operators,
		final double rmax)
	{
		final int hp = Fft.halfWidth(p);
		final float[] outData = new float[data.length], outWeights = new float[weights.length];
		insideSphere(p, rmax, (q, x, ky, kz) -> {
			final double[] value = new double[3];
			double re = 0, im = 0, wt = 0;
			for (final double[] s : operators) {
				sample(data, weights, p, s[0] * x + s[1] * ky + s[2] * kz, s[3] * x + s[4] * ky + s[5] * kz, s[6] * x + s[7]
					* ky + s[8] * kz, value);
				re += value[0];
				im += value[1];
				wt += value[2];
			}
			outData[2 * q] = (float) re;
			outData[2 * q + 1] = (float) im;
			outWeights[q] = (float) wt;
		});
		return new float[][] { outData, outWeights };
	}

	/** Trilinear read of (re, im, weight) at a padded-grid frequency, using Hermitian symmetry for x &lt; 0. */
	private static void sample(final float[] data, final float[] weights, final int p, double kx, double ky, double kz,
		final double[] out)
	{
		final int hp = Fft.halfWidth(p);
		boolean conj = false;
		if (kx < 0) {
			kx = -kx;
			ky = -ky;
			kz = -kz;
			conj = true;
		}
		final int x0 = (int) Math.floor(kx), y0 = (int) Math.floor(ky), z0 = (int) Math.floor(kz);
		final double fx = kx - x0, fy = ky - y0, fz = kz - z0;
		double re = 0, im = 0, wt = 0;
		for (int dz = 0; dz < 2; dz++) {
			final int zi = Fft.index(z0 + dz, p);
			final double wz = dz == 0 ? 1 - fz : fz;
			for (int dy = 0; dy < 2; dy++) {
				final int yi = Fft.index(y0 + dy, p);
				final double wyz = wz * (dy == 0 ? 1 - fy : fy);
				for (int dx = 0; dx < 2; dx++) {
					final int xi = x0 + dx;
					if (xi >= hp) continue;
					final double w = wyz * (dx == 0 ? 1 - fx : fx);
					final int q = (zi * p + yi) * hp + xi;
					re += w * data[2 * q];
					im += w * data[2 * q + 1];
					wt += w * weights[q];
				}
			}
		}
		out[0] = re;
		out[1] = conj ? -im : im;
		out[2] = wt;
	}
}

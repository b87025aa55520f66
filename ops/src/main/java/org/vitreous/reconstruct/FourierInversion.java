package org.vitreous.reconstruct;

import java.util.List;

import org.vitreous.Finite;
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
	 *          a Kaiser–Bessel blob is 1, and the element becomes D·ω. The blob (radius 1.9 Fourier pixels of the
	 *          unpadded box, α 15, order 0, band-limited to the grid as RELION applies it) spreads the estimate of
	 *          under-sampled elements over their neighbours, which keeps their noise down. Elements no sample
	 *          reached stay 0.
	 * @throws ArithmeticException if the map would hold a non-finite value (it is never returned)
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
		final float[] factor = griddingIterations > 0 ? densityCompensation(w, p, sums.padding(), rmax,
			griddingIterations) : null;
		final float[] d = data, scaled = new float[data.length];
		insideSphere(p, rmax, (q, x, ky, kz) -> {
			final double f = factor != null ? factor[q] : w[q] > 0 ? 1 / w[q] : 0;
			scaled[2 * q] = (float) (d[2 * q] * f);
			scaled[2 * q + 1] = (float) (d[2 * q + 1] * f);
		});
		return Finite.require(Masks.apply(cropAndCorrect(Fft.inverseCentred(scaled, p, p, p), n, p), Masks.sphere(n,
			n / 2.0, EDGE)), "the reconstructed map");
	}

	/** The soft edge, in voxels, of the sphere of radius N/2 the map is cut to (relion_reconstruct's). */
	public static final double EDGE = 3;

	/**
	 * Blob radius, in Fourier pixels of the unpadded box (so {@code BLOB_RADIUS · padding} on the padded grid), and
	 * Kaiser–Bessel α, as relion_reconstruct's defaults.
	 */
	static final double BLOB_RADIUS = 1.9, BLOB_ALPHA = 15;

	/**
	 * Pipe–Menon density compensation: ω ← ω / |(W·ω) ∗ b|, starting from ω = 1 where an element was sampled and 0
	 * where it was not. The convolution is done as RELION does it, through the padded grid's real space: (W·ω) is
	 * transformed back, multiplied by the blob's Fourier transform at each voxel's distance from the origin (in
	 * cycles per Fourier pixel, up to the grid's band limit), and transformed forward. The kernel this applies on
	 * the Fourier grid is therefore the blob band-limited to the grid, whose tails reach beyond the blob's radius:
	 * an element that only the edge of one sample's trilinear stencil touched is averaged with the samples around
	 * it, where a kernel cut at the radius would leave it isolated and give it the whole sample's value over a
	 * weight that is almost zero (the noise spikes that made the first measurements of real particles worse than
	 * relion_reconstruct's).
	 */
	static float[] densityCompensation(final float[] weights, final int p, final int padding, final double rmax,
		final int iterations)
	{
		final float[] blob = blobTransform(p, BLOB_RADIUS * padding);
		final float[] omega = new float[weights.length], product = new float[2 * weights.length];
		// What counts as sampled, relative to the largest weight, so that it holds at any scale of the weights (CTF²
		// sums of a few particles or of millions); the floor on the convolution, relative to the largest W·ω of the
		// iteration, guards the float arithmetic, as RELION's max(1e-6, |c|) does.
		float largest = 0;
		for (final float w : weights)
			largest = Math.max(largest, w);
		final double sampled = 1e-12 * largest;
		for (int q = 0; q < omega.length; q++)
			omega[q] = weights[q] > sampled ? 1 : 0;
		final float[] space = new float[p * p * p], conv = new float[product.length];
		for (int it = 0; it < iterations; it++) {
			float largestProduct = Float.MIN_NORMAL;
			for (int q = 0; q < weights.length; q++) {
				product[2 * q] = weights[q] * omega[q];
				product[2 * q + 1] = 0;
				largestProduct = Math.max(largestProduct, product[2 * q]);
			}
			Fft.inverseDestroying(product, p, p, p, space);
			Parallel.forRange(p, (zs, ze) -> {
				for (int z = zs; z < ze; z++)
					for (int y = 0; y < p; y++) {
						final int base = (z * p + y) * p, zy = radialIndex(z, y, p);
						for (int x = 0; x < p; x++)
							space[base + x] *= blob[radialTableIndex(zy, x, p)];
					}
			});
			Fft.forward(space, p, p, p, conv);
			final double floor = 1e-9 * largestProduct;
			insideSphere(p, rmax, (q, x, ky, kz) -> {
				omega[q] = omega[q] > 0 ? (float) (omega[q] / Math.max(Math.abs(conv[2 * q]), floor)) : 0;
			});
		}
		return omega; // updated inside the sphere, which is all that invert reads
	}

	/** (z² + y²) of a padded real-space row, distances from the origin taken the short way round. */
	private static int radialIndex(final int z, final int y, final int p) {
		final int fz = Fft.frequency(z, p), fy = Fft.frequency(y, p);
		return fz * fz + fy * fy;
	}

	private static int radialTableIndex(final int zy, final int x, final int p) {
		final int fx = Fft.frequency(x, p);
		return zy + fx * fx;
	}

	/**
	 * The blob's 3D Fourier transform, normalised to 1 at the origin, at every squared real-space distance d² (in
	 * voxels of the padded grid, 0 to 3·(P/2)²) from the origin, as a table indexed by d²: the frequency there is
	 * d / P cycles per Fourier pixel. FT(ν) = ∫ b(r) 4πr² sin(2πνr)/(2πνr) dr over the blob's radius, by Simpson's
	 * rule on 2,000 intervals, on 4,096 frequencies read by linear interpolation (the blob is smooth, so this is
	 * exact to float precision).
	 */
	static float[] blobTransform(final int p, final double radius) {
		final int half = p / 2 + 1, entries = 3 * half * half + 1;
		final int intervals = 2000;
		final double h = radius / intervals;
		final double[] radial = new double[intervals + 1];
		for (int i = 0; i <= intervals; i++) {
			final double r = i * h, u = r / radius;
			final double simpson = i == 0 || i == intervals ? 1 : i % 2 == 1 ? 4 : 2;
			radial[i] = simpson * h / 3 * besselI0(BLOB_ALPHA * Math.sqrt(Math.max(0, 1 - u * u))) * 4 * Math.PI * r * r;
		}
		double origin = 0;
		for (final double v : radial)
			origin += v;
		// the transform on a fine grid of frequencies up to the corner of the grid (√3/2 cycles per Fourier pixel),
		// then read at each squared distance by linear interpolation
		final int samples = 4096;
		final double step = 0.9 / (samples - 1);
		final double[] fine = new double[samples];
		for (int j = 0; j < samples; j++) {
			double sum = radial[0];
			for (int i = 1; i <= intervals; i++) {
				final double x = 2 * Math.PI * j * step * i * h;
				sum += radial[i] * Math.sin(x) / x;
			}
			fine[j] = j == 0 ? 1 : sum / origin;
		}
		final float[] table = new float[entries];
		for (int d2 = 0; d2 < entries; d2++) {
			final double at = Math.sqrt(d2) / p / step;
			final int j = Math.min(samples - 2, (int) at);
			final double f = at - j;
			table[d2] = (float) (fine[j] * (1 - f) + fine[j + 1] * f);
		}
		return table;
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

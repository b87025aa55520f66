package org.vitreous.fourier;

import org.vitreous.compute.Parallel;

/**
 * Operations on half-complex transforms in the layout of {@link Fft}: sub-pixel shifts, radial filters, cropping
 * and padding (Fourier binning), shells and radial averages. Spatial frequency of element (x, y, z) is
 * s = √((kx/nx)² + (ky/ny)² + (kz/nz)²) / pixelSize, in 1/Å; its shell index is s in Fourier pixels of the x axis
 * rounded ({@link #shell}), so for cubes shell k holds the radius-k sphere.
 */
public final class FourierFilters {

	/** A weight as a function of spatial frequency in 1/Å. */
	@FunctionalInterface
	public interface RadialWeight {
		double at(double frequency);
	}

	private FourierFilters() {}

	/**
	 * Shifts the image by (dx, dy, dz) pixels, sub-pixel allowed: content at r moves to r + d (periodically).
	 * Multiplies F(k) by exp(−2πi k·d/n), in place.
	 */
	public static void shift(final float[] f, final int nx, final int ny, final int nz, final double dx,
		final double dy, final double dz)
	{
		if (dx == 0 && dy == 0 && dz == 0) return;
		final int hx = Fft.halfWidth(nx);
		final double[] px = phases(hx, nx, dx, true), py = phases(ny, ny, dy, false), pz = phases(nz, nz, dz, false);
		Parallel.forRange(nz * ny, (start, end) -> {
			for (int row = start; row < end; row++) {
				final int y = row % ny, z = row / ny;
				final double cyz = py[2 * y] * pz[2 * z] - py[2 * y + 1] * pz[2 * z + 1];
				final double syz = py[2 * y] * pz[2 * z + 1] + py[2 * y + 1] * pz[2 * z];
				for (int x = 0, p = 2 * row * hx; x < hx; x++, p += 2) {
					final double c = px[2 * x] * cyz - px[2 * x + 1] * syz;
					final double s = px[2 * x] * syz + px[2 * x + 1] * cyz;
					final double re = f[p], im = f[p + 1];
					f[p] = (float) (re * c - im * s);
					f[p + 1] = (float) (re * s + im * c);
				}
			}
		});
	}

	/**
	 * The transform of an N × N image referred to its centre ({@link Fft#imageCentre}), with the content moved by
	 * (dx, dy) pixels: for RELION's origin offsets, dx = rlnOriginXAngst / pixel size, which puts a particle where
	 * the reference projection has it. The layout is that of a central slice (the SPA projectors' and
	 * back-projectors').
	 */
	public static float[] centredTransform(final float[] image, final int n, final double dx, final double dy) {
		final float[] f = Fft.forward(image, n, n, 1);
		shift(f, n, n, 1, dx - Fft.imageCentre(n), dy - Fft.imageCentre(n), 0);
		return f;
	}

	/**
	 * The phase table of a shift by {@code d} pixels along an axis of an n-point transform that stores
	 * {@code count} elements: exp(−2πi k·d/n) for each, k = 0, 1, ... ({@code nonNegative}, the half axis x) or
	 * the signed frequency of the element ({@link Fft#frequency}); interleaved cos, sin.
	 */
	public static double[] phases(final int count, final int n, final double d, final boolean nonNegative) {
		final double[] p = new double[2 * count];
		for (int i = 0; i < count; i++) {
			final int k = nonNegative ? i : Fft.frequency(i, n);
			final double a = -2 * Math.PI * k * d / n;
			p[2 * i] = Math.cos(a);
			p[2 * i + 1] = Math.sin(a);
		}
		return p;
	}

	/** Multiplies every element by {@code weight} of its spatial frequency (1/Å), in place. */
	public static void apply(final float[] f, final int nx, final int ny, final int nz, final double pixelSize,
		final RadialWeight weight)
	{
		final int hx = Fft.halfWidth(nx);
		Parallel.forRange(nz * ny, (start, end) -> {
			for (int row = start; row < end; row++) {
				final double fy = (double) Fft.frequency(row % ny, ny) / ny;
				final double fz = (double) Fft.frequency(row / ny, nz) / nz;
				final double yz = fy * fy + fz * fz;
				for (int x = 0, p = 2 * row * hx; x < hx; x++, p += 2) {
					final double fx = (double) x / nx;
					final double w = weight.at(Math.sqrt(fx * fx + yz) / pixelSize);
					f[p] *= w;
					f[p + 1] *= w;
				}
			}
		});
	}

	/**
	 * Low-pass to {@code resolution} Å with a raised-cosine edge {@code edgeShells} Fourier pixels wide centred
	 * on the cut-off (0 for a hard edge).
	 */
	public static RadialWeight lowPass(final double resolution, final double edgeShells, final int boxSize,
		final double pixelSize)
	{
		final double cutoff = 1 / resolution, half = edgeShells / (2 * boxSize * pixelSize);
		return s -> {
			if (s <= cutoff - half) return 1;
			if (s >= cutoff + half) return 0;
			return 0.5 * (1 + Math.cos(Math.PI * (s - cutoff + half) / (2 * half)));
		};
	}

	/** Gaussian exp(−s²/2σ²) with σ in 1/Å. */
	public static RadialWeight gaussian(final double sigma) {
		return s -> Math.exp(-s * s / (2 * sigma * sigma));
	}

	/** Butterworth low-pass 1/√(1 + (s·resolution)^(2·order)), half power at 1/resolution. */
	public static RadialWeight butterworth(final double resolution, final int order) {
		return s -> 1 / Math.sqrt(1 + Math.pow(s * resolution, 2 * order));
	}

	/** Temperature factor exp(−B·s²/4), B in Å²: positive B blurs, negative B sharpens. */
	public static RadialWeight bFactor(final double b) {
		return s -> Math.exp(-b * s * s / 4);
	}

	/** Shell index of element (x, y, z): its radius in Fourier pixels of the x axis, rounded. */
	public static int shell(final int x, final int y, final int z, final int nx, final int ny, final int nz) {
		final double fy = (double) Fft.frequency(y, ny) * nx / ny, fz = (double) Fft.frequency(z, nz) * nx / nz;
		return FourierPoints.shell(x, fy, fz);
	}

	/**
	 * Adds |F|² of every element of an n × n image's half transform to the sum of its shell (the rounded radius),
	 * and 1 to that shell's count, for shells below {@code sum.length}. Unweighted: the x = 0 column counts once,
	 * as the noise estimates of 2D classification and ab initio average the elements they fit.
	 */
	public static void addShellPower(final float[] f, final int n, final double[] sum, final double[] count) {
		final int hx = Fft.halfWidth(n);
		for (int y = 0; y < n; y++)
			for (int x = 0; x < hx; x++) {
				final int fy = Fft.frequency(y, n), shell = FourierPoints.shell(x, fy, 0);
				if (shell >= sum.length) continue;
				final int e = y * hx + x;
				sum[shell] += f[2 * e] * f[2 * e] + f[2 * e + 1] * f[2 * e + 1];
				count[shell]++;
			}
	}

	/** Number of shells from 0 to the x Nyquist frequency, inclusive. */
	public static int shells(final int nx) {
		return nx / 2 + 1;
	}

	/**
	 * Mean of |F|² per shell over the full (Hermitian) transform, shells 0 to nx/2; elements with x > 0 stand for
	 * themselves and their mirror.
	 */
	public static double[] powerSpectrum(final float[] f, final int nx, final int ny, final int nz) {
		final int hx = Fft.halfWidth(nx), shells = shells(nx);
		final double[] sum = new double[shells], count = new double[shells];
		for (int z = 0; z < nz; z++)
			for (int y = 0; y < ny; y++)
				for (int x = 0; x < hx; x++) {
					final int s = shell(x, y, z, nx, ny, nz);
					if (s >= shells) continue;
					final int p = 2 * ((z * ny + y) * hx + x);
					final double w = x == 0 || 2 * x == nx ? 1 : 2;
					sum[s] += w * (f[p] * (double) f[p] + f[p + 1] * (double) f[p + 1]);
					count[s] += w;
				}
		for (int s = 0; s < shells; s++)
			if (count[s] > 0) sum[s] /= count[s];
		return sum;
	}

	/**
	 * The transform of the same image sampled on mx × my × mz (cropping discards frequencies, padding adds zeros),
	 * scaled by (mx·my·mz)/(nx·ny·nz) so that real-space values keep their scale: Fourier binning when smaller.
	 */
	public static float[] resize(final float[] f, final int nx, final int ny, final int nz, final int mx,
		final int my, final int mz)
	{
		final int hx = Fft.halfWidth(nx), hm = Fft.halfWidth(mx);
		final float[] out = new float[Fft.length(mx, my, mz)];
		final float scale = (float) ((double) mx * my * mz / ((double) nx * ny * nz));
		for (int z = 0; z < mz; z++) {
			final int sz = source(z, mz, nz);
			if (sz < 0) continue;
			for (int y = 0; y < my; y++) {
				final int sy = source(y, my, ny);
				if (sy < 0) continue;
				for (int x = 0; x < Math.min(hm, hx); x++) {
					final int p = 2 * ((z * my + y) * hm + x), q = 2 * ((sz * ny + sy) * hx + x);
					out[p] = f[q] * scale;
					out[p + 1] = f[q + 1] * scale;
				}
			}
		}
		return out;
	}

	private static int source(final int index, final int m, final int n) {
		final int k = Fft.frequency(index, m);
		if (k > n / 2 || k < -(n / 2)) return -1;
		return Math.floorMod(k, n);
	}
}

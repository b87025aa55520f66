package org.vitreous.fourier;

import java.util.Arrays;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

import org.jtransforms.fft.DoubleFFT_1D;
import org.jtransforms.fft.FloatFFT_1D;
import org.vitreous.compute.Parallel;

/**
 * Discrete Fourier transforms of real 1D, 2D and 3D images of any size (odd and prime included), on JTransforms.
 *
 * <h2>The half-complex layout (the only one in Vitreous)</h2>
 * A real image of nx × ny × nz (x fastest) transforms to {@code hx = nx/2 + 1} × ny × nz complex values,
 * interleaved (re, im) in a {@code float[]} of length {@code 2·hx·ny·nz}; complex element (x, y, z) starts at
 * {@code 2·((z·ny + y)·hx + x)}. Only non-negative x frequencies are stored (the rest follow from Hermitian
 * symmetry, F(−k) = conj F(k)). The origin (zero frequency) is at index 0; along y and z index i holds
 * frequency {@code i ≤ n/2 ? i : i − n} ({@link #frequency}), so for even n the Nyquist plane is stored once, as
 * +n/2, as in RELION and FFTW.
 * <p>
 * The forward transform is unnormalised, F(k) = Σ f(r)·exp(−2πi k·r/n); the inverse divides by nx·ny·nz, so
 * {@code inverse(forward(f)) = f}. Transforms refer to index 0 as the origin: to refer them to the image centre
 * (index n/2 on each axis, RELION's convention) shift by −n/2 first with {@link FourierFilters#shift} (see
 * {@link #forwardCentred}).
 */
public final class Fft {

	private static final ConcurrentHashMap<Integer, Plan> PLANS = new ConcurrentHashMap<>();

	/**
	 * A 1D plan. Sizes whose prime factors are 2, 3 and 5 use JTransforms' float mixed-radix code; other sizes go
	 * through Bluestein's algorithm, which loses accuracy in float, so they are computed in double.
	 */
	static final class Plan {
		private final FloatFFT_1D single;
		private final DoubleFFT_1D dual;
		private final int n;

		Plan(final int n) {
			this.n = n;
			int m = n;
			for (final int p : new int[] { 2, 3, 5 })
				while (m % p == 0)
					m /= p;
			single = m == 1 ? new FloatFFT_1D(n) : null;
			dual = m == 1 ? null : new DoubleFFT_1D(n);
		}

		void realForward(final float[] a) {
			if (single != null) single.realForward(a);
			else run(a, n, d -> dual.realForward(d));
		}

		void realInverse(final float[] a) {
			if (single != null) single.realInverse(a, true);
			else run(a, n, d -> dual.realInverse(d, true));
		}

		void complexForward(final float[] a) {
			if (single != null) single.complexForward(a);
			else run(a, 2 * n, d -> dual.complexForward(d));
		}

		void complexInverse(final float[] a) {
			if (single != null) single.complexInverse(a, true);
			else run(a, 2 * n, d -> dual.complexInverse(d, true));
		}

		private static void run(final float[] a, final int length, final Consumer<double[]> f) {
			final double[] d = new double[length];
			for (int i = 0; i < length; i++)
				d[i] = a[i];
			f.accept(d);
			for (int i = 0; i < length; i++)
				a[i] = (float) d[i];
		}
	}

	private Fft() {}

	/** Complex values stored along x for a real row of {@code nx}. */
	public static int halfWidth(final int nx) {
		return nx / 2 + 1;
	}

	/** Length of the float array holding the half-complex transform of an nx × ny × nz image. */
	public static int length(final int nx, final int ny, final int nz) {
		return 2 * halfWidth(nx) * ny * nz;
	}

	/**
	 * The pixel a RELION particle image of {@code n} pixels per side is centred on, where the particle of zero origin
	 * offset sits: n/2 for even n, as for volumes; n/2 + 1 for odd n, where relion_project's images are one pixel
	 * past n/2 in x and y (measured on ASPIRE's 65-pixel relion_project files, correlation 1.00000 after that shift
	 * and 0.82-0.88 without it; ASPIRE's interop tests document the same). Maps keep their centre at n/2.
	 */
	public static int imageCentre(final int n) {
		return n % 2 == 0 ? n / 2 : n / 2 + 1;
	}

	/** The signed frequency stored at {@code index} along an axis of {@code n} samples. */
	public static int frequency(final int index, final int n) {
		return index <= n / 2 ? index : index - n;
	}

	/** The index where signed {@code frequency} is stored along an axis of {@code n} samples. */
	public static int index(final int frequency, final int n) {
		return frequency < 0 ? frequency + n : frequency;
	}

	static Plan plan(final int n) {
		final Plan known = PLANS.get(n); // a plain read first: computeIfAbsent may lock even when the plan exists
		return known != null ? known : PLANS.computeIfAbsent(n, Plan::new);
	}

	/** Transforms a real nx × ny × nz image (nz = 1 for 2D, ny = nz = 1 for 1D); the input is not changed. */
	public static float[] forward(final float[] real, final int nx, final int ny, final int nz) {
		return forward(real, nx, ny, nz, new float[length(nx, ny, nz)]);
	}

	/**
	 * {@link #forward} into {@code out} (of {@link #length}), which is overwritten and returned: for loops that
	 * transform many images of one size without allocating each time.
	 */
	public static float[] forward(final float[] real, final int nx, final int ny, final int nz, final float[] out) {
		checkSize(real.length, nx, ny, nz, "real image");
		final int hx = halfWidth(nx);
		if (out.length != length(nx, ny, nz)) throw new IllegalArgumentException("output of " + out.length
			+ " floats does not hold a transform of " + nx + " x " + ny + " x " + nz);
		final Plan px = plan(nx);
		Parallel.forRange(ny * nz, (start, end) -> {
			final float[] row = new float[nx];
			for (int r = start; r < end; r++) {
				System.arraycopy(real, r * nx, row, 0, nx);
				px.realForward(row);
				unpack(row, nx, out, 2 * r * hx);
			}
		});
		if (ny > 1) complexPass(out, hx, ny, nz, true, false);
		if (nz > 1) complexPass(out, hx, ny, nz, false, false);
		return out;
	}

	/** The real image whose transform is {@code halfComplex} (normalised by 1/(nx·ny·nz)); the input is kept. */
	public static float[] inverse(final float[] halfComplex, final int nx, final int ny, final int nz) {
		if (halfComplex.length != length(nx, ny, nz)) throw new IllegalArgumentException("half-complex array of "
			+ halfComplex.length + " floats does not hold a transform of " + nx + " x " + ny + " x " + nz);
		return inverseDestroying(halfComplex.clone(), nx, ny, nz, new float[nx * ny * nz]);
	}

	/**
	 * {@link #inverse} that uses {@code halfComplex} as its workspace (its content is destroyed) and writes the image
	 * into {@code real}, which is returned: for loops that transform many arrays of one size.
	 */
	public static float[] inverseDestroying(final float[] halfComplex, final int nx, final int ny, final int nz,
		final float[] real)
	{
		final int hx = halfWidth(nx);
		checkSize(real.length, nx, ny, nz, "real image");
		final float[] work = halfComplex;
		if (nz > 1) complexPass(work, hx, ny, nz, false, true);
		if (ny > 1) complexPass(work, hx, ny, nz, true, true);
		final Plan px = plan(nx);
		Parallel.forRange(ny * nz, (start, end) -> {
			final float[] row = new float[nx];
			for (int r = start; r < end; r++) {
				pack(work, 2 * r * hx, nx, row);
				px.realInverse(row);
				System.arraycopy(row, 0, real, r * nx, nx);
			}
		});
		return real;
	}

	/**
	 * Each of the rows of {@code width} samples in {@code rows}, zero-padded to {@code padded}, circularly convolved
	 * with the real, even kernel whose transform is {@code filter} (one value per non-negative frequency of the
	 * padded length, {@code padded/2 + 1} of them), and cut back to {@code width}; as a new array. Rows in parallel,
	 * each transformed in place.
	 */
	public static float[] filterRows(final float[] rows, final int width, final int padded, final float[] filter) {
		if (width < 1 || rows.length % width != 0) throw new IllegalArgumentException(rows.length
			+ " samples are not rows of " + width);
		if (padded < width) throw new IllegalArgumentException("padded length " + padded + " is shorter than the rows ("
			+ width + ")");
		if (filter.length != halfWidth(padded)) throw new IllegalArgumentException("filter of " + filter.length
			+ " values for rows padded to " + padded + " (needs " + halfWidth(padded) + ")");
		final float[] out = new float[rows.length];
		final Plan plan = plan(padded);
		Parallel.forRange(rows.length / width, (start, end) -> {
			final float[] a = new float[padded];
			for (int r = start; r < end; r++) {
				System.arraycopy(rows, r * width, a, 0, width);
				Arrays.fill(a, width, padded, 0);
				plan.realForward(a);
				// JTransforms' packed layout: a[0] = Re F(0); a[2k], a[2k+1] = F(k); the last frequency's parts in
				// a[1] (even n: Re F(n/2)) or a[n − 1] and a[1] (odd n: Re and Im F((n − 1)/2))
				a[0] *= filter[0];
				final int last = padded % 2 == 0 ? padded / 2 : (padded - 1) / 2;
				for (int k = 1; k < last; k++) {
					a[2 * k] *= filter[k];
					a[2 * k + 1] *= filter[k];
				}
				if (padded > 1) {
					a[1] *= filter[last];
					if (padded % 2 == 1) a[padded - 1] *= filter[last];
				}
				plan.realInverse(a);
				System.arraycopy(a, 0, out, r * width, width);
			}
		});
		return out;
	}

	/** Forward transform referred to the image centre (index n/2 on every axis) rather than index 0. */
	public static float[] forwardCentred(final float[] real, final int nx, final int ny, final int nz) {
		final float[] f = forward(real, nx, ny, nz);
		FourierFilters.shift(f, nx, ny, nz, -(nx / 2), -(ny / 2), -(nz / 2));
		return f;
	}

	/** Inverse of {@link #forwardCentred}; the transform is not changed. */
	public static float[] inverseCentred(final float[] halfComplex, final int nx, final int ny, final int nz) {
		final float[] f = halfComplex.clone();
		FourierFilters.shift(f, nx, ny, nz, nx / 2, ny / 2, nz / 2);
		return inverse(f, nx, ny, nz);
	}

	private static void checkSize(final int length, final int nx, final int ny, final int nz, final String what) {
		if (nx <= 0 || ny <= 0 || nz <= 0 || (long) nx * ny * nz != length) throw new IllegalArgumentException(
			what + " of " + length + " values is not " + nx + " x " + ny + " x " + nz);
	}

	/** JTransforms' packed real-transform row to {@code nx/2+1} interleaved complex values at {@code offset}. */
	private static void unpack(final float[] a, final int n, final float[] out, final int offset) {
		out[offset] = a[0];
		out[offset + 1] = 0;
		if (n % 2 == 0) {
			for (int k = 1; k < n / 2; k++) {
				out[offset + 2 * k] = a[2 * k];
				out[offset + 2 * k + 1] = a[2 * k + 1];
			}
			if (n > 1) {
				out[offset + n] = a[1];
				out[offset + n + 1] = 0;
			}
		}
		else {
			final int last = (n - 1) / 2;
			for (int k = 1; k < last; k++) {
				out[offset + 2 * k] = a[2 * k];
				out[offset + 2 * k + 1] = a[2 * k + 1];
			}
			if (last > 0) {
				out[offset + 2 * last] = a[n - 1];
				out[offset + 2 * last + 1] = a[1];
			}
		}
	}

	/** Inverse of {@link #unpack}; imaginary parts at frequency 0 (and n/2 for even n) are ignored. */
	private static void pack(final float[] in, final int offset, final int n, final float[] a) {
		a[0] = in[offset];
		if (n % 2 == 0) {
			for (int k = 1; k < n / 2; k++) {
				a[2 * k] = in[offset + 2 * k];
				a[2 * k + 1] = in[offset + 2 * k + 1];
			}
			if (n > 1) a[1] = in[offset + n];
		}
		else {
			final int last = (n - 1) / 2;
			for (int k = 1; k < last; k++) {
				a[2 * k] = in[offset + 2 * k];
				a[2 * k + 1] = in[offset + 2 * k + 1];
			}
			if (last > 0) {
				a[n - 1] = in[offset + 2 * last];
				a[1] = in[offset + 2 * last + 1];
			}
		}
	}

	/** Columns gathered together by {@link #complexPass}: 16 complex values, two cache lines of each row. */
	private static final int BLOCK = 16;

	/**
	 * Complex 1D transforms along y (alongY) or z of every column of the half-complex array, in place. Columns are
	 * gathered {@link #BLOCK} at a time, so each pass over the rows reads whole cache lines instead of one value of
	 * each (the same transforms, the same result, several times faster on large images).
	 */
	private static void complexPass(final float[] data, final int hx, final int ny, final int nz,
		final boolean alongY, final boolean inverse)
	{
		final int n = alongY ? ny : nz;
		final int stride = alongY ? 2 * hx : 2 * hx * ny;
		final int others = alongY ? nz : ny, blocks = (hx + BLOCK - 1) / BLOCK;
		final Plan plan = plan(n);
		Parallel.forRange(others * blocks, (start, end) -> {
			final float[][] lines = new float[BLOCK][2 * n];
			for (int job = start; job < end; job++) {
				final int other = job / blocks, x0 = job % blocks * BLOCK, width = Math.min(BLOCK, hx - x0);
				final int base = alongY ? 2 * (other * ny * hx + x0) : 2 * (other * hx + x0);
				for (int i = 0, p = base; i < n; i++, p += stride)
					for (int b = 0; b < width; b++) {
						lines[b][2 * i] = data[p + 2 * b];
						lines[b][2 * i + 1] = data[p + 2 * b + 1];
					}
				for (int b = 0; b < width; b++)
					if (inverse) plan.complexInverse(lines[b]);
					else plan.complexForward(lines[b]);
				for (int i = 0, p = base; i < n; i++, p += stride)
					for (int b = 0; b < width; b++) {
						data[p + 2 * b] = lines[b][2 * i];
						data[p + 2 * b + 1] = lines[b][2 * i + 1];
					}
			}
		});
	}
}

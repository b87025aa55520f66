package org.vitreous.fourier;

import static org.junit.Assert.assertEquals;

import java.util.Random;

import org.junit.Test;

/** Transforms against a direct DFT at odd, prime and even sizes; shifts, resizing and filters against analytic truth. */
public class FftTest {

	private static final int[][] SIZES = { { 7, 11, 13 }, { 8, 6, 4 }, { 17, 1, 1 }, { 1, 1, 1 }, { 16, 9, 1 },
		{ 5, 5, 5 }, { 2, 3, 2 }, { 12, 12, 12 } };

	private static float[] random(final int n, final long seed) {
		final Random r = new Random(seed);
		final float[] a = new float[n];
		for (int i = 0; i < n; i++)
			a[i] = (float) r.nextGaussian();
		return a;
	}

	@Test
	public void forwardEqualsDirectDftInTheDocumentedLayout() {
		for (final int[] d : SIZES) {
			final int nx = d[0], ny = d[1], nz = d[2], hx = Fft.halfWidth(nx);
			final float[] a = random(nx * ny * nz, 1);
			final float[] f = Fft.forward(a, nx, ny, nz);
			assertEquals(Fft.length(nx, ny, nz), f.length);
			double max = 0;
			for (int z = 0; z < nz; z++)
				for (int y = 0; y < ny; y++)
					for (int x = 0; x < hx; x++) {
						final int kx = x, ky = Fft.frequency(y, ny), kz = Fft.frequency(z, nz);
						double re = 0, im = 0;
						for (int rz = 0; rz < nz; rz++)
							for (int ry = 0; ry < ny; ry++)
								for (int rx = 0; rx < nx; rx++) {
									final double ph = -2 * Math.PI * ((double) kx * rx / nx + (double) ky * ry / ny
										+ (double) kz * rz / nz);
									final double v = a[(rz * ny + ry) * nx + rx];
									re += v * Math.cos(ph);
									im += v * Math.sin(ph);
								}
						final int p = 2 * ((z * ny + y) * hx + x);
						max = Math.max(max, Math.max(Math.abs(f[p] - re), Math.abs(f[p + 1] - im)));
					}
			assertEquals("DFT at " + nx + "x" + ny + "x" + nz, 0, max, 1e-4 * Math.sqrt(nx * ny * nz));
		}
	}

	/** Row filtering equals the direct circular convolution of each zero-padded row with the filter's kernel. */
	@Test
	public void filterRowsIsTheCircularConvolutionOfThePaddedRows() {
		final Random r = new Random(3);
		for (final int[] d : new int[][] { { 10, 16 }, { 7, 15 }, { 5, 5 }, { 12, 13 } }) {
			final int width = d[0], padded = d[1], rows = 3;
			final float[] data = new float[width * rows], filter = new float[padded / 2 + 1];
			for (int i = 0; i < data.length; i++)
				data[i] = (float) r.nextGaussian();
			for (int k = 0; k < filter.length; k++)
				filter[k] = (float) r.nextGaussian();
			// the kernel h(j) = (1/n) Σ_k H(k) cos(2πkj/n) over all frequencies of the padded length
			final double[] kernel = new double[padded];
			for (int j = 0; j < padded; j++)
				for (int k = 0; k < padded; k++)
					kernel[j] += filter[Math.min(k, padded - k)] * Math.cos(2 * Math.PI * k * j / padded) / padded;
			final float[] out = Fft.filterRows(data, width, padded, filter);
			for (int row = 0; row < rows; row++)
				for (int x = 0; x < width; x++) {
					double expected = 0;
					for (int j = 0; j < width; j++)
						expected += data[row * width + j] * kernel[Math.floorMod(x - j, padded)];
					assertEquals(width + " in " + padded + ", row " + row + ", x " + x, expected, out[row * width + x], 1e-4);
				}
		}
	}

	@Test
	public void roundTripsAtAnySize() {
		for (final int[] d : new int[][] { { 7, 11, 13 }, { 64, 64, 64 }, { 97, 31, 1 }, { 1, 1, 1 }, { 3, 1, 5 },
			{ 100, 1, 1 } })
		{
			final float[] a = random(d[0] * d[1] * d[2], 2);
			final float[] b = Fft.inverse(Fft.forward(a, d[0], d[1], d[2]), d[0], d[1], d[2]);
			for (int i = 0; i < a.length; i++)
				assertEquals("size " + d[0] + "x" + d[1] + "x" + d[2], a[i], b[i], 2e-5);
		}
	}

	@Test
	public void integerShiftIsACircularRollAndHalfShiftsCompose() {
		final int nx = 9, ny = 8, nz = 5;
		final float[] a = random(nx * ny * nz, 3);
		final float[] f = Fft.forward(a, nx, ny, nz);
		FourierFilters.shift(f, nx, ny, nz, 2, -3, 1);
		final float[] b = Fft.inverse(f, nx, ny, nz);
		for (int z = 0; z < nz; z++)
			for (int y = 0; y < ny; y++)
				for (int x = 0; x < nx; x++)
					assertEquals(a[(z * ny + y) * nx + x], b[(Math.floorMod(z + 1, nz) * ny + Math.floorMod(y - 3, ny)) * nx
						+ Math.floorMod(x + 2, nx)], 1e-5);
		// a smooth Gaussian moved by 0.37 px equals the Gaussian sampled at the moved centre
		final int n = 32;
		final float[] g = new float[n * n], expected = new float[n * n];
		for (int y = 0; y < n; y++)
			for (int x = 0; x < n; x++) {
				g[y * n + x] = (float) Math.exp(-((x - 16.0) * (x - 16) + (y - 16.0) * (y - 16)) / (2 * 3.0 * 3));
				expected[y * n + x] = (float) Math.exp(-((x - 16.37) * (x - 16.37) + (y - 15.8) * (y - 15.8)) / (2 * 3.0
					* 3));
			}
		final float[] h = Fft.forward(g, n, n, 1);
		FourierFilters.shift(h, n, n, 1, 0.37, -0.2, 0);
		final float[] moved = Fft.inverse(h, n, n, 1);
		for (int i = 0; i < g.length; i++)
			assertEquals(expected[i], moved[i], 1e-5);
	}

	@Test
	public void centredTransformOfACentredGaussianIsReal() {
		for (final int n : new int[] { 16, 15 }) {
			final float[] g = new float[n * n * n];
			final int c = n / 2;
			for (int z = 0; z < n; z++)
				for (int y = 0; y < n; y++)
					for (int x = 0; x < n; x++)
						g[(z * n + y) * n + x] = (float) Math.exp(-((x - c) * (x - c) + (y - c) * (y - c) + (z - c) * (z
							- c)) / 8.0);
			final float[] f = Fft.forwardCentred(g, n, n, n);
			double maxIm = 0, maxRe = 0;
			for (int i = 0; i < f.length; i += 2) {
				maxIm = Math.max(maxIm, Math.abs(f[i + 1]));
				maxRe = Math.max(maxRe, Math.abs(f[i]));
			}
			assertEquals("imaginary part at n = " + n, 0, maxIm / maxRe, 1e-5);
			final float[] back = Fft.inverseCentred(f, n, n, n);
			for (int i = 0; i < g.length; i++)
				assertEquals(g[i], back[i], 1e-5);
		}
	}

	@Test
	public void fourierBinningOfASmoothImageSamplesItOnTheCoarseGrid() {
		// exp(-r²/2σ²) on 64² at 1 px, cropped to 32² (2 px per sample): equals the Gaussian sampled every 2 px
		final int n = 64, m = 32;
		final float[] g = new float[n * n];
		for (int y = 0; y < n; y++)
			for (int x = 0; x < n; x++)
				g[y * n + x] = (float) Math.exp(-((x - 32.0) * (x - 32) + (y - 32.0) * (y - 32)) / (2 * 4.0 * 4));
		final float[] f = FourierFilters.resize(Fft.forwardCentred(g, n, n, 1), n, n, 1, m, m, 1);
		final float[] small = Fft.inverseCentred(f, m, m, 1);
		for (int y = 0; y < m; y++)
			for (int x = 0; x < m; x++)
				assertEquals(Math.exp(-((2 * x - 32.0) * (2 * x - 32) + (2 * y - 32.0) * (2 * y - 32)) / (2 * 4.0 * 4)),
					small[y * m + x], 1e-4);
		// padding back interpolates the same Gaussian on the fine grid
		final float[] big = Fft.inverseCentred(FourierFilters.resize(f, m, m, 1, n, n, 1), n, n, 1);
		for (int i = 0; i < g.length; i++)
			assertEquals(g[i], big[i], 1e-3);
	}

	@Test
	public void gaussianFilterMatchesTheConvolutionOfTwoGaussians() {
		// a Gaussian of σ₁ filtered by exp(-s²/2σ_f²) is a Gaussian of σ² = σ₁² + 1/(2πσ_f)²
		final int n = 64;
		final double pixel = 2, sigma1 = 6, sigmaF = 0.02;
		final float[] g = new float[n * n];
		for (int y = 0; y < n; y++)
			for (int x = 0; x < n; x++) {
				final double r2 = ((x - 32.0) * (x - 32) + (y - 32.0) * (y - 32)) * pixel * pixel;
				g[y * n + x] = (float) Math.exp(-r2 / (2 * sigma1 * sigma1));
			}
		final float[] f = Fft.forwardCentred(g, n, n, 1);
		FourierFilters.apply(f, n, n, 1, pixel, FourierFilters.gaussian(sigmaF));
		final float[] out = Fft.inverseCentred(f, n, n, 1);
		final double s2 = 1 / (2 * Math.PI * sigmaF), sigma = Math.sqrt(sigma1 * sigma1 + s2 * s2);
		final double amplitude = sigma1 * sigma1 / (sigma * sigma);
		for (int y = 0; y < n; y++)
			for (int x = 0; x < n; x++) {
				final double r2 = ((x - 32.0) * (x - 32) + (y - 32.0) * (y - 32)) * pixel * pixel;
				assertEquals(amplitude * Math.exp(-r2 / (2 * sigma * sigma)), out[y * n + x], 1e-4);
			}
	}

	@Test
	public void powerSpectrumObeysParseval() {
		final int n = 16;
		final float[] a = random(n * n * n, 5);
		final float[] f = Fft.forward(a, n, n, n);
		double real = 0;
		for (final float v : a)
			real += v * (double) v;
		// Σ|F|² = N·Σ|f|²: sum the full transform by counting each half-stored element with its mirror
		double fourier = 0;
		final int hx = Fft.halfWidth(n);
		for (int z = 0; z < n; z++)
			for (int y = 0; y < n; y++)
				for (int x = 0; x < hx; x++) {
					final int p = 2 * ((z * n + y) * hx + x);
					fourier += (x == 0 || 2 * x == n ? 1 : 2) * (f[p] * (double) f[p] + f[p + 1] * (double) f[p + 1]);
				}
		assertEquals(n * n * n * real, fourier, 1e-4 * fourier);
		final double[] ps = FourierFilters.powerSpectrum(f, n, n, n);
		assertEquals(f[0] * (double) f[0], ps[0], 1e-6 * ps[0]);
		// white noise: flat spectrum at N·σ² away from the origin
		double mean = 0;
		for (int s = 3; s < ps.length; s++) {
			assertEquals("shell " + s, n * n * n, ps[s], 0.4 * n * n * n);
			mean += ps[s] / (ps.length - 3);
		}
		assertEquals(n * n * n, mean, 0.1 * n * n * n);
	}
}

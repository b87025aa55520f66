package org.vitreous.ctffit;

import org.vitreous.Finite;
import org.vitreous.compute.Parallel;
import org.vitreous.fourier.Fft;

/**
 * A micrograph's amplitude spectrum as CTF estimation uses it: the square root of the mean periodogram of
 * overlapping tiles (half overlapping, each with its mean removed), on the half-complex grid of one tile (element
 * (x, y) at y·(t/2 + 1) + x; tiles tapered at their edges), and that spectrum with its background taken out ring by narrow ring, so that the
 * Thon rings are left with about unit contrast at every frequency.
 */
public final class PowerSpectrum {

	final int tile;
	/** Amplitude per half-complex element of a tile. */
	final float[] amplitude;
	/** The amplitude with its background taken out. */
	final float[] normalised;

	private PowerSpectrum(final int tile, final float[] amplitude, final float[] normalised) {
		this.tile = tile;
		this.amplitude = amplitude;
		this.normalised = normalised;
	}

	/** The spectrum of an nx × ny micrograph in tiles of {@code tile} px (even, at most the micrograph's size). */
	public static PowerSpectrum of(final float[] image, final int nx, final int ny, final int tile) {
		if (tile < 32 || tile % 2 != 0 || tile > nx || tile > ny) throw new IllegalArgumentException("tiles of " + tile
			+ " px for a micrograph of " + nx + " x " + ny + " (even, at least 32, at most the micrograph)");
		final int step = tile / 2, tx = (nx - tile) / step + 1, ty = (ny - tile) / step + 1, hx = Fft.halfWidth(tile);
		final double[][] partial = new double[tx * ty][];
		// a cosine edge over an eighth of the tile on each side: without it the tiles' edges put a bright cross
		// through the spectrum along both axes, which pulls the fitted astigmatism
		final double[] taper = new double[tile];
		final int edge = tile / 8;
		for (int i = 0; i < tile; i++) {
			final int d = Math.min(i, tile - 1 - i);
			taper[i] = d >= edge ? 1 : 0.5 - 0.5 * Math.cos(Math.PI * (d + 0.5) / edge);
		}
		Parallel.forRange(tx * ty, (a, b) -> {
			final float[] cut = new float[tile * tile];
			for (int t = a; t < b; t++) {
				final int x0 = t % tx * step, y0 = t / tx * step;
				double mean = 0;
				for (int y = 0; y < tile; y++)
					for (int x = 0; x < tile; x++)
						mean += cut[y * tile + x] = image[(y0 + y) * nx + x0 + x];
				mean /= cut.length;
				for (int i = 0; i < cut.length; i++)
					cut[i] = (float) ((cut[i] - mean) * taper[i % tile] * taper[i / tile]);
				final float[] f = Fft.forward(cut, tile, tile, 1);
				final double[] p = new double[hx * tile];
				for (int i = 0; i < p.length; i++)
					p[i] = (double) f[2 * i] * f[2 * i] + (double) f[2 * i + 1] * f[2 * i + 1];
				partial[t] = p;
			}
		});
		final float[] amplitude = new float[hx * tile];
		for (int i = 0; i < amplitude.length; i++) {
			double sum = 0;
			for (final double[] p : partial)
				sum += p[i];
			amplitude[i] = (float) Math.sqrt(sum / partial.length);
		}
		amplitude[0] = 0;
		return new PowerSpectrum(tile, amplitude, normalise(amplitude, tile));
	}

	/**
	 * A spectrum given as an image: {@code n} × {@code n} amplitudes with zero frequency at (n/2, n/2), as RELION's
	 * motion correction writes it ({@code NAME_PS.mrc}, rlnCtfPowerSpectrum) and {@link #centred} writes it back; its
	 * pixel size is the one of its header (the spectrum reaches 1 / (2·pixel size)).
	 */
	public static PowerSpectrum ofCentred(final float[] image, final int n) {
		if (n < 32 || n % 2 != 0 || image.length != n * n) throw new IllegalArgumentException("a spectrum of "
			+ image.length + " values is not an even square image of at least 32²");
		final int hx = Fft.halfWidth(n), c = n / 2;
		final float[] amplitude = new float[hx * n];
		for (int i = 1; i < amplitude.length; i++) {
			final int kx = i % hx, ky = Fft.frequency(i / hx, n);
			// the stored pixel of (kx, ky), or of its Hermitian mate (−kx, −ky) at the image's last column and row
			final int x = c + kx < n ? c + kx : c - kx, y = c + kx < n ? c + ky : c - ky;
			amplitude[i] = y >= 0 && y < n ? Math.abs(image[y * n + x]) : 0;
		}
		final long bad = Finite.firstNonFinite(amplitude);
		if (bad >= 0) throw new IllegalArgumentException("the spectrum is not finite at element " + bad);
		return new PowerSpectrum(n, amplitude, normalise(amplitude, n));
	}

	/** The amplitude as a tile × tile image with zero frequency at (tile/2, tile/2): {@link #ofCentred}'s layout. */
	public float[] centred() {
		final int hx = Fft.halfWidth(tile), c = tile / 2;
		final float[] out = new float[tile * tile];
		for (int y = 0; y < tile; y++)
			for (int x = 0; x < tile; x++) {
				final int kx = x - c, ky = y - c;
				out[y * tile + x] = kx >= 0 ? amplitude[Fft.index(ky, tile) * hx + kx] : amplitude[Fft.index(-ky, tile) * hx
					- kx];
			}
		return out;
	}

	/** The radius (frequency px) of half-complex element i of a tile. */
	static double radius(final int i, final int tile) {
		final int hx = Fft.halfWidth(tile), x = i % hx, y = Fft.frequency(i / hx, tile);
		return Math.sqrt(x * x + y * y);
	}

	/** The width (frequency px) of the rings the spectrum is normalised in, and the fit centres the model in. */
	static int bandWidth(final int tile) {
		return Math.max(4, tile / 96);
	}

	/** The band (ring of {@link #bandWidth} px) of half-complex element i. */
	static int band(final int i, final int tile) {
		return (int) (radius(i, tile) / bandWidth(tile));
	}

	/**
	 * Each element minus the mean of its band, divided by the band's RMS about that mean: the background (which falls
	 * by orders of magnitude from low to high frequency) taken out piecewise, at a scale finer than any Thon ring's
	 * period at low frequency, where a smooth background would follow the rings themselves.
	 */
	private static float[] normalise(final float[] amplitude, final int tile) {
		final int bands = (int) (Math.sqrt(2) * (tile / 2 + 1) / bandWidth(tile)) + 2;
		final double[] sum = new double[bands], sq = new double[bands], count = new double[bands];
		for (int i = 1; i < amplitude.length; i++) {
			final int b = band(i, tile);
			sum[b] += amplitude[i];
			sq[b] += (double) amplitude[i] * amplitude[i];
			count[b]++;
		}
		final float[] out = new float[amplitude.length];
		for (int i = 1; i < amplitude.length; i++) {
			final int b = band(i, tile);
			final double mean = sum[b] / count[b], rms = Math.sqrt(Math.max(1e-30, sq[b] / count[b] - mean * mean));
			out[i] = (float) ((amplitude[i] - mean) / rms);
		}
		return out;
	}

	public int tile() {
		return tile;
	}
}

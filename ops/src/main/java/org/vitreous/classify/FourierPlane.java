package org.vitreous.classify;

import java.util.function.IntToDoubleFunction;

import org.vitreous.fourier.Fft;
import org.vitreous.fourier.FourierPoints;
import org.vitreous.projection.FourierVolume;

/**
 * A 2D transform on a Fourier grid padded by 2 (P = 2N, half-complex P × (P/2+1), layout of {@link Fft}), read
 * and written at in-plane rotated frequencies by bilinear interpolation: the 2D counterpart of
 * {@link FourierVolume} (reading rotated references) and of the back-projector (summing rotated particles).
 * Frequencies are given in Fourier pixels of the N-pixel image; points with negative x use the conjugate mirror.
 */
final class FourierPlane {

	static final int PADDING = 2;

	private final int n, p, hp;
	private final float[] data, weights;

	private FourierPlane(final int n, final float[] data, final float[] weights) {
		this.n = n;
		this.p = PADDING * n;
		this.hp = Fft.halfWidth(p);
		this.data = data;
		this.weights = weights;
	}

	/** An empty accumulator for sums of rotated transforms and their weights. */
	static FourierPlane accumulator(final int n) {
		final int p = PADDING * n;
		return new FourierPlane(n, new float[Fft.length(p, p, 1)], new float[Fft.length(p, p, 1) / 2]);
	}

	/**
	 * An N × N image prepared for rotated reads: divided by sinc²(r/P) (the gridding correction for bilinear
	 * interpolation), zero-padded about its centre and transformed with the centre as origin.
	 */
	static FourierPlane of(final float[] image, final int n) {
		final int p = PADDING * n, off = p / 2 - n / 2, c = n / 2;
		final float[] padded = new float[p * p];
		for (int y = 0; y < n; y++)
			for (int x = 0; x < n; x++)
				padded[(y + off) * p + x + off] = (float) (image[y * n + x] / FourierVolume.trilinearKernel(x - c, y - c, 0,
					p));
		return new FourierPlane(n, Fft.forwardCentred(padded, p, p, 1), null);
	}

	/** Bilinear read at frequency (fx, fy) into out[at], out[at + 1]. */
	void read(final double fx, final double fy, final float[] out, final int at) {
		double x = fx * PADDING, y = fy * PADDING;
		boolean conj = false;
		if (x < 0) {
			x = -x;
			y = -y;
			conj = true;
		}
		final int x0 = (int) Math.floor(x), y0 = (int) Math.floor(y);
		final float ax = (float) (x - x0), ay = (float) (y - y0);
		float re = 0, im = 0;
		for (int dy = 0; dy < 2; dy++) {
			final int row = Fft.index(y0 + dy, p) * hp;
			final float wy = dy == 0 ? 1 - ay : ay;
			for (int dx = 0; dx < 2; dx++) {
				final int xi = x0 + dx;
				if (xi >= hp) continue;
				final float w = wy * (dx == 0 ? 1 - ax : ax);
				re += w * data[2 * (row + xi)];
				im += w * data[2 * (row + xi) + 1];
			}
		}
		out[at] = re;
		out[at + 1] = conj ? -im : im;
	}

	/** Adds (re, im) with weight {@code weight} at frequency (fx, fy), spread over the four nearest grid points. */
	void add(final double fx, final double fy, float re, float im, final float weight) {
		double x = fx * PADDING, y = fy * PADDING;
		if (x < 0) {
			x = -x;
			y = -y;
			im = -im;
		}
		final int x0 = (int) Math.floor(x), y0 = (int) Math.floor(y);
		final float ax = (float) (x - x0), ay = (float) (y - y0);
		for (int dy = 0; dy < 2; dy++) {
			final int row = Fft.index(y0 + dy, p) * hp;
			final float wy = dy == 0 ? 1 - ay : ay;
			for (int dx = 0; dx < 2; dx++) {
				final int xi = x0 + dx;
				if (xi >= hp) continue;
				final float w = wy * (dx == 0 ? 1 - ax : ax);
				data[2 * (row + xi)] += w * re;
				data[2 * (row + xi) + 1] += w * im;
				weights[row + xi] += w * weight;
			}
		}
	}

	/**
	 * The N × N image (x fastest) of the sums divided by their weights plus {@code regularisation(shell)} (shell in
	 * Fourier pixels of the N-pixel image): the x = 0 column made Hermitian, the padded transform inverted about its
	 * centre, the centre cut out and divided by sinc²(r/P).
	 */
	float[] average(final IntToDoubleFunction regularisation) {
		final float[] d = data.clone(), w = weights.clone();
		for (int y = 0; y < p; y++) { // the x = 0 column holds each frequency once, or its mirror: add the pair
			final int m = (p - y) % p;
			if (m < y) continue;
			final int q = y * hp, r = m * hp;
			if (m == y) {
				d[2 * q + 1] = 0;
				continue;
			}
			final float re = d[2 * q] + d[2 * r], im = d[2 * q + 1] - d[2 * r + 1], wt = w[q] + w[r];
			d[2 * q] = re;
			d[2 * q + 1] = im;
			d[2 * r] = re;
			d[2 * r + 1] = -im;
			w[q] = wt;
			w[r] = wt;
		}
		final double rmax = n / 2.0 * PADDING;
		for (int y = 0; y < p; y++) {
			final int fy = Fft.frequency(y, p);
			for (int x = 0; x < hp; x++) {
				final int q = y * hp + x;
				final double r = Math.sqrt((double) x * x + (double) fy * fy);
				final double denominator = w[q] + regularisation.applyAsDouble(FourierPoints.shell((double) x / PADDING,
					(double) fy / PADDING, 0));
				final double f = r <= rmax && denominator > 0 ? 1 / denominator : 0;
				d[2 * q] *= f;
				d[2 * q + 1] *= f;
			}
		}
		final float[] padded = Fft.inverseCentred(d, p, p, 1);
		final int off = p / 2 - n / 2, c = n / 2;
		final float[] image = new float[n * n];
		for (int y = 0; y < n; y++)
			for (int x = 0; x < n; x++)
				image[y * n + x] = (float) (padded[(y + off) * p + x + off] / FourierVolume.trilinearKernel(x - c, y - c, 0,
					p));
		return image;
	}

	/**
	 * The signal power per shell (Fourier pixels of the N-pixel image) of the weighted average D/W, less the power
	 * its noise adds, weighted by W so that sparsely sampled elements do not dominate:
	 * (Σ |D|²/W − n·σ²) / Σ W over the shell's n elements with weight, at least 0. With σ² the noise power per
	 * element of a particle's transform, σ²/W is the variance of the average at an element of weight W.
	 */
	double[] signalPower(final double[] sigma2) {
		final int shells = sigma2.length;
		final double[] power = new double[shells], noise = new double[shells], weight = new double[shells];
		for (int y = 0; y < p; y++) {
			final int fy = Fft.frequency(y, p);
			for (int x = 0; x < hp; x++) {
				final int q = y * hp + x, s = FourierPoints.shell((double) x / PADDING, (double) fy / PADDING, 0);
				if (s >= shells || !(weights[q] > 0)) continue;
				power[s] += (data[2 * q] * data[2 * q] + data[2 * q + 1] * data[2 * q + 1]) / weights[q];
				noise[s] += sigma2[s];
				weight[s] += weights[q];
			}
		}
		for (int s = 0; s < shells; s++)
			power[s] = weight[s] > 0 ? Math.max(0, (power[s] - noise[s]) / weight[s]) : 0;
		return power;
	}

	/** Adds another accumulator's sums to this one's. */
	void merge(final FourierPlane other) {
		for (int i = 0; i < data.length; i++)
			data[i] += other.data[i];
		for (int i = 0; i < weights.length; i++)
			weights[i] += other.weights[i];
	}
}

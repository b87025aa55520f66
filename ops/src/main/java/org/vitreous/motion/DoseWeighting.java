package org.vitreous.motion;

import java.util.Locale;

import org.vitreous.compute.Parallel;
import org.vitreous.fourier.Fft;

/**
 * Exposure weighting of movie frames (Grant & Grigorieff, eLife 2015): the critical exposure at spatial frequency
 * k (1/Å) is Ne(k) = 0.245·k^−1.665 + 2.81 e/Å² at 300 kV, scaled by 0.8 at 200 kV and 0.64 at 100 kV (the
 * factors RELION 4's own motion correction uses); a frame whose exposure at its end is N is weighted by exp(−N / (2·Ne(k))), and the
 * weighted frames are summed with each frequency divided by √(Σ weight²) (their eq. 9), so the sum keeps the noise
 * of one frame per frequency while the signal the dose has destroyed is left out. Frame exposures follow RELION:
 * pre-exposure plus the dose per frame times the frame number (1 for the first).
 */
public final class DoseWeighting {

	private final int nx, ny;
	private final double[] exposures;
	/** Per half-complex element: −1 / (2·Ne(k)), and 1 / √(Σ weight²) over the frames. */
	private final float[] rate, norm;
	private final boolean evenlySpaced;

	/**
	 * Weights for frames of nx × ny pixels of {@code pixelSize} Å.
	 *
	 * @param exposures each frame's accumulated exposure at its end, e/Å²
	 */
	public DoseWeighting(final int nx, final int ny, final double pixelSize, final double voltage,
		final double[] exposures)
	{
		if (!(pixelSize > 0)) throw new IllegalArgumentException("dose weighting needs a pixel size, not " + pixelSize);
		for (final double e : exposures)
			if (!(e >= 0) || !Double.isFinite(e)) throw new IllegalArgumentException("an exposure of " + e + " e/Å²");
		this.nx = nx;
		this.ny = ny;
		this.exposures = exposures.clone();
		final double factor = voltageFactor(voltage);
		final int hx = Fft.halfWidth(nx);
		final double step = exposures.length > 1 ? exposures[1] - exposures[0] : 0;
		boolean spaced = true;
		for (int k = 1; k < exposures.length; k++)
			spaced &= Math.abs(exposures[k] - exposures[k - 1] - step) <= 1e-9 * Math.max(1, step);
		final boolean even = spaced;
		evenlySpaced = spaced;
		rate = new float[hx * ny];
		norm = new float[hx * ny];
		Parallel.forRange(ny, (start, end) -> {
			for (int y = start; y < end; y++) {
				final double ky = Fft.frequency(y, ny) / (double) ny;
				for (int x = 0; x < hx; x++) {
					final double kx = x / (double) nx;
					final double r = -1 / (2 * criticalExposure(Math.sqrt(kx * kx + ky * ky) / pixelSize) * factor);
					double sum = 0;
					if (even) {
						// evenly spaced exposures: the weights² form a geometric series
						final double q = Math.exp(2 * r * step);
						double w2 = Math.exp(2 * r * exposures[0]);
						for (int k = 0; k < exposures.length; k++, w2 *= q)
							sum += w2;
					}
					else for (final double n : exposures)
						sum += Math.exp(2 * r * n);
					rate[y * hx + x] = (float) r;
					norm[y * hx + x] = (float) (sum > 0 ? 1 / Math.sqrt(sum) : 0);
				}
			}
		});
	}

	/** Each frame's exposure at its end, as RELION counts it: pre-exposure + dose × frame number (from 1). */
	public static double[] exposures(final int frames, final double dosePerFrame, final double preExposure) {
		final double[] e = new double[frames];
		for (int i = 0; i < frames; i++)
			e[i] = preExposure + dosePerFrame * (i + 1);
		return e;
	}

	/** Ne(k) at 300 kV, e/Å², for k in 1/Å (infinite at k = 0: the mean is never weighted down). */
	public static double criticalExposure(final double k) {
		return k > 0 ? 0.245 * Math.pow(k, -1.665) + 2.81 : Double.POSITIVE_INFINITY;
	}

	/** How much sooner (below 1) the dose destroys signal than at 300 kV. */
	public static double voltageFactor(final double voltage) {
		if (Math.abs(voltage - 300) <= 2) return 1;
		if (Math.abs(voltage - 200) <= 2) return 0.8;
		if (Math.abs(voltage - 100) <= 2) return 0.64;
		throw new IllegalArgumentException(String.format(Locale.ROOT,
			"dose weighting knows 100, 200 and 300 kV, not %.1f kV", voltage));
	}

	/** The weight of frame {@code frame} at half-complex element (x, y), normalisation included. */
	public double weight(final int frame, final int x, final int y) {
		final int i = y * Fft.halfWidth(nx) + x;
		return Math.exp(rate[i] * exposures[frame]) * norm[i];
	}

	/**
	 * Every element's weight frame after frame, for a pass over the frames in order: {@link Running#weights} holds
	 * frame k's after k calls of {@link Running#next}. With evenly spaced exposures each step is a multiplication
	 * (in double: within 10⁻¹³ of the exponential after thousands of frames), else an exponential per element.
	 */
	public Running running() {
		return new Running();
	}

	/** Weights for successive frames. */
	public final class Running {
		private final double[] weights = new double[rate.length], ratio;
		private int frame;

		Running() {
			final double step = exposures.length > 1 ? exposures[1] - exposures[0] : 0;
			ratio = evenlySpaced ? new double[rate.length] : null;
			Parallel.forRange(rate.length, (a, b) -> {
				for (int i = a; i < b; i++) {
					weights[i] = Math.exp(rate[i] * exposures[0]) * norm[i];
					if (ratio != null) ratio[i] = Math.exp(rate[i] * step);
				}
			});
		}

		/** This frame's weight per half-complex element (not to be changed). */
		public double[] weights() {
			return weights;
		}

		/** Moves on to the next frame. */
		public void next() {
			frame++;
			if (frame >= exposures.length) return;
			final double exposure = exposures[frame];
			Parallel.forRange(rate.length, (a, b) -> {
				for (int i = a; i < b; i++)
					weights[i] = ratio != null ? weights[i] * ratio[i] : Math.exp(rate[i] * exposure) * norm[i];
			});
		}
	}

	public int frames() {
		return exposures.length;
	}
}

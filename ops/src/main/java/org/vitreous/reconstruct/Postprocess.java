package org.vitreous.reconstruct;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;

import org.vitreous.fourier.Fft;
import org.vitreous.fourier.FourierFilters;
import org.vitreous.image.Masks;
import org.vitreous.io.AtomicOutput;
import org.vitreous.metrics.Fsc;

/**
 * Post-processing of two half maps, as relion_postprocess does it: a soft mask (given, or made by thresholding
 * the low-passed average, growing and softening), the masked FSC corrected for the mask by phase randomisation
 * (Chen et al. 2013), a B-factor from a Guinier fit, and the average map sharpened by that B-factor, weighted by
 * the FSC and low-passed at the resolution.
 */
public final class Postprocess {

	/** How to post-process. Lengths in Å, dilation and edge in voxels. */
	public static final class Settings {
		/** Mask threshold on the average map low-passed to {@link #maskLowpass}; NaN for mean + 3 standard deviations. */
		public double threshold = Double.NaN;
		public double maskLowpass = 15;
		public double dilation = 3;
		public double edge = 6;
		/** Phases are randomised beyond this resolution; NaN for where the unmasked FSC falls below 0.8. */
		public double randomiseFrom = Double.NaN;
		/**
		 * The Guinier fit runs from this resolution (Å) to the FSC resolution, as RELION's; a map whose resolution is
		 * worse gets no fitted B-factor (NaN in the result) and none applied unless {@link #bFactor} is given.
		 */
		public double fitFrom = 10;
		/** ... to this resolution; NaN for the FSC resolution. */
		public double fitTo = Double.NaN;
		/** A B-factor to apply instead of the fitted one (negative sharpens); NaN to use the fit. */
		public double bFactor = Double.NaN;
		public long seed = 1;
	}

	/**
	 * The outcome: the mask, the sharpened map (unmasked, as RELION's postprocess.mrc), the FSC curves (unmasked,
	 * masked, masked after phase randomisation, corrected), the resolution, the Guinier plot (s² in 1/Å², ln
	 * amplitude, and the fitted line's range) and the B-factor.
	 */
	public record Result(float[] mask, float[] sharpened, Fsc.Curve unmasked, Fsc.Curve masked, Fsc.Curve randomised,
		double[] corrected, int randomisedFrom, double resolution, double[] guinierS2, double[] guinierLnAmplitude,
		double fitLow, double fitHigh, double bFactor, double fitIntercept)
	{}

	private Postprocess() {}

	/** Post-processes N³ half maps of the given voxel size; {@code mask} null makes one from the maps. */
	public static Result run(final float[] half1, final float[] half2, final int n, final double pixelSize,
		final float[] mask, final Settings s)
	{
		if (half1.length != (long) n * n * n || half2.length != half1.length) throw new IllegalArgumentException(
			"half maps are not both " + n + "³");
		final float[] average = new float[half1.length];
		for (int i = 0; i < average.length; i++)
			average[i] = (half1[i] + half2[i]) / 2;
		final float[] m = mask != null ? mask : autoMask(average, n, pixelSize, s);
		final Fsc.Curve unmasked = Fsc.compute(half1, half2, n, n, n, null, pixelSize);
		final Fsc.Curve masked = Fsc.compute(half1, half2, n, n, n, m, pixelSize);
		double from = Double.isNaN(s.randomiseFrom) ? Fsc.crossing(unmasked.fsc(), 0.8) : n * pixelSize
			/ s.randomiseFrom;
		if (Double.isNaN(from)) from = n / 2.0;
		final int r = Math.max(1, (int) Math.ceil(from));
		final Random random = new Random(s.seed);
		final Fsc.Curve randomised = Fsc.compute(randomisePhases(half1, n, r, random), randomisePhases(half2, n, r,
			random), n, n, n, m, pixelSize);
		final double[] corrected = new double[masked.shells()];
		for (int i = 0; i < corrected.length; i++) {
			final double t = masked.fsc()[i], rn = randomised.fsc()[i];
			corrected[i] = i < r + 2 || rn >= 1 ? t : (t - rn) / (1 - rn);
		}
		final double crossing = Fsc.crossing(corrected, 0.143);
		final double resolution = Double.isNaN(crossing) ? 2 * pixelSize : n * pixelSize / crossing;
		// Guinier plot of the signal in the masked average: the noise power, measured from the half maps'
		// difference, is taken out of the average's power (|h1 + h2|² − |h1 − h2|²)/4 per shell, so noise does not
		// flatten the fall-off
		final float[] difference = new float[half1.length];
		for (int i = 0; i < difference.length; i++)
			difference[i] = (half1[i] - half2[i]) / 2;
		final double[] total = FourierFilters.powerSpectrum(Fft.forward(Masks.apply(average.clone(), m), n, n, n), n, n, n);
		final double[] noise = FourierFilters.powerSpectrum(Fft.forward(Masks.apply(difference, m), n, n, n), n, n, n);
		final double[] power = new double[total.length];
		for (int i = 0; i < power.length; i++)
			power[i] = total[i] - noise[i];
		final int shells = power.length;
		final double[] s2 = new double[shells], ln = new double[shells];
		for (int i = 0; i < shells; i++) {
			final double freq = i / (n * pixelSize);
			s2[i] = freq * freq;
			ln[i] = power[i] > 0 ? 0.5 * Math.log(power[i]) : Double.NaN;
		}
		// RELION fits from 10 Å to the resolution and declines where the resolution is worse than that: a straight
		// line through a few shells at 20 Å says nothing about the fall-off (the demo once reported 6,616 Å² so)
		final double high = Double.isNaN(s.fitTo) ? resolution : s.fitTo, low = s.fitFrom;
		double sx = 0, sy = 0, sxx = 0, sxy = 0;
		int k = 0;
		for (int i = 1; i < shells; i++) {
			final double res = n * pixelSize / i;
			if (res > low || res < high || Double.isNaN(ln[i])) continue;
			sx += s2[i];
			sy += ln[i];
			sxx += s2[i] * s2[i];
			sxy += s2[i] * ln[i];
			k++;
		}
		double slope = Double.NaN, intercept = Double.NaN;
		if (k >= MIN_FIT_SHELLS && high < low) {
			slope = (k * sxy - sx * sy) / (k * sxx - sx * sx);
			intercept = (sy - slope * sx) / k;
		}
		// amplitude ∝ exp(−B s²/4): B = −4·slope; sharpening applies −B
		final double fitted = -4 * slope;
		final double apply = Double.isNaN(s.bFactor) ? (Double.isNaN(fitted) ? 0 : -fitted) : s.bFactor;
		final float[] g = Fft.forward(average, n, n, n);
		final double cut = Double.isNaN(crossing) ? n / 2.0 : crossing;
		FourierFilters.apply(g, n, n, n, pixelSize, freq -> {
			final double shell = freq * n * pixelSize;
			if (shell > cut) return 0;
			final int i = (int) Math.min(corrected.length - 1, Math.round(shell));
			final double c = Math.max(0, corrected[i]);
			return Math.sqrt(2 * c / (1 + c)) * Math.exp(-apply * freq * freq / 4);
		});
		final float[] sharpened = Fft.inverse(g, n, n, n);
		return new Result(m, sharpened, unmasked, masked, randomised, corrected, r, resolution, s2, ln, low, high,
			fitted, intercept);
	}

	/** Fewer Fourier shells than this between the fit's limits give no B-factor. */
	public static final int MIN_FIT_SHELLS = 3;

	/**
	 * The mask RELION's relion_mask_create would make: the average low-passed to {@code maskLowpass}, thresholded,
	 * grown by {@code dilation} voxels and given a raised-cosine edge of {@code edge} voxels.
	 */
	public static float[] autoMask(final float[] average, final int n, final double pixelSize, final Settings s) {
		final float[] f = Fft.forward(average, n, n, n);
		FourierFilters.apply(f, n, n, n, pixelSize, FourierFilters.lowPass(s.maskLowpass, 2, n, pixelSize));
		final float[] low = Fft.inverse(f, n, n, n);
		double threshold = s.threshold;
		if (Double.isNaN(threshold)) {
			double sum = 0, sq = 0;
			for (final float v : low) {
				sum += v;
				sq += v * (double) v;
			}
			final double mean = sum / low.length;
			threshold = mean + 3 * Math.sqrt(Math.max(0, sq / low.length - mean * mean));
		}
		return Masks.threshold(low, n, threshold, s.dilation, s.edge);
	}

	/** The map with every Fourier phase beyond {@code shell} replaced by a random one (amplitudes kept). */
	static float[] randomisePhases(final float[] map, final int n, final int shell, final Random random) {
		final float[] f = Fft.forward(map, n, n, n);
		final int hx = Fft.halfWidth(n);
		for (int z = 0; z < n; z++)
			for (int y = 0; y < n; y++)
				for (int x = 0; x < hx; x++) {
					final double phase = 2 * Math.PI * random.nextDouble();
					if (FourierFilters.shell(x, y, z, n, n, n) <= shell) continue;
					final int p = 2 * ((z * n + y) * hx + x);
					final double amplitude = Math.hypot(f[p], f[p + 1]);
					f[p] = (float) (amplitude * Math.cos(phase));
					f[p + 1] = (float) (amplitude * Math.sin(phase));
				}
		return Fft.inverse(f, n, n, n);
	}

	/** A CSV cell: the value, or empty where there is none (no signal left in the shell, or no fit). */
	private static String cell(final double v) {
		return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6f", v) : "";
	}

	/**
	 * Writes {@code fsc.csv} (per shell: the unmasked, masked, phase-randomised and corrected FSC) and
	 * {@code guinier.csv} (ln amplitude of the signal against s², with the fitted line where there is one) into
	 * {@code dir}.
	 */
	public static void writeCurves(final Result r, final Path dir, final Path... inputs) throws IOException {
		try (AtomicOutput out = AtomicOutput.create(dir.resolve("fsc.csv"), inputs)) {
			try (Writer w = Files.newBufferedWriter(out.path(), StandardCharsets.UTF_8)) {
				w.write("shell,frequency_per_angstrom,resolution_angstrom,fsc_unmasked,fsc_masked,"
					+ "fsc_phase_randomised_masked,fsc_corrected\n");
				for (int i = 0; i < r.corrected().length; i++)
					w.write(String.format(Locale.ROOT, "%d,%.6f,%.3f,%.6f,%.6f,%.6f,%.6f%n", i, r.masked().frequency(i), i == 0
						? Double.POSITIVE_INFINITY : 1 / r.masked().frequency(i), r.unmasked().fsc()[i], r.masked().fsc()[i], r
							.randomised().fsc()[i], r.corrected()[i]));
			}
			out.commit();
		}
		try (AtomicOutput out = AtomicOutput.create(dir.resolve("guinier.csv"), inputs)) {
			try (Writer w = Files.newBufferedWriter(out.path(), StandardCharsets.UTF_8)) {
				w.write("shell,s_squared_per_angstrom2,ln_amplitude,fit\n");
				for (int i = 1; i < r.guinierS2().length; i++)
					w.write(String.format(Locale.ROOT, "%d,%.8f,%s,%s%n", i, r.guinierS2()[i], cell(r.guinierLnAmplitude()[i]),
						cell(r.fitIntercept() - r.bFactor() / 4 * r.guinierS2()[i])));
			}
			out.commit();
		}
	}
}

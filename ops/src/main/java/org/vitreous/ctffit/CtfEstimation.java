package org.vitreous.ctffit;

import java.util.ArrayList;
import java.util.List;

import org.vitreous.compute.Parallel;
import org.vitreous.ctf.Ctf;
import org.vitreous.fourier.Fft;

/**
 * CTF estimation of one micrograph, as CTFFIND4 does it: the tile-averaged amplitude spectrum with its background
 * taken out ({@link PowerSpectrum}) is compared with CTF² by normalised cross-correlation between two resolutions;
 * the mean defocus is searched first with no astigmatism, then defocus, astigmatism and its angle (and a phase
 * shift, for phase-plate data) on a grid around it, then refined by the simplex method, band by narrow band; then
 * refined again against the spectrum with its background taken out over whole Thon rings of that defocus, whole
 * (the narrow bands keep the search robust but, being narrower than a ring, leave the correlation nearly blind to
 * how far the rings move with the azimuth, so that noise inflated the astigmatism by 100-300 Å below 1.5 µm). The
 * score is that last correlation, over the whole fitted range (CTFFIND's; pure noise scores about 0.03, a
 * micrograph with rings 0.3 and more); the fit resolution is the highest frequency up to which the equiphase average of the
 * spectrum still correlates with the fitted CTF² (0.3, over a window of about a Thon ring); a score below 0.1 flags
 * a micrograph without Thon rings (blank, pure noise, or far outside the search range).
 */
public final class CtfEstimation {

	/** What to search. Lengths in Å, angles in degrees. */
	public static final class Settings {
		public int tile = 512;
		public double defocusMin = 5000, defocusMax = 50000;
		/**
		 * The fit uses the spectrum between these resolutions. 4 Å rather than CTFFIND's 5 Å: at 0.5-1 µm defocus the
		 * first zero is near 11 Å and 5 Å leaves too few rings to measure astigmatism (measured: astigmatism
		 * 10-25% high near 0.6 µm defocus with 5 Å, within 10% with 4 Å, on simulated micrographs).
		 */
		public double resolutionMin = 30, resolutionMax = 4;
		/** The largest defocus U − V searched. */
		public double astigmatismMax = 3000;
		/** Search a phase shift (phase plate) too. */
		public boolean phaseShift = false;
		public double voltage = 300, sphericalAberration = 2.7, amplitudeContrast = 0.1, pixelSize = 1;

		/** Refuses settings that leave nothing to search or fit. */
		public void check() {
			if (!(defocusMax > defocusMin)) throw new IllegalArgumentException("the defocus range " + defocusMin + "-"
				+ defocusMax + " Å is empty (the largest defocus must be above the smallest)");
			if (!(resolutionMax < resolutionMin)) throw new IllegalArgumentException(
				"the resolution range " + resolutionMin + "-" + resolutionMax + " Å is empty (the highest resolution "
					+ "fitted must be finer than the lowest)");
		}

		public Settings copy() {
			final Settings s = new Settings();
			s.tile = tile;
			s.defocusMin = defocusMin;
			s.defocusMax = defocusMax;
			s.resolutionMin = resolutionMin;
			s.resolutionMax = resolutionMax;
			s.astigmatismMax = astigmatismMax;
			s.phaseShift = phaseShift;
			s.voltage = voltage;
			s.sphericalAberration = sphericalAberration;
			s.amplitudeContrast = amplitudeContrast;
			s.pixelSize = pixelSize;
			return s;
		}
	}

	/**
	 * The fit: the CTF; the score (correlation with the spectrum, 0 to 1); the fit resolution (Å); whether it is
	 * flagged; the diagnostic image (tile × tile, centred: left the spectrum, right the fit); and the radial profiles
	 * {frequency 1/Å, equiphase spectrum, fitted CTF²}.
	 */
	public record Result(Ctf ctf, double score, double fitResolution, boolean flagged, float[] diagnostic, int tile,
		double[][] radial)
	{}

	/** Scores below this are flagged. */
	public static final double FLAG = 0.1;

	private CtfEstimation() {}

	/** Estimates the CTF of an nx × ny micrograph, in tiles of the settings' size (or the micrograph's, if smaller). */
	public static Result estimate(final float[] image, final int nx, final int ny, final Settings s) {
		final int tile = Math.min(s.tile, Math.min(nx, ny) & ~1);
		return estimate(PowerSpectrum.of(image, nx, ny, tile), s);
	}

	/** Estimates the CTF from a spectrum (the settings' pixel size is the spectrum's). */
	public static Result estimate(final PowerSpectrum spectrum, final Settings s) {
		final int tile = spectrum.tile;
		final Fit fit = new Fit(spectrum, s);
		// 1: mean defocus, no astigmatism
		double best = Double.NEGATIVE_INFINITY, mean = s.defocusMin;
		for (double d = s.defocusMin; d <= s.defocusMax; d += 100) {
			final double c = fit.score(d, 0, 0, 0);
			if (c > best) {
				best = c;
				mean = d;
			}
		}
		// 2: a grid of astigmatism, angle and phase shift around it
		final List<double[]> grid = new ArrayList<>();
		for (double dm = -400; dm <= 400; dm += 200)
			for (double a = 0; a <= s.astigmatismMax; a += Math.max(100, s.astigmatismMax / 15))
				for (double angle = 0; angle < 180; angle += a == 0 ? 180 : 10)
					for (double p = 0; p < (s.phaseShift ? 180 : 1); p += 15)
						grid.add(new double[] { mean + dm, a, angle, p });
		final double[] scores = new double[grid.size()];
		Parallel.forRange(grid.size(), (a, b) -> {
			for (int i = a; i < b; i++) {
				final double[] g = grid.get(i);
				scores[i] = fit.score(g[0], g[1], g[2], g[3]);
			}
		});
		int top = 0;
		for (int i = 1; i < scores.length; i++)
			if (scores[i] > scores[top]) top = i;
		// 3: the simplex from the best grid point
		double[] p = grid.get(top);
		// restarted with smaller steps: a simplex that has shrunk onto a ridge of the score starts afresh
		for (final double scale : new double[] { 1, 0.3, 0.1 })
			p = Simplex.maximise(v -> fit.score(v[0], v[1], v[2], s.phaseShift ? v[3] : 0), p, new double[] { 200 * scale,
				200 * scale, 10 * scale, 10 * scale }, 300);
		// 4: refined against the spectrum with its background taken out over whole Thon rings (see Fit.ringNormalised)
		final Ctf first = new Ctf(s.voltage, s.sphericalAberration, s.amplitudeContrast, p[0] + p[1] / 2, p[0] - p[1] / 2,
			p[2], s.phaseShift ? p[3] : 0, 0, 1);
		final Fit rings = new Fit(spectrum, s, Fit.ringNormalised(spectrum, s, first), false);
		for (final double scale : new double[] { 0.3, 0.1 })
			p = Simplex.maximise(v -> rings.score(v[0], v[1], v[2], s.phaseShift ? v[3] : 0), p, new double[] { 200
				* scale, 200 * scale, 10 * scale, 10 * scale }, 300);
		double astigmatism = p[1], angle = p[2];
		if (astigmatism < 0) {
			astigmatism = -astigmatism;
			angle += 90;
		}
		angle = ((angle % 180) + 180) % 180;
		final double phase = s.phaseShift ? ((p[3] % 180) + 180) % 180 : 0;
		final double score = rings.score(p[0], astigmatism, angle, phase);
		final Ctf ctf = new Ctf(s.voltage, s.sphericalAberration, s.amplitudeContrast, p[0] + astigmatism / 2, p[0]
			- astigmatism / 2, angle, phase, 0, 1);
		final double[][] radial = fit.equiphase(ctf);
		final double resolution = fitResolution(radial, ctf, s);
		return new Result(ctf, score, resolution, score < FLAG, fit.diagnostic(ctf), tile, radial);
	}

	/**
	 * The resolution (Å) up to which the equiphase spectrum correlates with the fitted CTF² at 0.3 or more, over a
	 * sliding window of about one and a half Thon rings: the last frequency of the run of such windows that starts
	 * at the low-resolution end of the fit.
	 */
	static double fitResolution(final double[][] radial, final Ctf ctf, final Settings s) {
		final double[] f = radial[0], spec = radial[1], model = radial[2];
		final double mean = (ctf.defocusU() + ctf.defocusV()) / 2, lambda = ctf.lambda(), step = f[1] - f[0];
		int last = -1;
		boolean started = false;
		for (int i = 1; i < f.length; i++) {
			if (f[i] < 1 / s.resolutionMin) continue;
			// the Thon ring period at f: 1 / (λ·Δf·f)
			final int half = (int) Math.max(3, Math.ceil(0.75 / (lambda * mean * f[i]) / step));
			if (i - half < 1) continue;
			if (i + half >= f.length) break;
			final double c = correlation(spec, model, i - half, i + half);
			if (c >= 0.3) {
				started = true;
				last = i;
			}
			else if (started) break;
		}
		return last < 0 ? 1 / f[1] : 1 / f[last];
	}

	static double correlation(final double[] a, final double[] b, final int from, final int to) {
		double ma = 0, mb = 0;
		final int n = to - from + 1;
		for (int i = from; i <= to; i++) {
			ma += a[i] / n;
			mb += b[i] / n;
		}
		double ab = 0, aa = 0, bb = 0;
		for (int i = from; i <= to; i++) {
			ab += (a[i] - ma) * (b[i] - mb);
			aa += (a[i] - ma) * (a[i] - ma);
			bb += (b[i] - mb) * (b[i] - mb);
		}
		return aa > 0 && bb > 0 ? ab / Math.sqrt(aa * bb) : 0;
	}

	/** The spectrum's pixels in the fitted annulus, and the scores of CTF models against them. */
	static final class Fit {
		final PowerSpectrum spectrum;
		final Settings s;
		final float[] sx, sy, value;
		/** Each pixel's band, renumbered from 0; pixels per band. */
		final int[] band;
		final int[] bandCount;

		/** Whether the model is compared band by band (about each band's mean) or whole (about ½). */
		final boolean bandCentred;

		Fit(final PowerSpectrum spectrum, final Settings s) {
			this(spectrum, s, spectrum.normalised, true);
		}

		Fit(final PowerSpectrum spectrum, final Settings s, final float[] values, final boolean bandCentred) {
			this.spectrum = spectrum;
			this.s = s;
			this.bandCentred = bandCentred;
			final int tile = spectrum.tile, hx = Fft.halfWidth(tile);
			final double unit = 1 / (tile * s.pixelSize), lo = 1 / s.resolutionMin, hi = Math.min(1 / s.resolutionMax, 0.5
				/ s.pixelSize);
			final List<float[]> kept = new ArrayList<>();
			int firstBand = Integer.MAX_VALUE, lastBand = 0;
			for (int i = 0; i < hx * tile; i++) {
				final double fx = (i % hx) * unit, fy = Fft.frequency(i / hx, tile) * unit, f = Math.hypot(fx, fy);
				if (f >= lo && f <= hi && !Float.isNaN(values[i])) {
					final int b = PowerSpectrum.band(i, tile);
					kept.add(new float[] { (float) fx, (float) fy, values[i], b });
					firstBand = Math.min(firstBand, b);
					lastBand = Math.max(lastBand, b);
				}
			}
			final int n = kept.size();
			sx = new float[n];
			sy = new float[n];
			value = new float[n];
			band = new int[n];
			bandCount = new int[Math.max(1, lastBand - firstBand + 1)];
			final double[] bandSum = new double[bandCount.length];
			for (int j = 0; j < n; j++) {
				sx[j] = kept.get(j)[0];
				sy[j] = kept.get(j)[1];
				value[j] = kept.get(j)[2];
				band[j] = (int) kept.get(j)[3] - firstBand;
				bandCount[band[j]]++;
				bandSum[band[j]] += value[j];
			}
			// the spectrum about its mean in each band (as the bands cut by the annulus's edges hold only part of a ring)
			if (bandCentred) for (int j = 0; j < n; j++)
				value[j] -= (float) (bandSum[band[j]] / bandCount[band[j]]);
			else {
				double total = 0;
				for (final float v : value)
					total += v;
				for (int j = 0; j < n; j++)
					value[j] -= (float) (total / n);
			}
		}

		/** The shortest Thon ring period (tile pixels) that the whole-ring refinement fits. */
		static final double MIN_RING_PERIOD = 4;

		/**
		 * The amplitude with its background taken out at each radius over one Thon ring period of {@code ctf}'s mean
		 * defocus (a running mean of the rotational average over the period, which a ring's rise and fall cancel in),
		 * and divided by the running RMS about it over the same period: the rings kept whole, with unit contrast.
		 */
		static float[] ringNormalised(final PowerSpectrum spectrum, final Settings s, final Ctf ctf) {
			final int tile = spectrum.tile, bins = (int) (Math.sqrt(2) * (tile / 2 + 1)) + 2;
			final double unit = 1 / (tile * s.pixelSize), mean = (ctf.defocusU() + ctf.defocusV()) / 2;
			final Ctf round = new Ctf(ctf.voltage(), ctf.sphericalAberration(), ctf.amplitudeContrast(), mean, mean, 0, ctf
				.phaseShift(), 0, 1);
			final float[] a = spectrum.amplitude;
			final double[] sum = new double[bins], count = new double[bins];
			for (int i = 1; i < a.length; i++) {
				final int b = (int) Math.round(PowerSpectrum.radius(i, tile));
				sum[b] += a[i];
				count[b]++;
			}
			final double[] window = new double[bins];
			for (int b = 0; b < bins; b++) {
				final double f = Math.max(0.5, b) * unit, h = unit / 4;
				final double slope = Math.abs(round.phase(f + h, 0) - round.phase(f - h, 0)) / (2 * h);
				window[b] = Math.max(3, Math.min(bins, Math.PI / Math.max(1e-12, slope) / unit));
			}
			final double[] background = smooth(sum, count, window);
			final double[] sq = new double[bins];
			for (int i = 1; i < a.length; i++) {
				final double r = PowerSpectrum.radius(i, tile), d = a[i] - interpolate(background, r);
				sq[(int) Math.round(r)] += d * d;
			}
			final double[] rms = smooth(sq, count, window);
			final float[] out = new float[a.length];
			for (int i = 1; i < a.length; i++) {
				final double r = PowerSpectrum.radius(i, tile);
				// rings closer than a few tile pixels are smeared by the tiles' taper: left out (NaN), as noise
				out[i] = interpolate(window, r) < MIN_RING_PERIOD ? Float.NaN : (float) ((a[i] - interpolate(background, r))
					/ Math.sqrt(Math.max(1e-30, interpolate(rms, r))));
			}
			return out;
		}

		/**
		 * The running mean over one ring period taken twice (a triangle two periods wide): one pass cancels a ring of
		 * even contrast, the second also the ripple a ring whose contrast fades with frequency leaves after one pass,
		 * which would move the rings' apparent phase and with it the fitted defocus.
		 */
		private static double[] smooth(final double[] sum, final double[] count, final double[] window) {
			final double[] once = running(sum, count, window), weighted = new double[once.length];
			for (int b = 0; b < once.length; b++)
				weighted[b] = once[b] * count[b];
			return running(weighted, count, window);
		}

		/** Per bin, Σ sum / Σ count over the window of {@code window[b]} bins centred on b (fractional ends). */
		private static double[] running(final double[] sum, final double[] count, final double[] window) {
			final int n = sum.length;
			final double[] cs = new double[n + 1], cc = new double[n + 1];
			for (int b = 0; b < n; b++) {
				cs[b + 1] = cs[b] + sum[b];
				cc[b + 1] = cc[b] + count[b];
			}
			final double[] out = new double[n];
			for (int b = 0; b < n; b++) {
				final double lo = Math.max(0, b + 0.5 - window[b] / 2), hi = Math.min(n, b + 0.5 + window[b] / 2);
				final double c = cumulative(cc, count, hi) - cumulative(cc, count, lo);
				out[b] = c > 0 ? (cumulative(cs, sum, hi) - cumulative(cs, sum, lo)) / c : 0;
			}
			return out;
		}

		private static double cumulative(final double[] c, final double[] v, final double x) {
			final int i = (int) Math.floor(x);
			return i >= v.length ? c[v.length] : c[i] + (x - i) * v[i];
		}

		private static double interpolate(final double[] v, final double r) {
			final int i = (int) Math.floor(r);
			if (i >= v.length - 1) return v[v.length - 1];
			return v[i] + (r - i) * (v[i + 1] - v[i]);
		}

		/** The normalised correlation of CTF² (mean defocus, astigmatism U − V, its angle, phase shift) with the spectrum. */
		double score(final double mean, final double astigmatism, final double angle, final double phase) {
			if (mean - Math.abs(astigmatism) / 2 <= 0) return -1;
			// U − V may go negative on the way: the same CTF with the axes swapped
			final Ctf ctf = new Ctf(s.voltage, s.sphericalAberration, s.amplitudeContrast, mean + astigmatism / 2, mean
				- astigmatism / 2, angle, phase, 0, 1);
			// the model about its mean in each band too: only the rings' shape within a band is compared
			final double[] sm = new double[bandCount.length], mm = new double[bandCount.length];
			double sv = 0, vv = 0;
			final int n = sx.length;
			if (!bandCentred) {
				double mm2 = 0;
				for (int j = 0; j < n; j++) {
					final double c = ctf.value(sx[j], sy[j]), m = c * c - 0.5;
					sv += m * value[j];
					mm2 += m * m;
					vv += value[j] * (double) value[j];
				}
				return mm2 > 0 && vv > 0 ? sv / Math.sqrt(mm2 * vv) : 0;
			}
			for (int j = 0; j < n; j++) {
				final double c = ctf.value(sx[j], sy[j]), m = c * c;
				sm[band[j]] += m;
				mm[band[j]] += m * m;
				sv += m * value[j];
				vv += value[j] * (double) value[j];
			}
			double varM = 0;
			for (int b = 0; b < sm.length; b++)
				if (bandCount[b] > 0) varM += mm[b] - sm[b] * sm[b] / bandCount[b];
			return varM > 0 && vv > 0 ? sv / Math.sqrt(varM * vv) : 0;
		}

		/**
		 * The spectrum averaged along the fitted CTF's rings: each element at the radius with the same defocus term
		 * at the mean defocus (f·√(Δf(θ)/Δf_mean)), in bins of one tile pixel, beside CTF² at the mean defocus.
		 */
		double[][] equiphase(final Ctf ctf) {
			final int tile = spectrum.tile, hx = Fft.halfWidth(tile), bins = tile / 2;
			final double unit = 1 / (tile * s.pixelSize), mean = (ctf.defocusU() + ctf.defocusV()) / 2;
			final double[] sum = new double[bins], count = new double[bins];
			for (int i = 1; i < hx * tile; i++) {
				final double fx = (i % hx) * unit, fy = Fft.frequency(i / hx, tile) * unit;
				final double f = Math.hypot(fx, fy) * Math.sqrt(Math.max(0, ctf.defocus(Math.atan2(fy, fx)) / mean));
				final int b = (int) Math.round(f / unit);
				if (b < bins) {
					sum[b] += spectrum.normalised[i];
					count[b]++;
				}
			}
			final Ctf round = new Ctf(ctf.voltage(), ctf.sphericalAberration(), ctf.amplitudeContrast(), mean, mean, 0, ctf
				.phaseShift(), 0, 1);
			final double[][] out = new double[3][bins];
			for (int b = 0; b < bins; b++) {
				out[0][b] = b * unit;
				out[1][b] = count[b] > 0 ? sum[b] / count[b] : 0;
				final double c = round.value(b * unit, 0);
				out[2][b] = c * c;
			}
			return out;
		}

		/** tile × tile, zero frequency at the centre: the left half the spectrum, the right half the fitted CTF². */
		float[] diagnostic(final Ctf ctf) {
			final int tile = spectrum.tile, hx = Fft.halfWidth(tile), c = tile / 2;
			final double unit = 1 / (tile * s.pixelSize);
			final float[] out = new float[tile * tile];
			for (int y = 0; y < tile; y++)
				for (int x = 0; x < tile; x++) {
					final int kx = x - c, ky = y - c;
					if (x < c) {
						// Hermitian: the stored element of (−kx, −ky)
						final float v = spectrum.normalised[Fft.index(-ky, tile) * hx - kx];
						out[y * tile + x] = Math.max(-3, Math.min(3, v));
					}
					else {
						final double v = ctf.value(kx * unit, ky * unit);
						out[y * tile + x] = (float) (2 * (v * v - 0.5));
					}
				}
			return out;
		}
	}
}

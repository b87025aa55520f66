package org.vitreous.picking;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.vitreous.compute.Parallel;
import org.vitreous.ctf.Ctf;
import org.vitreous.fourier.Fft;
import org.vitreous.fourier.FourierFilters;

/**
 * Blob picking with the scale-normalised Laplacian of Gaussian, as relion_autopick --LoG picks: the micrograph's
 * outlier pixels replaced by its mean, optionally phase-flipped, Fourier-binned so that the smallest diameter
 * spans about {@link #WORKING_DIAMETER} pixels, then filtered with σ²∇²G at diameters from the smallest to the
 * largest asked for (σ = radius/√2, where a disc's response peaks). Each diameter's response is made a robust
 * z-score against its own median and spread over the micrograph, so that noise is alike at every diameter and a
 * pick's figure of merit (the best z over the diameters) means the same on every micrograph, which lets one default
 * threshold serve. Local maxima above the threshold are taken greedily by score, none within the minimum distance
 * of one taken before, none within the edge margin; a maximum that responds more strongly at a fraction of the
 * smallest diameter (a dot) or at a multiple of the largest (an ice blob, an aggregate) is left out, and, where asked, so is one
 * whose local mean or standard deviation is an outlier among the micrograph's picks (ice, carbon). Pure, and the
 * same whatever the number of threads.
 */
public final class LogPicker {

	/** Pixels across the smallest diameter after binning. */
	public static final double WORKING_DIAMETER = 16;

	/**
	 * The blob smaller than the particles is seen at this fraction of the smallest diameter, and rejected where it
	 * responds more than SMALLER_MARGIN times as strongly there as at the particles' diameters: a particle's response
	 * is broad (at half its diameter it still reaches nearly its best, measured on simulated ribosomes), a dot's is
	 * not. The blob larger than the particles is seen at LARGER times the largest diameter.
	 */
	private static final double SMALLER = 0.4, SMALLER_MARGIN = 1.2, LARGER = 2.5;

	/** Largest ratio between neighbouring diameters of the scale space. */
	private static final double SCALE_STEP = 1.15;

	/** Picking settings: the names are the pick-particles command's options. */
	public static final class Settings {
		/** Smallest particle diameter, Å. */
		public double diameterMin = 150;
		/** Largest particle diameter, Å. */
		public double diameterMax = 250;
		/** Figure of merit (robust z-score of the blob response) a pick needs. */
		public double threshold = 4.5;
		/** Closest two picks may be, Å; 0 or less: the smallest diameter. */
		public double minDistance = 0;
		/** Picks closer than this to the micrograph's edge are left out, Å; negative: half the largest diameter. */
		public double edgeMargin = -1;
		/** Particles lighter than the background (the micrograph's contrast inverted). */
		public boolean invert = false;
		/** Phase-flip the micrograph with its CTF before filtering. */
		public boolean ctfCorrect = false;
		/**
		 * Robust z-score of a pick's local mean or standard deviation, among the micrograph's picks, above which it is
		 * rejected as ice or carbon; 0: no rejection, the default, since where noise picks outnumber particles (a low
		 * threshold) the particles themselves are the outliers (measured on simulated micrographs).
		 */
		public double outlierLimit = 0;

		/** Refuses settings that mean nothing, naming the option. */
		public void check() {
			if (!(diameterMin > 0) || !(diameterMax >= diameterMin)) throw new IllegalArgumentException(
				"--diameter-min " + diameterMin + " and --diameter-max " + diameterMax + ": need 0 < min <= max (Å)");
			if (!Double.isFinite(threshold)) throw new IllegalArgumentException("--threshold must be a number");
		}

		double minDistanceAngstrom() {
			return minDistance > 0 ? minDistance : diameterMin;
		}

		double edgeMarginAngstrom() {
			return edgeMargin >= 0 ? edgeMargin : diameterMax / 2;
		}
	}

	/** One pick: centre in pixels of the full micrograph, figure of merit, best diameter (Å). */
	public record Pick(double x, double y, double score, double diameter) {}

	/**
	 * Every pick kept, best first; the binned micrograph the picks were found on (for overviews), its binning (full
	 * pixels per binned pixel) and the full micrograph's pixel size (Å); the maxima left out for their scale and as
	 * outliers.
	 */
	public record Result(List<Pick> picks, float[] preview, int previewWidth, int previewHeight, double binning,
		double pixelSize, int rejectedScale, int rejectedOutlier)
	{}

	private LogPicker() {}

	/**
	 * Picks one micrograph.
	 *
	 * @param ctf the micrograph's CTF, used only where {@link Settings#ctfCorrect} asks
	 */
	public static Result pick(final float[] micrograph, final int width, final int height, final double pixelSize,
		final Ctf ctf, final Settings s)
	{
		s.check();
		if (micrograph.length != (long) width * height) throw new IllegalArgumentException(micrograph.length
			+ " pixels do not make a " + width + " x " + height + " micrograph");
		final float[] clean = withoutOutliers(micrograph);
		// bin so that the smallest diameter spans WORKING_DIAMETER pixels (never enlarge)
		final double bin = Math.max(1, s.diameterMin / pixelSize / WORKING_DIAMETER);
		final int w = Math.max(8, (int) Math.round(width / bin) & ~1), h = Math.max(8, (int) Math.round(height / bin)
			& ~1);
		float[] f = Fft.forward(clean, width, height, 1);
		if (s.ctfCorrect && ctf != null) ctf.phaseFlip(f, width, height, pixelSize);
		f = FourierFilters.resize(f, width, height, 1, w, h, 1);
		final double sx = (double) width / w, sy = (double) height / h; // full-micrograph pixels per working pixel
		final double workPixel = pixelSize * Math.sqrt(sx * sy);
		// the scale space: diameters geometric from dmin to dmax (dots and large blobs are told apart below, at
		// SMALLER × dmin and LARGER × dmax)
		final int inner = Math.max(1, (int) Math.ceil(Math.log(s.diameterMax / s.diameterMin) / Math.log(SCALE_STEP)));
		final double[] diameters = new double[inner + 1];
		for (int i = 0; i <= inner; i++)
			diameters[i] = s.diameterMin * Math.pow(s.diameterMax / s.diameterMin, (double) i / inner);
		final float[] best = new float[w * h];
		Arrays.fill(best, Float.NEGATIVE_INFINITY);
		final byte[] scale = new byte[w * h];
		final float[] spectrum = f;
		final float sign = s.invert ? -1 : 1;
		for (int i = 0; i <= inner; i++) {
			final float[] z = response(spectrum, w, h, diameters[i] / workPixel, sign);
			final int index = i;
			Parallel.forRange(h, (start, end) -> {
				for (int p = start * w; p < end * w; p++)
					if (z[p] > best[p]) {
						best[p] = z[p];
						scale[p] = (byte) index;
					}
			});
		}
		final float[] smaller = response(spectrum, w, h, s.diameterMin * SMALLER / workPixel, sign);
		final float[] larger = response(spectrum, w, h, s.diameterMax * LARGER / workPixel, sign);
		final float[] preview = Fft.inverse(spectrum, w, h, 1);
		// local maxima above the threshold, best first
		final List<int[]> candidates = new ArrayList<>();
		final double margin = s.edgeMarginAngstrom() / workPixel;
		for (int y = 1; y < h - 1; y++)
			for (int x = 1; x < w - 1; x++) {
				final int p = y * w + x;
				final float v = best[p];
				if (v < s.threshold || x < margin || y < margin || x >= w - margin || y >= h - margin) continue;
				if (v < best[p - 1] || v < best[p + 1] || v < best[p - w] || v < best[p + w] || v < best[p - w - 1]
					|| v < best[p - w + 1] || v < best[p + w - 1] || v < best[p + w + 1])
					continue;
				candidates.add(new int[] { p });
			}
		candidates.sort((a, b) -> {
			final int c = Float.compare(best[b[0]], best[a[0]]);
			return c != 0 ? c : Integer.compare(a[0], b[0]);
		});
		final double minDistance = s.minDistanceAngstrom() / workPixel;
		final List<int[]> kept = new ArrayList<>();
		final int cell = Math.max(1, (int) Math.ceil(minDistance));
		final int gw = w / cell + 1, gh = h / cell + 1;
		final List<List<int[]>> grid = new ArrayList<>(gw * gh);
		for (int i = 0; i < gw * gh; i++)
			grid.add(null);
		int rejectedScale = 0;
		for (final int[] c : candidates) {
			final int p = c[0], x = p % w, y = p / w;
			final int gx = x / cell, gy = y / cell;
			boolean near = false;
			for (int yy = Math.max(0, gy - 1); yy <= Math.min(gh - 1, gy + 1) && !near; yy++)
				for (int xx = Math.max(0, gx - 1); xx <= Math.min(gw - 1, gx + 1) && !near; xx++) {
					final List<int[]> in = grid.get(yy * gw + xx);
					if (in != null) for (final int[] o : in) {
						final int ox = o[0] % w, oy = o[0] / w;
						if ((double) (ox - x) * (ox - x) + (double) (oy - y) * (oy - y) < minDistance * minDistance) {
							near = true;
							break;
						}
					}
				}
			if (near) continue;
			// the blob suppresses its neighbours whatever its scale, so that a large blob's rim is not picked after it
			if (grid.get(gy * gw + gx) == null) grid.set(gy * gw + gx, new ArrayList<>());
			grid.get(gy * gw + gx).add(c);
			if (smaller[p] > SMALLER_MARGIN * best[p] || larger[p] > best[p]) {
				rejectedScale++;
				continue;
			}
			kept.add(c);
		}
		// ice and carbon, where asked: picks whose surroundings are unlike the other picks' surroundings
		final boolean[] outlier = new boolean[kept.size()];
		int rejectedOutlier = 0;
		if (s.outlierLimit > 0 && kept.size() >= 8) {
			final double[][] local = new double[kept.size()][];
			for (int k = 0; k < kept.size(); k++) {
				final int p = kept.get(k)[0];
				local[k] = localStatistics(preview, w, h, p % w, p / w, diameters[scale[p]] / workPixel);
			}
			for (int m = 0; m < 2; m++) {
				final double[] values = new double[kept.size()];
				for (int k = 0; k < values.length; k++)
					values[k] = local[k][m];
				final double[] st = robust(values);
				for (int k = 0; k < values.length; k++)
					if (Math.abs(values[k] - st[0]) > s.outlierLimit * st[1]) outlier[k] = true;
			}
		}
		final List<Pick> picks = new ArrayList<>();
		for (int k = 0; k < kept.size(); k++) {
			if (outlier[k]) {
				rejectedOutlier++;
				continue;
			}
			final int p = kept.get(k)[0], x = p % w, y = p / w;
			final double dx = vertex(best[p - 1], best[p], best[p + 1]), dy = vertex(best[p - w], best[p], best[p + w]);
			picks.add(new Pick((x + dx) * sx, (y + dy) * sy, best[p], diameters[scale[p]]));
		}
		return new Result(picks, preview, w, h, Math.sqrt(sx * sy), pixelSize, rejectedScale, rejectedOutlier);
	}

	/**
	 * The blob response at one diameter (working pixels): the micrograph filtered with σ²∇²G_σ, σ = radius/√2, as
	 * robust z-scores against the response's own median and spread over the micrograph.
	 */
	private static float[] response(final float[] spectrum, final int w, final int h, final double diameter,
		final float sign)
	{
		final float[] r = Fft.inverse(logFilter(spectrum, w, h, diameter / 2 / Math.sqrt(2), sign), w, h, 1);
		final double[] st = robust(r);
		final float mid = (float) st[0], spread = (float) st[1];
		for (int p = 0; p < r.length; p++)
			r[p] = (r[p] - mid) / spread;
		return r;
	}

	/** The spectrum times σ²∇²G_σ (sign +1: dark blobs respond positively), as a new half-complex array. */
	private static float[] logFilter(final float[] f, final int w, final int h, final double sigma, final float sign) {
		final int hx = Fft.halfWidth(w);
		final float[] out = new float[f.length];
		final double a = 2 * Math.PI * Math.PI * sigma * sigma, b = 4 * Math.PI * Math.PI * sigma * sigma;
		for (int y = 0; y < h; y++) {
			final double ky = (double) Fft.frequency(y, h) / h;
			for (int x = 0; x < hx; x++) {
				final double kx = (double) x / w, k2 = kx * kx + ky * ky;
				// ∇² → −4π²k²: a dark blob (negative at low frequency) gives a positive response
				final float g = (float) (-sign * b * k2 * Math.exp(-a * k2));
				final int i = 2 * (y * hx + x);
				out[i] = f[i] * g;
				out[i + 1] = f[i + 1] * g;
			}
		}
		return out;
	}

	/** Mean and standard deviation of the working image inside the blob's disc. */
	private static double[] localStatistics(final float[] image, final int w, final int h, final int cx, final int cy,
		final double diameter)
	{
		final double r = diameter / 2;
		double sum = 0, sq = 0;
		int n = 0;
		for (int y = (int) Math.max(0, cy - r); y <= Math.min(h - 1, cy + r); y++)
			for (int x = (int) Math.max(0, cx - r); x <= Math.min(w - 1, cx + r); x++) {
				if ((x - cx) * (x - cx) + (y - cy) * (y - cy) > r * r) continue;
				final double v = image[y * w + x];
				sum += v;
				sq += v * v;
				n++;
			}
		final double mean = sum / n;
		return new double[] { mean, Math.sqrt(Math.max(0, sq / n - mean * mean)) };
	}

	/** The offset (−½ to ½) of a parabola's vertex through three samples around a maximum. */
	private static double vertex(final double left, final double centre, final double right) {
		final double d = left - 2 * centre + right;
		if (d >= 0) return 0;
		return Math.max(-0.5, Math.min(0.5, 0.5 * (left - right) / d));
	}

	/** Pixels beyond 4 standard deviations of the mean replaced by the mean (hot pixels, dead lines, dust). */
	static float[] withoutOutliers(final float[] image) {
		double sum = 0, sq = 0;
		for (final float v : image) {
			sum += v;
			sq += (double) v * v;
		}
		final double mean = sum / image.length, sd = Math.sqrt(Math.max(0, sq / image.length - mean * mean));
		final float[] out = image.clone();
		for (int i = 0; i < out.length; i++)
			if (Math.abs(out[i] - mean) > 4 * sd) out[i] = (float) mean;
		return out;
	}

	/** {median, 1.4826 × median absolute deviation} of a sample of the values (every one up to 65536). */
	private static double[] robust(final float[] values) {
		final int step = Math.max(1, values.length / 65536);
		final double[] d = new double[(values.length + step - 1) / step];
		for (int i = 0, k = 0; i < values.length; i += step)
			d[k++] = values[i];
		return robust(d);
	}

	private static double[] robust(final double[] values) {
		final double[] v = values.clone();
		Arrays.sort(v);
		final double median = v[v.length / 2];
		for (int i = 0; i < v.length; i++)
			v[i] = Math.abs(v[i] - median);
		Arrays.sort(v);
		final double mad = 1.4826 * v[v.length / 2];
		return new double[] { median, mad > 0 ? mad : 1e-12 };
	}
}

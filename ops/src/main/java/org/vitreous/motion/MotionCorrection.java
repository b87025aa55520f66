package org.vitreous.motion;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import org.vitreous.Progress;
import org.vitreous.compute.Parallel;
import org.vitreous.fourier.Fft;
import org.vitreous.fourier.FourierFilters;
import org.vitreous.io.SectionSource;

/**
 * Beam-induced motion correction of one movie: whole-frame alignment ({@link FrameAlignment}), then optionally
 * patch alignment of the aligned frames and the 18-term polynomial local model fitted to it
 * ({@link LocalMotion}), then the aligned sum, with and without exposure weighting ({@link DoseWeighting}).
 * Gain is applied and hot pixels are replaced (by the mean of their neighbours) before anything else. Frames are
 * read through the movie, kept in memory when they fit in a quarter of the heap and read again otherwise, so a
 * movie of any length is corrected in memory of a few frames plus its low-frequency spectra.
 */
public final class MotionCorrection {

	/** How to correct. */
	public static final class Settings {
		public final FrameAlignment.Settings alignment;

		public Settings() {
			this(new FrameAlignment.Settings());
		}

		private Settings(final FrameAlignment.Settings alignment) {
			this.alignment = alignment;
		}

		/** Patches per axis for local alignment; below 2, whole-frame alignment only. */
		public int patchesX = 1, patchesY = 1;
		/** Frames summed before alignment (for low dose per frame); shifts are interpolated between group centres. */
		public int groupFrames = 1;
		/** Weight the frames by exposure in the sum (needs the dose, pixel size and voltage). */
		public boolean doseWeighting = false;
		/** e/Å² per frame, and before the first frame. */
		public double dosePerFrame = 1, preExposure = 0;
		/** Å/px of the movie, and kV (for the exposure weights). */
		public double pixelSize = 1, voltage = 300;
		/**
		 * A pixel of the unaligned sum above the median by this many robust standard deviations is hot
		 * ({@link MotionCorrection#hotPixels}); 0 to keep them all.
		 */
		public double hotPixelSigma = 10;
		/**
		 * The tile (px) of the amplitude spectrum written beside each sum for CTF estimation ({@code NAME_PS.mrc},
		 * rlnCtfPowerSpectrum); 0 to write none.
		 */
		public int spectrumTile = 512;

		/** An independent copy (the job gives each optics group its own pixel size and voltage). */
		public Settings copy() {
			final Settings c = new Settings(alignment.copy());
			c.patchesX = patchesX;
			c.patchesY = patchesY;
			c.groupFrames = groupFrames;
			c.doseWeighting = doseWeighting;
			c.dosePerFrame = dosePerFrame;
			c.preExposure = preExposure;
			c.pixelSize = pixelSize;
			c.voltage = voltage;
			c.hotPixelSigma = hotPixelSigma;
			c.spectrumTile = spectrumTile;
			return c;
		}
	}

	/**
	 * The correction: per frame the whole-frame shift (px, RELION's sign, frame 1 at 0); the local model (null
	 * for whole-frame alignment, or when too few patches aligned); the patch shifts measured (for the record); the
	 * hot pixels replaced (pixel indices, y·width + x); the aligned sum; and the exposure-weighted sum (null without weighting).
	 */
	public record Result(int width, int height, int frames, double[] shiftX, double[] shiftY, boolean converged,
		LocalMotion local, List<LocalMotion.Observation> patchShifts, int[] hotPixels, float[] sum, float[] weightedSum)
	{}

	private MotionCorrection() {}

	/**
	 * Corrects {@code movie}; {@code gain} (width × height, multiplied into every frame) may be null, and
	 * {@code defects} (pixel indices, y·width + x) are replaced like hot pixels.
	 */
	public static Result correct(final SectionSource movie, final float[] gain, final int[] defects, final Settings s,
		final Progress progress) throws IOException
	{
		final int nx = movie.width(), ny = movie.height(), frames = movie.sections();
		if (frames < 2) throw new IllegalArgumentException("a movie of " + frames + " frame has nothing to align");
		if (gain != null && gain.length != nx * ny) throw new IllegalArgumentException("a gain reference of "
			+ gain.length + " pixels for frames of " + nx + " x " + ny);
		if (s.groupFrames < 1 || frames / s.groupFrames < 2) throw new IllegalArgumentException("groups of "
			+ s.groupFrames + " frames leave fewer than 2 of " + frames + " frames to align");
		final MovieFrames source = new MovieFrames(movie, gain);
		// 1: hot pixels, from the unaligned sum
		final float[] raw = new float[nx * ny];
		for (int k = 0; k < frames; k++) {
			progress.checkCancelled();
			final float[] f = source.read(k);
			for (int i = 0; i < raw.length; i++)
				raw[i] += f[i];
		}
		source.setHot(union(s.hotPixelSigma > 0 ? hotPixels(raw, nx, s.hotPixelSigma) : new int[0], defects));
		// 2: whole-frame alignment on the low frequencies of every frame (or group)
		final FrameSpectra spectra = new FrameSpectra(nx, ny, FrameAlignment.maxFrequency(s.alignment.bFactor),
			frames);
		final int chunk = Parallel.threads();
		for (int start = 0; start < frames; start += chunk) {
			progress.checkCancelled();
			final int first = start, m = Math.min(chunk, frames - start);
			final float[][] read = new float[m][];
			for (int i = 0; i < m; i++)
				read[i] = source.readFixed(first + i);
			Parallel.forRange(m, (a, b) -> {
				for (int i = a; i < b; i++)
					spectra.set(first + i, source.keep(first + i, Fft.forward(read[i], nx, ny, 1)));
			});
		}
		progress.report(1, 4, "whole-frame alignment");
		final double[][] global = alignGrouped(spectra, s);
		final boolean converged = global[2][0] != 0;
		// 3: local alignment of patches of the aligned frames
		LocalMotion local = null;
		final List<LocalMotion.Observation> observed = new ArrayList<>();
		if (s.patchesX >= 2 && s.patchesY >= 2) {
			progress.report(2, 4, "patch alignment");
			local = localMotion(source, nx, ny, frames, global, s, observed);
		}
		// 4: the sums
		progress.report(3, 4, "summing");
		final DoseWeighting weights = s.doseWeighting ? new DoseWeighting(nx, ny, s.pixelSize, s.voltage,
			DoseWeighting.exposures(frames, s.dosePerFrame, s.preExposure)) : null;
		final float[][] sums = sums(source, nx, ny, frames, global, local, weights, progress);
		progress.report(4, 4, "done");
		return new Result(nx, ny, frames, global[0], global[1], converged, local, observed, source.hot(), sums[0],
			sums[1]);
	}

	/** Whole-frame shifts per frame {x[], y[], {converged}}, aligning groups of frames when asked. */
	private static double[][] alignGrouped(final FrameSpectra spectra, final Settings s) {
		final int frames = spectra.images(), group = s.groupFrames;
		if (group == 1) {
			final FrameAlignment.Shifts a = FrameAlignment.align(spectra, s.alignment);
			return new double[][] { a.x(), a.y(), { a.converged() ? 1 : 0 } };
		}
		final FrameSpectra grouped = spectra.grouped(group);
		final int groups = grouped.images();
		final double[] centres = new double[groups];
		for (int g = 0; g < groups; g++)
			centres[g] = FrameSpectra.groupCentre(g, group, frames);
		final FrameAlignment.Shifts a = FrameAlignment.align(grouped, s.alignment);
		final double[] x = interpolate(centres, a.x(), frames), y = interpolate(centres, a.y(), frames);
		final double x0 = x[0], y0 = y[0];
		for (int k = 0; k < frames; k++) {
			x[k] -= x0;
			y[k] -= y0;
		}
		return new double[][] { x, y, { a.converged() ? 1 : 0 } };
	}

	/** Linear interpolation (and extrapolation at the ends) of values at {@code centres} to frames 0..n−1. */
	static double[] interpolate(final double[] centres, final double[] values, final int n) {
		final double[] out = new double[n];
		for (int k = 0; k < n; k++) {
			int g = 0;
			while (g < centres.length - 2 && k > centres[g + 1])
				g++;
			final double t = (k - centres[g]) / (centres[g + 1] - centres[g]);
			out[k] = values[g] + t * (values[g + 1] - values[g]);
		}
		return out;
	}

	/** The pixels of either list, ascending, once each. */
	static int[] union(final int[] a, final int[] b) {
		return IntStream.concat(Arrays.stream(a), Arrays.stream(b)).sorted()
			.distinct().toArray();
	}

	/**
	 * Hot pixels of the unaligned sum: above the median by more than {@code sigma} robust standard deviations (1.4826
	 * × the median absolute deviation of a sample of 65536 pixels, and at least the Poisson deviation √median), as
	 * pixel indices; and above the mean of its 8 neighbours by as many Poisson deviations, so that a bright patch of
	 * specimen is not taken for hot pixels. RELION's rule, the plain mean and standard deviation with 6 of them, is pulled up by the hot
	 * pixels themselves and at a few counts per pixel flags the tail of the Poisson distribution.
	 */
	static int[] hotPixels(final float[] sum, final int width, final double sigma) {
		final int samples = Math.min(sum.length, 65536);
		final double[] sample = new double[samples];
		final long stride = Math.max(1, sum.length / samples);
		for (int i = 0; i < samples; i++)
			sample[i] = sum[(int) Math.min(sum.length - 1, i * stride)];
		Arrays.sort(sample);
		final double median = sample[samples / 2];
		for (int i = 0; i < samples; i++)
			sample[i] = Math.abs(sample[i] - median);
		Arrays.sort(sample);
		final double sd = Math.max(1.4826 * sample[samples / 2], Math.sqrt(Math.max(1, median)));
		final double limit = median + sigma * sd;
		final List<Integer> hot = new ArrayList<>();
		for (int i = 0; i < sum.length; i++) {
			if (sum[i] <= limit) continue;
			final double around = neighbourMean(sum, width, i);
			if (sum[i] > around + sigma * Math.sqrt(Math.max(1, around))) hot.add(i);
		}
		final int[] out = new int[hot.size()];
		for (int i = 0; i < out.length; i++)
			out[i] = hot.get(i);
		return out;
	}

	/** The mean of the pixels around pixel i (those inside the image). */
	private static double neighbourMean(final float[] image, final int width, final int i) {
		final int height = image.length / width, x = i % width, y = i / width;
		double sum = 0;
		int n = 0;
		for (int dy = -1; dy <= 1; dy++)
			for (int dx = -1; dx <= 1; dx++) {
				final int xx = x + dx, yy = y + dy;
				if ((dx != 0 || dy != 0) && xx >= 0 && yy >= 0 && xx < width && yy < height) {
					sum += image[yy * width + xx];
					n++;
				}
			}
		return n > 0 ? sum / n : 0;
	}

	/** Patch shifts of the globally aligned frames, and the local model fitted to them (null if too few aligned). */
	private static LocalMotion localMotion(final MovieFrames source, final int nx, final int ny, final int frames,
		final double[][] global, final Settings s, final List<LocalMotion.Observation> observed) throws IOException
	{
		final int px = s.patchesX, py = s.patchesY;
		final int pw = nx / px & ~1, ph = ny / py & ~1;
		final double fmax = FrameAlignment.maxFrequency(s.alignment.bFactor);
		final FrameSpectra[] patches = new FrameSpectra[px * py];
		for (int p = 0; p < patches.length; p++)
			patches[p] = new FrameSpectra(pw, ph, fmax, frames);
		for (int k = 0; k < frames; k++) {
			final float[] aligned = globallyAligned(source, k, nx, ny, global);
			final int frame = k;
			Parallel.forRange(patches.length, (a, b) -> {
				for (int p = a; p < b; p++) {
					final int x0 = p % px * pw + (nx - px * pw) / 2, y0 = p / px * ph + (ny - py * ph) / 2;
					final float[] cut = new float[pw * ph];
					for (int y = 0; y < ph; y++)
						System.arraycopy(aligned, (y0 + y) * nx + x0, cut, y * pw, pw);
					patches[p].set(frame, Fft.forward(cut, pw, ph, 1));
				}
			});
		}
		final List<List<LocalMotion.Observation>> byPatch = new ArrayList<>();
		final FrameAlignment.Settings patchSettings = new FrameAlignment.Settings();
		patchSettings.bFactor = s.alignment.bFactor;
		patchSettings.tolerance = s.alignment.tolerance;
		patchSettings.maxIterations = s.alignment.maxIterations;
		// the whole-frame shifts are removed already: what is left is small
		patchSettings.searchRange = Math.min(s.alignment.searchRange, Math.max(8, Math.min(pw, ph) / 8.0));
		for (int p = 0; p < patches.length; p++) {
			final FrameSpectra grouped = groupedPatch(patches[p], s.groupFrames);
			final FrameAlignment.Shifts a = FrameAlignment.align(grouped, patchSettings);
			if (!a.converged()) continue;
			final double cx = (p % px * pw + (nx - px * pw) / 2 + pw / 2.0) / nx - 0.5;
			final double cy = (p / px * ph + (ny - py * ph) / 2 + ph / 2.0) / ny - 0.5;
			final List<LocalMotion.Observation> list = new ArrayList<>();
			for (int g = 0; g < grouped.images(); g++)
				list.add(new LocalMotion.Observation(FrameSpectra.groupCentre(g, s.groupFrames, frames), cx, cy, a.x()[g], a
					.y()[g]));
			byPatch.add(list);
			observed.addAll(list);
		}
		if (byPatch.size() < 3 || observed.size() <= 2 * LocalMotion.TERMS) return null;
		final LocalMotion.Fit fit = LocalMotion.robustFit(byPatch);
		// keep the model only where it explains the patch trajectories significantly better than no local motion (an
		// F test at 4, each trajectory about its mean): a model fitted to noise would only add that noise
		double none = 0, residual = 0;
		int n = 0;
		for (int p = 0; p < byPatch.size(); p++) {
			if (!fit.kept()[p]) continue;
			final List<LocalMotion.Observation> patch = byPatch.get(p);
			none += Math.pow(LocalMotion.none().relativeMisfit(patch), 2) * patch.size();
			residual += Math.pow(fit.model().relativeMisfit(patch), 2) * patch.size();
			n += 2 * (patch.size() - 1);
		}
		final int terms = 2 * LocalMotion.TERMS;
		final double f = n > terms && residual > 0 ? (none - residual) / terms / (residual / (n - terms)) : 0;
		return f >= 4 ? fit.model() : null;
	}

	private static FrameSpectra groupedPatch(final FrameSpectra patch, final int group) {
		return group == 1 ? patch : patch.grouped(group);
	}

	/** Frame k with hot pixels fixed and its whole-frame shift applied. */
	private static float[] globallyAligned(final MovieFrames source, final int k, final int nx, final int ny,
		final double[][] global) throws IOException
	{
		final float[] f = source.transform(k);
		FourierFilters.shift(f, nx, ny, 1, global[0][k], global[1][k], 0);
		return Fft.inverseDestroying(f, nx, ny, 1, new float[nx * ny]);
	}

	/** The aligned sum and, with weights, the exposure-weighted one (else null). */
	private static float[][] sums(final MovieFrames source, final int nx, final int ny, final int frames,
		final double[][] global, final LocalMotion local, final DoseWeighting weights, final Progress progress)
		throws IOException
	{
		if (local == null) {
			// whole-frame shifts only: sum in Fourier space (shift, weight and add in one pass) and invert once
			final float[] sum = new float[Fft.length(nx, ny, 1)], weighted = weights == null ? null : new float[sum.length];
			final DoseWeighting.Running running = weights == null ? null : weights.running();
			for (int k = 0; k < frames; k++) {
				progress.checkCancelled();
				accumulate(source.transform(k), nx, ny, global[0][k], global[1][k], sum, weighted, running == null ? null
					: running.weights());
				if (running != null) running.next();
			}
			return new float[][] { Fft.inverse(sum, nx, ny, 1), weighted == null ? null : Fft.inverse(weighted, nx, ny,
				1) };
		}
		final float[] sum = new float[nx * ny], weighted = weights == null ? null : new float[nx * ny];
		final DoseWeighting.Running running = weights == null ? null : weights.running();
		for (int k = 0; k < frames; k++) {
			progress.checkCancelled();
			final float[] f = source.transform(k);
			FourierFilters.shift(f, nx, ny, 1, global[0][k], global[1][k], 0);
			if (weighted != null) {
				final float[] w = f.clone();
				final double[] frameWeights = running.weights();
				Parallel.forRange(frameWeights.length, (a, b) -> {
					for (int i = a; i < b; i++) {
						w[2 * i] *= (float) frameWeights[i];
						w[2 * i + 1] *= (float) frameWeights[i];
					}
				});
				running.next();
				Warp.add(Fft.inverse(w, nx, ny, 1), nx, ny, local, k, weighted);
			}
			Warp.add(Fft.inverse(f, nx, ny, 1), nx, ny, local, k, sum);
		}
		return new float[][] { sum, weighted };
	}

	/**
	 * Adds the transform moved by (dx, dy) px to {@code sum} and, with weights, its exposure-weighted copy to
	 * {@code weighted}: one pass over the frame.
	 */
	private static void accumulate(final float[] f, final int nx, final int ny, final double dx, final double dy,
		final float[] sum, final float[] weighted, final double[] weights)
	{
		final int hx = Fft.halfWidth(nx);
		final double[] px = FourierFilters.phases(hx, nx, dx, true), py = FourierFilters.phases(ny, ny, dy, false);
		Parallel.forRange(ny, (start, end) -> {
			for (int y = start; y < end; y++) {
				final double cy = py[2 * y], sy = py[2 * y + 1];
				for (int x = 0, i = y * hx; x < hx; x++, i++) {
					final double c = px[2 * x] * cy - px[2 * x + 1] * sy, sn = px[2 * x] * sy + px[2 * x + 1] * cy;
					final double re = f[2 * i] * c - f[2 * i + 1] * sn, im = f[2 * i] * sn + f[2 * i + 1] * c;
					sum[2 * i] += (float) re;
					sum[2 * i + 1] += (float) im;
					if (weighted != null) {
						final double w = weights[i];
						weighted[2 * i] += (float) (w * re);
						weighted[2 * i + 1] += (float) (w * im);
					}
				}
			}
		});
	}
}

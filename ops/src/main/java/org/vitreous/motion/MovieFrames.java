package org.vitreous.motion;

import java.io.IOException;
import java.util.BitSet;

import org.vitreous.fourier.Fft;
import org.vitreous.io.SectionSource;

/**
 * A movie's frames, gain applied, kept in memory when they fit in a quarter of the heap: first as read, then,
 * once the hot pixels are known, as their transforms (hot pixels fixed), which every later pass starts from.
 */
final class MovieFrames {
	final SectionSource movie;
	final float[] gain;
	final float[][] cache, transforms;
	private int[] hot = new int[0];
	private BitSet bad = new BitSet();

	MovieFrames(final SectionSource movie, final float[] gain) {
		this.movie = movie;
		this.gain = gain;
		final double bytes = 4.0 * (movie.width() + 2) * movie.height() * movie.sections();
		final boolean fits = bytes < Runtime.getRuntime().maxMemory() / 4;
		cache = fits ? new float[movie.sections()][] : null;
		transforms = fits ? new float[movie.sections()][] : null;
	}

	/** The hot pixels (indices) that {@link #readFixed} replaces. */
	void setHot(final int[] pixels) {
		hot = pixels.clone();
		bad = new BitSet(movie.width() * movie.height());
		for (final int i : hot)
			bad.set(i);
	}

	int[] hot() {
		return hot.clone();
	}

	float[] read(final int k) throws IOException {
		if (cache != null && cache[k] != null) return cache[k];
		final float[] f;
		synchronized (movie) {
			f = movie.readSection(k);
		}
		if (gain != null) for (int i = 0; i < f.length; i++)
			f[i] *= gain[i];
		if (cache != null) cache[k] = f;
		return f;
	}

	/** Keeps frame k's transform (hot pixels fixed) in place of the frame as read, when they fit; returns it. */
	float[] keep(final int k, final float[] transform) {
		if (transforms != null) {
			transforms[k] = transform;
			cache[k] = null;
		}
		return transform;
	}

	/** Frame k's transform, hot pixels fixed (a copy the caller may change). */
	float[] transform(final int k) throws IOException {
		if (transforms != null && transforms[k] != null) return transforms[k].clone();
		return Fft.forward(readFixed(k), movie.width(), movie.height(), 1);
	}

	/**
	 * Frame k with its hot pixels replaced by the mean of the cool ones among their 24 neighbours, or, inside a
	 * defect region with none, by the mean of the frame's cool pixels (a copy).
	 */
	float[] readFixed(final int k) throws IOException {
		final float[] f = read(k).clone();
		if (hot.length == 0) return f;
		final int nx = movie.width(), ny = movie.height();
		float coolMean = Float.NaN; // found only for a pixel with no cool neighbour (inside a large defect)
		for (final int i : hot) {
			final int x = i % nx, y = i / nx;
			double sum = 0;
			int n = 0;
			for (int dy = -2; dy <= 2; dy++)
				for (int dx = -2; dx <= 2; dx++) {
					final int xx = x + dx, yy = y + dy;
					if (xx < 0 || yy < 0 || xx >= nx || yy >= ny || bad.get(yy * nx + xx)) continue;
					sum += f[yy * nx + xx];
					n++;
				}
			if (n == 0 && Float.isNaN(coolMean)) coolMean = coolMean(f);
			f[i] = n > 0 ? (float) (sum / n) : coolMean;
		}
		return f;
	}

	/** The mean of the frame's cool pixels, as read. */
	private float coolMean(final float[] frame) {
		double sum = 0;
		for (int i = 0; i < frame.length; i++)
			if (!bad.get(i)) sum += frame[i];
		return (float) (sum / Math.max(1, frame.length - hot.length));
	}
}

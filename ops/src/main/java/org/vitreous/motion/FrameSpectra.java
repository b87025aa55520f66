package org.vitreous.motion;

import org.vitreous.fourier.Fft;

/**
 * The low-frequency Fourier coefficients of a stack of images of one size (movie frames, or one patch of them):
 * every half-complex element whose frequency lies within {@code maxFrequency} cycles/px, for each image. Frame
 * alignment needs no more: its B-factor weight leaves nothing beyond, and keeping only these holds a 4k movie's
 * frames in a few hundred megabytes rather than gigabytes.
 */
public final class FrameSpectra {

	final int nx, ny;
	/** Integer frequencies of each point (x ≥ 0, y signed). */
	final int[] fx, fy;
	/** 2 for a point whose conjugate (−kx, −ky) is not stored (x > 0 and below Nyquist), else 1. */
	final float[] multiplicity;
	/** Per image: (re, im) of each point. */
	final float[][] values;

	/** Room for {@code images} images of nx × ny, keeping frequencies up to {@code maxFrequency} cycles/px. */
	public FrameSpectra(final int nx, final int ny, final double maxFrequency, final int images) {
		this.nx = nx;
		this.ny = ny;
		final int hx = Fft.halfWidth(nx);
		int count = 0;
		for (int y = 0; y < ny; y++)
			for (int x = 0; x < hx; x++)
				if (inside(x, y, maxFrequency)) count++;
		fx = new int[count];
		fy = new int[count];
		multiplicity = new float[count];
		int i = 0;
		for (int y = 0; y < ny; y++)
			for (int x = 0; x < hx; x++)
				if (inside(x, y, maxFrequency)) {
					fx[i] = x;
					fy[i] = Fft.frequency(y, ny);
					multiplicity[i] = x == 0 || 2 * x == nx ? 1 : 2;
					i++;
				}
		values = new float[images][];
	}

	private boolean inside(final int x, final int y, final double maxFrequency) {
		final double kx = x / (double) nx, ky = Fft.frequency(y, ny) / (double) ny;
		return kx * kx + ky * ky <= maxFrequency * maxFrequency;
	}

	/** Keeps image {@code image}'s coefficients from its half-complex transform (nx × ny). */
	public void set(final int image, final float[] transform) {
		final int hx = Fft.halfWidth(nx);
		if (transform.length != 2 * hx * ny) throw new IllegalArgumentException("a transform of " + transform.length
			+ " floats for images of " + nx + " x " + ny);
		final float[] v = new float[2 * fx.length];
		for (int i = 0; i < fx.length; i++) {
			final int e = 2 * (Fft.index(fy[i], ny) * hx + fx[i]);
			v[2 * i] = transform[e];
			v[2 * i + 1] = transform[e + 1];
		}
		values[image] = v;
	}

	private FrameSpectra(final FrameSpectra points, final int images) {
		nx = points.nx;
		ny = points.ny;
		fx = points.fx;
		fy = points.fy;
		multiplicity = points.multiplicity;
		values = new float[images][];
	}

	/**
	 * The sums of consecutive groups of {@code group} images (the last group takes what is left over), at the same
	 * points: for aligning movies whose single frames hold too few electrons.
	 */
	public FrameSpectra grouped(final int group) {
		final int groups = values.length / group;
		if (groups < 1) throw new IllegalArgumentException("groups of " + group + " from " + values.length + " images");
		final FrameSpectra out = new FrameSpectra(this, groups);
		for (int g = 0; g < groups; g++) {
			final int from = g * group, to = groupEnd(g, group, values.length);
			final float[] v = new float[2 * fx.length];
			for (int k = from; k < to; k++)
				for (int i = 0; i < v.length; i++)
					v[i] += values[k][i];
			out.values[g] = v;
		}
		return out;
	}

	/** The image after the last of group g of {@code group} (the last group takes what is left over). */
	static int groupEnd(final int g, final int group, final int images) {
		return g == images / group - 1 ? images : (g + 1) * group;
	}

	/** The middle of group g, in images: the moment its sum's shift stands for. */
	static double groupCentre(final int g, final int group, final int images) {
		return (g * group + groupEnd(g, group, images) - 1) / 2.0;
	}

	public int images() {
		return values.length;
	}

	public int points() {
		return fx.length;
	}

	public int width() {
		return nx;
	}

	public int height() {
		return ny;
	}
}

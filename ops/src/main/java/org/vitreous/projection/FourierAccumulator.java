package org.vitreous.projection;

import org.vitreous.fourier.Fft;

/**
 * The sums of a Fourier back-projection on the padded grid: the inserted transforms (half-complex P³, layout of
 * {@link Fft}) and the inserted weights (one real value per complex element). Accumulators of the same geometry
 * {@link #merge} by addition, so partitions of a data set can be inserted separately (DESIGN section 9).
 */
public final class FourierAccumulator {

	private final int size, padding;
	private final float[] data, weights;

	public FourierAccumulator(final int size, final int padding) {
		this(size, padding, new float[Fft.length(size * padding, size * padding, size * padding)], new float[Fft
			.length(size * padding, size * padding, size * padding) / 2]);
	}

	public FourierAccumulator(final int size, final int padding, final float[] data, final float[] weights) {
		final int p = size * padding;
		if (data.length != Fft.length(p, p, p) || weights.length != data.length / 2) throw new IllegalArgumentException(
			"accumulator arrays do not match a padded box of " + p);
		this.size = size;
		this.padding = padding;
		this.data = data;
		this.weights = weights;
	}

	public int size() {
		return size;
	}

	public int padding() {
		return padding;
	}

	public int paddedSize() {
		return size * padding;
	}

	public float[] data() {
		return data;
	}

	public float[] weights() {
		return weights;
	}

	/** Adds {@code other}'s sums to this one's. */
	public void merge(final FourierAccumulator other) {
		if (other.size != size || other.padding != padding) throw new IllegalArgumentException("cannot merge a box of "
			+ other.size + " (padding " + other.padding + ") into " + size + " (padding " + padding + ")");
		for (int i = 0; i < data.length; i++)
			data[i] += other.data[i];
		for (int i = 0; i < weights.length; i++)
			weights[i] += other.weights[i];
	}
}

package org.vitreous.projection;

import org.vitreous.compute.Parallel;
import org.vitreous.fourier.Fft;

/**
 * The reference implementation of {@link FourierBackProjector}. Threads own slabs of the padded grid along z and
 * each adds only into its slab, so the sums are deterministic (the same bytes for any number of threads) and need
 * no locks.
 */
final class JavaFourierBackProjector implements FourierBackProjector {

	private final FourierAccumulator sums;
	private final double maxRadius;

	JavaFourierBackProjector(final int size, final int padding, final double maxRadius) {
		this.sums = new FourierAccumulator(size, padding);
		this.maxRadius = maxRadius;
	}

	@Override
	public void insert(final double[][] rotations, final float[] slices, final float[] sliceWeights) {
		final int n = sums.size(), hx = Fft.halfWidth(n), length = FourierProjector.sliceLength(n);
		if (slices.length < (long) rotations.length * length) throw new IllegalArgumentException(slices.length / length
			+ " slices for " + rotations.length + " rotations");
		if (sliceWeights != null && sliceWeights.length < (long) rotations.length * hx * n)
			throw new IllegalArgumentException("too few slice weights for " + rotations.length + " slices");
		final float[] data = sums.data(), weights = sums.weights();
		final double r2max = maxRadius * maxRadius;
		Parallel.forRange(sums.paddedSize(), (zStart, zEnd) -> {
			final Trilinear t = new Trilinear(sums.paddedSize(), sums.padding());
			for (int i = 0; i < rotations.length; i++) {
				for (int y = 0; y < n; y++) {
					final int ky = Fft.frequency(y, n);
					for (int x = 0; x < hx; x++) {
						if ((double) x * x + (double) ky * ky > r2max) continue;
						t.locate(rotations[i], x, ky);
						final int s = i * length + 2 * (y * hx + x);
						final float re = slices[s], im = t.mirrored ? -slices[s + 1] : slices[s + 1];
						final float sw = sliceWeights == null ? 1 : sliceWeights[(i * n + y) * hx + x];
						for (int c = 0; c < t.count; c++) {
							if (t.z[c] < zStart || t.z[c] >= zEnd) continue;
							final int q = t.element[c];
							final float w = t.weight[c];
							data[2 * q] += w * re;
							data[2 * q + 1] += w * im;
							weights[q] += w * sw;
						}
					}
				}
			}
		});
	}

	@Override
	public FourierAccumulator accumulator() {
		return sums;
	}

	@Override
	public void close() {}
}

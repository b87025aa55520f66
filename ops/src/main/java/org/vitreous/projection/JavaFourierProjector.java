package org.vitreous.projection;

import org.vitreous.compute.Parallel;
import org.vitreous.fourier.Fft;

/** The reference implementation of {@link FourierProjector}, multi-threaded over slice rows. */
final class JavaFourierProjector implements FourierProjector {

	private final FourierVolume volume;
	private final double maxRadius;

	JavaFourierProjector(final FourierVolume volume, final double maxRadius) {
		this.volume = volume;
		this.maxRadius = maxRadius;
	}

	@Override
	public int size() {
		return volume.size();
	}

	@Override
	public void project(final double[][] rotations, final float[] slices) {
		final int n = volume.size(), hx = Fft.halfWidth(n), length = FourierProjector.sliceLength(n);
		if (slices.length < (long) rotations.length * length) throw new IllegalArgumentException("room for "
			+ slices.length / length + " slices, not " + rotations.length);
		final float[] v = volume.data();
		final double r2max = maxRadius * maxRadius;
		Parallel.forRange(rotations.length * n, (start, end) -> {
			final Trilinear t = new Trilinear(volume.paddedSize(), volume.padding());
			for (int row = start; row < end; row++) {
				final int i = row / n, y = row % n;
				final int ky = Fft.frequency(y, n);
				final int base = i * length + 2 * y * hx;
				for (int x = 0; x < hx; x++) {
					float re = 0, im = 0;
					if ((double) x * x + (double) ky * ky <= r2max) {
						t.locate(rotations[i], x, ky);
						for (int c = 0; c < t.count; c++) {
							final int q = 2 * t.element[c];
							re += t.weight[c] * v[q];
							im += t.weight[c] * v[q + 1];
						}
						if (t.mirrored) im = -im;
					}
					slices[base + 2 * x] = re;
					slices[base + 2 * x + 1] = im;
				}
			}
		});
	}

	@Override
	public void close() {}
}

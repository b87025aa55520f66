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
		final int p = sums.paddedSize(), hp = Fft.halfWidth(p), pad = sums.padding();
		final float[] data = sums.data(), weights = sums.weights();
		final double r2max = maxRadius * maxRadius;
		Parallel.forRange(p, (zStart, zEnd) -> {
			for (int i = 0; i < rotations.length; i++) {
				final double[] a = rotations[i];
				for (int y = 0; y < n; y++) {
					final int ky = Fft.frequency(y, n);
					for (int x = 0; x < hx; x++) {
						if ((double) x * x + (double) ky * ky > r2max) continue;
						double xp = (a[0] * x + a[3] * ky) * pad, zp = (a[2] * x + a[5] * ky) * pad;
						final boolean mirror = xp < 0;
						if (mirror) {
							xp = -xp;
							zp = -zp;
						}
						// this thread's slab holds neither z plane of the stencil: nothing to add here
						final int z0 = (int) Math.floor(zp);
						final int za = Fft.index(z0, p), zb = Fft.index(z0 + 1, p);
						if ((za < zStart || za >= zEnd) && (zb < zStart || zb >= zEnd)) continue;
						double yp = (a[1] * x + a[4] * ky) * pad;
						if (mirror) yp = -yp;
						final int s = i * length + 2 * (y * hx + x);
						final float re = slices[s], im = mirror ? -slices[s + 1] : slices[s + 1];
						final float sw = sliceWeights == null ? 1 : sliceWeights[(i * n + y) * hx + x];
						// The trilinear stencil is written out here and in JavaFourierProjector on purpose: factored into a
						// shared helper it measured up to 40% slower at box 256 (bench/projectors.sh; noisy on shared machines).
						final int x0 = (int) Math.floor(xp), y0 = (int) Math.floor(yp);
						final float fx = (float) (xp - x0), fy = (float) (yp - y0), fz = (float) (zp - z0);
						for (int dz = 0; dz < 2; dz++) {
							final int zi = dz == 0 ? za : zb;
							if (zi < zStart || zi >= zEnd) continue;
							final float wz = dz == 0 ? 1 - fz : fz;
							for (int dy = 0; dy < 2; dy++) {
								final int yi = Fft.index(y0 + dy, p);
								final float wyz = wz * (dy == 0 ? 1 - fy : fy);
								for (int dx = 0; dx < 2; dx++) {
									final int xi = x0 + dx;
									if (xi >= hp) continue;
									final float w = wyz * (dx == 0 ? 1 - fx : fx);
									final int q = (zi * p + yi) * hp + xi;
									data[2 * q] += w * re;
									data[2 * q + 1] += w * im;
									weights[q] += w * sw;
								}
							}
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

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
		final int p = volume.paddedSize(), hp = Fft.halfWidth(p), pad = volume.padding();
		final float[] v = volume.data();
		final double r2max = maxRadius * maxRadius;
		Parallel.forRange(rotations.length * n, (start, end) -> {
			for (int row = start; row < end; row++) {
				final int i = row / n, y = row % n;
				final double[] a = rotations[i];
				final int ky = Fft.frequency(y, n);
				final int base = i * length + 2 * y * hx;
				for (int x = 0; x < hx; x++) {
					float re = 0, im = 0;
					if ((double) x * x + (double) ky * ky <= r2max) {
						double xp = (a[0] * x + a[3] * ky) * pad, yp = (a[1] * x + a[4] * ky) * pad, zp = (a[2] * x + a[5]
							* ky) * pad;
						boolean conj = false;
						if (xp < 0) {
							xp = -xp;
							yp = -yp;
							zp = -zp;
							conj = true;
						}
						// The trilinear stencil is written out here and in JavaFourierBackProjector on purpose: factored into a
						// shared helper it measured up to 40% slower at box 256 (bench/projectors.sh; noisy on shared machines).
						final int x0 = (int) Math.floor(xp), y0 = (int) Math.floor(yp), z0 = (int) Math.floor(zp);
						final float fx = (float) (xp - x0), fy = (float) (yp - y0), fz = (float) (zp - z0);
						for (int dz = 0; dz < 2; dz++) {
							final int zi = Fft.index(z0 + dz, p);
							final float wz = dz == 0 ? 1 - fz : fz;
							for (int dy = 0; dy < 2; dy++) {
								final int yi = Fft.index(y0 + dy, p);
								final float wyz = wz * (dy == 0 ? 1 - fy : fy);
								for (int dx = 0; dx < 2; dx++) {
									final int xi = x0 + dx;
									if (xi >= hp) continue;
									final float w = wyz * (dx == 0 ? 1 - fx : fx);
									final int q = 2 * ((zi * p + yi) * hp + xi);
									re += w * v[q];
									im += w * v[q + 1];
								}
							}
						}
						if (conj) im = -im;
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

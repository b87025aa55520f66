package org.vitreous.simulate;

import java.util.Random;

import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.real.FloatType;

/** Synthetic density maps with known content, for demos and tests. */
public final class Phantoms {

	private Phantoms() {}

	/**
	 * An asymmetric map: {@code count} Gaussian blobs (σ 1.5 to 4 px, heights 0.5 to 1.5) whose centres lie within
	 * a third of the box of the centre (voxel size/2), so the map has no symmetry and fits in its box. Seeded: the
	 * same seed gives the same map.
	 */
	public static ArrayImg<FloatType, FloatArray> gaussianBlobs(final int size, final int count, final long seed) {
		if (size < 8) throw new IllegalArgumentException("box of " + size + " px is too small; use at least 8");
		final Random random = new Random(seed);
		final float[] v = new float[size * size * size];
		final int c = size / 2;
		for (int b = 0; b < count; b++) {
			double x, y, z;
			do { // uniform in a ball of radius size/3
				x = (2 * random.nextDouble() - 1) * size / 3.0;
				y = (2 * random.nextDouble() - 1) * size / 3.0;
				z = (2 * random.nextDouble() - 1) * size / 3.0;
			} while (x * x + y * y + z * z > size * size / 9.0);
			final double sigma = 1.5 + 2.5 * random.nextDouble(), height = 0.5 + random.nextDouble();
			final int reach = (int) Math.ceil(4 * sigma);
			final double cx = c + x, cy = c + y, cz = c + z;
			for (int k = Math.max(0, (int) cz - reach); k <= Math.min(size - 1, (int) cz + reach); k++)
				for (int j = Math.max(0, (int) cy - reach); j <= Math.min(size - 1, (int) cy + reach); j++)
					for (int i = Math.max(0, (int) cx - reach); i <= Math.min(size - 1, (int) cx + reach); i++) {
						final double r2 = (i - cx) * (i - cx) + (j - cy) * (j - cy) + (k - cz) * (k - cz);
						v[i + size * (j + size * k)] += (float) (height * Math.exp(-r2 / (2 * sigma * sigma)));
					}
		}
		return ArrayImgs.floats(v, size, size, size);
	}
}

package org.vitreous.testing;

import static org.junit.Assert.fail;

import java.util.Locale;

/**
 * Asserts on images and volumes that say where they fail: the first voxel (x, y, z) out of tolerance, both values
 * there, and how many voxels differ, instead of a flat array index.
 */
public final class VolumeAssert {

	private VolumeAssert() {}

	/**
	 * Every voxel of {@code actual} within {@code tolerance} of {@code expected}; both nx × ny × nz, x fastest (an
	 * image has nz = 1). NaN matches only NaN.
	 */
	public static void assertVolumeEquals(final String what, final float[] expected, final float[] actual, final int nx,
		final int ny, final int nz, final double tolerance)
	{
		final long voxels = (long) nx * ny * nz;
		if (expected.length != voxels || actual.length != voxels) fail(String.format(Locale.ROOT,
			"%s: expected %d and actual %d values for %d x %d x %d", what, expected.length, actual.length, nx, ny, nz));
		int first = -1, differ = 0;
		for (int i = 0; i < expected.length; i++) {
			final float e = expected[i], a = actual[i];
			final boolean same = Float.isNaN(e) ? Float.isNaN(a) : Math.abs(e - a) <= tolerance;
			if (same) continue;
			if (first < 0) first = i;
			differ++;
		}
		if (first < 0) return;
		final int x = first % nx, y = first / nx % ny, z = first / nx / ny;
		fail(String.format(Locale.ROOT, "%s: %d of %d voxels differ by more than %g; first at (x, y, z) = (%d, %d, %d): "
			+ "expected %s, actual %s", what, differ, voxels, tolerance, x, y, z, expected[first], actual[first]));
	}

	/** {@link #assertVolumeEquals} for an n³ volume. */
	public static void assertCubeEquals(final String what, final float[] expected, final float[] actual, final int n,
		final double tolerance)
	{
		assertVolumeEquals(what, expected, actual, n, n, n, tolerance);
	}
}

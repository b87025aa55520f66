package org.vitreous.simulate;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class PhantomsTest {

	@Test
	public void oneBlobIsTheAnalyticGaussianAndSeedsRepeat() {
		final float[] a = Phantoms.gaussianBlobs(32, 12, 5).update(null).getCurrentStorageArray();
		assertArrayEquals(a, Phantoms.gaussianBlobs(32, 12, 5).update(null).getCurrentStorageArray(), 0);
		// a single blob integrates to height·(2π)^{3/2}·σ³ and peaks at its height: find both and check
		final float[] one = Phantoms.gaussianBlobs(48, 1, 9).update(null).getCurrentStorageArray();
		double sum = 0, peak = 0;
		for (final float x : one) {
			sum += x;
			peak = Math.max(peak, x);
		}
		assertTrue(peak >= 0.5 && peak <= 1.5 + 1e-6);
		final double sigma = Math.cbrt(sum / (peak * Math.pow(2 * Math.PI, 1.5)));
		assertTrue("sigma " + sigma, sigma > 1.4 && sigma < 4.1); // the drawn range, 1.5..4, with a discretisation margin
		// asymmetric: the map differs from its point reflection through the centre
		double diff = 0, norm = 0;
		for (int k = 1; k < 32; k++)
			for (int j = 1; j < 32; j++)
				for (int i = 1; i < 32; i++) {
					final float v = a[i + 32 * (j + 32 * k)], w = a[(32 - i) + 32 * ((32 - j) + 32 * (32 - k))];
					diff += (v - w) * (v - w);
					norm += v * v;
				}
		assertTrue(diff > 0.5 * norm);
		assertEquals(32 * 32 * 32, a.length);
	}

	/**
	 * The tomography phantoms: seeded, binary objects low-passed (values within 0..1 up to the filter's ringing),
	 * a real share of the slab occupied, nothing touching the volume's faces, and the spheres hollow: their
	 * occupied share stays well under the share their bounding balls take.
	 */
	@Test
	public void tomographyPhantomsAreSeededBinaryObjectsInsideTheSlab() {
		for (final Phantoms.Tomogram kind : Phantoms.Tomogram.values()) {
			final int nx = 96, ny = 80, nz = 40;
			final float[] a = Phantoms.tomogram(kind, nx, ny, nz, 4).update(null).getCurrentStorageArray();
			assertArrayEquals(a, Phantoms.tomogram(kind, nx, ny, nz, 4).update(null).getCurrentStorageArray(), 0);
			long occupied = 0;
			double face = 0;
			for (int z = 0; z < nz; z++)
				for (int y = 0; y < ny; y++)
					for (int x = 0; x < nx; x++) {
						final float v = a[(z * ny + y) * nx + x];
						assertTrue(kind + " value " + v, v > -0.1 && v < 1.1);
						if (v > 0.5) occupied++;
						if (x == 0 || y == 0 || z == 0 || x == nx - 1 || y == ny - 1 || z == nz - 1) face = Math.max(face, v);
					}
			final double share = (double) occupied / a.length;
			assertTrue(kind + " occupies " + share, share > 0.02 && share < (kind == Phantoms.Tomogram.SPHERES ? 0.15
				: 0.2));
			assertTrue(kind + " reaches the faces: " + face, face < 0.2);
		}
	}
}

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
}

package org.vitreous.testing;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class VolumeAssertTest {

	@Test
	public void namesTheFirstVoxelThatDiffersAndBothValues() {
		final float[] a = new float[4 * 3 * 2], b = a.clone();
		b[(1 * 3 + 2) * 4 + 3] = 0.5f; // (x, y, z) = (3, 2, 1)
		b[(1 * 3 + 2) * 4 + 1] = Float.NaN; // (1, 2, 1), the first in storage order
		VolumeAssert.assertVolumeEquals("same", a, a.clone(), 4, 3, 2, 0);
		try {
			VolumeAssert.assertVolumeEquals("test volume", a, b, 4, 3, 2, 1e-3);
		} catch (final AssertionError e) {
			assertEquals("test volume: 2 of 24 voxels differ by more than 0.00100000; first at (x, y, z) = (1, 2, 1): "
				+ "expected 0.0, actual NaN", e.getMessage());
			return;
		}
		assertTrue("volumes that differ passed", false);
	}
}

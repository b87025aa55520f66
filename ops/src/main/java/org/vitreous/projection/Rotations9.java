package org.vitreous.projection;

/** Packs rotation matrices into the float array the kernels read (9 per matrix, row-major). */
final class Rotations9 {

	private Rotations9() {}

	static float[] pack(final double[][] rotations) {
		final float[] r = new float[9 * rotations.length];
		for (int i = 0; i < rotations.length; i++)
			for (int j = 0; j < 9; j++)
				r[9 * i + j] = (float) rotations[i][j];
		return r;
	}
}

package org.vitreous.io;

import java.io.IOException;

/**
 * A stack of 2D sections read one at a time: the images of a stack or the z-slices of a volume, in x, y order
 * (x fastest). Implemented by {@link MrcFile} and, in the plugins module, by TIFF files read through ImageJ.
 */
public interface SectionSource extends AutoCloseable {

	int width();

	int height();

	int sections();

	/** Voxel size in Å along x, y, z (0 where unknown). */
	double[] voxelSize();

	/** Whether the sections are slices of one volume (not a stack of separate images). */
	boolean isVolume();

	/** Section z (0-based), width·height real values, x fastest. */
	float[] readSection(int z) throws IOException;

	@Override
	void close() throws IOException;
}

package org.vitreous.io;

import java.io.IOException;
import java.nio.file.Path;

import net.imglib2.img.array.ArrayImgs;


/** A cubic map read whole: N³ values (x fastest), N, and the voxel size in Å (0 if the file states none). */
public record CubicMap(float[] values, int size, double pixelSize) {

	/**
	 * Reads {@code path}, refusing a map that is not a cube.
	 *
	 * @param purpose what needs the cube, for the message ("projection")
	 */
	public static CubicMap read(final Path path, final String purpose) throws IOException {
		try (MrcFile f = MrcFile.open(path)) {
			if (f.width() != f.height() || f.width() != f.sections()) throw new FormatException(path, "map is " + f
				.width() + " x " + f.height() + " x " + f.sections() + "; " + purpose + " needs a cube");
			return new CubicMap(f.readAll(), f.width(), f.voxelSize()[0]);
		}
	}

	/** Writes the map to {@code target} (MRC, float32, voxel size stated), whole or not at all. */
	public void write(final Path target, final String label, final Path... inputs) throws IOException {
		MrcWriter.write(target, ArrayImgs.floats(values, size, size, size), new MrcWriter.Settings()
			.pixelSize(pixelSize).volume().label(label), inputs);
	}
}

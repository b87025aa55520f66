package org.vitreous.io;

import java.io.IOException;
import java.nio.file.Path;

import net.imglib2.img.array.ArrayImgs;

/** A 3D map or tomogram read whole: nx × ny × nz values (x fastest) and the voxel size in Å (0 if unstated). */
public record Volume(float[] values, int nx, int ny, int nz, double pixelSize) {

	public Volume {
		if (values.length != (long) nx * ny * nz) throw new IllegalArgumentException("volume of " + values.length
			+ " values is not " + nx + " x " + ny + " x " + nz);
	}

	public static Volume read(final Path path) throws IOException {
		try (MrcFile f = MrcFile.open(path)) {
			return new Volume(f.readAll(), f.width(), f.height(), f.sections(), f.voxelSize()[0]);
		}
	}

	/** Reads {@code path}, refusing a volume whose size differs from {@code like}'s (read from {@code likePath}). */
	public static Volume readLike(final Path path, final Volume like, final Path likePath) throws IOException {
		final Volume v = read(path);
		if (v.nx != like.nx || v.ny != like.ny || v.nz != like.nz) throw new FormatException(path, "is " + v.nx + " x "
			+ v.ny + " x " + v.nz + "; " + likePath.getFileName() + " is " + like.nx + " x " + like.ny + " x " + like.nz);
		return v;
	}

	/** Writes the volume (MRC, float32, voxel size stated), whole or not at all. */
	public void write(final Path target, final String label, final Path... inputs) throws IOException {
		MrcWriter.write(target, ArrayImgs.floats(values, nx, ny, nz), new MrcWriter.Settings().pixelSize(pixelSize)
			.volume().label(label), inputs);
	}
}

package org.vitreous.io;

import java.io.IOException;
import java.nio.file.Path;

import net.imglib2.img.array.ArrayImgs;

/**
 * A single-axis tilt series held whole: {@code width × height × tilts} values (x fastest, one section per tilt), the
 * tilt angles in degrees in section order, and the pixel size in Å (0 where the file states none). Geometry as in
 * DESIGN section 3: tilt axis along y (the image rows' direction), detector column u = x·cos t − z·sin t.
 */
public record TiltSeries(float[] values, int width, int height, double[] tilts, double pixelSize) {

	public TiltSeries {
		if (values.length != (long) width * height * tilts.length) throw new IllegalArgumentException("tilt series of "
			+ values.length + " values is not " + width + " x " + height + " x " + tilts.length);
	}

	/** Reads an MRC stack and its IMOD .tlt file, refusing a count of angles that is not the count of sections. */
	public static TiltSeries read(final Path stack, final Path angles) throws IOException {
		final double[] tilts = TiltAngles.read(angles);
		try (MrcFile f = MrcFile.open(stack)) {
			if (f.sections() != tilts.length) throw new FormatException(angles, "holds " + tilts.length
				+ " tilt angles but " + stack + " has " + f.sections() + " sections; there must be one angle per section");
			if (f.width() < 2 || f.height() < 1) throw new FormatException(stack, "sections of " + f.width() + " x " + f
				.height() + " are not a tilt series");
			return new TiltSeries(f.readAll(), f.width(), f.height(), tilts, f.voxelSize()[0]);
		}
	}

	/** Writes the stack (MRC, float32, pixel size carried) and the angles (.tlt), each whole or not at all. */
	public void write(final Path stack, final Path angles, final Path... inputs) throws IOException {
		MrcWriter.write(stack, ArrayImgs.floats(values, width, height, tilts.length), new MrcWriter.Settings()
			.pixelSize(pixelSize).stack().label("Vitreous tilt series"), inputs);
		TiltAngles.write(angles, tilts, inputs);
	}

	/** The section of tilt {@code t}'s row {@code y}: {@code width} values from {@code values[(t·height + y)·width]}. */
	public int row(final int t, final int y) {
		return (t * height + y) * width;
	}

}

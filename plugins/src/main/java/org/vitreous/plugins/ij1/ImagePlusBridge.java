package org.vitreous.plugins.ij1;

import java.util.ArrayList;
import java.util.List;

import ij.ImagePlus;
import ij.ImageStack;
import ij.measure.Calibration;
import ij.process.FloatProcessor;
import ij.process.ImageProcessor;
import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.type.numeric.RealType;
import net.imglib2.type.numeric.real.FloatType;
import net.imglib2.util.Fraction;
import net.imglib2.view.Views;

/**
 * ImageJ 1 images to ImgLib2 float images and back. A 32-bit ImagePlus is wrapped, not copied: its slices become
 * the planes of a PlanarImg (and the reverse for a float PlanarImg, or a 2D float ArrayImg). Other pixel types
 * are converted. The pixel size travels as the ImagePlus calibration, in Å.
 */
public final class ImagePlusBridge {

	private ImagePlusBridge() {}

	/** The image's slices (z, then channels and frames, as ImageJ orders its stack) as a 2D or 3D float image. */
	public static PlanarImg<FloatType, FloatArray> wrap(final ImagePlus imp) {
		final ImageStack stack = imp.getStack();
		final int w = imp.getWidth(), h = imp.getHeight(), n = stack.getSize();
		final List<FloatArray> planes = new ArrayList<>(n);
		for (int i = 1; i <= n; i++) {
			final ImageProcessor ip = stack.getProcessor(i);
			final float[] pixels = ip instanceof FloatProcessor ? (float[]) ip.getPixels() : (float[]) ip
				.convertToFloatProcessor().getPixels();
			planes.add(new FloatArray(pixels));
		}
		final long[] dims = n == 1 ? new long[] { w, h } : new long[] { w, h, n };
		final PlanarImg<FloatType, FloatArray> img = new PlanarImg<>(planes, dims, new Fraction());
		img.setLinkedType(new FloatType(img));
		return img;
	}

	/**
	 * A 32-bit ImagePlus showing {@code image} (2D or 3D), sharing its pixels where the layout allows.
	 *
	 * @param voxelSize Å along x, y, z; 0 where unknown
	 */
	public static ImagePlus toImagePlus(final RandomAccessibleInterval<? extends RealType<?>> image,
		final String title, final double[] voxelSize)
	{
		final int w = (int) image.dimension(0), h = (int) image.dimension(1);
		final int n = image.numDimensions() > 2 ? (int) image.dimension(2) : 1;
		final ImageStack stack = new ImageStack(w, h);
		for (int z = 0; z < n; z++)
			stack.addSlice(new FloatProcessor(w, h, plane(image, z, w * h)));
		final ImagePlus imp = new ImagePlus(title, stack);
		if (n > 1) imp.setDimensions(1, n, 1);
		setVoxelSize(imp, voxelSize);
		imp.resetDisplayRange();
		return imp;
	}

	@SuppressWarnings("unchecked")
	private static float[] plane(final RandomAccessibleInterval<? extends RealType<?>> image, final int z,
		final int size)
	{
		if (image instanceof PlanarImg && ((PlanarImg<?, ?>) image).firstElement() instanceof FloatType) {
			final Object access = ((PlanarImg<FloatType, ?>) image).getPlane(z);
			if (access instanceof FloatArray) return ((FloatArray) access).getCurrentStorageArray();
		}
		if (image instanceof ArrayImg && image.numDimensions() == 2 && ((ArrayImg<?, ?>) image)
			.firstElement() instanceof FloatType)
		{
			final Object access = ((ArrayImg<FloatType, ?>) image).update(null);
			if (access instanceof FloatArray) return ((FloatArray) access).getCurrentStorageArray();
		}
		final RandomAccessibleInterval<? extends RealType<?>> slice = image.numDimensions() > 2 ? Views
			.hyperSlice(image, 2, image.min(2) + z) : image;
		final float[] pixels = new float[size];
		final Cursor<? extends RealType<?>> c = Views.flatIterable(slice).cursor();
		for (int i = 0; i < size; i++)
			pixels[i] = c.next().getRealFloat();
		return pixels;
	}

	/** Sets the calibration to the voxel size in Å (left uncalibrated where unknown). */
	public static void setVoxelSize(final ImagePlus imp, final double[] voxelSize) {
		if (voxelSize == null || !(voxelSize[0] > 0)) return;
		final Calibration cal = imp.getCalibration();
		cal.setUnit("Å");
		cal.pixelWidth = voxelSize[0];
		cal.pixelHeight = voxelSize.length > 1 && voxelSize[1] > 0 ? voxelSize[1] : voxelSize[0];
		cal.pixelDepth = voxelSize.length > 2 && voxelSize[2] > 0 ? voxelSize[2] : voxelSize[0];
	}

	/** The calibration as a voxel size in Å (x, y, z); 0s for an uncalibrated image or an unknown unit. */
	public static double[] voxelSize(final ImagePlus imp) {
		final Calibration cal = imp.getCalibration();
		final double toAngstrom = angstromPer(cal.getUnit());
		if (!cal.scaled() || toAngstrom == 0) return new double[3];
		return new double[] { cal.pixelWidth * toAngstrom, cal.pixelHeight * toAngstrom, cal.pixelDepth
			* toAngstrom };
	}

	private static double angstromPer(final String unit) {
		if (unit == null) return 0;
		switch (unit.trim()) {
			case "Å": case "A": case "Angstrom": case "angstrom": case "\u212B": return 1;
			case "nm": case "nanometer": return 10;
			case "µm": case "um": case "micron": case "microns": return 1e4;
			case "mm": return 1e7;
			default: return 0;
		}
	}
}

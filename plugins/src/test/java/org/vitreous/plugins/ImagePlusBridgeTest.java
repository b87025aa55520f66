package org.vitreous.plugins;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;

import ij.ImagePlus;
import ij.ImageStack;
import ij.process.FloatProcessor;
import ij.process.ShortProcessor;
import net.imglib2.RandomAccess;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.img.planar.PlanarImg;
import net.imglib2.type.numeric.real.FloatType;
import org.junit.Test;
import org.vitreous.plugins.ij1.ImagePlusBridge;

public class ImagePlusBridgeTest {

	@Test
	public void floatStacksAreSharedNotCopied() {
		final ImageStack stack = new ImageStack(5, 3);
		for (int z = 0; z < 4; z++) {
			final float[] p = new float[15];
			for (int i = 0; i < 15; i++)
				p[i] = 100 * z + i;
			stack.addSlice(new FloatProcessor(5, 3, p));
		}
		final ImagePlus imp = new ImagePlus("s", stack);
		ImagePlusBridge.setVoxelSize(imp, new double[] { 1.5, 1.5, 2 });
		final PlanarImg<FloatType, FloatArray> img = ImagePlusBridge.wrap(imp);
		assertArrayEquals(new long[] { 5, 3, 4 }, img.dimensionsAsLongArray());
		final RandomAccess<FloatType> ra = img.randomAccess();
		ra.setPosition(new long[] { 2, 1, 3 });
		assertEquals(300 + 7, ra.get().get(), 0);
		ra.get().set(-1); // a write through ImgLib2 is seen by ImageJ: same array
		assertEquals(-1, ((float[]) stack.getPixels(4))[7], 0);

		final ImagePlus back = ImagePlusBridge.toImagePlus(img, "back", ImagePlusBridge.voxelSize(imp));
		assertSame(stack.getPixels(2), back.getStack().getPixels(2));
		assertArrayEquals(new double[] { 1.5, 1.5, 2 }, ImagePlusBridge.voxelSize(back), 0);
		assertEquals(4, back.getNSlices());
	}

	@Test
	public void otherTypesAreConvertedAndUnitsBecomeAngstrom() {
		final ImagePlus imp = new ImagePlus("u16", new ShortProcessor(4, 2, new short[] { 0, 1, 2, (short) 65535, 4,
			5, 6, 7 }, null));
		imp.getCalibration().setUnit("nm");
		imp.getCalibration().pixelWidth = 0.25;
		imp.getCalibration().pixelHeight = 0.25;
		final PlanarImg<FloatType, FloatArray> img = ImagePlusBridge.wrap(imp);
		assertArrayEquals(new long[] { 4, 2 }, img.dimensionsAsLongArray());
		assertArrayEquals(new float[] { 0, 1, 2, 65535, 4, 5, 6, 7 }, img.getPlane(0).getCurrentStorageArray(), 0);
		assertEquals(2.5, ImagePlusBridge.voxelSize(imp)[0], 1e-12);

		final float[] data = { 1, 2, 3, 4, 5, 6 };
		final ImagePlus fromArray = ImagePlusBridge.toImagePlus(ArrayImgs.floats(data, 3, 2), "a", null);
		assertSame(data, fromArray.getProcessor().getPixels());
	}
}

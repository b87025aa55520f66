package org.vitreous.io;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.real.FloatType;
import org.junit.Test;
import org.vitreous.testing.TestData;

/** Write then read back every mode, both byte orders, odd and prime sizes, volumes and stacks. */
public class MrcRoundTripTest {

	private static final int[][] SIZES = { { 7, 11, 13 }, { 1, 1, 1 }, { 17, 5, 3 }, { 31, 2, 29 } };

	/** Values a mode stores exactly, drawn with a fixed seed. */
	static float[] valuesFor(final MrcMode mode, final int n, final long seed) {
		final Random random = new Random(seed);
		final float[] v = new float[n * mode.floatsPerVoxel()];
		for (int i = 0; i < v.length; i++) {
			v[i] = switch (mode) {
				case INT8 -> random.nextInt(256) - 128;
				case INT16 -> random.nextInt(65536) - 32768;
				case UINT16 -> random.nextInt(65536);
				case FLOAT16 -> Float16.toFloat((short) (random.nextInt(0x7bff) | (random.nextBoolean() ? 0x8000 : 0)));
				default -> (float) (random.nextGaussian() * 1000);
			};
		}
		return v;
	}

	@Test
	public void everyModeBothByteOrdersOddAndPrimeSizes() throws IOException {
		final Path dir = TestData.scratch("mrc-roundtrip");
		for (final MrcMode mode : MrcMode.values())
			for (final ByteOrder order : new ByteOrder[] { ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN })
				for (final int[] size : SIZES)
					for (final boolean volume : new boolean[] { true, false }) {
						final String what = mode + " " + order + " " + size[0] + "x" + size[1] + "x" + size[2] + (volume
							? " volume" : " stack");
						final float[] values = valuesFor(mode, size[0] * size[1] * size[2], what.hashCode());
						final Path file = dir.resolve(what.replace(' ', '_') + ".mrc");
						final MrcWriter.Settings settings = new MrcWriter.Settings().mode(mode).byteOrder(order)
							.voxelSize(new double[] { 1.25, 1.5, 1.75 }).label("round trip " + what);
						settings.volume = volume;
						settings.start = new int[] { -3, 4, 5 };
						settings.origin = new float[] { 10.5f, -2f, 3.25f };
						final int sectionFloats = size[0] * size[1] * mode.floatsPerVoxel();
						try (MrcWriter w = MrcWriter.open(file, size[0], size[1], settings)) {
							for (int z = 0; z < size[2]; z++)
								w.writeSection(java.util.Arrays.copyOfRange(values, z * sectionFloats, (z + 1)
									* sectionFloats));
							w.commit();
						}
						assertEquals(what + ": file size", 1024L + (long) values.length / mode.floatsPerVoxel()
							* mode.bytesPerVoxel, Files.size(file));
						try (MrcFile f = MrcFile.open(file)) {
							final MrcHeader h = f.header();
							assertEquals(what, order, h.byteOrder);
							assertEquals(what, mode.code, h.mode);
							assertArrayEquals(what, new int[] { size[0], size[1], size[2] }, h.sizeXYZ());
							assertArrayEquals(what, new double[] { 1.25, 1.5, 1.75 }, h.voxelSize(), 1e-6);
							assertArrayEquals(what, new int[] { -3, 4, 5 }, h.startXYZ());
							assertEquals(what, 10.5f, h.originX, 0);
							assertEquals(what, volume ? 1 : 0, h.ispg);
							assertEquals(what, 20140, h.nversion);
							assertEquals(what, "MAP ", h.mapWord);
							assertEquals(what, "round trip " + what, h.labels.get(0));
							assertArrayEquals(what, values, f.readAll(), 0f);
							if (!mode.complex) checkStatistics(what, h, values);
						}
					}
	}

	/** Header statistics against a direct two-pass computation in double precision. */
	private static void checkStatistics(final String what, final MrcHeader h, final float[] v) {
		double min = Double.MAX_VALUE, max = -Double.MAX_VALUE, sum = 0;
		for (final float x : v) {
			min = Math.min(min, x);
			max = Math.max(max, x);
			sum += x;
		}
		final double mean = sum / v.length;
		double ss = 0;
		for (final float x : v)
			ss += (x - mean) * (x - mean);
		final double rms = Math.sqrt(ss / v.length);
		assertEquals(what + " DMIN", min, h.dmin, 0);
		assertEquals(what + " DMAX", max, h.dmax, 0);
		assertEquals(what + " DMEAN", mean, h.dmean, 1e-5 * Math.max(1, Math.abs(mean)));
		assertEquals(what + " RMS", rms, h.rms, 1e-5 * Math.max(1, rms));
	}

	@Test
	public void imagesOfAStackAreImgLib2Images() throws IOException {
		final Path file = TestData.scratch("mrc-images").resolve("stack.mrcs");
		final float[] values = valuesFor(MrcMode.FLOAT32, 19 * 17 * 5, 42);
		try (MrcWriter w = MrcWriter.open(file, 19, 17, new MrcWriter.Settings().stack().pixelSize(2))) {
			for (int z = 0; z < 5; z++)
				w.writeSection(java.util.Arrays.copyOfRange(values, z * 323, (z + 1) * 323));
			w.commit();
		}
		try (MrcFile f = MrcFile.open(file)) {
			int z = 0;
			for (final ArrayImg<FloatType, FloatArray> image : f.images()) {
				assertArrayEquals(new long[] { 19, 17 }, image.dimensionsAsLongArray());
				assertArrayEquals(java.util.Arrays.copyOfRange(values, z * 323, (z + 1) * 323), image.update(null)
					.getCurrentStorageArray(), 0f);
				z++;
			}
			assertEquals(5, z);
		}
		final ArrayImg<FloatType, FloatArray> volume = MrcFile.readVolume(file);
		final Path copy = file.resolveSibling("copy.mrc");
		MrcWriter.write(copy, volume, new MrcWriter.Settings().pixelSize(2));
		assertArrayEquals(values, MrcFile.readVolume(copy).update(null).getCurrentStorageArray(), 0f);
	}

	@Test
	public void float16ConversionMatchesIeeeHalfPrecision() {
		// every half-precision bit pattern survives half -> float -> half
		for (int bits = 0; bits < 0x10000; bits++) {
			final float f = Float16.toFloat((short) bits);
			if (Float.isNaN(f)) continue;
			assertEquals(Integer.toHexString(bits), bits, Float16.fromFloat(f) & 0xffff);
		}
		assertEquals(65504f, Float16.toFloat((short) 0x7bff), 0);
		assertEquals(0x1p-24f, Float16.toFloat((short) 1), 0);
		assertEquals(1.0009765625f, Float16.toFloat(Float16.fromFloat(1.00097f)), 0); // nearest
		assertEquals(1f, Float16.toFloat(Float16.fromFloat(1.00048828125f)), 0); // halfway: to even
		assertFalse(Float.isFinite(Float16.toFloat(Float16.fromFloat(65520f))));
	}
}

package org.vitreous.io;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.Test;
import org.vitreous.testing.TestData;

/**
 * Files written by other programs (Python mrcfile, cctbx, GridDataFormats) read with the values stated in
 * ../shared/data/mrc-modes/README.txt and ../shared/data/README.md.
 */
public class MrcSharedFilesTest {

	private static void check(final String name, final int mode, final int[] shapeZYX, final String stamp,
		final double voxel, final int ispg, final int nsymbt, final double first, final double last, final double sum)
		throws IOException
	{
		final Path path = TestData.shared("mrc-modes/" + name);
		try (MrcFile f = MrcFile.open(path)) {
			final MrcHeader h = f.header();
			assertEquals(name, mode, h.mode);
			assertArrayEquals(name, new int[] { shapeZYX[2], shapeZYX[1], shapeZYX[0] }, h.sizeXYZ());
			assertEquals(name, stamp, String.format("%02x%02x%02x%02x", h.machineStamp[0], h.machineStamp[1],
				h.machineStamp[2], h.machineStamp[3]));
			assertArrayEquals(name, new double[] { voxel, voxel, voxel }, h.voxelSize(), 1e-6);
			assertEquals(name, ispg, h.ispg);
			assertEquals(name, nsymbt, h.nsymbt);
			final float[] v = f.readAll();
			assertEquals(name + " first", first, v[0], Math.abs(first) * 1e-7);
			assertEquals(name + " last", last, v[v.length - 1], Math.abs(last) * 1e-7);
			double s = 0;
			for (final float x : v)
				s += x;
			assertEquals(name + " sum", sum, s, Math.max(1e-6, Math.abs(sum) * 1e-8));
		}
	}

	@Test
	public void mrcfileModes() throws IOException {
		final int[] vol = { 7, 11, 13 }, stack = { 5, 17, 19 };
		check("vol_mode2_7x11x13.mrc", 2, vol, "44440000", 1.5, 1, 0, 0.17900157, 0.525261879, 12.6789137);
		check("vol_mode0_int8.mrc", 0, vol, "44440000", 1.5, 1, 0, 30, -53, -2248);
		check("vol_mode1_int16.mrc", 1, vol, "44440000", 1.5, 1, 0, 6190, 8103, 300241);
		check("vol_mode6_uint16.mrc", 6, vol, "44440000", 1.5, 1, 0, 5604, 2023, 33425570);
		check("vol_mode12_float16.mrc", 12, vol, "44440000", 1.5, 1, 0, 1.62597656, 0.53125, -5.12931895);
		check("vol_mode2_bigendian.mrc", 2, vol, "11110000", 1.5, 1, 0, 0.17900157, 0.525261879, 12.6789137);
		check("stack_mode2_5x17x19.mrcs", 2, stack, "44440000", 2.0, 0, 0, -0.615256906, 0.115003489,
			-27.1548362);
		check("stack_ext_header.mrcs", 2, stack, "44440000", 2.0, 0, 3840, -1.06703544, 1.29395378, 5.47191532);
	}

	@Test
	public void extendedHeaderIsExposed() throws IOException {
		try (MrcFile f = MrcFile.open(TestData.shared("mrc-modes/stack_ext_header.mrcs"))) {
			assertEquals("FEI1", f.header().extType);
			final byte[] ext = f.extendedHeader();
			assertEquals(3840, ext.length);
			// the shared file's extended header is the byte ramp 0, 1, ..., 250, 0, 1, ... (i mod 251)
			for (int i = 0; i < ext.length; i++)
				assertEquals("extended header byte " + i, (byte) (i % 251), ext[i]);
			assertEquals(19 * 17, f.readSection(4).length);
		}
	}

	private static void checkMap(final String name, final int[] storedZYX, final double[] voxel,
		final int[] start, final int[] axes, final double mean, final double min, final double max)
		throws IOException
	{
		final Path path = TestData.shared("maps/" + name);
		try (MrcFile f = MrcFile.open(path)) {
			final MrcHeader h = f.header();
			assertArrayEquals(name, axes, new int[] { h.mapc, h.mapr, h.maps });
			assertArrayEquals(name, new int[] { storedZYX[2], storedZYX[1], storedZYX[0] }, new int[] { h.nx, h.ny,
				h.nz });
			assertArrayEquals(name, start, new int[] { h.nxStart, h.nyStart, h.nzStart });
			assertArrayEquals(name, voxel, h.voxelSize(), 1e-4);
			final float[] v = f.readAll();
			double s = 0, lo = Double.MAX_VALUE, hi = -Double.MAX_VALUE;
			for (final float x : v) {
				s += x;
				lo = Math.min(lo, x);
				hi = Math.max(hi, x);
			}
			assertEquals(name + " mean", mean, s / v.length, Math.abs(mean) * 1e-4);
			assertEquals(name + " min", min, lo, 1e-4);
			assertEquals(name + " max", max, hi, 1e-4);
			// x, y, z order: the x extent is the count of the stored axis that MAPC/MAPR/MAPS calls 1
			final int[] size = h.sizeXYZ();
			final int[] stored = { h.nx, h.ny, h.nz };
			final int[] map = { h.mapc, h.mapr, h.maps };
			for (int i = 0; i < 3; i++)
				assertEquals(name, stored[i], size[map[i] - 1]);
			// every voxel lands where the permutation says: compare with a direct read of the stored bytes
			final byte[] bytes = Files.readAllBytes(path);
			final ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
			final int[] at = new int[3];
			for (int sec = 0; sec < h.nz; sec += 3)
				for (int row = 0; row < h.ny; row += 5)
					for (int col = 0; col < h.nx; col += 2) {
						at[h.mapc - 1] = col;
						at[h.mapr - 1] = row;
						at[h.maps - 1] = sec;
						final float expected = b.getFloat(1024 + h.nsymbt + 4 * (col + h.nx * (row + h.ny * sec)));
						assertEquals(name, expected, v[at[0] + size[0] * (at[1] + size[1] * at[2])], 0);
					}
		}
	}

	@Test
	public void crystallographyAndEmMaps() throws IOException {
		checkMap("mmma.ccp4", new int[] { 32, 42, 33 }, new double[] { 0.7470, 0.7231, 0.7374 }, new int[] { 0, -1,
			-1 }, new int[] { 3, 2, 1 }, -0.0049050, -1.7698, 2.2453);
		checkMap("non_zero_origin_map.ccp4", new int[] { 30, 40, 32 }, new double[] { 0.7470, 0.7231, 0.7374 },
			new int[] { 100, 100, 100 }, new int[] { 3, 2, 1 }, 0.012709, 0, 0.49616);
		checkMap("test.ccp4", new int[] { 6, 4, 8 }, new double[] { 0.75, 0.5, 0.6667 }, new int[] { 0, 0, 0 },
			new int[] { 1, 2, 3 }, 96.5, 1, 192);
	}

	@Test
	public void relionMapAndStack() throws IOException {
		try (MrcFile f = MrcFile.open(TestData.shared("relion/ribosome_b64.mrc"))) {
			assertArrayEquals(new int[] { 64, 64, 64 }, f.header().sizeXYZ());
			assertEquals(6.0, f.header().voxelSize()[0], 1e-6);
			double s = 0;
			for (final float x : f.readAll())
				s += x;
			assertEquals(1828.2472, s, 1e-3);
		}
		try (MrcFile f = MrcFile.open(TestData.shared("relion/clean_noctf.mrcs"))) {
			assertEquals(200, f.sections());
			double s = 0;
			for (int z = 0; z < f.sections(); z++)
				for (final float x : f.readSection(z))
					s += x;
			assertEquals(382358.73, s, 0.05);
		}
	}
}

package org.vitreous.io;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.real.FloatType;
import org.junit.Test;
import org.junit.experimental.categories.Category;
import org.vitreous.testing.Peers;
import org.vitreous.testing.SlowTest;
import org.vitreous.testing.TestData;

/**
 * A 4 GiB stack (1024 images of 1024 × 1024 float32) is iterated image by image in a JVM limited to 512 MiB of
 * heap: the reader must map sections from disk, never hold the stack. The file is sparse (zeros but for marked
 * sections), so it costs no disk space.
 */
@Category(SlowTest.class)
public class LargeStackTest {

	static final int SIZE = 1024, SECTIONS = 1024;
	static final int[] MARKED = { 0, 1, 511, 1000, 1023 };

	@Test
	public void fourGigabyteStackIteratesUnder512MegabytesOfHeap() throws IOException {
		final Path file = TestData.scratch("large-stack").resolve("large.mrcs");
		final MrcHeader h = new MrcHeader();
		h.nx = SIZE;
		h.ny = SIZE;
		h.nz = SECTIONS;
		h.mx = SIZE;
		h.my = SIZE;
		h.mz = SECTIONS;
		h.cellA = h.cellB = SIZE;
		h.cellC = SECTIONS;
		final long sectionBytes = 4L * SIZE * SIZE;
		try (FileChannel c = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
			StandardOpenOption.SPARSE))
		{
			c.write(h.toBytes(), 0);
			final ByteBuffer section = ByteBuffer.allocate((int) sectionBytes).order(ByteOrder.LITTLE_ENDIAN);
			for (final int k : MARKED) {
				section.clear();
				for (int i = 0; i < SIZE * SIZE; i++)
					section.putFloat(k + (i % 7));
				section.flip();
				c.write(section, MrcHeader.SIZE + k * sectionBytes);
			}
			c.truncate(MrcHeader.SIZE + SECTIONS * sectionBytes); // no-op if already that long
			if (c.size() < MrcHeader.SIZE + SECTIONS * sectionBytes) {
				c.write(ByteBuffer.allocate(1), MrcHeader.SIZE + SECTIONS * sectionBytes - 1);
			}
		}
		assertEquals(1024L + 4L * 1024 * 1024 * 1024, Files.size(file));
		final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
		final Peers.Result r = Peers.run(List.of(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
			Iterate.class.getName(), file.toString()), null);
		Files.delete(file);
		assertEquals(r.output(), 0, r.exitCode());
		assertTrue(r.output(), r.output().contains("sections=1024 marked=5 bad=0"));
	}

	/** Runs in the 512 MiB JVM: iterates the stack as ImgLib2 images and checks every section's content. */
	public static final class Iterate {
		public static void main(final String[] args) throws IOException {
			final long maxHeap = Runtime.getRuntime().maxMemory();
			if (maxHeap > 600L << 20) throw new IllegalStateException("heap is not limited: " + maxHeap);
			int sections = 0, marked = 0, bad = 0;
			try (MrcFile f = MrcFile.open(Path.of(args[0]))) {
				for (final ArrayImg<FloatType, FloatArray> image : f.images()) {
					final float[] v = image.update(null).getCurrentStorageArray();
					final boolean isMarked = java.util.Arrays.binarySearch(MARKED, sections) >= 0;
					double sum = 0;
					for (final float x : v)
						sum += x;
					// marked section k holds k + (i mod 7)
					final double expected = isMarked ? (double) sections * v.length + expectedRampSum(v.length) : 0;
					if (sum != expected || v[8] != (isMarked ? sections + 1 : 0)) bad++;
					if (isMarked) marked++;
					sections++;
				}
			}
			System.out.println("sections=" + sections + " marked=" + marked + " bad=" + bad + " heap=" + (maxHeap >> 20)
				+ "MiB");
		}

		private static double expectedRampSum(final int n) {
			double s = 0;
			for (int i = 0; i < n; i++)
				s += i % 7;
			return s;
		}
	}

}

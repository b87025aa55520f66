package org.vitreous.io;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

import org.junit.Before;
import org.junit.Test;
import org.vitreous.testing.TestData;

/** Damaged files get one-line errors naming the file and the problem; failed writes leave nothing behind. */
public class MrcBadInputTest {

	private Path dir, good;

	@Before
	public void writeGoodFile() throws IOException {
		dir = TestData.scratch("mrc-bad");
		good = dir.resolve("good.mrc");
		MrcWriter.write(good, net.imglib2.img.array.ArrayImgs.floats(new float[8 * 6 * 4], 8, 6, 4),
			new MrcWriter.Settings().pixelSize(1));
	}

	private Path damaged(final String name, final int offset, final byte[] bytes) throws IOException {
		final Path p = dir.resolve(name);
		Files.copy(good, p);
		try (FileChannel c = FileChannel.open(p, StandardOpenOption.WRITE)) {
			c.write(ByteBuffer.wrap(bytes), offset);
		}
		return p;
	}

	private static byte[] int32(final int v) {
		return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array();
	}

	private static String error(final Path p) {
		try (MrcFile f = MrcFile.open(p)) {
			fail(p + " should have been refused");
			return null;
		} catch (final IOException e) {
			assertTrue("names the file: " + e.getMessage(), e.getMessage().startsWith(p.toString()));
			assertFalse("one line: " + e.getMessage(), e.getMessage().contains("\n"));
			return e.getMessage();
		}
	}

	@Test
	public void truncatedFileShowsTheArithmetic() throws IOException {
		final Path p = dir.resolve("truncated.mrc");
		Files.copy(good, p);
		try (FileChannel c = FileChannel.open(p, StandardOpenOption.WRITE)) {
			c.truncate(1024 + 100);
		}
		final String m = error(p);
		assertTrue(m, m.contains("truncated"));
		assertTrue(m, m.contains("8 x 6 x 4 voxels"));
		assertTrue(m, m.contains("1,792 bytes")); // 1024 + 8*6*4*4 expected
		assertTrue(m, m.contains("1,124 bytes")); // what is there
	}

	@Test
	public void wrongMachineStamp() throws IOException {
		String m = error(damaged("stamp.mrc", 212, new byte[] { 0x55, 0x55 }));
		assertTrue(m, m.contains("machine stamp") && m.contains("55 55"));
		m = error(damaged("stamp-be.mrc", 212, new byte[] { 0x11, 0x11 })); // says big-endian, data little
		assertTrue(m, m.contains("wrong machine stamp") && m.contains("little-endian"));
	}

	@Test
	public void absurdDimensions() throws IOException {
		String m = error(damaged("negative.mrc", 4, int32(-6)));
		assertTrue(m, m.contains("absurd dimensions") && m.contains("8 -6 4"));
		m = error(damaged("huge.mrc", 8, int32(1 << 20))); // a plausible header for a file far too short
		assertTrue(m, m.contains("truncated"));
	}

	@Test
	public void unknownModeAndAxisOrder() throws IOException {
		String m = error(damaged("mode.mrc", 12, int32(3)));
		assertTrue(m, m.contains("MODE 3"));
		m = error(damaged("axes2.mrc", 68, int32(1)));
		assertTrue(m, m.contains("axis order") && m.contains("1 1 3"));
	}

	@Test
	public void notAnMrcFileAtAll() throws IOException {
		final Path p = dir.resolve("notes.mrc");
		Files.writeString(p, "just some text");
		assertTrue(error(p).contains("too short"));
	}

	@Test
	public void valuesOutsideAnIntegerModeAreRefusedAndNoFileIsLeft() throws IOException {
		final Path out = dir.resolve("int8.mrc");
		try {
			MrcWriter.write(out, net.imglib2.img.array.ArrayImgs.floats(new float[] { 1, 2, 300 }, 3, 1),
				new MrcWriter.Settings().mode(MrcMode.INT8));
			fail("300 does not fit int8");
		} catch (final IOException e) {
			assertTrue(e.getMessage(), e.getMessage().contains("outside the range -128..127"));
		}
		assertFalse(Files.exists(out));
		try (Stream<Path> files = Files.list(dir)) {
			assertEquals("no temporary file left", 0, files.filter(f -> f.toString().endsWith(".part")).count());
		}
	}

	@Test
	public void anInputIsNeverOverwritten() throws IOException {
		final long before = Files.size(good);
		final byte[] content = Files.readAllBytes(good);
		try {
			MrcWriter.write(good, MrcFile.readVolume(good), new MrcWriter.Settings().mode(MrcMode.INT16), good);
			fail("wrote over its input");
		} catch (final IOException e) {
			assertTrue(e.getMessage(), e.getMessage().contains("refusing to overwrite an input"));
		}
		assertEquals(before, Files.size(good));
		assertTrue(java.util.Arrays.equals(content, Files.readAllBytes(good)));
	}
}

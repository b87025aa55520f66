package org.vitreous.io;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vitreous.testing.Peers;

/**
 * TIFF movies: what {@link TiffWriter} writes {@link TiffFile} reads back exactly; libtiff (tiffcp, the library
 * SerialEM, MotionCor2 and RELION use) decodes our LZW and we decode its LZW, deflate and PackBits, with and without
 * the predictor; RELION reads our TIFF with the same orientation as we do; broken files get one line each.
 */
public class TiffFileTest {

	@Rule
	public TemporaryFolder tmp = new TemporaryFolder();

	/** Frames of counts: Poisson-like noise (hard to compress) and runs (codes reach 12 bits and the table clears). */
	private static float[][] frames(final int nx, final int ny, final int count, final int max, final long seed) {
		final Random r = new Random(seed);
		final float[][] f = new float[count][nx * ny];
		for (int k = 0; k < count; k++)
			for (int i = 0; i < nx * ny; i++)
				f[k][i] = k == 1 ? (i / 97) % (max + 1) : r.nextInt(max + 1);
		return f;
	}

	private Path write(final String name, final float[][] frames, final int nx, final int ny,
		final TiffWriter.Type type, final boolean lzw) throws IOException
	{
		final Path p = tmp.getRoot().toPath().resolve(name);
		try (TiffWriter w = TiffWriter.open(p, nx, ny, type, lzw, "test frames")) {
			for (final float[] f : frames)
				w.writeSection(f);
			w.commit();
		}
		return p;
	}

	private static void assertFrames(final float[][] expected, final Path p) throws IOException {
		try (TiffFile t = TiffFile.open(p)) {
			assertEquals(p + " frames", expected.length, t.sections());
			for (int k = 0; k < expected.length; k++)
				assertArrayEquals(p + " frame " + k, expected[k], t.readSection(k), 0f);
		}
	}

	@Test
	public void writesAndReadsBackEveryType() throws IOException {
		final int nx = 300, ny = 223; // odd sizes: several strips, the last one short
		for (final TiffWriter.Type type : TiffWriter.Type.values())
			for (final boolean lzw : new boolean[] { false, true }) {
				final float[][] f = frames(nx, ny, 3, type == TiffWriter.Type.UINT8 ? 255 : 4000, type.ordinal());
				if (type == TiffWriter.Type.FLOAT32) for (final float[] frame : f)
					for (int i = 0; i < frame.length; i++)
						frame[i] = frame[i] * 0.37f - 11.5f;
				final Path p = write(type + (lzw ? "_lzw" : "") + ".tif", f, nx, ny, type, lzw);
				assertFrames(f, p);
				try (TiffFile t = TiffFile.open(p)) {
					assertEquals(type.bits, t.bitsPerSample());
					assertEquals(nx, t.width());
					assertEquals(ny, t.height());
				}
			}
	}

	@Test
	public void compressesCountsSmallerThanStored() throws IOException {
		final float[][] f = frames(512, 512, 2, 3, 5); // about a count per pixel, as a K3 frame
		final long plain = Files.size(write("plain.tif", f, 512, 512, TiffWriter.Type.UINT8, false));
		final long packed = Files.size(write("packed.tif", f, 512, 512, TiffWriter.Type.UINT8, true));
		assertTrue("LZW " + packed + " bytes against " + plain, packed < 0.6 * plain);
	}

	@Test
	public void libtiffDecodesOursAndWeDecodeLibtiffs() throws IOException {
		final String tiffcp = Peers.program("tiffcp", "libtiff-tools");
		final int nx = 256, ny = 190;
		final float[][] f = frames(nx, ny, 3, 1000, 11);
		final Path ours = write("ours_lzw.tif", f, nx, ny, TiffWriter.Type.UINT16, true);
		final Path plain = tmp.getRoot().toPath().resolve("libtiff_none.tif");
		run(tiffcp, "-c", "none", ours.toString(), plain.toString());
		assertFrames(f, plain); // libtiff decoded our LZW
		for (final String c : new String[] { "lzw", "lzw:2", "zip", "zip:2", "packbits" }) {
			final Path p = tmp.getRoot().toPath().resolve("libtiff_" + c.replace(':', '_') + ".tif");
			run(tiffcp, "-c", c, "-r", "17", plain.toString(), p.toString());
			assertFrames(f, p);
		}
		final float[][] bytes = frames(nx, ny, 2, 255, 12);
		final Path eight = write("ours8.tif", bytes, nx, ny, TiffWriter.Type.UINT8, false);
		final Path eightLzw = tmp.getRoot().toPath().resolve("libtiff8_lzw.tif");
		run(tiffcp, "-c", "lzw:2", eight.toString(), eightLzw.toString());
		assertFrames(bytes, eightLzw);
		final Path big = tmp.getRoot().toPath().resolve("libtiff8_big.tif");
		run(tiffcp, "-8", "-c", "lzw", eight.toString(), big.toString());
		assertFrames(bytes, big); // BigTIFF
	}

	@Test
	public void relionReadsOurTiffWithOurOrientation() throws IOException {
		final String handler = Peers.program("relion_image_handler", "relion");
		final int nx = 96, ny = 64;
		final float[][] f = frames(nx, ny, 3, 255, 21);
		final Path tif = write("movie.tif", f, nx, ny, TiffWriter.Type.UINT8, true);
		final Path mrcs = tmp.getRoot().toPath().resolve("movie_relion.mrcs");
		run(handler, "--i", tif.toString(), "--o", mrcs.toString());
		try (MrcFile m = MrcFile.open(mrcs)) {
			assertEquals(3, m.sections());
			for (int k = 0; k < 3; k++)
				assertArrayEquals("frame " + k + " as RELION reads it", f[k], m.readSection(k), 0f);
		}
	}

	@Test
	public void brokenFilesGetOneLine() throws IOException {
		final float[][] f = frames(128, 128, 4, 255, 3);
		final Path whole = write("whole.tif", f, 128, 128, TiffWriter.Type.UINT8, true);
		final byte[] bytes = Files.readAllBytes(whole);
		final Path cut = tmp.getRoot().toPath().resolve("cut.tif");
		Files.write(cut, Arrays.copyOf(bytes, bytes.length * 3 / 5));
		refused(cut, "truncated");
		final Path text = tmp.getRoot().toPath().resolve("text.tif");
		Files.writeString(text, "not an image at all");
		refused(text, "not a TIFF");
		final String tiffcp = Peers.program("tiffcp", "libtiff-tools");
		final Path tiled = tmp.getRoot().toPath().resolve("tiled.tif");
		run(tiffcp, "-t", "-w", "64", "-l", "64", whole.toString(), tiled.toString());
		refused(tiled, "tiles");
	}

	@Test
	public void refusesValuesItCannotHold() throws IOException {
		final Path p = tmp.getRoot().toPath().resolve("over.tif");
		try (TiffWriter w = TiffWriter.open(p, 4, 4, TiffWriter.Type.UINT8, true, null)) {
			final float[] frame = new float[16];
			frame[5] = 256;
			w.writeSection(frame);
			fail("256 written as a byte");
		} catch (final IOException e) {
			assertTrue(e.getMessage(), e.getMessage().contains("over.tif") && e.getMessage().contains("256"));
		}
		assertTrue("nothing half-written", !Files.exists(p));
	}

	private static void refused(final Path p, final String words) {
		try (TiffFile t = TiffFile.open(p)) {
			for (int k = 0; k < t.sections(); k++)
				t.readSection(k);
			fail(p + " was read");
		} catch (final IOException e) {
			assertTrue(e.getMessage(), e.getMessage().startsWith(p.toString()) && e.getMessage().contains(words)
				&& !e.getMessage().contains("\n"));
		}
	}

	private static void run(final String... command) throws IOException {
		final Peers.Result r = Peers.run(List.of(command), null);
		if (r.exitCode() != 0) throw new AssertionError(String.join(" ", command) + " failed:\n" + r.output());
	}
}

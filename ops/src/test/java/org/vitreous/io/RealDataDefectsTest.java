package org.vitreous.io;

import static org.junit.Assert.assertArrayEquals;
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
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import org.junit.Test;
import org.vitreous.simulate.AtomicModel;
import org.vitreous.simulate.ScatteringFactors;
import org.vitreous.testing.TestData;

/**
 * What real files and bad input broke (the defects issue): values that are not finite numbers, headers whose sizes
 * overflow, gzipped archives, origins in pixels inside a 3.1 STAR, output files' permissions and leftovers.
 */
public class RealDataDefectsTest {

	private static final String OPTICS = "data_optics\nloop_\n_rlnOpticsGroup\n_rlnImagePixelSize\n_rlnVoltage\n"
		+ "_rlnSphericalAberration\n_rlnAmplitudeContrast\n1 2.0 300 2.7 0.1\n\n";

	private static String refusal(final Path star) {
		try {
			final RelionStar s = RelionStar.read(star);
			for (int i = 0; i < s.size(); i++)
				s.particle(i);
			fail(star + " should have been refused");
			return null;
		} catch (final IOException e) {
			assertTrue("names the file: " + e.getMessage(), e.getMessage().contains(star.getFileName().toString()));
			assertFalse("one line: " + e.getMessage(), e.getMessage().contains("\n"));
			return e.getMessage();
		}
	}

	/** NaN, Infinity, Java's "1d" and hexadecimal are not numbers in a STAR: refused with file, line and column. */
	@Test
	public void nonFiniteAndNonDecimalStarValuesAreRefused() throws IOException {
		final Path dir = TestData.scratch("star-values");
		for (final String bad : new String[] { "NaN", "Infinity", "-Infinity", "1d", "0x1p3", "1e400" }) {
			final Path star = dir.resolve("bad_" + bad.replace('-', 'm') + ".star");
			Files.writeString(star, OPTICS + "data_particles\nloop_\n_rlnImageName\n_rlnAngleRot\n_rlnOpticsGroup\n"
				+ "1@x.mrcs 10 1\n2@x.mrcs " + bad + " 1\n");
			final String m = refusal(star);
			assertTrue(m, m.contains("_rlnAngleRot") && m.contains("'" + bad + "'") && m.contains("line 16"));
		}
		// the numbers RELION writes still read
		assertEquals(12.5, Numbers.parseFinite("+1.25e1"), 0);
		assertEquals(-0.5, Numbers.parseFinite("-.5"), 0);
		assertEquals(3, Numbers.parseFinite("3."), 0);
	}

	/** A pixel size of 1e-308 Å, a negative one, or one from a magnification of 0 is no pixel size. */
	@Test
	public void implausiblePixelSizesAreRefused() throws IOException {
		final Path dir = TestData.scratch("star-pixel");
		for (final String bad : new String[] { "1e-308", "-2", "1e300" }) {
			final Path star = dir.resolve("pixel.star");
			Files.writeString(star, OPTICS.replace("1 2.0 300", "1 " + bad + " 300") + "data_particles\nloop_\n"
				+ "_rlnImageName\n_rlnOpticsGroup\n1@x.mrcs 1\n");
			final String m = refusal(star);
			assertTrue(m, m.contains("_rlnImagePixelSize") && m.contains("not a plausible pixel size"));
		}
		final Path old = dir.resolve("magnification.star");
		Files.writeString(old, "data_\nloop_\n_rlnImageName\n_rlnDetectorPixelSize\n_rlnMagnification\n1@x.mrcs 5 0\n");
		assertTrue(refusal(old), refusal(old).contains("_rlnMagnification"));
	}

	@Test
	public void nonFiniteTiltAnglesAreRefused() throws IOException {
		final Path dir = TestData.scratch("tlt-values");
		for (final String bad : new String[] { "NaN", "Infinity", "1d", "0x1p3" }) {
			final Path tlt = dir.resolve("bad.tlt");
			Files.writeString(tlt, "-60\n" + bad + "\n60\n");
			try {
				TiltAngles.read(tlt);
				fail(bad + " accepted as a tilt angle");
			} catch (final FormatException e) {
				assertTrue(e.getMessage(), e.getMessage().contains("bad.tlt") && e.getMessage().contains(bad));
			}
		}
	}

	@Test
	public void nonFiniteAtomCoordinatesAreRefused() throws IOException {
		final Path pdb = TestData.scratch("pdb-values").resolve("nan.pdb");
		Files.writeString(pdb, "ATOM      1  CA  GLY A   1         NaN   2.000   3.000  1.00 10.00           C\n");
		try {
			AtomicModel.read(pdb);
			fail("NaN coordinates accepted");
		} catch (final FormatException e) {
			assertTrue(e.getMessage(), e.getMessage().contains("nan.pdb") && e.getMessage().contains("line 1:"));
		}
	}

	/** A STAR that is not UTF-8, and an image name with no stack, get messages that say so. */
	@Test
	public void unreadableTextAndEmptyImageNamesAreNamed() throws IOException {
		final Path dir = TestData.scratch("star-text");
		final Path binary = dir.resolve("binary.star");
		Files.write(binary, new byte[] { 'd', 'a', 't', 'a', '_', '\n', (byte) 0xff, (byte) 0xfe, (byte) 0x80, '\n' });
		assertTrue(refusal(binary), refusal(binary).contains("not UTF-8"));
		final Path empty = dir.resolve("empty_name.star");
		Files.writeString(empty, OPTICS + "data_particles\nloop_\n_rlnImageName\n_rlnOpticsGroup\n1@ 1\n");
		assertTrue(refusal(empty), refusal(empty).contains("names no stack"));
	}

	/**
	 * ASPIRE's 3.1 STAR with rlnOriginX/Y in pixels: read at the optics group's pixel size (1 Å), not ignored. A
	 * pre-3.1 file that gives both pixel and Å origins reads where they agree and is refused where they do not.
	 */
	@Test
	public void originsInPixelsAreReadNeverIgnored() throws IOException {
		final RelionStar shifted = RelionStar.read(TestData.shared("real/spa/aspire/rln_proj_65_shifted.star"));
		final double[][] pixels = { { 6, 10 }, { 10, -5 }, { -8, 11 }, { -13, -3 } };
		for (int i = 0; i < 4; i++) {
			assertEquals(pixels[i][0], shifted.particle(i).originXAngst(), 1e-9);
			assertEquals(pixels[i][1], shifted.particle(i).originYAngst(), 1e-9);
		}
		final RelionStar centred = RelionStar.read(TestData.shared("real/spa/aspire/rln_proj_65_centered.star"));
		assertEquals(0, centred.particle(2).originXAngst(), 0);
		final Path dir = TestData.scratch("star-origins");
		final String header = "data_\nloop_\n_rlnImageName\n_rlnDetectorPixelSize\n_rlnMagnification\n_rlnOriginX\n"
			+ "_rlnOriginXAngst\n";
		final Path agree = dir.resolve("agree.star"), disagree = dir.resolve("disagree.star");
		Files.writeString(agree, header + "1@x.mrcs 5 10000 2 10\n");
		Files.writeString(disagree, header + "1@x.mrcs 5 10000 2 7\n");
		assertEquals(10, RelionStar.read(agree).particle(0).originXAngst(), 1e-9);
		assertTrue(refusal(disagree), refusal(disagree).contains("disagree"));
	}

	private static void writeInt(final Path p, final int offset, final int v) throws IOException {
		try (FileChannel c = FileChannel.open(p, StandardOpenOption.WRITE)) {
			c.write(ByteBuffer.wrap(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v).array()), offset);
		}
	}

	private static void writeFloat(final Path p, final int offset, final float v) throws IOException {
		writeInt(p, offset, Float.floatToRawIntBits(v));
	}

	private static String mrcRefusal(final Path p) {
		try (MrcFile f = MrcFile.open(p)) {
			fail(p + " should have been refused");
			return null;
		} catch (final IOException e) {
			assertTrue(e.getMessage(), e.getMessage().startsWith(p.toString()) && !e.getMessage().contains("\n"));
			return e.getMessage();
		}
	}

	/** Sizes computed in checked long arithmetic; a cell of infinity or a voxel of 1e-30 Å is no voxel size. */
	@Test
	public void headersThatOverflowOrStateNoFiniteCellAreRefused() throws IOException {
		final Path dir = TestData.scratch("mrc-header");
		final Path good = dir.resolve("good.mrc");
		MrcWriter.write(good, net.imglib2.img.array.ArrayImgs.floats(new float[4 * 4 * 4], 4, 4, 4),
			new MrcWriter.Settings().pixelSize(1));
		final Path huge = dir.resolve("huge.mrc");
		Files.copy(good, huge);
		for (final int offset : new int[] { 0, 4, 8 })
			writeInt(huge, offset, 1 << 20);
		writeInt(huge, 12, 4);
		assertTrue(mrcRefusal(huge), mrcRefusal(huge).contains("more bytes than any file can hold"));
		final Path infinite = dir.resolve("infinite.mrc");
		Files.copy(good, infinite);
		writeFloat(infinite, 40, Float.POSITIVE_INFINITY);
		assertTrue(mrcRefusal(infinite), mrcRefusal(infinite).contains("cell length A"));
		final Path tiny = dir.resolve("tiny.mrc");
		Files.copy(good, tiny);
		writeFloat(tiny, 40, 4e-30f);
		assertTrue(mrcRefusal(tiny), mrcRefusal(tiny).contains("not a plausible voxel size"));
		final Path negative = dir.resolve("negative.mrc");
		Files.copy(good, negative);
		writeFloat(negative, 40, -8f);
		try (MrcFile f = MrcFile.open(negative)) {
			assertEquals(-2, f.header().statedVoxelSize()[0], 0);
			assertTrue(f.header().toJson(negative).contains("negative cell lengths"));
		}
	}

	@Test
	public void writerRefusesNonFiniteValuesAndLeavesNothing() throws IOException {
		final Path dir = TestData.scratch("mrc-nan");
		for (final float bad : new float[] { Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY }) {
			final Path target = dir.resolve("bad.mrc");
			final float[] values = new float[27];
			values[13] = bad;
			try {
				MrcWriter.write(target, net.imglib2.img.array.ArrayImgs.floats(values, 3, 3, 3), new MrcWriter.Settings()
					.pixelSize(1));
				fail(bad + " written");
			} catch (final IOException e) {
				assertTrue(e.getMessage(), e.getMessage().contains("bad.mrc") && e.getMessage().contains("not a finite"));
			}
			try (var files = Files.list(dir)) {
				assertEquals("nothing left in " + dir, 0, files.count());
			}
		}
	}

	/** EMDB's gzipped map reads exactly as the plain one; a gzipped PDB reads; a TIFF is named as one. */
	@Test
	public void gzippedArchivesReadAndTiffIsNamed() throws IOException {
		final float[] plain, gzipped;
		try (MrcFile f = MrcFile.open(TestData.shared("real/maps/mrcfile/EMD-3197.map"))) {
			plain = f.readAll();
		}
		try (MrcFile f = MrcFile.open(TestData.shared("real/maps/mrcfile/emd_3197.map.gz"))) {
			gzipped = f.readAll();
			assertEquals(11.4, f.header().voxelSize()[0], 1e-3);
		}
		assertArrayEquals(plain, gzipped, 0);
		final AtomicModel lysozyme = AtomicModel.read(TestData.shared("real/models/gemmi/1lzh.pdb.gz"));
		assertTrue("atoms of 1LZH: " + lysozyme.atoms().size(), lysozyme.atoms().size() >= 258);
		final Path tiff = TestData.scratch("tiff").resolve("image.tif");
		Files.write(tiff, new byte[] { 'I', 'I', 42, 0, 8, 0, 0, 0, 0, 0, 0, 0 });
		assertTrue(mrcRefusal(tiff), mrcRefusal(tiff).contains("is a TIFF image"));
	}

	/** Heme's iron, 4OZ7's copper, deuterium as hydrogen, and the element from the name when the columns lack it. */
	@Test
	public void realModelsKeepTheirElements() throws IOException {
		final AtomicModel heme = AtomicModel.read(TestData.shared("real/models/gemmi/HEM.pdb"));
		assertEquals(1, heme.atoms().stream().filter(a -> a.element().equals("Fe")).count());
		final AtomicModel copper = AtomicModel.read(TestData.shared("real/models/gemmi/4oz7.pdb"));
		assertEquals(2, copper.atoms().stream().filter(a -> a.element().equals("Cu")).count());
		for (final String e : new String[] { "Se", "Fe", "Zn", "Mg", "Ca", "Na", "Cu", "K", "Cl", "D", "H" })
			assertTrue(e, ScatteringFactors.has(e));
		final Path old = TestData.scratch("pdb-old").resolve("old.pdb");
		Files.writeString(old, "ATOM      1  CA  GLY A   1       1.000   2.000   3.000  1.00 10.00      A1  \n"
			+ "HETATM    2 ZN    ZN A   2       4.000   5.000   6.000  1.00 10.00          \n"
			+ "ATOM      3 1HB  ALA A   3       7.000   8.000   9.000  1.00 10.00          \n"
			+ "HETATM    4 FE   HEM A   4       1.000   1.000   1.000  1.00 10.00    XXXX\n");
		final AtomicModel m = AtomicModel.read(old);
		assertEquals("C", m.atoms().get(0).element());
		assertEquals("Zn", m.atoms().get(1).element());
		assertEquals("H", m.atoms().get(2).element());
		assertEquals("Fe", m.atoms().get(3).element());
	}

	/**
	 * Outputs have a plain file's permissions (0644 under umask 022), a replaced file keeps its mode, and a
	 * temporary file a killed run left behind is removed by the next run.
	 */
	@Test
	public void outputsHavePlainPermissionsAndRerunsClearLeftovers() throws IOException {
		final Path dir = TestData.scratch("output-modes");
		final Path target = dir.resolve("map.mrc");
		final Path leftover = AtomicOutput.temporaryOf(target);
		Files.write(leftover, new byte[1 << 16]); // what kill -9 would leave
		MrcWriter.write(target, net.imglib2.img.array.ArrayImgs.floats(new float[8], 2, 2, 2), new MrcWriter.Settings()
			.pixelSize(1));
		assertFalse("leftover removed", Files.exists(leftover));
		final Path probe = Files.createFile(dir.resolve("probe"));
		assertEquals("the mode a plain new file gets here", Files.getPosixFilePermissions(probe), Files
			.getPosixFilePermissions(target));
		final Set<PosixFilePermission> groupWritable = PosixFilePermissions.fromString("rw-rw-r--");
		Files.setPosixFilePermissions(target, groupWritable);
		MrcWriter.write(target, net.imglib2.img.array.ArrayImgs.floats(new float[8], 2, 2, 2), new MrcWriter.Settings()
			.pixelSize(1));
		assertEquals(groupWritable, Files.getPosixFilePermissions(target));
		try (var files = Files.list(dir)) {
			assertEquals(2, files.count()); // the map and the probe
		}
	}
}

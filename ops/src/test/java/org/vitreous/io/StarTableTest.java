package org.vitreous.io;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The packed column store behind a STAR block: text kept as read, numbers parsed once, values set kept apart. */
public class StarTableTest {

	@Rule
	public TemporaryFolder folder = new TemporaryFolder();

	private static StarTable table(final int rows) {
		final StarTable t = new StarTable("particles", true);
		t.addColumn("rlnImageName", "");
		t.addColumn("rlnAngleRot", "");
		t.addColumn("rlnClassNumber", "");
		for (int r = 0; r < rows; r++)
			t.addRow(String.format(Locale.ROOT, "%06d@Particles/stack_é.mrcs", r + 1), Integer.toString(r % 360),
				r % 3 == 0 ? "2.000000" : "1");
		return t;
	}

	@Test
	public void valuesAreTheTextGivenAndTypedGettersParseIt() throws FormatException {
		final StarTable t = table(1000);
		assertEquals("000017@Particles/stack_é.mrcs", t.get(16, 0));
		assertEquals(16.0, t.getDouble(16, "rlnAngleRot"), 0);
		assertEquals(2, t.getInt(0, "rlnClassNumber")); // RELION's "2.000000" is an integer
		assertEquals(1, t.getInt(1, "rlnClassNumber"));
		final double[] rot = t.doubles("rlnAngleRot");
		for (int r = 0; r < 1000; r++)
			assertEquals(r % 360, rot[r], 0);
		rot[5] = -1; // a copy: the table is not changed through it
		assertEquals(5.0, t.getDouble(5, "rlnAngleRot"), 0);
	}

	@Test
	public void setValuesOverrideTheTextReadAndTheParsedNumbers() throws FormatException {
		final StarTable t = table(10);
		assertEquals(3.0, t.getDouble(3, "rlnAngleRot"), 0); // numbers parsed now
		t.set(3, "rlnAngleRot", 12.25);
		assertEquals(12.25, t.getDouble(3, "rlnAngleRot"), 0);
		t.set(2, "rlnAngleRot", 1.0 / 3); // reads back as written, six decimals
		assertEquals(0.333333, t.getDouble(2, "rlnAngleRot"), 0);
		final StarTable copy = t.copy();
		copy.set(2, "rlnAngleRot", 5.0);
		copy.addRow("x@y.mrcs", "1", "1");
		assertEquals(0.333333, t.getDouble(2, "rlnAngleRot"), 0);
		assertEquals(10, t.rowCount());
		assertEquals("5.000000", copy.get(2, 1));
		assertEquals("12.250000", t.get(3, 1));
		t.set(3, "rlnAngleRot", "7");
		assertEquals("7", t.get(3, 1));
		assertEquals(7.0, t.getDouble(3, "rlnAngleRot"), 0);
		t.set(4, "rlnAngleRot", "none");
		expectValueError(() -> t.getDouble(4, "rlnAngleRot"), "_rlnAngleRot is 'none', expected a finite number");
		expectValueError(() -> t.doubles("rlnAngleRot"), "row 5");
		t.set(4, "rlnAngleRot", 1.5);
		assertEquals(1.5, t.doubles("rlnAngleRot")[4], 0);
		// a column set before any number was asked for
		t.set(9, "rlnClassNumber", 4);
		assertEquals(4, t.getInt(9, "rlnClassNumber"));
		expectValueError(() -> t.getInt(3, "rlnAngleRot") + t.getInt(4, "rlnAngleRot"),
			"_rlnAngleRot is '1.500000', expected an integer");
		// a new column is filled, rows added later are parsed too
		t.set(2, "rlnDefocusU", 15000.0);
		assertEquals(0.0, t.getDouble(1, "rlnDefocusU"), 0);
		t.addRow("000011@x.mrcs", "11", "1", "20000");
		assertEquals(11.0, t.getDouble(10, "rlnAngleRot"), 0);
		assertEquals(20000.0, t.getDouble(10, "rlnDefocusU"), 0);
		t.removeColumn("rlnAngleRot");
		assertEquals("000011@x.mrcs", t.get(10, 0));
		assertEquals("20000", t.get(10, 2));
	}

	private interface Read {
		Object run() throws FormatException;
	}

	private static void expectValueError(final Read read, final String fragment) {
		try {
			read.run();
			fail("expected an error with " + fragment);
		} catch (final FormatException e) {
			assertTrue(e.getMessage(), e.getMessage().contains(fragment));
		}
	}

	@Test
	public void largeTableRoundTripsByteForByte() throws IOException {
		final int rows = 200_000;
		final StarFile file = new StarFile();
		final StarTable t = table(rows);
		for (int r = 0; r < rows; r += 7)
			t.set(r, "rlnAngleRot", r * 0.001);
		file.add(t);
		final Path a = folder.getRoot().toPath().resolve("a.star");
		final Path b = folder.getRoot().toPath().resolve("b.star");
		file.write(a);
		final StarFile read = StarFile.read(a);
		final StarTable back = read.block("particles");
		assertEquals(rows, back.rowCount());
		assertEquals(7.0, back.getDouble(7000, "rlnAngleRot"), 0);
		assertEquals(t.get(199_999, 0), back.get(199_999, 0));
		assertEquals(a.toString(), back.source().toString());
		assertEquals(7003, back.line(7000) - back.line(0) + 3);
		read.write(b);
		assertArrayEquals(Files.readAllBytes(a), Files.readAllBytes(b));
	}
}

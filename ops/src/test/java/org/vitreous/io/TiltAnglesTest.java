package org.vitreous.io;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.Test;
import org.vitreous.testing.TestData;

public class TiltAnglesTest {

	@Test
	public void imodStyleRoundTrip() throws IOException {
		final Path dir = TestData.scratch("tlt");
		final double[] angles = new double[61];
		for (int i = 0; i < angles.length; i++)
			angles[i] = -60 + 2 * i;
		angles[3] = -53.975; // a value IMOD's two decimals would round: kept exactly
		final Path file = dir.resolve("series.tlt");
		TiltAngles.write(file, angles);
		assertEquals(" -60.00", Files.readAllLines(file).get(0));
		assertEquals("-53.975", Files.readAllLines(file).get(3));
		assertArrayEquals(angles, TiltAngles.read(file), 0);
	}

	@Test
	public void badLinesAreNamed() throws IOException {
		final Path dir = TestData.scratch("tlt-bad");
		final Path bad = dir.resolve("bad.tlt");
		Files.writeString(bad, "-60\n-58\n\nfifty\n");
		StarFileTest.expect(() -> TiltAngles.read(bad), bad, "line 4: 'fifty' is not a tilt angle");
		final Path wild = dir.resolve("wild.tlt");
		Files.writeString(wild, "-60\n120\n");
		StarFileTest.expect(() -> TiltAngles.read(wild), wild, "outside -90..90");
	}
}

package org.vitreous.io;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.Test;
import org.vitreous.testing.TestData;

public class StarFileTest {

	@Test
	public void relionWrittenParticlesReadWithTheStatedValues() throws IOException {
		for (final String name : new String[] { "particles.star", "clean_ctf.star", "clean_noctf.star" }) {
			final Path path = TestData.shared("relion/" + name);
			final RelionStar star = RelionStar.read(path);
			assertFalse(star.convertedFromPre31());
			assertEquals(name, 200, star.size());
			final RelionStar.Particle p = star.particle(0);
			assertEquals(name, 102.935600, p.angleRot(), 1e-9);
			assertEquals(name, 129.742200, p.angleTilt(), 1e-9);
			assertEquals(name, -138.41050, p.anglePsi(), 1e-9);
			assertEquals(name, 23.158000, p.originXAngst(), 1e-9);
			assertEquals(name, -11.85000, p.originYAngst(), 1e-9);
			assertEquals(name, 1, p.image().index());
			assertEquals(name, path.toAbsolutePath().getParent().resolve(name.replace(".star", ".mrcs")), p.image()
				.stack());
			assertTrue(Files.exists(p.image().stack()));
			if (!name.equals("clean_noctf.star")) {
				assertEquals(name, 16727.17, p.defocusU(), 1e-9);
				assertEquals(name, 16556.63, p.defocusV(), 1e-9);
				assertEquals(name, 164.92, p.defocusAngle(), 1e-9);
			}
			final RelionStar.OpticsGroup optics = star.opticsGroup(p.opticsGroup());
			assertEquals(300, optics.voltage(), 0);
			assertEquals(2.7, optics.sphericalAberration(), 0);
			assertEquals(0.1, optics.amplitudeContrast(), 0);
			assertEquals(6.0, optics.imagePixelSize(), 0);
			assertEquals(64, optics.imageSize());
		}
	}

	@Test
	public void roundTripKeepsEveryColumnInOrder() throws IOException {
		final Path in = TestData.shared("relion/particles.star");
		final StarFile original = StarFile.read(in);
		final Path out = TestData.scratch("star").resolve("copy.star");
		original.write(out, in);
		final StarFile copy = StarFile.read(out);
		assertSameContent(original, copy);
	}

	static void assertSameContent(final StarFile a, final StarFile b) {
		assertEquals(a.blocks().size(), b.blocks().size());
		for (int i = 0; i < a.blocks().size(); i++) {
			final StarTable ta = a.blocks().get(i), tb = b.blocks().get(i);
			assertEquals(ta.name(), tb.name());
			assertEquals(ta.isLoop(), tb.isLoop());
			assertEquals(ta.columns(), tb.columns());
			assertEquals(ta.rowCount(), tb.rowCount());
			for (int r = 0; r < ta.rowCount(); r++)
				for (int c = 0; c < ta.columns().size(); c++)
					assertEquals(ta.name() + " row " + r + " " + ta.columns().get(c), ta.get(r, c), tb.get(r, c));
		}
	}

	@Test
	public void unknownColumnsQuotesPairsAndComments() throws IOException {
		final Path dir = TestData.scratch("star-syntax");
		final Path in = dir.resolve("odd.star");
		Files.writeString(in, String.join("\n", "# written by hand", "", "# version 30001", "", "data_general", "",
			"_rlnFinalResolution    3.25   # a comment", "_myProgramNote  \"two words\"", "",
			"# version 30001", "data_particles", "loop_", "_rlnImageName #1", "_myCustomScore #2",
			"_rlnAngleRot #3", "_myLabel #4",
			"000001@stack.mrcs 0.5 10.0 'it''s'", "000002@stack.mrcs   -1e-3   20.5 \"\"",
			"000003@stack.mrcs 7 30", "  plain", ""));
		final StarFile star = StarFile.read(in);
		final StarTable general = star.requireBlock("general");
		assertFalse(general.isLoop());
		assertEquals(3.25, general.getDouble(0, "rlnFinalResolution"), 0);
		assertEquals("two words", general.get(0, "myProgramNote"));
		final StarTable particles = star.requireBlock("particles");
		assertEquals(List.of("rlnImageName", "myCustomScore", "rlnAngleRot", "myLabel"), particles.columns());
		assertEquals(3, particles.rowCount());
		assertEquals("it''s", particles.get(0, 3)); // a quote closes only before whitespace
		assertEquals("", particles.get(1, 3));
		assertEquals("plain", particles.get(2, 3)); // a row may continue on the next line
		assertEquals(-1e-3, particles.getDouble(1, "myCustomScore"), 0);

		final Path out = dir.resolve("odd-copy.star");
		star.write(out, in);
		assertSameContent(star, StarFile.read(out));
	}

	@Test
	public void missingColumnAndNonNumericAngleAreClearErrors() throws IOException {
		final Path dir = TestData.scratch("star-bad");
		final Path noImage = dir.resolve("no-image.star");
		Files.writeString(noImage, "data_optics\nloop_\n_rlnOpticsGroup #1\n1\n\ndata_particles\nloop_\n"
			+ "_rlnAngleRot #1\n_rlnOpticsGroup #2\n10 1\n");
		expect(() -> RelionStar.read(noImage), noImage, "data_particles has no column _rlnImageName");

		final Path noTilt = dir.resolve("no-tilt.star");
		Files.writeString(noTilt, "data_optics\nloop_\n_rlnOpticsGroup #1\n1\n\ndata_particles\nloop_\n"
			+ "_rlnImageName #1\n_rlnAngleRot #2\n_rlnOpticsGroup #3\n1@a.mrcs 10 1\n");
		final RelionStar star = RelionStar.read(noTilt);
		expect(() -> star.requireColumns("reconstruction", RelionStar.ANGLE_ROT, RelionStar.ANGLE_TILT,
			RelionStar.ANGLE_PSI), noTilt, "no column _rlnAngleTilt, _rlnAnglePsi, needed for reconstruction");

		final Path badAngle = dir.resolve("bad-angle.star");
		Files.writeString(badAngle, "data_optics\nloop_\n_rlnOpticsGroup #1\n1\n\ndata_particles\nloop_\n"
			+ "_rlnImageName #1\n_rlnAngleTilt #2\n_rlnOpticsGroup #3\n1@a.mrcs 10 1\n2@a.mrcs ninety 1\n");
		final RelionStar bad = RelionStar.read(badAngle);
		expect(() -> bad.particle(1), badAngle, "line 12: _rlnAngleTilt is 'ninety', expected a finite number");

		final Path ragged = dir.resolve("ragged.star");
		Files.writeString(ragged, "data_particles\nloop_\n_rlnImageName #1\n_rlnAngleTilt #2\n1@a.mrcs 10\n"
			+ "2@a.mrcs\n");
		expect(() -> StarFile.read(ragged), ragged, "incomplete row");

		final Path group = dir.resolve("group.star");
		Files.writeString(group, "data_optics\nloop_\n_rlnOpticsGroup #1\n1\n\ndata_particles\nloop_\n"
			+ "_rlnImageName #1\n_rlnOpticsGroup #2\n1@a.mrcs 2\n");
		expect(() -> RelionStar.read(group), group, "_rlnOpticsGroup is 2, which data_optics does not define");

		final Path notStar = dir.resolve("empty.star");
		Files.writeString(notStar, "# nothing\n");
		expect(() -> StarFile.read(notStar), notStar, "no data_ block");
	}

	interface Action {
		void run() throws IOException;
	}

	static void expect(final Action action, final Path file, final String fragment) {
		try {
			action.run();
			fail("expected an error containing: " + fragment);
		} catch (final IOException e) {
			assertTrue(e.getMessage(), e.getMessage().startsWith(file.toString()));
			assertTrue(e.getMessage(), e.getMessage().contains(fragment));
			assertFalse(e.getMessage(), e.getMessage().contains("\n"));
		}
	}

	@Test
	public void pre31FilesAreConverted() throws IOException {
		final Path dir = TestData.scratch("star-pre31");
		final Path old = dir.resolve("old.star");
		Files.writeString(old, "\ndata_\n\nloop_\n_rlnImageName #1\n_rlnOriginX #2\n_rlnOriginY #3\n_rlnVoltage #4\n"
			+ "_rlnSphericalAberration #5\n_rlnAmplitudeContrast #6\n_rlnDetectorPixelSize #7\n_rlnMagnification #8\n"
			+ "_rlnDefocusU #9\n_rlnMyOwnColumn #10\n"
			+ "1@stack.mrcs 2.0 -1.5 300 2.7 0.1 14.0 100000.0 15000 a\n"
			+ "2@stack.mrcs 0.5 1.0 200 2.0 0.07 5.0 100000.0 16000 b\n"
			+ "3@stack.mrcs 1.0 1.0 300 2.7 0.1 14.0 100000.0 17000 c\n");
		final RelionStar star = RelionStar.read(old);
		assertTrue(star.convertedFromPre31());
		assertEquals(2, star.opticsGroups().size());
		assertEquals(1.4, star.opticsGroup(1).imagePixelSize(), 1e-12);
		assertEquals(0.5, star.opticsGroup(2).imagePixelSize(), 1e-12);
		assertEquals(200, star.opticsGroup(2).voltage(), 0);
		final RelionStar.Particle p0 = star.particle(0), p1 = star.particle(1), p2 = star.particle(2);
		assertEquals(2.8, p0.originXAngst(), 1e-9);
		assertEquals(-2.1, p0.originYAngst(), 1e-9);
		assertEquals(0.25, p1.originXAngst(), 1e-9);
		assertEquals(1, p0.opticsGroup());
		assertEquals(2, p1.opticsGroup());
		assertEquals(1, p2.opticsGroup());
		assertEquals(List.of("rlnImageName", "rlnOriginXAngst", "rlnOriginYAngst", "rlnDefocusU", "rlnMyOwnColumn",
			"rlnOpticsGroup"), star.items().columns());
		assertEquals(dir.toAbsolutePath().resolve("stack.mrcs"), p0.image().stack());

		final Path out = dir.resolve("new.star");
		star.write(out, old);
		final RelionStar again = RelionStar.read(out);
		assertFalse(again.convertedFromPre31());
		assertEquals(2.8, again.particle(0).originXAngst(), 1e-6);
		assertEquals("c", again.items().get(2, "rlnMyOwnColumn"));

		final Path noPixelSize = dir.resolve("nopix.star");
		Files.writeString(noPixelSize, "data_\nloop_\n_rlnImageName #1\n_rlnOriginX #2\n1@s.mrcs 2.0\n");
		expect(() -> RelionStar.read(noPixelSize), noPixelSize, "give the pixel size");
		assertEquals(3.0, RelionStar.read(noPixelSize, 1.5).particle(0).originXAngst(), 1e-9);
	}

	@Test
	public void newParticleFileWritesRelion31() throws IOException {
		final Path dir = TestData.scratch("star-new");
		final RelionStar star = RelionStar.createParticles(List.of(new RelionStar.OpticsGroup("opticsGroup1", 1, 300,
			2.7, 0.1, 1.5, 96, 2)));
		for (int i = 1; i <= 3; i++)
			star.add(new RelionStar.Particle(new ImageReference(i, dir.resolve("particles.mrcs")), 10 * i, 20 * i,
				-30 * i, 1.5 * i, -0.5, 15000 + i, 14000, 45, 1, 1 + i % 2, 0), dir);
		final Path out = dir.resolve("particles.star");
		star.write(out);
		final String text = Files.readString(out);
		assertTrue(text, text.contains("# version 30001\n\ndata_optics\n\nloop_"));
		assertTrue(text, text.contains("000002@particles.mrcs"));
		final RelionStar back = RelionStar.read(out);
		assertEquals(new RelionStar.Particle(new ImageReference(2, dir.toAbsolutePath().resolve("particles.mrcs")),
			20, 40, -60, 3, -0.5, 15002, 14000, 45, 1, 1, 0), back.particle(1));
	}

	/** The particles' pixel size and box: from the optics group, else from the stack; no particles is refused. */
	@Test
	public void imageGeometryFromOpticsOrStack() throws IOException {
		final Path dir = TestData.scratch("star-geometry");
		final Path shared = TestData.shared("relion/particles.star");
		assertEquals(new RelionStar.ImageGeometry(6, 64), RelionStar.read(shared).imageGeometry());
		// no rlnImageSize: the box comes from the stack the first particle names
		final String text = java.nio.file.Files.readString(shared).replaceAll("(?m)^_rlnImageSize #7 \\s*\\n", "")
			.replaceAll("(?m)^_rlnImageDimensionality #8", "_rlnImageDimensionality #7").replaceAll(
				"(?m)^(opticsGroup1(\\s+\\S+){5})\\s+64(\\s+2)", "$1$3");
		final Path noSize = dir.resolve("no-size.star");
		java.nio.file.Files.writeString(noSize, text.replace("particles.mrcs", shared.getParent().resolve(
			"particles.mrcs").toString()));
		assertEquals(0, RelionStar.read(noSize).opticsGroup(1).imageSize());
		assertEquals(new RelionStar.ImageGeometry(6, 64), RelionStar.read(noSize).imageGeometry());
		final RelionStar empty = RelionStar.createParticles(List.of(new RelionStar.OpticsGroup("opticsGroup1", 1, 300,
			2.7, 0.1, 1.5, 32, 2)));
		final Path emptyPath = dir.resolve("empty.star");
		empty.write(emptyPath);
		final FormatException e = org.junit.Assert.assertThrows(FormatException.class, () -> RelionStar.read(emptyPath)
			.imageGeometry());
		assertTrue(e.getMessage(), e.getMessage().contains("empty.star") && e.getMessage().contains("no particles"));
	}
}

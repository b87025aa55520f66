package org.vitreous.plugins;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;
import org.scijava.MenuEntry;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandModule;
import org.vitreous.io.MrcFile;
import org.vitreous.io.MrcMode;
import org.vitreous.plugins.tools.ConvertCommand;
import org.vitreous.plugins.tools.HeaderCommand;
import org.vitreous.testing.TestData;

/** Commands run through a SciJava context as Fiji runs them (with pre- and postprocessing). */
public class CommandsTest extends CommandTesting {

	/**
	 * The README's command table is the one list of commands: every Vitreous command is in it, under its name, with
	 * the menu path it gives ("—" for none), and every command it names exists ({@code run} is the launcher's own).
	 */
	@Test
	public void menuPathsAndNamesFollowTheCommandTable() throws Exception {
		final Map<String, String> table = new TreeMap<>();
		final Pattern row = Pattern.compile("^\\| `([a-z0-9-]+)` \\| ([^|]+) \\|");
		for (final String line : Files.readAllLines(Paths.get("").toAbsolutePath().getParent().resolve("README.md"))) {
			final Matcher m = row.matcher(line);
			if (m.find()) table.put(m.group(1), m.group(2).strip());
		}
		table.remove("run");
		assertTrue("README command table: " + table, table.size() >= 15);
		final Map<String, String> actual = new TreeMap<>();
		for (final CommandInfo info : commands.getCommands())
			if (info.getClassName().startsWith("org.vitreous.")) actual.put(info.getName(), info.getMenuPath().isEmpty()
				? "—" : menu(info).replaceFirst("^Plugins>Vitreous>", "").replace(">", " › "));
		assertEquals(table, actual);
	}

	private static String menu(final CommandInfo info) {
		final StringBuilder s = new StringBuilder();
		for (final MenuEntry e : info.getMenuPath())
			s.append(s.length() == 0 ? "" : ">").append(e.getName());
		return s.toString();
	}

	@Test
	public void headerGivesTheLibrarysJson() throws Exception {
		final Path map = TestData.shared("maps/mmma.ccp4");
		final CommandModule m = run(HeaderCommand.class, Map.of("input", map.toFile()));
		assertFalse(m.getCancelReason(), m.isCanceled());
		try (MrcFile f = MrcFile.open(map)) {
			assertEquals(f.header().toJson(map), m.getOutput("header"));
		}
	}

	@Test
	public void convertWritesWhatTheLibraryReads() throws Exception {
		final Path in = TestData.shared("relion/particles.mrcs");
		final Path dir = TestData.scratch("convert");
		final Path out = dir.resolve("subset.mrcs");
		final CommandModule m = run(ConvertCommand.class, Map.of("input", in.toFile(), "output", out.toFile(), "mode",
			"12", "pixelSize", 0.0, "first", 11, "last", 20));
		assertFalse(m.getCancelReason(), m.isCanceled());
		assertEquals(10, m.getOutput("imagesWritten"));
		try (MrcFile original = MrcFile.open(in); MrcFile converted = MrcFile.open(out)) {
			assertEquals(MrcMode.FLOAT16, converted.mode());
			assertEquals(0, converted.header().ispg);
			assertEquals(10, converted.sections());
			assertEquals(6.0, converted.voxelSize()[0], 1e-6);
			for (int i = 0; i < 10; i++) {
				final float[] a = original.readSection(10 + i), b = converted.readSection(i);
				for (int k = 0; k < a.length; k++) // float16 keeps 11 significant bits
					assertEquals(a[k], b[k], Math.abs(a[k]) * 1e-3 + 1e-4);
			}
		}
		// and through TIFF and back, exactly
		final Path tif = dir.resolve("subset.tif"), back = dir.resolve("back.mrc");
		assertFalse(run(ConvertCommand.class, Map.of("input", out.toFile(), "output", tif.toFile(), "mode", "keep",
			"pixelSize", 0.0, "first", 1, "last", 0)).isCanceled());
		assertFalse(run(ConvertCommand.class, Map.of("input", tif.toFile(), "output", back.toFile(), "mode", "keep",
			"pixelSize", 0.0, "first", 1, "last", 0)).isCanceled());
		try (MrcFile a = MrcFile.open(out); MrcFile b = MrcFile.open(back)) {
			for (int i = 0; i < 10; i++)
				assertArrayEquals(a.readSection(i), b.readSection(i), 0f);
			assertEquals(6.0, b.voxelSize()[0], 1e-4);
		}
	}

	@Test
	public void badInputCancelsWithOneLineAndWritesNothing() throws Exception {
		final Path dir = TestData.scratch("convert-bad");
		final Path broken = dir.resolve("broken.mrcs");
		Files.write(broken, Arrays.copyOf(Files.readAllBytes(TestData.shared("relion/particles.mrcs")), 5000));
		final Path out = dir.resolve("out.mrcs");
		final CommandModule m = run(ConvertCommand.class, Map.of("input", broken.toFile(), "output", out.toFile(),
			"mode", "keep", "pixelSize", 0.0, "first", 1, "last", 0));
		assertTrue(m.isCanceled());
		assertTrue(m.getCancelReason(), m.getCancelReason().startsWith(broken.toString() + ": truncated"));
		assertFalse(Files.exists(out));
		try (var files = Files.list(dir)) {
			assertEquals(1, files.count()); // the broken input only: no temporary file left
		}
		final CommandModule range = run(ConvertCommand.class, Map.of("input", TestData.shared(
			"relion/particles.mrcs").toFile(), "output", out.toFile(), "mode", "keep", "pixelSize", 0.0, "first", 150,
			"last", 300));
		assertTrue(range.isCanceled());
		assertTrue(range.getCancelReason(), range.getCancelReason().contains("input has images 1 to 200"));
		assertFalse(Files.exists(out));
	}

	@Test
	public void outputOntoInputIsRefused() throws Exception {
		final Path dir = TestData.scratch("convert-self");
		final Path copy = dir.resolve("map.mrc");
		Files.copy(TestData.shared("relion/ribosome_b64.mrc"), copy);
		final byte[] before = Files.readAllBytes(copy);
		final File same = new File(dir.toFile(), "./map.mrc");
		final CommandModule m = run(ConvertCommand.class, Map.of("input", copy.toFile(), "output", same, "mode", "1",
			"pixelSize", 0.0, "first", 1, "last", 0));
		assertTrue(m.isCanceled());
		assertTrue(m.getCancelReason(), m.getCancelReason().contains("refusing to overwrite an input"));
		assertArrayEquals(before, Files.readAllBytes(copy));
	}

	@Test
	public void permutedMapsConvertToStandardOrderKeepingTheirPlace() throws Exception {
		final Path in = TestData.shared("maps/non_zero_origin_map.ccp4");
		final Path out = TestData.scratch("convert-permuted").resolve("map.mrc");
		final CommandModule m = run(ConvertCommand.class, Map.of("input", in.toFile(), "output", out.toFile(), "mode",
			"keep", "pixelSize", 0.0, "first", 1, "last", 0));
		assertFalse(m.getCancelReason(), m.isCanceled());
		try (MrcFile a = MrcFile.open(in); MrcFile b = MrcFile.open(out)) {
			assertArrayEquals(new int[] { 1, 2, 3 }, new int[] { b.header().mapc, b.header().mapr, b.header().maps });
			assertArrayEquals(a.header().sizeXYZ(), b.header().sizeXYZ());
			assertArrayEquals(a.header().startXYZ(), b.header().startXYZ());
			assertArrayEquals(a.voxelSize(), b.voxelSize(), 1e-5);
			assertArrayEquals(a.readAll(), b.readAll(), 0f); // both in x, y, z order
			assertEquals(1, b.header().ispg);
		}
	}
}

package org.vitreous.plugins;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.scijava.Context;
import org.vitreous.io.MrcFile;
import org.vitreous.plugins.cli.Launcher;
import org.vitreous.plugins.cli.Options;
import org.vitreous.testing.TestData;

/** The launcher behind ./vitreous, run in-process: help, generated options, exit codes. */
public class LauncherTest {

	private static Context context;

	@BeforeClass
	public static void startContext() {
		context = Contexts.headless();
	}

	@AfterClass
	public static void stopContext() {
		context.dispose();
	}

	/** Exit code, stdout, stderr of one launcher run. */
	record Run(int code, String out, String err) {}

	static Run launch(final Context context, final String... args) {
		final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
		final int code = new Launcher(context, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err,
			true, StandardCharsets.UTF_8)).run(args);
		return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
	}

	@Test
	public void helpListsCommandsGroupedByMenu() {
		final Run r = launch(context, "--help");
		assertEquals(0, r.code());
		assertTrue(r.out(), r.out().contains("Tools:\n"));
		assertTrue(r.out(), r.out().matches("(?s).*Tools:\n  compare-volumes .*\n  convert .*\n  fsc .*\n  header .*"));
		assertTrue(r.out(), r.out().matches("(?s).*Tomography:\n  reconstruct-tomogram .*\n  simulate-tilt-series .*"));
		assertTrue(r.out(), r.out().contains("Workflows:"));
		assertEquals(Launcher.USAGE, launch(context).code()); // no command at all
	}

	@Test
	public void commandHelpShowsLabelTypeDefaultAndUnit() {
		final Run r = launch(context, "convert", "--help");
		assertEquals(0, r.code());
		assertTrue(r.out(), r.out().contains("Fiji menu: Plugins > Vitreous > Tools > Convert"));
		assertTrue(r.out(), r.out().matches("(?s).*--pixel-size +NUMBER +Pixel size \\(Å/px\\) \\[default 0.0\\].*"));
		assertTrue(r.out(), r.out().matches("(?s).*--input +FILE +Input \\[required\\].*"));
		assertTrue(r.out(), r.out().contains("one of [keep, 0, 1, 2, 6, 12]"));
	}

	@Test
	public void optionNamesComeFromFieldNames() {
		assertEquals("pixel-size", Options.kebab("pixelSize"));
		assertEquals("defocus-min", Options.kebab("defocusMin"));
		assertEquals("input", Options.kebab("input"));
	}

	@Test
	public void runsACommandAndPrintsItsOutput() throws Exception {
		final Path map = TestData.shared("relion/ribosome_b64.mrc");
		final Run r = launch(context, "header", "--input", map.toString());
		assertEquals(r.err(), 0, r.code());
		try (MrcFile f = MrcFile.open(map)) {
			assertEquals(f.header().toJson(map) + "\n", r.out());
		}
		final Path out = TestData.scratch("launcher").resolve("first10.mrcs");
		final Run c = launch(context, "convert", "--input=" + TestData.shared("relion/particles.mrcs"), "--output",
			out.toString(), "--last", "10", "--mode", "1");
		assertEquals(c.err(), 0, c.code());
		assertTrue(c.out(), c.out().contains("Images written: 10"));
		assertTrue(Files.exists(out));
	}

	@Test
	public void badInputExitsOneWithOneLineNamingTheFile() throws Exception {
		final Path bad = TestData.scratch("launcher-bad").resolve("bad.mrc");
		Files.write(bad, new byte[2000]);
		final Run r = launch(context, "header", "--input", bad.toString());
		assertEquals(Launcher.BAD_INPUT, r.code());
		assertEquals(1, r.err().strip().split("\n").length);
		assertTrue(r.err(), r.err().startsWith("vitreous header: " + bad));
		assertFalse(r.err(), r.err().contains("Exception"));
	}

	@Test
	public void usageMistakesExitTwo() {
		for (final String[] args : new String[][] { { "frobnicate" }, { "convert", "--inptu", "a" }, { "convert",
			"--input", "a", "--output", "b", "--first", "zero" }, { "convert", "--output", "b" }, { "convert", "--input",
				"a", "--output", "b", "--mode", "7" }, { "convert", "--input", "a", "--output", "b", "--first", "0" } })
		{
			final Run r = launch(context, args);
			assertEquals(String.join(" ", args) + ": " + r.err(), Launcher.USAGE, r.code());
			assertEquals(r.err(), 1, r.err().strip().split("\n").length);
		}
		assertTrue(launch(context, "convert", "--output", "b").err().contains("missing --input"));
		assertTrue(launch(context, "convert", "--input", "a", "--output", "b", "--first", "zero").err().contains(
			"--first is 'zero'; expected a whole number"));
	}

	@Test
	public void fijiParameterSyntax() throws Exception {
		assertEquals(Map.of("input", "a.mrc", "output", "b, c.mrc", "mode", "2"), Launcher.parsePairs(
			"input=a.mrc,output='b, c.mrc', mode=2"));
	}
}

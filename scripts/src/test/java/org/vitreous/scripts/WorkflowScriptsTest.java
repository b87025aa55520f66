package org.vitreous.scripts;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.scijava.Context;
import org.vitreous.io.MrcFile;
import org.vitreous.io.MrcMode;
import org.vitreous.plugins.cli.Launcher;
import org.vitreous.testing.TestData;

/** The workflow scripts in src/main/scripts are public API: each runs headless here as ./vitreous run runs it. */
public class WorkflowScriptsTest {

	private static Context context;

	@BeforeClass
	public static void startContext() {
		System.setProperty("java.awt.headless", "true");
		context = new Context();
	}

	@AfterClass
	public static void stopContext() {
		context.dispose();
	}

	private static String[] launch(final String... args) {
		final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
		final int code = new Launcher(context, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err,
			true, StandardCharsets.UTF_8)).run(args);
		return new String[] { Integer.toString(code), out.toString(StandardCharsets.UTF_8), err.toString(
			StandardCharsets.UTF_8) };
	}

	private static final Path SCRIPT = Path.of("src/main/scripts/Plugins/Vitreous/Convert_Stack.py");

	@Test
	public void convertStackScriptRunsHeadless() throws Exception {
		final Path in = TestData.shared("relion/clean_ctf.mrcs");
		final Path out = TestData.scratch("script").resolve("first20.mrcs");
		final String[] r = launch("run", SCRIPT.toString(), "input=" + in + ",output='" + out + "',mode=12,last=20");
		assertEquals(r[2], "0", r[0]);
		assertTrue(r[1], r[1].contains("\"mode\": 12"));
		assertTrue(r[1], r[1].contains("\"dimensions\": [64, 64, 20]"));
		try (MrcFile a = MrcFile.open(in); MrcFile b = MrcFile.open(out)) {
			assertEquals(MrcMode.FLOAT16, b.mode());
			assertEquals(20, b.sections());
			final float[] x = a.readSection(19), y = b.readSection(19);
			for (int i = 0; i < x.length; i++)
				assertEquals(x[i], y[i], Math.abs(x[i]) * 1e-3 + 1e-5);
		}
	}

	@Test
	public void scriptErrorsAndMissingInputsAreReported() throws Exception {
		final Path bad = TestData.scratch("script-bad").resolve("bad.mrc");
		Files.write(bad, new byte[100]);
		final String[] missing = launch("run", SCRIPT.toString(), "input=" + bad);
		assertEquals(missing[2], "2", missing[0]);
		assertTrue(missing[2], missing[2].contains("missing --output"));
		final String[] failed = launch("run", SCRIPT.toString(), "input=" + bad + ",output=" + bad.resolveSibling(
			"o.mrc"));
		assertTrue(failed[2], !failed[0].equals("0"));
		assertTrue(failed[2], failed[2].contains("too short for an MRC file"));
		assertEquals("2", launch("run", "no/such/script.py")[0]);
	}
}

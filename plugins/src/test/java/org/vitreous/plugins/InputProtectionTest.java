package org.vitreous.plugins;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.Test;
import org.scijava.command.CommandModule;
import org.vitreous.io.MrcFile;
import org.vitreous.plugins.spa.ProjectCommand;
import org.vitreous.plugins.spa.ReconstructCommand;
import org.vitreous.plugins.tools.ConvertCommand;
import org.vitreous.testing.TestData;

/**
 * Every file a job reads is an input it may not overwrite, the particle stacks behind a STAR included; an MRC's
 * extended header goes along with a conversion.
 */
public class InputProtectionTest extends CommandTesting {

	/** reconstruct and project with --output the stack the STAR names: refused, the particles untouched. */
	@Test
	public void theStackBehindAStarIsAnInput() throws Exception {
		final Path dir = TestData.scratch("protect");
		final Path shared = TestData.shared("relion");
		Files.copy(shared.resolve("particles.star"), dir.resolve("particles.star"));
		Files.copy(shared.resolve("particles.mrcs"), dir.resolve("particles.mrcs"));
		final byte[] before = Files.readAllBytes(dir.resolve("particles.mrcs"));
		final CommandModule r = run(ReconstructCommand.class, Map.of("particles", dir.resolve("particles.star").toFile(),
			"output", dir.resolve("particles.mrcs").toFile(), "device", "java"));
		assertTrue("reconstruct over its own particles was not refused", r.isCanceled());
		assertTrue(r.getCancelReason(), r.getCancelReason().contains("particles.mrcs") && r.getCancelReason().contains(
			"input"));
		final CommandModule p = run(ProjectCommand.class, Map.of("map", shared.resolve("ribosome_b64.mrc").toFile(),
			"particles", dir.resolve("particles.star").toFile(), "output", dir.resolve("particles.mrcs").toFile(),
			"device", "java"));
		assertTrue("project over the particles was not refused", p.isCanceled());
		assertArrayEquals("the particles were changed", before, Files.readAllBytes(dir.resolve("particles.mrcs")));
	}

	/** An FEI extended header is kept when every section is converted to MRC. */
	@Test
	public void convertKeepsTheExtendedHeader() throws Exception {
		final Path in = TestData.shared("mrc-modes/stack_ext_header.mrcs");
		final Path out = TestData.scratch("convert-ext").resolve("copy.mrcs");
		final CommandModule m = run(ConvertCommand.class, Map.of("input", in.toFile(), "output", out.toFile()));
		assertFalse(m.getCancelReason(), m.isCanceled());
		try (MrcFile a = MrcFile.open(in); MrcFile b = MrcFile.open(out)) {
			assertEquals(a.header().extType, b.header().extType);
			assertArrayEquals(a.extendedHeader(), b.extendedHeader());
			assertArrayEquals(a.readAll(), b.readAll(), 0);
		}
	}
}

package org.vitreous.compute;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.Test;

/** Device choice: settings, refusals in one line, and the signal-chaining guard that keeps pocl from crashing a JVM. */
public class ComputeDeviceTest {

	@Test
	public void settingsChooseADevice() throws Exception {
		assertSame(ComputeDevice.JAVA, ComputeDevice.choose("java"));
		assertSame(ComputeDevice.JAVA, ComputeDevice.choose("JAVA "));
		try {
			ComputeDevice.choose("quantum");
			throw new AssertionError("an unknown device was accepted");
		} catch (final ComputeException e) {
			assertTrue(e.getMessage(), e.getMessage().contains("'quantum'") && !e.getMessage().contains("\n"));
		}
		// auto is a GPU where OpenCL has one, else Java, even where a CPU runtime (pocl) is installed: Java is the
		// faster of the two on a CPU
		boolean gpu;
		try (ComputeDevice g = OpenClDevice.open(OpenClDevice.Kind.GPU)) {
			gpu = true;
		} catch (final ComputeException e) {
			gpu = false;
		}
		try (ComputeDevice auto = ComputeDevice.choose("auto")) {
			if (gpu) assertTrue(auto.describe(), auto.isOpenCl());
			else assertSame(auto.describe(), ComputeDevice.JAVA, auto);
		}
		final Parallel.Range noop = (a, b) -> {};
		Parallel.forRange(0, noop);
	}

	private static String probe(final String setting) throws Exception {
		final ProcessBuilder pb = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
			.toString(), "-cp", System.getProperty("java.class.path"), DeviceProbe.class.getName(), setting))
				.redirectErrorStream(true);
		pb.environment().remove("LD_PRELOAD");
		final Process p = pb.start();
		final String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertEquals(out, 0, p.waitFor());
		return out.trim();
	}

	@Test
	public void withoutSignalChainingPoclIsRefusedAndAutoFallsBackToJava() throws Exception {
		org.vitreous.testing.Needs.need("skipped: pocl is not installed here", OpenClDevice.poclInstalled());
		assertTrue(probe("auto"), probe("auto").startsWith("device: Java"));
		final String cpu = probe("cpu");
		assertTrue(cpu, cpu.startsWith("refused: ") && cpu.contains("libjsig.so"));
	}
}

package org.vitreous.testing;


import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Peer programs used by interoperability tests: Debian's Python with mrcfile and scikit-image, and RELION. A test
 * that needs a missing peer is skipped with a message saying what to install.
 */
public final class Peers {

	private Peers() {}

	/** Output and exit code of a finished process. */
	public record Result(int exitCode, String output) {}

	/** A python3 that can import {@code module} (Debian's /usr/bin/python3 first), or the test is skipped. */
	public static String python(final String module, final String debianPackage) {
		for (final String candidate : new String[] { "/usr/bin/python3", "python3" }) {
			try {
				if (run(List.of(candidate, "-c", "import " + module), null).exitCode() == 0) return candidate;
			} catch (final IOException e) {
				// not there; try the next
			}
		}
		Needs.need("skipped: no python3 with " + module + " (apt-get install " + debianPackage + ")", false);
		return null;
	}

	/** The path of a program on PATH, or the test is skipped naming the Debian package. */
	public static String program(final String name, final String debianPackage) {
		final String path = System.getenv("PATH");
		if (path != null) for (final String dir : path.split(File.pathSeparator)) {
			final Path p = Path.of(dir, name);
			if (Files.isExecutable(p)) return p.toString();
		}
		Needs.need("skipped: " + name + " not found (apt-get install " + debianPackage + ")", false);
		return null;
	}

	/** Runs a command (in {@code folder} if given) and returns its exit code and combined output. */
	public static Result run(final List<String> command, final Path folder) throws IOException {
		final ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
		if (folder != null) pb.directory(folder.toFile());
		final Process p = pb.start();
		final byte[] out = p.getInputStream().readAllBytes();
		try {
			if (!p.waitFor(10, TimeUnit.MINUTES)) {
				p.destroyForcibly();
				throw new IOException("timed out: " + command);
			}
		} catch (final InterruptedException e) {
			p.destroyForcibly();
			throw new IOException("interrupted: " + command, e);
		}
		return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
	}

	/** Runs a Python script with arguments through {@code python}; fails the test with its output if it fails. */
	public static String runPython(final String python, final String script, final String... args)
		throws IOException
	{
		final List<String> cmd = new ArrayList<>(List.of(python, "-c", script));
		cmd.addAll(Arrays.asList(args));
		final Result r = run(cmd, null);
		if (r.exitCode() != 0) throw new AssertionError("python failed (" + r.exitCode() + "):\n" + r.output());
		return r.output();
	}
}

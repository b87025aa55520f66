package org.vitreous.io;

import java.nio.file.Path;

/** How a job over many inputs names each input's outputs inside its output folder, as RELION does. */
public final class OutputNames {

	private OutputNames() {}

	/**
	 * The input's name with its extension replaced by {@code suffix} and dots in the name made underscores (RELION's
	 * rule), its relative folders kept (an absolute name keeps only its file name): {@code Movies/a.1.tiff} and
	 * {@code .mrc} give {@code Movies/a_1.mrc}.
	 */
	public static String mirror(final String input, final String suffix) {
		Path p = Path.of(input);
		if (p.isAbsolute()) p = p.getFileName();
		final String file = p.getFileName().toString();
		final int dot = file.lastIndexOf('.');
		final String stem = (dot > 0 ? file.substring(0, dot) : file).replace('.', '_');
		final Path parent = p.getParent();
		return (parent == null ? "" : parent + "/") + stem + suffix;
	}
}

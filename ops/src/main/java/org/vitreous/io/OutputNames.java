package org.vitreous.io;

import java.nio.file.Files;
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
		Path p = Path.of(input).normalize();
		if (p.isAbsolute()) p = p.getFileName();
		// a name that climbs out of its STAR's folder ("../mc/Movies/a.mrc") keeps what follows the climb, so that the
		// mirrored output stays inside the output folder
		while (p.getNameCount() > 1 && p.getName(0).toString().equals(".."))
			p = p.subpath(1, p.getNameCount());
		final String file = p.getFileName().toString();
		final int dot = file.lastIndexOf('.');
		final String stem = (dot > 0 ? file.substring(0, dot) : file).replace('.', '_');
		final Path parent = p.getParent();
		return (parent == null ? "" : parent + "/") + stem + suffix;
	}

	/** A file name without RELION's ':mrc' type suffix. */
	public static String strip(final String name) {
		return name.endsWith(":mrc") ? name.substring(0, name.length() - 4) : name;
	}

	/**
	 * A name a STAR in folder {@code from} gives relative to that folder, made relative to folder {@code to} (where a
	 * new STAR goes), so that it still points at the same file; an absolute name, or one found only from the working
	 * folder (RELION's project-relative names), is kept as it is, and so is RELION's ':mrc' suffix.
	 */
	public static String rebase(final String name, final Path from, final Path to) {
		if (name == null || name.isEmpty()) return name;
		final Path p = Path.of(strip(name));
		if (p.isAbsolute()) return name;
		final Path resolved = from.toAbsolutePath().resolve(p);
		if (!Files.exists(resolved)) return name;
		final String rebased = to.toAbsolutePath().normalize().relativize(resolved.normalize()).toString();
		return name.endsWith(":mrc") ? rebased + ":mrc" : rebased;
	}
}

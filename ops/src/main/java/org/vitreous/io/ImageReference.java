package org.vitreous.io;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * An image in a stack as RELION names it, {@code N@stack.mrcs} (N from 1), with the stack resolved against the
 * folder of the STAR file that names it; where no such file exists but one does relative to the working
 * directory (RELION's project-directory convention), that one. A plain file name (no {@code @}) is image 1 of that
 * file.
 *
 * @param index 1-based position in the stack
 * @param stack the stack file, resolved
 */
public record ImageReference(int index, Path stack) {

	/** Parses {@code N@path}; a relative path is resolved against {@code folder}. */
	public static ImageReference parse(final String name, final Path folder) {
		final int at = name.indexOf('@');
		int index = 1;
		String file = name;
		if (at > 0) {
			try {
				index = Integer.parseInt(name.substring(0, at));
			} catch (final NumberFormatException e) {
				throw new IllegalArgumentException("'" + name + "' is not an image name of the form N@stack.mrcs");
			}
			file = name.substring(at + 1);
		}
		if (index < 1) throw new IllegalArgumentException("'" + name + "': image numbers start at 1");
		if (file.isBlank()) throw new IllegalArgumentException("'" + name + "' names no stack file after the '@'");
		final Path path = Path.of(file);
		if (folder == null || path.isAbsolute()) return new ImageReference(index, path);
		final Path resolved = folder.resolve(path);
		if (!Files.exists(resolved) && Files.exists(path))
			return new ImageReference(index, path.toAbsolutePath());
		return new ImageReference(index, resolved);
	}

	/** The 0-based section of this image in its stack. */
	public int section() {
		return index - 1;
	}

	/** As RELION writes it: six-digit index, {@code @}, the stack path relativized to {@code folder}. */
	public String format(final Path folder) {
		Path p = stack;
		if (folder != null && stack.isAbsolute()) {
			try {
				p = folder.toAbsolutePath().relativize(stack);
			} catch (final IllegalArgumentException e) {
				p = stack;
			}
		}
		return String.format(Locale.ROOT, "%06d@%s", index, p);
	}
}

package org.vitreous.io;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that cannot be read as what it claims to be. The message is one line for a person: it names the
 * file, the field or line that is wrong, and what was expected, so a command can print it as it is.
 */
public class FormatException extends IOException {

	private static final long serialVersionUID = 1L;

	public FormatException(final Path file, final String problem) {
		super(file + ": " + problem);
	}

	public FormatException(final Path file, final int line, final String problem) {
		super(file + " line " + line + ": " + problem);
	}
}

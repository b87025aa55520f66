package org.vitreous.io;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The files a job's input names when it is a glob rather than a STAR. */
public final class InputFiles {

	private InputFiles() {}

	/** The files in one folder that match the glob in {@code pattern}'s last element ({@code Movies/*.mrcs}), by name. */
	public static List<Path> glob(final String pattern) throws IOException {
		final Path glob = Path.of(pattern).toAbsolutePath();
		final List<Path> files = new ArrayList<>();
		try (DirectoryStream<Path> d = Files.newDirectoryStream(glob.getParent(), glob.getFileName().toString())) {
			d.forEach(files::add);
		}
		files.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
		return files;
	}
}

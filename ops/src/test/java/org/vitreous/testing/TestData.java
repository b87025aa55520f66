package org.vitreous.testing;


import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where the shared test data (files written by other programs) and scratch folders are. */
public final class TestData {

	private TestData() {}

	/** ../shared/data beside the project root; tests that need it skip with a message where it is absent. */
	public static Path shared(final String relative) {
		final String configured = System.getProperty("vitreous.shared.data");
		final Path root = configured != null ? Path.of(configured) : Path.of("..", "shared", "data");
		final Path p = root.resolve(relative).normalize();
		Needs.need("shared test data not found at " + p + " (expected ../shared/data beside the project)", Files
			.exists(p));
		return p;
	}

	/** A new empty folder under java.io.tmpdir (which the build points into target/). */
	public static Path scratch(final String name) throws IOException {
		final Path base = Path.of(System.getProperty("java.io.tmpdir"));
		Files.createDirectories(base);
		return Files.createTempDirectory(base, name);
	}
}

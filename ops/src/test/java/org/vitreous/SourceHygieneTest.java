package org.vitreous;

import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.Test;

/**
 * What the house layout check (build/checkstyle.xml, run on every build) cannot see, over the main sources of every
 * module: no fully qualified class name inline in code (an import says what a file uses, once, at its top;
 * comments and string literals may name classes in full).
 */
public class SourceHygieneTest {

	private static final Pattern QUALIFIED = Pattern.compile(
		"(?<![\\w.\"])(?:java|javax|org|net|ij|sc|com)\\.(?:[a-z_][a-z0-9_]*\\.)+[A-Z]\\w*");

	@Test
	public void noInlineQualifiedNames() throws IOException {
		final List<String> found = new ArrayList<>();
		for (final Path file : mainSources()) {
			boolean comment = false;
			int number = 0;
			for (final String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
				number++;
				final String code = line.strip();
				if (comment) {
					comment = !code.contains("*/");
					continue;
				}
				if (code.startsWith("/*")) {
					comment = !code.contains("*/");
					continue;
				}
				if (code.startsWith("*") || code.startsWith("//") || code.startsWith("import ") || code.startsWith(
					"package ")) continue;
				final String bare = withoutStringsAndTrailingComment(code);
				final Matcher m = QUALIFIED.matcher(bare);
				if (m.find()) found.add(file + ":" + number + ": " + m.group());
			}
		}
		assertTrue(found.size() + " inline qualified names (import them):\n" + String.join("\n", found), found
			.isEmpty());
	}

	/** The line with its string and character literals emptied and anything after // dropped. */
	static String withoutStringsAndTrailingComment(final String line) {
		final StringBuilder b = new StringBuilder();
		char quote = 0;
		for (int i = 0; i < line.length(); i++) {
			final char c = line.charAt(i);
			if (quote != 0) {
				if (c == '\\') i++;
				else if (c == quote) {
					quote = 0;
					b.append(c);
				}
				continue;
			}
			if (c == '"' || c == '\'') quote = c;
			else if (c == '/' && i + 1 < line.length() && line.charAt(i + 1) == '/') break;
			b.append(c);
		}
		return b.toString();
	}

	/** Every .java file under src/main of the modules beside this one. */
	static List<Path> mainSources() throws IOException {
		final Path root = Paths.get("").toAbsolutePath().getParent();
		final List<Path> out = new ArrayList<>();
		for (final String module : new String[] { "ops", "plugins", "bdv-integration", "scripts" }) {
			final Path main = root.resolve(module).resolve("src/main");
			if (!Files.isDirectory(main)) continue;
			try (Stream<Path> s = Files.walk(main)) {
				s.filter(p -> p.toString().endsWith(".java")).sorted().forEach(out::add);
			}
		}
		assertTrue("no main sources found beside " + Paths.get("").toAbsolutePath(), out.size() > 50);
		return out;
	}
}

package org.vitreous.io;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A STAR file as RELION reads and writes it: blocks ({@code data_NAME}), each a {@code loop_} table or a list of
 * {@code _name value} pairs; comments ({@code #} to the end of a line) are skipped, values may be quoted with
 * {@code "} or {@code '}. Writing is atomic and never overwrites an input.
 */
public final class StarFile {

	private final Path source;
	private final List<StarTable> blocks = new ArrayList<>();

	public StarFile() {
		this(null);
	}

	private StarFile(final Path source) {
		this.source = source;
	}

	/** A copy of every block ({@link StarTable#copy}), of the same source. */
	public StarFile copy() {
		final StarFile f = new StarFile(source);
		for (final StarTable t : blocks)
			f.blocks.add(t.copy());
		return f;
	}

	/** The file read, or null for a STAR made in memory. */
	public Path source() {
		return source;
	}

	public List<StarTable> blocks() {
		return Collections.unmodifiableList(blocks);
	}

	/** The block named {@code name} (without {@code data_}), or null. */
	public StarTable block(final String name) {
		for (final StarTable t : blocks)
			if (t.name().equals(name)) return t;
		return null;
	}

	public StarTable requireBlock(final String name) throws FormatException {
		final StarTable t = block(name);
		if (t == null) throw new FormatException(source, "has no data_" + name + " block");
		return t;
	}

	public void add(final StarTable table) {
		blocks.add(table);
	}

	/** Adds {@code table} before the block at {@code index}. */
	public void add(final int index, final StarTable table) {
		blocks.add(index, table);
	}

	/** The next line, or a refusal naming the file and line where the bytes are not UTF-8 text. */
	static String readLine(final BufferedReader in, final Path path, final int lineNumber) throws IOException {
		try {
			return in.readLine();
		} catch (final CharacterCodingException e) {
			throw new FormatException(path, lineNumber, "is not UTF-8 text (a binary or differently encoded file?)");
		}
	}

	public static StarFile read(final Path path) throws IOException {
		final StarFile star = new StarFile(path);
		final BufferedReader in;
		try {
			in = Files.newBufferedReader(path, StandardCharsets.UTF_8);
		} catch (final NoSuchFileException e) {
			throw new NoSuchFileException(path.toString(), null, "no such file");
		}
		try (in) {
			StarTable table = null;
			String pendingVersion = null;
			boolean readingRows = false;
			final List<String> rowValues = new ArrayList<>();
			int rowLine = -1;
			String line;
			int lineNumber = 0;
			while ((line = readLine(in, path, lineNumber + 1)) != null) {
				lineNumber++;
				final String trimmed = line.strip();
				if (trimmed.startsWith("#")) {
					if (trimmed.startsWith("# version")) pendingVersion = trimmed;
					continue;
				}
				if (trimmed.isEmpty()) continue;
				final List<String> tokens = tokenize(path, lineNumber, trimmed);
				if (tokens.isEmpty()) continue;
				final String first = tokens.get(0);
				if (first.startsWith("data_") && !isQuotedToken(trimmed)) {
					finishRows(path, table, rowValues, rowLine);
					table = null;
					readingRows = false;
					final String name = first.substring(5);
					if (star.block(name) != null)
						throw new FormatException(path, lineNumber, "block data_" + name + " appears twice");
					table = new Pending(name, pendingVersion).table(path, false);
					pendingVersion = null;
					star.blocks.add(table);
					continue;
				}
				if (table == null)
					throw new FormatException(path, lineNumber, "'" + first + "' before any data_ block");
				if (first.equals("loop_")) {
					if (table.isLoop() || table.columns().size() > 0)
						throw new FormatException(path, lineNumber, "a second table in block data_" + table.name()
							+ "; expected one loop_ or one list of pairs per block");
					final StarTable loop = new Pending(table.name(), table.versionComment()).table(path, true);
					star.blocks.set(star.blocks.size() - 1, loop);
					table = loop;
					continue;
				}
				if (first.startsWith("_") && !readingRows && !isQuotedToken(trimmed)) {
					final String column = first.substring(1);
					if (table.has(column))
						throw new FormatException(path, lineNumber, "column _" + column + " appears twice in data_"
							+ table.name());
					table.addColumnHeader(column);
					if (!table.isLoop()) {
						if (tokens.size() < 2)
							throw new FormatException(path, lineNumber, "_" + column + " has no value");
						if (table.rowCount() == 0) table.addRow(new String[] { tokens.get(1) }, lineNumber);
						else table.appendPairValue(tokens.get(1));
					}
					continue;
				}
				if (!table.isLoop())
					throw new FormatException(path, lineNumber, "unexpected '" + first + "' in data_" + table.name()
						+ "; expected _name value");
				if (table.columns().isEmpty())
					throw new FormatException(path, lineNumber, "values before any column in data_" + table.name());
				readingRows = true;
				for (final String t : tokens) {
					if (rowValues.isEmpty()) rowLine = lineNumber;
					rowValues.add(t);
					if (rowValues.size() == table.columns().size()) {
						table.addRow(rowValues.toArray(new String[0]), rowLine);
						rowValues.clear();
					}
				}
			}
			finishRows(path, table, rowValues, rowLine);
		}
		if (star.blocks.isEmpty()) throw new FormatException(path, "no data_ block: not a STAR file");
		return star;
	}

	/** A block whose kind (loop or pairs) is known once its first line after data_ is read. */
	private static final class Pending {
		final String name, version;

		Pending(final String name, final String version) {
			this.name = name;
			this.version = version;
		}

		StarTable table(final Path source, final boolean loop) {
			final StarTable t = new StarTable(name, loop);
			t.setSource(source);
			if (version != null) t.setVersionComment(version);
			return t;
		}
	}

	private static boolean isQuotedToken(final String trimmed) {
		return trimmed.startsWith("\"") || trimmed.startsWith("'");
	}

	private static void finishRows(final Path path, final StarTable table, final List<String> values,
		final int line) throws FormatException
	{
		if (!values.isEmpty())
			throw new FormatException(path, line, "incomplete row in data_" + table.name() + ": " + values.size()
				+ " values, but the table has " + table.columns().size() + " columns");
	}

	/** Splits a line into values: whitespace separates, quotes group, # starts a comment. */
	static List<String> tokenize(final Path path, final int lineNumber, final String line) throws FormatException {
		final List<String> tokens = new ArrayList<>();
		int i = 0;
		final int n = line.length();
		while (i < n) {
			final char c = line.charAt(i);
			if (Character.isWhitespace(c)) {
				i++;
				continue;
			}
			if (c == '#') break;
			if (c == '"' || c == '\'') {
				// a quote closes only where whitespace or the line end follows, as in STAR
				int j = i + 1;
				while (j < n && !(line.charAt(j) == c && (j + 1 == n || Character.isWhitespace(line.charAt(j + 1)))))
					j++;
				if (j >= n)
					throw new FormatException(path, lineNumber, "unterminated quoted value starting at column "
						+ (i + 1));
				tokens.add(line.substring(i + 1, j));
				i = j + 1;
				continue;
			}
			int j = i;
			while (j < n && !Character.isWhitespace(line.charAt(j)))
				j++;
			tokens.add(line.substring(i, j));
			i = j;
		}
		return tokens;
	}

	/** Writes the file atomically; {@code inputs} are files the target may not be. */
	public void write(final Path target, final Path... inputs) throws IOException {
		try (AtomicOutput out = AtomicOutput.create(target, inputs)) {
			try (BufferedWriter w = Files.newBufferedWriter(out.path(), StandardCharsets.UTF_8)) {
				for (final StarTable t : blocks)
					writeBlock(w, t);
			}
			out.commit();
		}
	}

	private static void writeBlock(final BufferedWriter w, final StarTable t) throws IOException {
		w.write("\n" + t.versionComment() + "\n\ndata_" + t.name() + "\n\n");
		final List<String> columns = t.columns();
		if (!t.isLoop()) {
			int width = 0;
			for (final String c : columns)
				width = Math.max(width, c.length() + 1);
			for (int c = 0; c < columns.size(); c++) {
				final String name = "_" + columns.get(c);
				w.write(name + " ".repeat(width - name.length() + 4) + quote(t.get(0, c)) + "\n");
			}
			w.write("\n");
			return;
		}
		w.write("loop_ \n");
		for (int c = 0; c < columns.size(); c++)
			w.write("_" + columns.get(c) + " #" + (c + 1) + " \n");
		// two passes, each cell's text made anew in each, so a table of millions of rows is never held as text
		final int[] width = new int[columns.size()];
		for (int r = 0; r < t.rowCount(); r++)
			for (int c = 0; c < width.length; c++)
				width[c] = Math.max(width[c], quote(t.get(r, c)).length());
		final StringBuilder line = new StringBuilder();
		for (int r = 0; r < t.rowCount(); r++) {
			line.setLength(0);
			for (int c = 0; c < width.length; c++) {
				final String value = quote(t.get(r, c));
				if (c > 0) line.append(' ');
				line.append(" ".repeat(width[c] - value.length())).append(value);
			}
			w.write(line.append(" \n").toString());
		}
		w.write(" \n");
	}

	/** A value as a STAR token: quoted where it is empty, holds whitespace, or could be read as syntax. */
	static String quote(final String value) {
		boolean needs = value.isEmpty() || value.startsWith("_") || value.startsWith("#") || value.startsWith("data_")
			|| value.equals("loop_") || value.startsWith("\"") || value.startsWith("'");
		for (int i = 0; i < value.length() && !needs; i++)
			needs = Character.isWhitespace(value.charAt(i));
		if (!needs) return value;
		return value.contains("\"") ? "'" + value + "'" : "\"" + value + "\"";
	}
}

package org.vitreous.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * One block of a STAR file: a {@code loop_} table, or a list of {@code _name value} pairs (held as a table of one
 * row). Values are kept as the text read, so columns Vitreous does not know survive a read-write round trip
 * unchanged and in order; typed getters parse on access and name the file, line and column when a value is bad.
 */
public final class StarTable {

	private final String name;
	private final boolean loop;
	private final List<String> columns = new ArrayList<>();
	private final List<String[]> rows = new ArrayList<>();
	private final List<Integer> lines = new ArrayList<>();
	private Path source;
	private String versionComment = "# version 30001";

	/** A new, empty block: a loop table if {@code loop}, else key-value pairs. */
	public StarTable(final String name, final boolean loop) {
		this.name = name;
		this.loop = loop;
	}

	/** The block name without its {@code data_} prefix. */
	public String name() {
		return name;
	}

	public boolean isLoop() {
		return loop;
	}

	public Path source() {
		return source;
	}

	void setSource(final Path source) {
		this.source = source;
	}

	/** The comment line written before the block (RELION's {@code # version 30001}). */
	public String versionComment() {
		return versionComment;
	}

	public void setVersionComment(final String comment) {
		versionComment = comment;
	}

	public List<String> columns() {
		return Collections.unmodifiableList(columns);
	}

	public int rowCount() {
		return rows.size();
	}

	/** Index of a column (name without the leading underscore), or -1. */
	public int column(final String column) {
		return columns.indexOf(column);
	}

	public boolean has(final String column) {
		return columns.contains(column);
	}

	/** Index of a column that must be present; the error names the file and the block. */
	public int requireColumn(final String column) throws FormatException {
		final int c = columns.indexOf(column);
		if (c < 0) throw new FormatException(source, "data_" + name + " has no column _" + column);
		return c;
	}

	/** Adds a column at the end, with {@code fill} in every existing row; returns its index. */
	public int addColumn(final String column, final String fill) {
		if (columns.contains(column)) throw new IllegalArgumentException("column _" + column + " exists");
		columns.add(column);
		for (int r = 0; r < rows.size(); r++) {
			final String[] old = rows.get(r);
			final String[] row = Arrays.copyOf(old, columns.size());
			row[row.length - 1] = fill;
			rows.set(r, row);
		}
		return columns.size() - 1;
	}

	/** Renames a column in place (its position and values are kept). */
	public void renameColumn(final String from, final String to) {
		final int c = columns.indexOf(from);
		if (c < 0) throw new IllegalArgumentException("no column _" + from);
		columns.set(c, to);
	}

	/** Removes a column and its values. */
	public void removeColumn(final String column) {
		final int c = columns.indexOf(column);
		if (c < 0) return;
		columns.remove(c);
		for (int r = 0; r < rows.size(); r++) {
			final String[] old = rows.get(r);
			final String[] row = new String[old.length - 1];
			System.arraycopy(old, 0, row, 0, c);
			System.arraycopy(old, c + 1, row, c, row.length - c);
			rows.set(r, row);
		}
	}

	/** Appends a row; its values are in column order. */
	public int addRow(final String... values) {
		return addRow(values, -1);
	}

	int addRow(final String[] values, final int line) {
		if (values.length != columns.size())
			throw new IllegalArgumentException("a row of data_" + name + " needs " + columns.size() + " values, got "
				+ values.length);
		rows.add(values.clone());
		lines.add(line);
		return rows.size() - 1;
	}

	void addColumnHeader(final String column) {
		columns.add(column);
	}

	/** In a block of pairs: the value of the column just added. */
	void appendPairValue(final String value) {
		final String[] old = rows.get(0);
		final String[] row = Arrays.copyOf(old, old.length + 1);
		row[old.length] = value;
		rows.set(0, row);
	}

	/** The line in the source file where the row starts, or -1 for rows made in memory. */
	public int line(final int row) {
		return lines.get(row);
	}

	public String get(final int row, final int column) {
		return rows.get(row)[column];
	}

	public String get(final int row, final String column) throws FormatException {
		return get(row, requireColumn(column));
	}

	public double getDouble(final int row, final int column) throws FormatException {
		final String v = get(row, column);
		try {
			return Numbers.parseFinite(v);
		} catch (final NumberFormatException e) {
			throw valueError(row, column, v, "a finite number");
		}
	}

	public double getDouble(final int row, final String column) throws FormatException {
		return getDouble(row, requireColumn(column));
	}

	/** A number from an optional column, or {@code missing} where the table has no such column. */
	public double getDouble(final int row, final String column, final double missing) throws FormatException {
		final int c = column(column);
		return c < 0 ? missing : getDouble(row, c);
	}

	public int getInt(final int row, final int column) throws FormatException {
		final String v = get(row, column);
		try {
			return Integer.parseInt(v);
		} catch (final NumberFormatException e) {
			// RELION writes some integer columns as floats (e.g. "2.000000"); accept those that are whole
			try {
				final double d = Numbers.parseFinite(v);
				if (d == Math.rint(d) && Math.abs(d) <= Integer.MAX_VALUE) return (int) d;
			} catch (final NumberFormatException ignored) {}
			throw valueError(row, column, v, "an integer");
		}
	}

	public int getInt(final int row, final String column) throws FormatException {
		return getInt(row, requireColumn(column));
	}

	public int getInt(final int row, final String column, final int missing) throws FormatException {
		final int c = column(column);
		return c < 0 ? missing : getInt(row, c);
	}

	private FormatException valueError(final int row, final int column, final String value, final String expected) {
		final String what = String.format(Locale.ROOT, "_%s is '%s', expected %s (data_%s, row %d)", columns.get(
			column), value, expected, name, row + 1);
		final int line = lines.get(row);
		return line > 0 ? new FormatException(source, line, what) : new FormatException(source, what);
	}

	public void set(final int row, final String column, final String value) {
		int c = column(column);
		if (c < 0) c = addColumn(column, defaultFill(value));
		rows.get(row)[c] = value;
	}

	/** Sets a number; a value that is not finite is refused ({@link #formatNumber}). */
	public void set(final int row, final String column, final double value) {
		if (!Double.isFinite(value)) throw new IllegalStateException(String.format(Locale.ROOT,
			"_%s of row %d would be %s: a result that is not a finite number is not written", column, row + 1, value));
		set(row, column, formatNumber(value));
	}

	public void set(final int row, final String column, final int value) {
		set(row, column, Integer.toString(value));
	}

	private static String defaultFill(final String like) {
		return Numbers.isFinite(like) ? "0" : "None";
	}

	/** RELION's way with doubles: six decimals, as its STAR writer prints them. */
	public static String formatNumber(final double value) {
		if (!Double.isFinite(value)) throw new IllegalStateException("a STAR value would be " + value
			+ ": no Vitreous STAR holds NaN or infinity");
		return String.format(Locale.ROOT, "%.6f", value);
	}
}

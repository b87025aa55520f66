package org.vitreous.io;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * One block of a STAR file: a {@code loop_} table, or a list of {@code _name value} pairs (held as a table of one
 * row). Values are kept as the text read, so columns Vitreous does not know survive a read-write round trip
 * unchanged and in order; typed getters name the file, line and column when a value is bad.
 * <p>
 * Storage is by column and compact, for STAR files of millions of particles: the text of each column is packed
 * into one byte array (no object per cell), a column's numbers are parsed into one primitive array the first time
 * a typed getter asks for one of them (every value of the column parsed once, then read from the array), and
 * values set after reading are kept apart from the text read (a number as a double, formatted when read as text).
 * Concurrent reads are safe; a table being modified must not be read by another thread.
 */
public final class StarTable {

	private final String name;
	private final boolean loop;
	private final List<Column> columns = new ArrayList<>();
	private int rows;
	private int[] lines = new int[16];
	private Path source;
	private String versionComment = "# version 30001";

	/** A new, empty block: a loop table if {@code loop}, else key-value pairs. */
	public StarTable(final String name, final boolean loop) {
		this.name = name;
		this.loop = loop;
	}

	/** A copy that shares nothing with this table: changes to either leave the other as it was. */
	public StarTable copy() {
		final StarTable t = new StarTable(name, loop);
		for (final Column c : columns)
			t.columns.add(c.copy());
		t.rows = rows;
		t.lines = lines.clone();
		t.source = source;
		t.versionComment = versionComment;
		return t;
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

	/** The column names in order (a read-only view). */
	public List<String> columns() {
		return new AbstractList<>() {

			@Override
			public String get(final int index) {
				return columns.get(index).name;
			}

			@Override
			public int size() {
				return columns.size();
			}
		};
	}

	public int rowCount() {
		return rows;
	}

	/** Index of a column (name without the leading underscore), or -1. */
	public int column(final String column) {
		for (int c = 0; c < columns.size(); c++)
			if (columns.get(c).name.equals(column)) return c;
		return -1;
	}

	public boolean has(final String column) {
		return column(column) >= 0;
	}

	/** Index of a column that must be present; the error names the file and the block. */
	public int requireColumn(final String column) throws FormatException {
		final int c = column(column);
		if (c < 0) throw new FormatException(source, "data_" + name + " has no column _" + column);
		return c;
	}

	/** Adds a column at the end, with {@code fill} in every existing row; returns its index. */
	public int addColumn(final String column, final String fill) {
		if (has(column)) throw new IllegalArgumentException("column _" + column + " exists");
		final Column added = new Column(column);
		for (int r = 0; r < rows; r++)
			added.append(fill);
		columns.add(added);
		return columns.size() - 1;
	}

	/** Renames a column in place (its position and values are kept). */
	public void renameColumn(final String from, final String to) {
		final int c = column(from);
		if (c < 0) throw new IllegalArgumentException("no column _" + from);
		columns.get(c).name = to;
	}

	/** Removes a column and its values. */
	public void removeColumn(final String column) {
		final int c = column(column);
		if (c >= 0) columns.remove(c);
	}

	/** Appends a row; its values are in column order. */
	public int addRow(final String... values) {
		return addRow(values, -1);
	}

	int addRow(final String[] values, final int line) {
		if (values.length != columns.size())
			throw new IllegalArgumentException("a row of data_" + name + " needs " + columns.size() + " values, got "
				+ values.length);
		for (int c = 0; c < values.length; c++)
			columns.get(c).append(values[c]);
		if (rows == lines.length) lines = Arrays.copyOf(lines, 2 * rows);
		lines[rows] = line;
		return rows++;
	}

	void addColumnHeader(final String column) {
		columns.add(new Column(column));
	}

	/** In a block of pairs: the value of the column just added. */
	void appendPairValue(final String value) {
		columns.get(columns.size() - 1).append(value);
	}

	/** The values of one row, in column order (a new array). */
	public String[] row(final int row) {
		final String[] values = new String[columns.size()];
		for (int c = 0; c < values.length; c++)
			values[c] = get(row, c);
		return values;
	}

	/** The line in the source file where the row starts, or -1 for rows made in memory. */
	public int line(final int row) {
		if (row < 0 || row >= rows) throw new IndexOutOfBoundsException("row " + row + " of " + rows);
		return lines[row];
	}

	public String get(final int row, final int column) {
		if (row < 0 || row >= rows) throw new IndexOutOfBoundsException("row " + row + " of " + rows);
		return columns.get(column).text(row);
	}

	public String get(final int row, final String column) throws FormatException {
		return get(row, requireColumn(column));
	}

	public double getDouble(final int row, final int column) throws FormatException {
		if (row < 0 || row >= rows) throw new IndexOutOfBoundsException("row " + row + " of " + rows);
		final double v = columns.get(column).numbers()[row];
		if (Double.isNaN(v)) throw valueError(row, column, "a finite number");
		return v;
	}

	public double getDouble(final int row, final String column) throws FormatException {
		return getDouble(row, requireColumn(column));
	}

	/** A number from an optional column, or {@code missing} where the table has no such column. */
	public double getDouble(final int row, final String column, final double missing) throws FormatException {
		final int c = column(column);
		return c < 0 ? missing : getDouble(row, c);
	}

	/**
	 * Every value of a column as numbers, in row order (a copy); the error names the first value that is not a
	 * finite number.
	 */
	public double[] doubles(final String column) throws FormatException {
		final int c = requireColumn(column);
		final double[] values = columns.get(c).numbers();
		for (int r = 0; r < rows; r++)
			if (Double.isNaN(values[r])) throw valueError(r, c, "a finite number");
		return Arrays.copyOf(values, rows);
	}

	public int getInt(final int row, final int column) throws FormatException {
		final double d;
		try {
			d = getDouble(row, column);
		} catch (final FormatException e) {
			throw valueError(row, column, "an integer");
		}
		// RELION writes some integer columns as floats (e.g. "2.000000"); those that are whole are integers
		if (d != Math.rint(d) || Math.abs(d) > Integer.MAX_VALUE) throw valueError(row, column, "an integer");
		return (int) d;
	}

	public int getInt(final int row, final String column) throws FormatException {
		return getInt(row, requireColumn(column));
	}

	public int getInt(final int row, final String column, final int missing) throws FormatException {
		final int c = column(column);
		return c < 0 ? missing : getInt(row, c);
	}

	/** The first row whose integer {@code column} is {@code value} (a missing column reads {@code missing}), or −1. */
	public int rowWhere(final String column, final int value, final int missing) throws FormatException {
		for (int r = 0; r < rowCount(); r++)
			if (getInt(r, column, missing) == value) return r;
		return -1;
	}

	private FormatException valueError(final int row, final int column, final String expected) {
		final String what = String.format(Locale.ROOT, "_%s is '%s', expected %s (data_%s, row %d)", columns.get(
			column).name, get(row, column), expected, name, row + 1);
		final int line = lines[row];
		return line > 0 ? new FormatException(source, line, what) : new FormatException(source, what);
	}

	public void set(final int row, final String column, final String value) {
		columns.get(columnForSet(row, column, Numbers.isFinite(value) ? "0" : "None")).setText(row, value);
	}

	/**
	 * Sets a number, kept as it will be written ({@link #formatNumber}: six decimals), so that it reads back as the
	 * same double from this table as from the file; a value that is not finite is refused.
	 */
	public void set(final int row, final String column, final double value) {
		if (!Double.isFinite(value)) throw new IllegalStateException(String.format(Locale.ROOT,
			"_%s of row %d would be %s: a result that is not a finite number is not written", column, row + 1, value));
		columns.get(columnForSet(row, column, "0")).setNumber(row, Double.parseDouble(formatNumber(value)));
	}

	public void set(final int row, final String column, final int value) {
		set(row, column, Integer.toString(value));
	}

	private int columnForSet(final int row, final String column, final String fill) {
		if (row < 0 || row >= rows) throw new IndexOutOfBoundsException("row " + row + " of " + rows);
		final int c = column(column);
		return c < 0 ? addColumn(column, fill) : c;
	}

	/** RELION's way with doubles: six decimals, as its STAR writer prints them. */
	public static String formatNumber(final double value) {
		if (!Double.isFinite(value)) throw new IllegalStateException("a STAR value would be " + value
			+ ": no Vitreous STAR holds NaN or infinity");
		return String.format(Locale.ROOT, "%.6f", value);
	}

	/**
	 * One column: the values read or appended, as UTF-8 text back to back; the values set since (a number, or a
	 * text); and, once a typed getter asked, every value as a double (NaN where it is not a finite number).
	 */
	private static final class Column {

		String name;
		private byte[] text = new byte[64];
		private int[] ends = new int[16];
		private int count;
		private BitSet setAsNumber, setAsText;
		private double[] setNumbers;
		private String[] setTexts;
		private volatile double[] numbers;

		Column(final String name) {
			this.name = name;
		}

		Column copy() {
			final Column c = new Column(name);
			c.text = text.clone();
			c.ends = ends.clone();
			c.count = count;
			if (setAsNumber != null) {
				c.setAsNumber = (BitSet) setAsNumber.clone();
				c.setNumbers = setNumbers.clone();
			}
			if (setAsText != null) {
				c.setAsText = (BitSet) setAsText.clone();
				c.setTexts = setTexts.clone();
			}
			return c;
		}

		void append(final String value) {
			if (value == null) throw new IllegalArgumentException("_" + name + ": a STAR value cannot be null");
			final byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
			final int start = count == 0 ? 0 : ends[count - 1];
			if (start + bytes.length > text.length) text = Arrays.copyOf(text, Math.max(2 * text.length, start
				+ bytes.length));
			System.arraycopy(bytes, 0, text, start, bytes.length);
			if (count == ends.length) ends = Arrays.copyOf(ends, 2 * count);
			ends[count++] = start + bytes.length;
			numbers = null;
		}

		String text(final int row) {
			if (setAsNumber != null && setAsNumber.get(row)) return formatNumber(setNumbers[row]);
			if (setAsText != null && setAsText.get(row)) return setTexts[row];
			final int start = row == 0 ? 0 : ends[row - 1];
			return new String(text, start, ends[row] - start, StandardCharsets.UTF_8);
		}

		void setNumber(final int row, final double value) {
			if (setAsNumber == null) {
				setAsNumber = new BitSet();
				setNumbers = new double[ends.length];
			}
			if (setNumbers.length <= row) setNumbers = Arrays.copyOf(setNumbers, ends.length);
			setNumbers[row] = value;
			setAsNumber.set(row);
			if (setAsText != null) setAsText.clear(row);
			final double[] parsed = numbers;
			if (parsed != null) parsed[row] = value;
		}

		void setText(final int row, final String value) {
			if (setAsText == null) {
				setAsText = new BitSet();
				setTexts = new String[ends.length];
			}
			if (setTexts.length <= row) setTexts = Arrays.copyOf(setTexts, ends.length);
			setTexts[row] = value;
			setAsText.set(row);
			if (setAsNumber != null) setAsNumber.clear(row);
			final double[] parsed = numbers;
			if (parsed != null) parsed[row] = parse(value);
		}

		/** Every value as a number (NaN where it is not a finite decimal), parsed on the first call. */
		double[] numbers() {
			double[] parsed = numbers;
			if (parsed == null) synchronized (this) {
				parsed = numbers;
				if (parsed == null) {
					parsed = new double[count];
					for (int r = 0; r < count; r++)
						parsed[r] = setAsNumber != null && setAsNumber.get(r) ? setNumbers[r] : parse(text(r));
					numbers = parsed;
				}
			}
			return parsed;
		}

		private static double parse(final String value) {
			try {
				return Numbers.parseFinite(value);
			} catch (final NumberFormatException e) {
				return Double.NaN;
			}
		}
	}
}

package org.vitreous.io;

import java.util.Locale;

/** A minimal JSON object writer for reports (headers, metrics); values are numbers, strings, arrays, objects. */
public final class Json {

	private final StringBuilder s = new StringBuilder("{");

	public Json field(final String name, final Object value) {
		if (s.length() > 1) s.append(", ");
		s.append(quote(name)).append(": ").append(value(value));
		return this;
	}

	private static String value(final Object v) {
		if (v == null) return "null";
		if (v instanceof Json) return v.toString();
		if (v instanceof Boolean) return v.toString();
		if (v instanceof Integer || v instanceof Long) return v.toString();
		if (v instanceof Number) return number(((Number) v).doubleValue());
		if (v instanceof int[]) {
			final StringBuilder a = new StringBuilder("[");
			for (final int x : (int[]) v)
				a.append(a.length() > 1 ? ", " : "").append(x);
			return a.append(']').toString();
		}
		if (v instanceof double[]) {
			final StringBuilder a = new StringBuilder("[");
			for (final double x : (double[]) v)
				a.append(a.length() > 1 ? ", " : "").append(number(x));
			return a.append(']').toString();
		}
		if (v instanceof Object[]) {
			final StringBuilder a = new StringBuilder("[");
			for (final Object x : (Object[]) v)
				a.append(a.length() > 1 ? ", " : "").append(value(x));
			return a.append(']').toString();
		}
		return quote(v.toString());
	}

	private static String number(final double x) {
		if (Double.isNaN(x) || Double.isInfinite(x)) return "null";
		if (x == Math.rint(x) && Math.abs(x) < 1e15) return Long.toString((long) x);
		return String.format(Locale.ROOT, "%.9g", x).replaceAll("0+$", "").replaceAll("\\.$", "").replaceAll(
			"0+e", "e");
	}

	public static String quote(final String text) {
		final StringBuilder q = new StringBuilder("\"");
		for (final char c : text.toCharArray()) {
			switch (c) {
				case '"' -> q.append("\\\"");
				case '\\' -> q.append("\\\\");
				case '\n' -> q.append("\\n");
				case '\t' -> q.append("\\t");
				case '\r' -> q.append("\\r");
				default -> {
					if (c < 32) q.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
					else q.append(c);
				}
			}
		}
		return q.append('"').toString();
	}

	@Override
	public String toString() {
		return s + "}";
	}
}

package org.vitreous.io;

import java.util.regex.Pattern;

/**
 * Numbers as text files write them. STAR, .tlt and PDB files hold plain decimal numbers (an optional sign, digits
 * with an optional point, an optional exponent), as C's strtod reads them in RELION and IMOD; Java's own parser
 * also takes "NaN", "Infinity", hexadecimal ("0x1p3") and type suffixes ("1d", "2f"), none of which is a number in
 * those files. A value that is not finite is never a valid coordinate, angle, defocus or size, so the parser here
 * refuses it as well: a non-finite value read from one row would otherwise spread into a whole map.
 */
public final class Numbers {

	private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

	private Numbers() {}

	/**
	 * The finite number {@code text} holds, or {@link NumberFormatException} if it holds anything else (including
	 * a decimal too large for a double).
	 */
	public static double parseFinite(final String text) {
		if (text == null || !DECIMAL.matcher(text).matches()) throw new NumberFormatException("not a decimal number: "
			+ text);
		final double v = Double.parseDouble(text);
		if (!Double.isFinite(v)) throw new NumberFormatException("not a finite number: " + text);
		return v;
	}

	/** Whether {@code text} is a finite decimal number. */
	public static boolean isFinite(final String text) {
		return text != null && DECIMAL.matcher(text).matches() && Double.isFinite(Double.parseDouble(text));
	}
}

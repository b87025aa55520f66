package org.vitreous;

import java.nio.file.Path;

import org.vitreous.io.FormatException;

/**
 * Checks that results hold only finite numbers. A map or a STAR value of NaN or infinity is a result no user can
 * trust, so a stage that would produce one fails with a message instead of writing it.
 */
public final class Finite {

	private Finite() {}

	/** Index of the first value of {@code values} that is NaN or infinite, or −1 where all are finite. */
	public static long firstNonFinite(final float[] values) {
		for (int i = 0; i < values.length; i++)
			if (!Float.isFinite(values[i])) return i;
		return -1;
	}

	/**
	 * Returns {@code values} after checking that all are finite; else throws {@link ArithmeticException} naming
	 * {@code what}, the first bad index and its value.
	 */
	public static float[] require(final float[] values, final String what) {
		final long i = firstNonFinite(values);
		if (i >= 0) throw new ArithmeticException(what + " holds a non-finite value (" + values[(int) i]
			+ " at element " + i + ")");
		return values;
	}

	/**
	 * Refuses an image of {@code file} that is not finite, or flat (every pixel alike: a blank or saturated
	 * exposure): {@code what} names the image in the message ("its aligned sum"), {@code kind} the input ("movie").
	 */
	public static void requireSignal(final Path file, final float[] image, final String what, final String kind)
		throws FormatException
	{
		final long bad = firstNonFinite(image);
		if (bad >= 0) throw new FormatException(file, what + " is not finite at pixel " + bad);
		double mean = 0, sq = 0;
		for (final float v : image) {
			mean += v;
			sq += (double) v * v;
		}
		mean /= image.length;
		if (sq / image.length - mean * mean <= 1e-12 * Math.max(1, mean * mean)) throw new FormatException(file,
			"has no signal: every pixel of " + what + " is " + (float) mean + " (a blank or saturated " + kind + ")");
	}

	/** Returns {@code value} after checking that it is finite; else throws naming {@code what}. */
	public static double require(final double value, final String what) {
		if (!Double.isFinite(value)) throw new ArithmeticException(what + " is " + value + ", not a finite number");
		return value;
	}
}

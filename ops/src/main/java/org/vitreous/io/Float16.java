package org.vitreous.io;

/** IEEE 754 half precision (MRC mode 12) to and from float, round to nearest even, as numpy does. */
public final class Float16 {

	private Float16() {}

	public static float toFloat(final short bits) {
		final int h = bits & 0xffff;
		final int sign = (h & 0x8000) << 16;
		final int exponent = (h >>> 10) & 0x1f;
		final int mantissa = h & 0x3ff;
		if (exponent == 0) {
			if (mantissa == 0) return Float.intBitsToFloat(sign);
			// subnormal: mantissa * 2^-24
			final float v = mantissa * 0x1p-24f;
			return sign == 0 ? v : -v;
		}
		if (exponent == 31) return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
		return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
	}

	/** The nearest half-precision value; values beyond ±65504 (after rounding) become infinities. */
	public static short fromFloat(final float value) {
		final int f = Float.floatToRawIntBits(value);
		final int sign = (f >>> 16) & 0x8000;
		final int exponent = (f >>> 23) & 0xff;
		int mantissa = f & 0x7fffff;
		if (exponent == 0xff) // inf or NaN
			return (short) (sign | 0x7c00 | (mantissa != 0 ? 0x200 : 0));
		final int e = exponent - 127 + 15;
		if (e >= 31) return (short) (sign | 0x7c00);
		if (e <= 0) {
			if (e < -10) return (short) sign; // rounds to zero
			mantissa |= 0x800000; // implicit bit
			final int shift = 14 - e;
			int half = mantissa >>> shift;
			final int rest = mantissa & ((1 << shift) - 1);
			final int halfway = 1 << (shift - 1);
			if (rest > halfway || (rest == halfway && (half & 1) != 0)) half++;
			return (short) (sign | half);
		}
		int half = (e << 10) | (mantissa >>> 13);
		final int rest = mantissa & 0x1fff;
		if (rest > 0x1000 || (rest == 0x1000 && (half & 1) != 0)) half++; // may carry into the exponent: correct
		return (short) (sign | half);
	}

	/** Largest finite half-precision value. */
	public static final float MAX = 65504f;
}

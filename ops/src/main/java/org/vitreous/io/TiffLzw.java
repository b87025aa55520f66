package org.vitreous.io;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;

/**
 * TIFF's LZW (TIFF 6.0, section 13): codes of 9 to 12 bits, most significant bit first, 256 clears the table,
 * 257 ends the strip, and the code width grows one code early (at 511, 1023 and 2047 entries), as libtiff writes.
 */
final class TiffLzw {

	private static final int CLEAR = 256, END = 257, FIRST = 258, LIMIT = 4096;

	private TiffLzw() {}

	/**
	 * The width of the next code while the encoder's table holds {@code entries} (the decoder, one entry behind,
	 * asks with its count + 1): 9 bits up to 511 entries, then 10, 11 and 12, one code early as libtiff writes.
	 */
	private static int codeWidth(final int entries) {
		return entries < 512 ? 9 : entries < 1024 ? 10 : entries < 2048 ? 11 : 12;
	}

	/** Decodes one strip; {@code expected} is the strip's size once decoded (more is not produced). */
	static byte[] decode(final byte[] in, final int expected) {
		final int[] prefix = new int[LIMIT], length = new int[LIMIT];
		final byte[] suffix = new byte[LIMIT], first = new byte[LIMIT];
		for (int i = 0; i < 256; i++) {
			suffix[i] = (byte) i;
			first[i] = (byte) i;
			length[i] = 1;
			prefix[i] = -1;
		}
		final byte[] out = new byte[expected];
		int o = 0, next = FIRST, previous = -1;
		long bits = 0;
		int held = 0, i = 0;
		while (o < expected) {
			final int width = codeWidth(next + 1);
			while (held < width && i < in.length) {
				bits = bits << 8 | in[i++] & 0xff;
				held += 8;
			}
			if (held < width) break; // the data ran out before the end code
			final int code = (int) (bits >>> held - width) & (1 << width) - 1;
			held -= width;
			if (code == END) break;
			if (code == CLEAR) {
				next = FIRST;
				previous = -1;
				continue;
			}
			if (previous < 0) {
				if (code > 255) throw new IllegalArgumentException("LZW code " + code + " after a clear");
				out[o++] = (byte) code;
				previous = code;
				continue;
			}
			final int entry;
			if (code < next) {
				o = emit(code, prefix, suffix, length, out, o);
				entry = code;
			} else if (code == next) {
				o = emit(previous, prefix, suffix, length, out, o);
				if (o < expected) out[o++] = first[previous];
				entry = -1;
			} else {
				throw new IllegalArgumentException("LZW code " + code + " beyond the table's " + next);
			}
			if (next < LIMIT) {
				prefix[next] = previous;
				suffix[next] = first[entry >= 0 ? entry : previous];
				first[next] = first[previous];
				length[next] = length[previous] + 1;
				next++;
			}
			previous = code;
		}
		return o == expected ? out : Arrays.copyOf(out, o);
	}

	/** Writes the string of {@code code} at {@code o} (cut at the end of {@code out}); returns the new end. */
	private static int emit(final int code, final int[] prefix, final byte[] suffix, final int[] length,
		final byte[] out, final int o)
	{
		final int n = length[code], end = Math.min(out.length, o + n);
		int c = code;
		for (int k = o + n - 1; k >= o; k--) {
			if (k < end) out[k] = suffix[c];
			c = prefix[c];
		}
		return end;
	}

	/** Encodes one strip. */
	static byte[] encode(final byte[] in, final int from, final int to) {
		final ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(16, (to - from) / 2));
		// the table: code of (prefix code, byte), open addressing on a key of prefix·256 + byte
		final int size = 1 << 14;
		final int[] keys = new int[size], codes = new int[size];
		final Writer w = new Writer(out);
		w.put(CLEAR, 9);
		if (from == to) {
			w.put(END, 9);
			return w.finish();
		}
		Arrays.fill(keys, -1);
		int next = FIRST, current = in[from] & 0xff;
		for (int i = from + 1; i < to; i++) {
			final int b = in[i] & 0xff, key = current << 8 | b;
			int h = (key * 0x9E3779B1 >>> 18) & size - 1;
			while (keys[h] != -1 && keys[h] != key)
				h = h + 1 & size - 1;
			if (keys[h] == key) {
				current = codes[h];
				continue;
			}
			w.put(current, codeWidth(next));
			keys[h] = key;
			codes[h] = next++;
			if (next == LIMIT - 2) {
				w.put(CLEAR, codeWidth(next));
				Arrays.fill(keys, -1);
				next = FIRST;
			}
			current = b;
		}
		w.put(current, codeWidth(next));
		// the decoder adds an entry for this last code too, which may widen the end code
		w.put(END, codeWidth(next + 1));
		return w.finish();
	}

	/** Codes packed most significant bit first. */
	private static final class Writer {
		private final ByteArrayOutputStream out;
		private long bits;
		private int held;

		Writer(final ByteArrayOutputStream out) {
			this.out = out;
		}

		void put(final int code, final int width) {
			bits = bits << width | code;
			held += width;
			while (held >= 8) {
				out.write((int) (bits >>> held - 8) & 0xff);
				held -= 8;
			}
		}

		byte[] finish() {
			if (held > 0) out.write((int) (bits << 8 - held) & 0xff);
			held = 0;
			return out.toByteArray();
		}
	}
}

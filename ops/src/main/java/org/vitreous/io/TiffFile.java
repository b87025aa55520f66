package org.vitreous.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A TIFF image or multi-frame TIFF movie, read frame by frame (each image file directory is one section), as
 * detectors and their software write them: SerialEM's and EPU's K2/K3 movies (8-bit or 16-bit, LZW), gain
 * references (32-bit float), and what relion_convert_to_tiff and tifffile write (deflate). Classic TIFF and
 * BigTIFF, either byte order; strips, one sample per pixel; no compression, LZW, deflate or PackBits, with or
 * without the horizontal predictor; unsigned or signed integers of 8, 16 or 32 bits, and 32- or 64-bit floats.
 *
 * <p>Frames are flipped along the slow axis as they are read: TIFF stores the top row first and MRC the bottom
 * row, and RELION, MotionCor2 and IMOD flip TIFF so that a TIFF movie and its MRC conversion (and a gain
 * reference in either format) have the same pixel coordinates. {@link TiffWriter} flips back.
 */
public final class TiffFile implements SectionSource {

	private static final int NONE = 1, LZW = 5, DEFLATE = 8, DEFLATE_OLD = 32946, PACKBITS = 32773;
	private static final int UNSIGNED = 1, SIGNED = 2, FLOAT = 3;

	/** One frame's layout: where its strips are and how they are stored. */
	private record Frame(int width, int height, int bits, int format, int compression, int predictor,
		int rowsPerStrip, long[] offsets, long[] counts)
	{}

	private final Path path;
	private final FileChannel channel;
	private final ByteOrder order;
	private final List<Frame> frames;

	private TiffFile(final Path path, final FileChannel channel, final ByteOrder order, final List<Frame> frames) {
		this.path = path;
		this.channel = channel;
		this.order = order;
		this.frames = frames;
	}

	/**
	 * Opens a TIFF file and reads every frame's directory, so that a truncated file, a frame of another size or
	 * type, or a layout this reader does not handle is refused here, naming the file and the frame.
	 */
	public static TiffFile open(final Path path) throws IOException {
		final FileChannel channel;
		try {
			channel = FileChannel.open(path, StandardOpenOption.READ);
		} catch (final NoSuchFileException e) {
			throw new NoSuchFileException(path.toString(), null, "no such file");
		}
		try {
			final long size = channel.size();
			final ByteBuffer head = read(channel, 0, (int) Math.min(16, size), ByteOrder.LITTLE_ENDIAN);
			if (size < 8 || !Compressed.isTiff(head.array()))
				throw new FormatException(path, "is not a TIFF file (no II*/MM* signature)");
			final ByteOrder order = head.get(0) == 'I' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
			head.order(order);
			final boolean big = head.getShort(2) == 43;
			if (big && (size < 16 || head.getShort(4) != 8))
				throw new FormatException(path, "is a BigTIFF file with an offset size other than 8");
			long next = big ? head.getLong(8) : head.getInt(4) & 0xffffffffL;
			final List<Frame> frames = new ArrayList<>();
			final Set<Long> seen = new HashSet<>();
			while (next != 0) {
				if (!seen.add(next)) throw new FormatException(path, "image directory " + (frames.size() + 1)
					+ " points back to an earlier one (a loop)");
				if (next < 8 || next >= size) throw new FormatException(path, String.format(Locale.ROOT,
					"truncated: image directory %d is at byte %,d but the file has %,d bytes", frames.size() + 1, next,
					size));
				final Directory d = Directory.parse(channel, next, order, big, size, path, frames.size() + 1);
				frames.add(d.frame(path, frames.size() + 1, size));
				next = d.next;
			}
			if (frames.isEmpty()) throw new FormatException(path, "holds no images");
			final Frame first = frames.get(0);
			for (int k = 1; k < frames.size(); k++) {
				final Frame f = frames.get(k);
				if (f.width != first.width || f.height != first.height || f.bits != first.bits || f.format != first.format)
					throw new FormatException(path, String.format(Locale.ROOT,
						"frame %d is %d x %d, %d-bit %s, but frame 1 is %d x %d, %d-bit %s", k + 1, f.width, f.height, f.bits,
						formatName(f.format), first.width, first.height, first.bits, formatName(first.format)));
			}
			return new TiffFile(path, channel, order, frames);
		} catch (final IOException | RuntimeException e) {
			channel.close();
			throw e;
		}
	}

	public Path path() {
		return path;
	}

	@Override
	public int width() {
		return frames.get(0).width;
	}

	@Override
	public int height() {
		return frames.get(0).height;
	}

	@Override
	public int sections() {
		return frames.size();
	}

	/** Bits per pixel as stored (8, 16, 32 or 64). */
	public int bitsPerSample() {
		return frames.get(0).bits;
	}

	/** TIFF states no pixel size in Å: 0, unknown (the movies STAR gives it). */
	@Override
	public double[] voxelSize() {
		return new double[] { 0, 0, 0 };
	}

	/** A TIFF's images are a stack (frames of a movie), never the slices of a volume. */
	@Override
	public boolean isVolume() {
		return false;
	}

	@Override
	public synchronized float[] readSection(final int z) throws IOException {
		if (z < 0 || z >= frames.size())
			throw new IndexOutOfBoundsException(path + ": frame " + z + " of " + frames.size() + " requested");
		final Frame f = frames.get(z);
		final int bytes = f.bits / 8, rowBytes = f.width * bytes;
		final float[] out = new float[f.width * f.height];
		for (int s = 0; s < f.offsets.length; s++) {
			final int firstRow = s * f.rowsPerStrip, rows = Math.min(f.rowsPerStrip, f.height - firstRow);
			if (rows <= 0) break;
			final byte[] stored = read(channel, f.offsets[s], (int) f.counts[s], order).array();
			final byte[] raw = decode(stored, rows * rowBytes, f.compression, z, s);
			final ByteBuffer b = ByteBuffer.wrap(raw).order(order);
			if (f.predictor == 2) undoPredictor(b, rows, f.width, f.bits);
			for (int r = 0; r < rows; r++) {
				// TIFF's first row is the top; the section's is the bottom (see the class comment)
				final int o = (f.height - 1 - (firstRow + r)) * f.width;
				convert(b, r * rowBytes, out, o, f.width, f.bits, f.format);
			}
		}
		return out;
	}

	private byte[] decode(final byte[] stored, final int expected, final int compression, final int frame,
		final int strip) throws IOException
	{
		final byte[] raw;
		try {
			raw = switch (compression) {
				case NONE -> stored;
				case LZW -> TiffLzw.decode(stored, expected);
				case DEFLATE, DEFLATE_OLD -> inflate(stored, expected);
				case PACKBITS -> unpackBits(stored, expected);
				default -> throw new IllegalStateException("checked when opened");
			};
		} catch (final DataFormatException | IllegalArgumentException e) {
			throw new FormatException(path, String.format(Locale.ROOT, "frame %d strip %d cannot be decompressed (%s)",
				frame + 1, strip + 1, e.getMessage()));
		}
		if (raw.length < expected) throw new FormatException(path, String.format(Locale.ROOT,
			"frame %d strip %d holds %d bytes, %d expected (truncated or damaged)", frame + 1, strip + 1, raw.length,
			expected));
		return raw;
	}

	private static byte[] inflate(final byte[] stored, final int expected) throws DataFormatException {
		final Inflater inflater = new Inflater();
		try {
			inflater.setInput(stored);
			final byte[] out = new byte[expected];
			int n = 0;
			while (n < expected && !inflater.finished()) {
				final int got = inflater.inflate(out, n, expected - n);
				if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) break;
				n += got;
			}
			return n == expected ? out : Arrays.copyOf(out, n);
		} finally {
			inflater.end();
		}
	}

	private static byte[] unpackBits(final byte[] in, final int expected) {
		final byte[] out = new byte[expected];
		int i = 0, o = 0;
		while (i < in.length && o < expected) {
			final int n = in[i++];
			if (n >= 0) {
				final int count = Math.min(n + 1, Math.min(expected - o, in.length - i));
				System.arraycopy(in, i, out, o, count);
				i += n + 1;
				o += count;
			} else if (n != -128) {
				if (i >= in.length) break;
				final byte v = in[i++];
				for (int k = 0; k < 1 - n && o < expected; k++)
					out[o++] = v;
			}
		}
		return o == expected ? out : Arrays.copyOf(out, o);
	}

	/** Horizontal differencing undone: each sample after the first of a row is stored as the change from its left. */
	private static void undoPredictor(final ByteBuffer b, final int rows, final int width, final int bits) {
		final int bytes = bits / 8;
		for (int r = 0; r < rows; r++) {
			final int row = r * width * bytes;
			for (int x = 1; x < width; x++) {
				final int at = row + x * bytes, left = at - bytes;
				switch (bits) {
					case 8 -> b.put(at, (byte) (b.get(at) + b.get(left)));
					case 16 -> b.putShort(at, (short) (b.getShort(at) + b.getShort(left)));
					default -> b.putInt(at, b.getInt(at) + b.getInt(left));
				}
			}
		}
	}

	private static void convert(final ByteBuffer b, final int at, final float[] out, final int o, final int n,
		final int bits, final int format)
	{
		switch (bits * 4 + format) {
			case 8 * 4 + UNSIGNED -> {
				for (int i = 0; i < n; i++)
					out[o + i] = b.get(at + i) & 0xff;
			}
			case 8 * 4 + SIGNED -> {
				for (int i = 0; i < n; i++)
					out[o + i] = b.get(at + i);
			}
			case 16 * 4 + UNSIGNED -> {
				for (int i = 0; i < n; i++)
					out[o + i] = b.getShort(at + 2 * i) & 0xffff;
			}
			case 16 * 4 + SIGNED -> {
				for (int i = 0; i < n; i++)
					out[o + i] = b.getShort(at + 2 * i);
			}
			case 32 * 4 + UNSIGNED -> {
				for (int i = 0; i < n; i++)
					out[o + i] = b.getInt(at + 4 * i) & 0xffffffffL;
			}
			case 32 * 4 + SIGNED -> {
				for (int i = 0; i < n; i++)
					out[o + i] = b.getInt(at + 4 * i);
			}
			case 32 * 4 + FLOAT -> {
				for (int i = 0; i < n; i++)
					out[o + i] = b.getFloat(at + 4 * i);
			}
			case 64 * 4 + FLOAT -> {
				for (int i = 0; i < n; i++)
					out[o + i] = (float) b.getDouble(at + 8 * i);
			}
			default -> throw new IllegalStateException("checked when opened");
		}
	}

	private static String formatName(final int format) {
		return format == FLOAT ? "float" : format == SIGNED ? "signed" : "unsigned";
	}

	@Override
	public void close() throws IOException {
		channel.close();
	}

	static ByteBuffer read(final FileChannel channel, final long at, final int length, final ByteOrder order)
		throws IOException
	{
		final ByteBuffer b = ByteBuffer.allocate(length).order(order);
		while (b.hasRemaining())
			if (channel.read(b, at + b.position()) < 0) break;
		return b;
	}

	/** One image file directory: its tags' values (integers) and the offset of the next directory. */
	private static final class Directory {
		final Map<Integer, long[]> tags = new HashMap<>();
		long next;

		static Directory parse(final FileChannel channel, final long at, final ByteOrder order, final boolean big,
			final long size, final Path path, final int index) throws IOException
		{
			final Directory d = new Directory();
			final int countBytes = big ? 8 : 2, entryBytes = big ? 20 : 12, pointerBytes = big ? 8 : 4;
			final ByteBuffer c = read(channel, at, countBytes, order);
			final long count = big ? c.getLong(0) : c.getShort(0) & 0xffff;
			final long length = countBytes + count * entryBytes + pointerBytes;
			if (count <= 0 || count > 4096 || at + length > size) throw new FormatException(path, String.format(Locale.ROOT,
				"truncated or damaged: image directory %d at byte %,d (%d entries) runs past the end of the file (%,d "
					+ "bytes)", index, at, count, size));
			final ByteBuffer e = read(channel, at + countBytes, (int) (length - countBytes), order);
			for (int i = 0; i < count; i++) {
				final int o = i * entryBytes;
				final int tag = e.getShort(o) & 0xffff, type = e.getShort(o + 2) & 0xffff;
				final long n = big ? e.getLong(o + 4) : e.getInt(o + 4) & 0xffffffffL;
				final int width = typeBytes(type);
				// a tag, type or count nobody needs here
				if (!isNeeded(tag) || width == 0 || n <= 0 || n > Integer.MAX_VALUE / 8) continue;
				final long bytes = n * width;
				final ByteBuffer v;
				if (bytes <= pointerBytes) {
					v = ByteBuffer.wrap(e.array(), o + (big ? 12 : 8), (int) bytes).slice().order(order);
				} else {
					final long offset = big ? e.getLong(o + 12) : e.getInt(o + 8) & 0xffffffffL;
					if (offset + bytes > size) throw new FormatException(path, String.format(Locale.ROOT,
						"truncated: tag %d of image directory %d lies past the end of the file", tag, index));
					v = read(channel, offset, (int) bytes, order);
				}
				final long[] values = new long[(int) n];
				for (int k = 0; k < n; k++)
					values[k] = switch (type) {
						case 1, 7 -> v.get(k) & 0xff;
						case 6 -> v.get(k);
						case 3 -> v.getShort(2 * k) & 0xffff;
						case 8 -> v.getShort(2 * k);
						case 4, 13 -> v.getInt(4 * k) & 0xffffffffL;
						case 9 -> v.getInt(4 * k);
						case 16, 17, 18 -> v.getLong(8 * k);
						default -> 0;
					};
				d.tags.put(tag, values);
			}
			d.next = big ? e.getLong((int) (length - countBytes - 8)) : e.getInt((int) (length - countBytes - 4))
				& 0xffffffffL;
			return d;
		}

		private static boolean isNeeded(final int tag) {
			return tag == 256 || tag == 257 || tag == 258 || tag == 259 || tag == 273 || tag == 277 || tag == 278
				|| tag == 279 || tag == 284 || tag == 317 || tag == 322 || tag == 339;
		}

		private static int typeBytes(final int type) {
			return switch (type) {
				case 1, 2, 6, 7 -> 1;
				case 3, 8 -> 2;
				case 4, 9, 11, 13 -> 4;
				case 5, 10, 12, 16, 17, 18 -> 8;
				default -> 0;
			};
		}

		private long one(final int tag, final long otherwise) {
			final long[] v = tags.get(tag);
			return v == null || v.length == 0 ? otherwise : v[0];
		}

		Frame frame(final Path path, final int index, final long size) throws FormatException {
			final String where = "frame " + index + " ";
			final long width = one(256, 0), height = one(257, 0);
			if (width <= 0 || height <= 0 || width * height > Integer.MAX_VALUE)
				throw new FormatException(path, where + "has no usable size (" + width + " x " + height + ")");
			if (one(277, 1) != 1) throw new FormatException(path, where + "has " + one(277, 1)
				+ " samples per pixel (colour); a detector image has one");
			if (tags.containsKey(322)) throw new FormatException(path, where + "is stored in tiles; only strips are read "
				+ "(convert it with tiffcp -s)");
			final int bits = (int) one(258, 1), format = (int) one(339, UNSIGNED);
			final boolean known = format == FLOAT ? bits == 32 || bits == 64 : (format == UNSIGNED || format == SIGNED)
				&& (bits == 8 || bits == 16 || bits == 32);
			if (!known) throw new FormatException(path, where + "is " + bits + "-bit " + (format <= 3 ? formatName(format)
				: "sample format " + format) + "; 8, 16, 32-bit integers and 32, 64-bit floats are read");
			final int compression = (int) one(259, NONE);
			if (compression != NONE && compression != LZW && compression != DEFLATE && compression != DEFLATE_OLD
				&& compression != PACKBITS) throw new FormatException(path, where + "uses compression " + compression
					+ (compression == 7 ? " (JPEG)" : compression >= 65000 && compression <= 65002 ? " (an EER movie, which "
						+ "Vitreous does not read yet: convert it to TIFF or MRC)" : "")
					+ "; none, LZW, deflate and PackBits are read");
			final int predictor = (int) one(317, 1);
			if (predictor != 1 && !(predictor == 2 && format != FLOAT)) throw new FormatException(path, where
				+ "uses predictor " + predictor + "; only horizontal differencing of integers (2) is read");
			final long rowsPerStrip = Math.min(height, one(278, height));
			final long[] offsets = tags.get(273), counts = tags.get(279);
			final long strips = (height + rowsPerStrip - 1) / Math.max(1, rowsPerStrip);
			if (offsets == null || counts == null || offsets.length < strips || counts.length < strips)
				throw new FormatException(path, where + "does not say where its " + strips + " strips are");
			final long stripBytes = rowsPerStrip * width * bits / 8;
			for (int s = 0; s < strips; s++) {
				if (compression == NONE && counts[s] < Math.min(stripBytes, (height - s * rowsPerStrip) * width * bits / 8))
					throw new FormatException(path, where + "strip " + (s + 1) + " is shorter than its rows");
				if (offsets[s] < 0 || offsets[s] + counts[s] > size || counts[s] > Integer.MAX_VALUE)
					throw new FormatException(path, String.format(Locale.ROOT,
						"truncated: %sstrip %d ends at byte %,d but the file has %,d bytes", where, s + 1, offsets[s]
							+ counts[s], size));
			}
			return new Frame((int) width, (int) height, bits, format, compression, predictor, (int) rowsPerStrip,
				Arrays.copyOf(offsets, (int) strips), Arrays.copyOf(counts, (int) strips));
		}
	}
}

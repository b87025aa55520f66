package org.vitreous.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Writes a multi-frame TIFF (classic, little-endian), one image file directory per frame, as detectors write
 * movies: unsigned 8- or 16-bit counts, or 32-bit floats (a gain reference), LZW-compressed or not, in strips.
 * Frames are flipped along the slow axis as they are written, the inverse of {@link TiffFile}'s reading. Integer
 * frames must hold whole numbers in the type's range: a value that does not fit is refused, never clipped.
 * Written whole or not at all ({@link AtomicOutput}).
 */
public final class TiffWriter implements SectionSink {

	/** How frames are stored. */
	public enum Type {
		UINT8(8, 1), UINT16(16, 1), FLOAT32(32, 3);

		final int bits, format;

		Type(final int bits, final int format) {
			this.bits = bits;
			this.format = format;
		}
	}

	private static final int STRIP_BYTES = 1 << 16;

	private final AtomicOutput output;
	private final FileChannel channel;
	private final int nx, ny;
	private final Type type;
	private final boolean lzw;
	private final String description;
	private long position = 8, nextPointer = 4;
	private int frames;

	private TiffWriter(final AtomicOutput output, final int nx, final int ny, final Type type, final boolean lzw,
		final String description) throws IOException
	{
		this.output = output;
		this.nx = nx;
		this.ny = ny;
		this.type = type;
		this.lzw = lzw;
		this.description = description;
		channel = output.openChannel();
		final ByteBuffer header = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
		header.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(0);
		write(header.flip(), 0);
	}

	/**
	 * Starts a TIFF of nx × ny frames at {@code target}.
	 *
	 * @param description the ImageDescription tag (software and settings), or null
	 * @param inputs the job's input files, which the target may not be
	 */
	public static TiffWriter open(final Path target, final int nx, final int ny, final Type type,
		final boolean lzw, final String description, final Path... inputs) throws IOException
	{
		if (nx <= 0 || ny <= 0) throw new IllegalArgumentException(target + ": cannot write frames of " + nx + " x "
			+ ny);
		final AtomicOutput output = AtomicOutput.create(target, inputs);
		try {
			return new TiffWriter(output, nx, ny, type, lzw, description);
		} catch (final IOException | RuntimeException e) {
			output.close();
			throw e;
		}
	}

	@Override
	public void writeSection(final float[] values) throws IOException {
		if (values.length != nx * ny) throw new IllegalArgumentException(output.target() + ": a frame of "
			+ values.length + " values for " + nx + " x " + ny);
		final int bytes = type.bits / 8, rowBytes = nx * bytes;
		final ByteBuffer raw = ByteBuffer.allocate(rowBytes * ny).order(ByteOrder.LITTLE_ENDIAN);
		final double max = type == Type.UINT8 ? 255 : 65535;
		for (int r = 0; r < ny; r++) {
			// the section's bottom row is TIFF's top one
			final int row = (ny - 1 - r) * nx;
			for (int x = 0; x < nx; x++) {
				final float v = values[row + x];
				if (type == Type.FLOAT32) {
					raw.putFloat(v);
					continue;
				}
				if (!(v >= 0 && v <= max) || v != Math.rint(v)) throw new IOException(String.format(Locale.ROOT,
					"%s: frame %d pixel (%d, %d) is %s, which a %d-bit unsigned TIFF cannot hold", output.target(), frames
						+ 1, x, ny - 1 - r, v, type.bits));
				if (type == Type.UINT8) raw.put((byte) v);
				else raw.putShort((short) (int) v);
			}
		}
		final byte[] data = raw.array();
		final int rowsPerStrip = Math.max(1, Math.min(ny, STRIP_BYTES / rowBytes));
		final int strips = (ny + rowsPerStrip - 1) / rowsPerStrip;
		final long[] offsets = new long[strips], counts = new long[strips];
		for (int s = 0; s < strips; s++) {
			final int from = s * rowsPerStrip * rowBytes, to = Math.min(data.length, from + rowsPerStrip * rowBytes);
			final byte[] stored = lzw ? TiffLzw.encode(data, from, to) : Arrays.copyOfRange(data, from, to);
			offsets[s] = position;
			counts[s] = stored.length;
			position += write(ByteBuffer.wrap(stored), position);
		}
		writeDirectory(rowsPerStrip, offsets, counts);
		frames++;
	}

	private void writeDirectory(final int rowsPerStrip, final long[] offsets, final long[] counts)
		throws IOException
	{
		if (position % 2 == 1) position += write(ByteBuffer.wrap(new byte[1]), position); // directories on word bounds
		final int strips = offsets.length;
		// out-of-line values after the directory: strip offsets and counts (when more than one), the description
		final byte[] text = description == null || frames > 0 ? null : (String.format(Locale.ROOT, "%-4s", description) + "\0").getBytes(
			StandardCharsets.US_ASCII);
		final int entries = text == null ? 11 : 12;
		final long directory = position, after = directory + 2 + 12L * entries + 4;
		final long offsetsAt = after, countsAt = offsetsAt + 4L * strips, textAt = countsAt + 4L * strips;
		if (textAt + (text == null ? 0 : text.length) > 0xffffffffL) throw new IOException(output.target()
			+ ": over 4 GB, too big for a classic TIFF (write MRC)");
		final ByteBuffer b = ByteBuffer.allocate((int) (textAt - directory) + (text == null ? 0 : text.length)).order(
			ByteOrder.LITTLE_ENDIAN);
		b.putShort((short) entries);
		entry(b, 256, 4, 1, nx);
		entry(b, 257, 4, 1, ny);
		entry(b, 258, 3, 1, type.bits);
		entry(b, 259, 3, 1, lzw ? 5 : 1);
		entry(b, 262, 3, 1, 1); // black is zero
		if (text != null) entry(b, 270, 2, text.length, textAt);
		entry(b, 273, 4, strips, strips == 1 ? offsets[0] : offsetsAt);
		entry(b, 277, 3, 1, 1);
		entry(b, 278, 4, 1, rowsPerStrip);
		entry(b, 279, 4, strips, strips == 1 ? counts[0] : countsAt);
		entry(b, 284, 3, 1, 1);
		entry(b, 339, 3, 1, type.format);
		b.putInt(0); // no next directory yet
		if (strips > 1) {
			for (final long o : offsets)
				b.putInt((int) o);
			for (final long c : counts)
				b.putInt((int) c);
		} else {
			b.position(b.position() + 8 * strips);
		}
		if (text != null) b.put(text);
		final long pointer = directory + 2 + 12L * entries;
		write(b.flip(), directory);
		final ByteBuffer link = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) directory);
		write(link.flip(), nextPointer);
		nextPointer = pointer;
		position = directory + b.limit();
	}

	private static void entry(final ByteBuffer b, final int tag, final int type, final int count, final long value) {
		b.putShort((short) tag).putShort((short) type).putInt(count);
		if (type == 3 && count == 1) b.putShort((short) value).putShort((short) 0);
		else b.putInt((int) value);
	}

	private int write(final ByteBuffer b, final long at) throws IOException {
		final int n = b.remaining();
		long p = at;
		while (b.hasRemaining())
			p += channel.write(b, p);
		return n;
	}

	@Override
	public void commit() throws IOException {
		if (frames == 0) throw new IOException(output.target() + ": no frames were written");
		output.commit(channel);
	}

	@Override
	public void close() throws IOException {
		output.close(channel);
	}
}

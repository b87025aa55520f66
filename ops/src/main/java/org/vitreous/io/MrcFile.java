package org.vitreous.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.NoSuchElementException;

import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.complex.ComplexFloatType;
import net.imglib2.type.numeric.real.FloatType;

/**
 * An MRC2014 file opened for reading: an image, a stack of images (.mrcs) or a volume. Data is read section by
 * section with positional reads, so a stack larger than the Java heap can be iterated image by image, and the
 * process holds one section at a time (a memory-mapped stack would count every page read in the process's
 * memory until the mapping is collected, so streaming 50,000 particles would look like holding them).
 * <p>
 * Values are returned as float in x, y, z order (x fastest). Files whose MAPC/MAPR/MAPS is not 1 2 3 (maps from
 * crystallographic programs) are permuted whole on reading: {@link #readVolume()} returns x, y, z order and
 * {@link #readSection(int)} returns z-slices of it. Complex (mode 4) data is returned with real and imaginary
 * parts interleaved.
 */
public final class MrcFile implements SectionSource {

	private final Path path;
	private final MrcHeader header;
	private final MrcMode mode;
	private final boolean unsignedInt8;
	private final FileChannel channel;
	private final long sectionBytes;
	/** Extents along x, y, z after the axis permutation. */
	private final int[] sizeXYZ;

	private MrcFile(final Path path, final MrcHeader header, final FileChannel channel, final boolean unsignedInt8) {
		this.path = path;
		this.header = header;
		this.mode = header.dataMode();
		this.channel = channel;
		this.unsignedInt8 = unsignedInt8;
		this.sectionBytes = (long) header.nx * header.ny * mode.bytesPerVoxel;
		this.sizeXYZ = header.sizeXYZ();
	}

	/** Opens an MRC file; mode 0 is read as signed bytes, as the MRC2014 standard says. */
	public static MrcFile open(final Path path) throws IOException {
		return open(path, false);
	}

	/**
	 * Opens and validates an MRC file: the header must parse, and the file must hold the header, the extended
	 * header and all the data the header declares.
	 *
	 * @param unsignedInt8 read mode 0 as unsigned bytes (0..255), as some older writers mean it
	 */
	public static MrcFile open(final Path path, final boolean unsignedInt8) throws IOException {
		FileChannel channel;
		try {
			channel = FileChannel.open(path, StandardOpenOption.READ);
		} catch (final NoSuchFileException e) {
			throw new NoSuchFileException(path.toString(), null, "no such file");
		}
		try {
			final ByteBuffer magic = ByteBuffer.allocate(4);
			while (magic.hasRemaining() && channel.read(magic, magic.position()) > 0) {}
			final byte[] m = magic.array();
			if (Compressed.isGzip(m)) {
				// EMDB distributes maps gzipped: inflate to a temporary file that goes when the file is closed, so
				// the positional reads work as on any map and memory does not grow with the map
				final FileChannel inflated = Compressed.inflateToTemporary(path);
				channel.close();
				channel = inflated;
			}
			else if (Compressed.isTiff(m)) throw new FormatException(path,
				"is a TIFF image, not an MRC file (convert reads TIFF)");
			final long length = channel.size();
			final ByteBuffer raw = ByteBuffer.allocate((int) Math.min(length, MrcHeader.SIZE));
			while (raw.hasRemaining() && channel.read(raw) >= 0) {}
			raw.flip();
			final MrcHeader header = MrcHeader.parse(path, raw);
			final long expected = header.dataOffset() + header.dataBytes();
			if (length < expected)
				throw new FormatException(path, String.format(Locale.ROOT,
					"truncated: header says %d x %d x %d voxels of mode %d (%d bytes each) = %,d data bytes after "
						+ "%d + %d header bytes = %,d bytes, but the file has %,d bytes", header.nx, header.ny,
					header.nz, header.mode, header.dataMode().bytesPerVoxel, header.dataBytes(), MrcHeader.SIZE,
					header.nsymbt, expected, length));
			return new MrcFile(path, header, channel, unsignedInt8);
		} catch (final IOException | RuntimeException e) {
			channel.close();
			throw e;
		}
	}

	/** Reads a whole file as a float volume in x, y, z order (real modes). */
	public static ArrayImg<FloatType, FloatArray> readVolume(final Path path) throws IOException {
		try (MrcFile f = open(path)) {
			return f.readVolume();
		}
	}

	public Path path() {
		return path;
	}

	public MrcHeader header() {
		return header;
	}

	public MrcMode mode() {
		return mode;
	}

	/** Number of sections: images in a stack, z-slices of a volume (after any axis permutation). */
	@Override
	public int sections() {
		return sizeXYZ[2];
	}

	/** Extent along x (after any axis permutation). */
	@Override
	public int width() {
		return sizeXYZ[0];
	}

	/** Extent along y (after any axis permutation). */
	@Override
	public int height() {
		return sizeXYZ[1];
	}

	@Override
	public double[] voxelSize() {
		return header.voxelSize();
	}

	/** ISPG 0 is an image or a stack of images; anything else (1 and up) describes a volume. */
	@Override
	public boolean isVolume() {
		return header.ispg != 0;
	}

	/** The extended header's bytes (NSYMBT of them; its layout is named by {@link MrcHeader#extType}). */
	public byte[] extendedHeader() throws IOException {
		final ByteBuffer b = ByteBuffer.allocate(header.nsymbt);
		while (b.hasRemaining())
			if (channel.read(b, MrcHeader.SIZE + (long) b.position()) < 0) break;
		return b.array();
	}

	/**
	 * Reads z-section {@code z} (0-based) as width·height floats, x fastest (interleaved real, imaginary for
	 * complex data). Standard-order files are read section by section; a file with permuted axes (a map, as
	 * crystallographic programs write them) is read and permuted whole on first use, then sliced.
	 */
	@Override
	public float[] readSection(final int z) throws IOException {
		requireReal();
		return readStoredSection(z);
	}

	/** Like {@link #readSection} but also for complex data (interleaved real, imaginary). */
	public float[] readStoredSection(final int z) throws IOException {
		final int n = width() * height() * mode.floatsPerVoxel();
		if (!header.standardAxisOrder()) {
			if (z < 0 || z >= sections())
				throw new IndexOutOfBoundsException(path + ": section " + z + " of " + sections() + " requested");
			if (permuted == null) permuted = readAll();
			return Arrays.copyOfRange(permuted, z * n, (z + 1) * n);
		}
		final float[] out = new float[n];
		readSection(z, out, 0);
		return out;
	}

	/** The whole volume in x, y, z order, kept once a permuted file has been sliced. */
	private float[] permuted;

	/** Reads section {@code z} as stored on disk into {@code out} starting at {@code offset}. */
	private synchronized void readSection(final int z, final float[] out, final int offset) throws IOException {
		if (z < 0 || z >= header.nz)
			throw new IndexOutOfBoundsException(path + ": section " + z + " of " + header.nz + " requested");
		final ByteBuffer data = section(z);
		final int n = header.nx * header.ny;
		switch (mode) {
			case INT8:
				if (unsignedInt8) for (int i = 0; i < n; i++)
					out[offset + i] = data.get() & 0xff;
				else for (int i = 0; i < n; i++)
					out[offset + i] = data.get();
				break;
			case INT16:
				for (int i = 0; i < n; i++)
					out[offset + i] = data.getShort();
				break;
			case UINT16:
				for (int i = 0; i < n; i++)
					out[offset + i] = data.getShort() & 0xffff;
				break;
			case FLOAT16:
				for (int i = 0; i < n; i++)
					out[offset + i] = Float16.toFloat(data.getShort());
				break;
			case FLOAT32:
				data.asFloatBuffer().get(out, offset, n);
				break;
			case COMPLEX_FLOAT32:
				data.asFloatBuffer().get(out, offset, 2 * n);
				break;
		}
	}

	/** One section's bytes, reused by every read (readSection is synchronized). */
	private ByteBuffer sectionBuffer;

	/** Section z's bytes in the file's byte order, read at their position into the reused buffer. */
	private ByteBuffer section(final long z) throws IOException {
		if (sectionBytes > Integer.MAX_VALUE) throw new FormatException(path, "has sections of " + sectionBytes
			+ " bytes; at most 2 GiB per section can be read");
		if (sectionBuffer == null) sectionBuffer = ByteBuffer.allocateDirect((int) sectionBytes);
		final ByteBuffer b = sectionBuffer.clear().order(header.byteOrder);
		final long start = header.dataOffset() + z * sectionBytes;
		while (b.hasRemaining())
			if (channel.read(b, start + b.position()) < 0) throw new FormatException(path, "ends inside section " + z);
		b.flip();
		return b;
	}

	/** z-section z as a 2D ImgLib2 image (real modes). */
	public ArrayImg<FloatType, FloatArray> image(final int z) throws IOException {
		requireReal();
		return ArrayImgs.floats(readSection(z), width(), height());
	}

	/** The sections one after another as 2D images; each is read when the iterator reaches it. */
	public Iterable<ArrayImg<FloatType, FloatArray>> images() {
		return () -> new Iterator<>() {
			int z = 0;

			@Override
			public boolean hasNext() {
				return z < sections();
			}

			@Override
			public ArrayImg<FloatType, FloatArray> next() {
				if (!hasNext()) throw new NoSuchElementException();
				try {
					return image(z++);
				} catch (final IOException e) {
					throw new UncheckedIOException(e);
				}
			}
		};
	}

	/** The whole file as raw floats in x, y, z order (interleaved complex for mode 4), permuting if needed. */
	public float[] readAll() throws IOException {
		final long voxels = (long) header.nx * header.ny * header.nz;
		final int per = mode.floatsPerVoxel();
		if (voxels * per > Integer.MAX_VALUE - 8)
			throw new FormatException(path, String.format(Locale.ROOT,
				"%,d voxels do not fit one array; read it section by section", voxels));
		final float[] stored = new float[(int) (voxels * per)];
		final int sectionFloats = header.nx * header.ny * per;
		for (int z = 0; z < header.nz; z++)
			readSection(z, stored, z * sectionFloats);
		if (header.standardAxisOrder()) return stored;
		// Stored index (c, r, s) with c fastest; axis mapc-1 of (x, y, z) is the column axis, and so on.
		final int[] size = sizeXYZ;
		final float[] xyz = new float[stored.length];
		final int[] at = new int[3];
		int i = 0;
		for (int s = 0; s < header.nz; s++) {
			at[header.maps - 1] = s;
			for (int r = 0; r < header.ny; r++) {
				at[header.mapr - 1] = r;
				for (int c = 0; c < header.nx; c++, i++) {
					at[header.mapc - 1] = c;
					final int j = at[0] + size[0] * (at[1] + size[1] * at[2]);
					for (int p = 0; p < per; p++)
						xyz[j * per + p] = stored[i * per + p];
				}
			}
		}
		return xyz;
	}

	/** The whole file as a float image in x, y, z order (real modes). */
	public ArrayImg<FloatType, FloatArray> readVolume() throws IOException {
		requireReal();
		final int[] size = sizeXYZ;
		return ArrayImgs.floats(readAll(), size[0], size[1], size[2]);
	}

	/** The whole file as a complex image in x, y, z order (mode 4). */
	public ArrayImg<ComplexFloatType, FloatArray> readComplexVolume() throws IOException {
		if (!mode.complex) throw new FormatException(path, "mode " + mode.code + " is not complex");
		final int[] size = sizeXYZ;
		return ArrayImgs.complexFloats(readAll(), size[0], size[1], size[2]);
	}

	private void requireReal() throws FormatException {
		if (mode.complex)
			throw new FormatException(path, "mode " + mode.code + " holds complex values; read it as complex");
	}

	@Override
	public void close() throws IOException {
		permuted = null;
		channel.close();
	}
}

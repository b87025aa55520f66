package org.vitreous.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import net.imglib2.Cursor;
import net.imglib2.RandomAccessibleInterval;
import net.imglib2.type.numeric.RealType;
import net.imglib2.view.Views;

/**
 * Writes an MRC2014 file section by section, so a stack of any length streams to disk. The header (NZ, DMIN,
 * DMAX, DMEAN, RMS) is completed on {@link #commit()}, which renames the finished file onto its target; closing
 * without a commit leaves nothing behind. Values that do not fit an integer mode are refused, not clipped.
 */
public final class MrcWriter implements SectionSink {

	/** What is written besides the data. */
	public static final class Settings {
		public MrcMode mode = MrcMode.FLOAT32;
		public ByteOrder byteOrder = ByteOrder.LITTLE_ENDIAN;
		/** Voxel size in Å along x, y, z; 0 when unknown. */
		public double[] voxelSize = { 0, 0, 0 };
		/** A volume (ISPG 1) or a stack of 2D images (ISPG 0). */
		public boolean volume = true;
		/** Mode 0 stored as unsigned bytes (0..255) instead of the standard's signed bytes. */
		public boolean unsignedInt8;
		public int[] start = { 0, 0, 0 };
		public float[] origin = { 0, 0, 0 };
		public final List<String> labels = new ArrayList<>();
		/** An extended header to carry (NSYMBT bytes after the header), with its EXTTYP; none by default. */
		public byte[] extendedHeader = new byte[0];
		public String extendedType = "";

		public Settings mode(final MrcMode m) {
			mode = m;
			return this;
		}

		public Settings byteOrder(final ByteOrder o) {
			byteOrder = o;
			return this;
		}

		public Settings pixelSize(final double angstrom) {
			voxelSize = new double[] { angstrom, angstrom, angstrom };
			return this;
		}

		public Settings voxelSize(final double[] angstrom) {
			voxelSize = angstrom.clone();
			return this;
		}

		public Settings stack() {
			volume = false;
			return this;
		}

		public Settings volume() {
			volume = true;
			return this;
		}

		public Settings label(final String label) {
			labels.add(label);
			return this;
		}
	}

	private static final int MAX_LABEL = 80;

	private final AtomicOutput output;
	private final FileChannel channel;
	private final Settings settings;
	private final int nx, ny;
	private final double[] integerRange;
	private final ByteBuffer buffer;
	private int sections;
	private double min = Double.POSITIVE_INFINITY, max = Double.NEGATIVE_INFINITY, sum, sumSquares, shift;
	private long count;

	private MrcWriter(final AtomicOutput output, final int nx, final int ny, final Settings settings)
		throws IOException
	{
		this.output = output;
		this.nx = nx;
		this.ny = ny;
		this.settings = settings;
		this.integerRange = settings.mode.integerRange(settings.unsignedInt8);
		this.channel = output.openChannel();
		this.buffer = ByteBuffer.allocate(nx * ny * settings.mode.bytesPerVoxel).order(settings.byteOrder);
		channel.write(ByteBuffer.allocate(MrcHeader.SIZE), 0); // placeholder until commit
		channel.write(ByteBuffer.wrap(settings.extendedHeader), MrcHeader.SIZE);
		channel.position(MrcHeader.SIZE + settings.extendedHeader.length);
	}

	/**
	 * Starts an MRC file of nx × ny sections at {@code target}.
	 *
	 * @param inputs the job's input files, which the target may not be
	 */
	public static MrcWriter open(final Path target, final int nx, final int ny, final Settings settings,
		final Path... inputs) throws IOException
	{
		if (nx <= 0 || ny <= 0 || nx > MrcHeader.MAX_DIMENSION || ny > MrcHeader.MAX_DIMENSION)
			throw new IllegalArgumentException(target + ": cannot write sections of " + nx + " x " + ny);
		final AtomicOutput output = AtomicOutput.create(target, inputs);
		try {
			return new MrcWriter(output, nx, ny, settings);
		} catch (final IOException | RuntimeException e) {
			output.close();
			throw e;
		}
	}

	/** Writes one nx × ny image (row-major) as a single section to {@code target} and commits. */
	public static void writeImage(final Path target, final float[] image, final int nx, final int ny,
		final Settings settings, final Path... inputs) throws IOException
	{
		try (MrcWriter w = open(target, nx, ny, settings, inputs)) {
			w.writeSection(image);
			w.commit();
		}
	}

	/** Writes a 2D image or every section of a 3D image (x, y, z order) to {@code target} and commits. */
	public static void write(final Path target, final RandomAccessibleInterval<? extends RealType<?>> image,
		final Settings settings, final Path... inputs) throws IOException
	{
		final int nx = (int) image.dimension(0), ny = image.numDimensions() > 1 ? (int) image.dimension(1) : 1;
		try (MrcWriter w = open(target, nx, ny, settings, inputs)) {
			w.write(image);
			w.commit();
		}
	}

	/** Appends the sections of a 2D or 3D real image. */
	public void write(final RandomAccessibleInterval<? extends RealType<?>> image) throws IOException {
		if (image.dimension(0) != nx || (image.numDimensions() > 1 ? image.dimension(1) : 1) != ny
			|| image.numDimensions() > 3)
			throw new IllegalArgumentException(output.target() + ": an image of " + Arrays.toString(
				image.dimensionsAsLongArray()) + " does not fit sections of " + nx + " x " + ny);
		final long depth = image.numDimensions() == 3 ? image.dimension(2) : 1;
		final float[] section = new float[nx * ny];
		for (long z = 0; z < depth; z++) {
			final RandomAccessibleInterval<? extends RealType<?>> plane = image.numDimensions() == 3 ? Views
				.hyperSlice(image, 2, image.min(2) + z) : image;
			final Cursor<? extends RealType<?>> c = Views.flatIterable(plane).cursor();
			for (int i = 0; i < section.length; i++)
				section[i] = c.next().getRealFloat();
			writeSection(section);
		}
	}

	/** Appends one section of nx·ny values, x fastest (2·nx·ny interleaved real, imaginary for mode 4). */
	@Override
	public void writeSection(final float[] values) throws IOException {
		final int n = nx * ny * settings.mode.floatsPerVoxel();
		if (values.length != n)
			throw new IllegalArgumentException(output.target() + ": a section needs " + n + " values, got "
				+ values.length);
		buffer.clear();
		for (int i = 0; i < n; i++) {
			final float v = values[i];
			if (!Float.isFinite(v)) throw new IOException(String.format(Locale.ROOT,
				"%s: value %s at x=%d y=%d of section %d is not a finite number; nothing was written (no Vitreous output "
					+ "holds NaN or infinity)", output.target(), v, (i / settings.mode.floatsPerVoxel()) % nx, (i
						/ settings.mode.floatsPerVoxel()) / nx, sections));
			final double stored;
			switch (settings.mode) {
				case INT8:
					stored = checkedInteger(v, i);
					buffer.put((byte) (int) stored);
					break;
				case INT16:
					stored = checkedInteger(v, i);
					buffer.putShort((short) (int) stored);
					break;
				case UINT16:
					stored = checkedInteger(v, i);
					buffer.putShort((short) (int) stored);
					break;
				case FLOAT16: {
					final short h = Float16.fromFloat(v);
					stored = Float16.toFloat(h);
					if (Double.isInfinite(stored) && !Float.isInfinite(v))
						throw valueError(v, i, "beyond the float16 range of ±" + Float16.MAX);
					buffer.putShort(h);
					break;
				}
				default:
					stored = v;
					buffer.putFloat(v);
			}
			if (!settings.mode.complex) accumulate(stored);
		}
		if (settings.mode.complex) // statistics of a complex map: of the amplitudes, as mrcfile computes them
			for (int i = 0; i < n; i += 2)
				accumulate(Math.hypot(values[i], values[i + 1]));
		buffer.flip();
		while (buffer.hasRemaining())
			channel.write(buffer);
		sections++;
	}

	private void accumulate(final double v) {
		if (count == 0) shift = v; // sums of (v - first value) keep the variance exact for large offsets
		if (v < min) min = v;
		if (v > max) max = v;
		final double d = v - shift;
		sum += d;
		sumSquares += d * d;
		count++;
	}

	private double checkedInteger(final float v, final int index) throws IOException {
		final double r = Math.rint(v);
		if (!(r >= integerRange[0] && r <= integerRange[1]))
			throw valueError(v, index, String.format(Locale.ROOT, "outside the range %.0f..%.0f of mode %d (%s)",
				integerRange[0], integerRange[1], settings.mode.code, settings.mode.description));
		return r;
	}

	private IOException valueError(final float v, final int index, final String why) {
		return new IOException(String.format(Locale.ROOT, "%s: value %g at x=%d y=%d of section %d is %s; "
			+ "scale the data or choose another mode", output.target(), v, (index / settings.mode
				.floatsPerVoxel()) % nx, (index / settings.mode.floatsPerVoxel()) / nx, sections, why));
	}

	/** Number of sections written so far. */
	public int sections() {
		return sections;
	}

	/** Completes the header and renames the file onto its target. */
	@Override
	public void commit() throws IOException {
		if (sections == 0) throw new IOException(output.target() + ": no sections were written");
		final MrcHeader h = new MrcHeader();
		h.byteOrder = settings.byteOrder;
		h.nx = nx;
		h.ny = ny;
		h.nz = sections;
		h.mode = settings.mode.code;
		h.nxStart = settings.start[0];
		h.nyStart = settings.start[1];
		h.nzStart = settings.start[2];
		h.mx = nx;
		h.my = ny;
		h.mz = sections;
		h.cellA = (float) (settings.voxelSize[0] * nx);
		h.cellB = (float) (settings.voxelSize[1] * ny);
		// a stack's images have no z spacing; like mrcfile, give them the in-plane pixel size
		final double voxelZ = settings.voxelSize[2] > 0 ? settings.voxelSize[2] : settings.voxelSize[0];
		h.cellC = (float) (voxelZ * sections);
		h.ispg = settings.volume ? 1 : 0;
		h.nsymbt = settings.extendedHeader.length;
		h.extType = settings.extendedType;
		h.originX = settings.origin[0];
		h.originY = settings.origin[1];
		h.originZ = settings.origin[2];
		final double meanShifted = sum / count;
		h.dmin = (float) min;
		h.dmax = (float) max;
		h.dmean = (float) (shift + meanShifted);
		h.rms = (float) Math.sqrt(Math.max(0, sumSquares / count - meanShifted * meanShifted));
		for (final String label : settings.labels)
			h.labels.add(label.length() > MAX_LABEL ? label.substring(0, MAX_LABEL) : label);
		if (h.labels.size() > 10) h.labels.subList(0, h.labels.size() - 10).clear(); // keep the newest ten
		channel.write(h.toBytes(), 0);
		output.commit(channel);
	}

	@Override
	public void close() throws IOException {
		output.close(channel);
	}
}

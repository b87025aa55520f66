package org.vitreous.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The 1024-byte MRC2014 header, field by field as the standard names them (see FORMATS.md). Fields are raw:
 * {@code nx, ny, nz} count columns, rows and sections as stored; {@link #sizeXYZ()} and friends give the
 * values in x, y, z order after the MAPC/MAPR/MAPS permutation.
 */
public final class MrcHeader {

	public static final int SIZE = 1024;
	/** Largest dimension accepted on read: a sanity bound far above any detector or box. */
	public static final int MAX_DIMENSION = 1 << 20;
	/** The range of voxel sizes (Å) a header may state; outside it the cell is refused, not read as a size. */
	public static final double MIN_VOXEL = 1e-4, MAX_VOXEL = 1e5;
	public static final int NVERSION_2014 = 20140;

	public ByteOrder byteOrder = ByteOrder.LITTLE_ENDIAN;
	public int nx, ny, nz;
	public int mode = MrcMode.FLOAT32.code;
	public int nxStart, nyStart, nzStart;
	public int mx, my, mz;
	public float cellA, cellB, cellC;
	public float alpha = 90, beta = 90, gamma = 90;
	public int mapc = 1, mapr = 2, maps = 3;
	public float dmin = 0, dmax = -1, dmean = -2;
	public int ispg;
	public int nsymbt;
	/** EXTTYP: four characters naming the extended header's layout (FEI1, CCP4, ...), or blank. */
	public String extType = "";
	public int nversion = NVERSION_2014;
	public float originX, originY, originZ;
	/** The MAP word at byte 208 (normally "MAP "). */
	public String mapWord = "MAP ";
	/** The machine stamp's four bytes as read (written as 44 44 00 00 or 11 11 00 00). */
	public final byte[] machineStamp = new byte[4];
	public float rms = -1;
	public final List<String> labels = new ArrayList<>();

	/** Parses and validates a header. The file name is used only in error messages. */
	public static MrcHeader parse(final Path file, final ByteBuffer raw) throws FormatException {
		if (raw.remaining() < SIZE)
			throw new FormatException(file, "too short for an MRC file: " + raw.remaining()
				+ " bytes, but the header alone is " + SIZE + " bytes");
		final ByteBuffer b = raw.duplicate();
		final byte s0 = b.get(212), s1 = b.get(213);
		final ByteOrder stampOrder = stampOrder(s0, s1);
		final boolean leSane = plausible(b.order(ByteOrder.LITTLE_ENDIAN));
		final boolean beSane = plausible(b.order(ByteOrder.BIG_ENDIAN));
		final ByteOrder order;
		if (stampOrder != null) {
			final boolean sane = stampOrder == ByteOrder.LITTLE_ENDIAN ? leSane : beSane;
			if (!sane && (leSane || beSane))
				throw new FormatException(file, String.format(Locale.ROOT,
					"wrong machine stamp: bytes 212-213 (%02x %02x) say %s, but the header only makes sense %s",
					s0, s1, name(stampOrder), leSane ? "little-endian" : "big-endian"));
			order = stampOrder;
		} else if (s0 == 0 && s1 == 0 && (leSane ^ beSane)) {
			order = leSane ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN; // pre-2000 files have no stamp
		} else {
			throw new FormatException(file, String.format(Locale.ROOT,
				"wrong machine stamp: bytes 212-213 are %02x %02x; expected 44 44 or 44 41 (little-endian) "
					+ "or 11 11 (big-endian)", s0, s1));
		}
		b.order(order);
		final MrcHeader h = new MrcHeader();
		h.byteOrder = order;
		h.nx = b.getInt(0);
		h.ny = b.getInt(4);
		h.nz = b.getInt(8);
		h.mode = b.getInt(12);
		h.nxStart = b.getInt(16);
		h.nyStart = b.getInt(20);
		h.nzStart = b.getInt(24);
		h.mx = b.getInt(28);
		h.my = b.getInt(32);
		h.mz = b.getInt(36);
		h.cellA = b.getFloat(40);
		h.cellB = b.getFloat(44);
		h.cellC = b.getFloat(48);
		h.alpha = b.getFloat(52);
		h.beta = b.getFloat(56);
		h.gamma = b.getFloat(60);
		h.mapc = b.getInt(64);
		h.mapr = b.getInt(68);
		h.maps = b.getInt(72);
		h.dmin = b.getFloat(76);
		h.dmax = b.getFloat(80);
		h.dmean = b.getFloat(84);
		h.ispg = b.getInt(88);
		h.nsymbt = b.getInt(92);
		h.extType = ascii(b, 104, 4);
		h.nversion = b.getInt(108);
		h.originX = b.getFloat(196);
		h.originY = b.getFloat(200);
		h.originZ = b.getFloat(204);
		h.mapWord = new String(new char[] { (char) b.get(208), (char) b.get(209), (char) b.get(210), (char) b.get(211) })
			.replace('\0', ' ');
		for (int i = 0; i < 4; i++)
			h.machineStamp[i] = b.get(212 + i);
		h.rms = b.getFloat(216);
		final int nlabl = Math.max(0, Math.min(10, b.getInt(220)));
		for (int i = 0; i < nlabl; i++)
			h.labels.add(ascii(b, 224 + 80 * i, 80).strip());

		if (h.nx <= 0 || h.ny <= 0 || h.nz <= 0 || h.nx > MAX_DIMENSION || h.ny > MAX_DIMENSION
			|| h.nz > MAX_DIMENSION)
			throw new FormatException(file, String.format(Locale.ROOT,
				"absurd dimensions NX NY NZ = %d %d %d (each must be 1 to %d)", h.nx, h.ny, h.nz, MAX_DIMENSION));
		if (MrcMode.of(h.mode) == null)
			throw new FormatException(file, "unknown or unsupported MODE " + h.mode + " (byte 12); supported: "
				+ MrcMode.supportedList());
		if (h.mapc == 0 && h.mapr == 0 && h.maps == 0) { // some old writers leave the axis order blank
			h.mapc = 1;
			h.mapr = 2;
			h.maps = 3;
		}
		final int[] axes = { h.mapc, h.mapr, h.maps };
		final int[] sorted = axes.clone();
		Arrays.sort(sorted);
		if (sorted[0] != 1 || sorted[1] != 2 || sorted[2] != 3)
			throw new FormatException(file, "unknown axis order MAPC MAPR MAPS = " + h.mapc + " " + h.mapr + " "
				+ h.maps + " (bytes 64-75); expected a permutation of 1 2 3");
		if (h.nsymbt < 0)
			throw new FormatException(file, "negative extended header size NSYMBT = " + h.nsymbt + " (byte 92)");
		final float[] cell = { h.cellA, h.cellB, h.cellC };
		for (int i = 0; i < 3; i++)
			if (!Float.isFinite(cell[i])) throw new FormatException(file, "cell length " + "ABC".charAt(i) + " = "
				+ cell[i] + " (bytes " + (40 + 4 * i) + "-" + (43 + 4 * i) + ") is not a finite number of Å");
		for (final double v : h.voxelSize())
			if (v != 0 && !(v >= MIN_VOXEL && v <= MAX_VOXEL)) throw new FormatException(file, String.format(Locale.ROOT,
				"voxel size %.6g Å (CELLA / MX, MY, MZ) is not a plausible voxel size (%g to %g Å)", v, MIN_VOXEL,
				MAX_VOXEL));
		try {
			Math.addExact(h.dataOffset(), h.dataBytes());
		} catch (final ArithmeticException e) {
			throw new FormatException(file, String.format(Locale.ROOT,
				"header declares %d x %d x %d voxels of mode %d, more bytes than any file can hold", h.nx, h.ny, h.nz,
				h.mode));
		}
		return h;
	}

	private static boolean plausible(final ByteBuffer b) {
		final int nx = b.getInt(0), ny = b.getInt(4), nz = b.getInt(8), mode = b.getInt(12);
		return nx > 0 && ny > 0 && nz > 0 && nx <= MAX_DIMENSION && ny <= MAX_DIMENSION && nz <= MAX_DIMENSION
			&& mode >= 0 && mode <= 101;
	}

	private static ByteOrder stampOrder(final byte s0, final byte s1) {
		if (s0 == 0x44 && (s1 == 0x44 || s1 == 0x41)) return ByteOrder.LITTLE_ENDIAN;
		if (s0 == 0x11 && s1 == 0x11) return ByteOrder.BIG_ENDIAN;
		return null;
	}

	private static String name(final ByteOrder o) {
		return o == ByteOrder.LITTLE_ENDIAN ? "little-endian" : "big-endian";
	}

	private static String ascii(final ByteBuffer b, final int offset, final int length) {
		final byte[] bytes = new byte[length];
		for (int i = 0; i < length; i++)
			bytes[i] = b.get(offset + i);
		int end = length;
		while (end > 0 && (bytes[end - 1] == 0 || bytes[end - 1] == ' '))
			end--;
		final char[] c = new char[end];
		for (int i = 0; i < end; i++)
			c[i] = bytes[i] >= 32 && bytes[i] < 127 ? (char) bytes[i] : '?';
		return new String(c);
	}

	/** The header as 1024 bytes in its byte order, with the standard machine stamp and MAP word. */
	public ByteBuffer toBytes() {
		final ByteBuffer b = ByteBuffer.allocate(SIZE).order(byteOrder);
		b.putInt(0, nx).putInt(4, ny).putInt(8, nz).putInt(12, mode);
		b.putInt(16, nxStart).putInt(20, nyStart).putInt(24, nzStart);
		b.putInt(28, mx).putInt(32, my).putInt(36, mz);
		b.putFloat(40, cellA).putFloat(44, cellB).putFloat(48, cellC);
		b.putFloat(52, alpha).putFloat(56, beta).putFloat(60, gamma);
		b.putInt(64, mapc).putInt(68, mapr).putInt(72, maps);
		b.putFloat(76, dmin).putFloat(80, dmax).putFloat(84, dmean);
		b.putInt(88, ispg).putInt(92, nsymbt);
		putAscii(b, 104, extType, 4);
		b.putInt(108, nversion);
		b.putFloat(196, originX).putFloat(200, originY).putFloat(204, originZ);
		putAscii(b, 208, "MAP ", 4);
		final byte stamp = byteOrder == ByteOrder.LITTLE_ENDIAN ? (byte) 0x44 : (byte) 0x11;
		b.put(212, stamp).put(213, stamp).put(214, (byte) 0).put(215, (byte) 0);
		b.putFloat(216, rms);
		final int n = Math.min(10, labels.size());
		b.putInt(220, n);
		for (int i = 0; i < n; i++)
			putAscii(b, 224 + 80 * i, labels.get(i), 80);
		return b;
	}

	private static void putAscii(final ByteBuffer b, final int offset, final String s, final int length) {
		final byte[] bytes = s.getBytes(StandardCharsets.US_ASCII);
		for (int i = 0; i < length; i++)
			b.put(offset + i, i < bytes.length ? bytes[i] : 0);
	}

	public MrcMode dataMode() {
		return MrcMode.of(mode);
	}

	/**
	 * Size of the data block in bytes as the header declares it, in checked arithmetic: {@link ArithmeticException}
	 * where it does not fit a long ({@link #parse} refuses such headers).
	 */
	public long dataBytes() {
		return Math.multiplyExact(Math.multiplyExact((long) nx * ny, (long) nz), (long) dataMode().bytesPerVoxel);
	}

	/** Offset of the first data byte. */
	public long dataOffset() {
		return SIZE + (long) nsymbt;
	}

	/** Whether the data is stored in the standard order (columns x, rows y, sections z). */
	public boolean standardAxisOrder() {
		return mapc == 1 && mapr == 2 && maps == 3;
	}

	/** The stored counts (columns, rows, sections) placed at the x, y, z axes they sample. */
	public int[] sizeXYZ() {
		return toXYZ(new int[] { nx, ny, nz });
	}

	/** NXSTART NYSTART NZSTART (starts of columns, rows, sections) placed at their x, y, z axes. */
	public int[] startXYZ() {
		return toXYZ(new int[] { nxStart, nyStart, nzStart });
	}

	private int[] toXYZ(final int[] stored) {
		final int[] xyz = new int[3];
		xyz[mapc - 1] = stored[0];
		xyz[mapr - 1] = stored[1];
		xyz[maps - 1] = stored[2];
		return xyz;
	}

	/**
	 * Voxel size in Å along x, y, z: CELLA / (MX, MY, MZ), which already refer to the x, y, z axes. A sampling of
	 * 0 (or a zero cell) gives 0: the pixel size is unknown.
	 */
	public double[] voxelSize() {
		return new double[] { ratio(cellA, mx), ratio(cellB, my), ratio(cellC, mz) };
	}

	private static double ratio(final float cell, final int m) {
		return m > 0 && cell > 0 ? (double) cell / m : 0;
	}

	/**
	 * The voxel size as the file states it, sign included (mrcfile's reading): CELLA / (MX, MY, MZ), 0 where the
	 * sampling is 0. Some writers (Direct Electron's movies) store negative cell lengths; {@link #voxelSize} reads
	 * those as unknown (0), and this tells what the file said.
	 */
	public double[] statedVoxelSize() {
		return new double[] { mx > 0 ? (double) cellA / mx : 0, my > 0 ? (double) cellB / my : 0, mz > 0
			? (double) cellC / mz : 0 };
	}

	/** Whether the statistics fields hold the "unknown" marker (DMAX below DMIN, or RMS negative). */
	public boolean statisticsKnown() {
		return dmax >= dmin && rms >= 0;
	}

	/** The header as a JSON object: raw fields plus the x, y, z interpretation. */
	public String toJson(final Path file) {
		final Json j = new Json();
		j.field("file", file.toString());
		j.field("byteOrder", byteOrder == ByteOrder.LITTLE_ENDIAN ? "little-endian" : "big-endian");
		j.field("machineStamp", String.format(Locale.ROOT, "%02x %02x %02x %02x", machineStamp[0],
			machineStamp[1], machineStamp[2], machineStamp[3]));
		j.field("mode", mode);
		j.field("modeName", dataMode().description);
		j.field("dimensions", new int[] { nx, ny, nz });
		j.field("axisOrder", new int[] { mapc, mapr, maps });
		j.field("sizeXYZ", sizeXYZ());
		final double[] stated = statedVoxelSize();
		j.field("voxelSize", stated);
		if (stated[0] < 0 || stated[1] < 0 || stated[2] < 0) j.field("warning",
			"negative cell lengths: the voxel size is stated as negative, and Vitreous reads it as unknown (0)");
		j.field("start", new int[] { nxStart, nyStart, nzStart });
		j.field("startXYZ", startXYZ());
		j.field("origin", new double[] { originX, originY, originZ });
		j.field("sampling", new int[] { mx, my, mz });
		j.field("cell", new double[] { cellA, cellB, cellC });
		j.field("cellAngles", new double[] { alpha, beta, gamma });
		j.field("spaceGroup", ispg);
		j.field("statistics", new Json().field("min", dmin).field("max", dmax).field("mean", dmean).field("rms",
			rms).field("known", statisticsKnown()));
		j.field("extendedHeader", new Json().field("type", extType).field("bytes", nsymbt));
		j.field("nversion", nversion);
		j.field("mapWord", mapWord);
		j.field("labels", labels.toArray(new String[0]));
		return j.toString();
	}
}

package org.vitreous.io;

/**
 * The MRC2014 data modes Vitreous reads and writes. Mode 0 is signed 8-bit as the standard says; some writers
 * (older IMOD) mean unsigned, which {@link MrcFile} reads on request.
 */
public enum MrcMode {
	INT8(0, 1, false, "int8"),
	INT16(1, 2, false, "int16"),
	FLOAT32(2, 4, false, "float32"),
	COMPLEX_FLOAT32(4, 8, true, "complex float32"),
	UINT16(6, 2, false, "uint16"),
	FLOAT16(12, 2, false, "float16");

	/** The MODE word. */
	public final int code;
	/** Bytes per voxel (both parts for complex). */
	public final int bytesPerVoxel;
	/** Whether each voxel is a (real, imaginary) pair. */
	public final boolean complex;
	public final String description;

	MrcMode(final int code, final int bytesPerVoxel, final boolean complex, final String description) {
		this.code = code;
		this.bytesPerVoxel = bytesPerVoxel;
		this.complex = complex;
		this.description = description;
	}

	/** Floats per voxel in Vitreous' arrays: 2 for complex modes (real, imaginary interleaved), else 1. */
	public int floatsPerVoxel() {
		return complex ? 2 : 1;
	}

	/** The mode for a MODE word, or null for a mode Vitreous does not read (3 complex int16, 101 4-bit). */
	public static MrcMode of(final int code) {
		for (final MrcMode m : values())
			if (m.code == code) return m;
		return null;
	}

	/** The range of values the mode stores exactly as integers, or null for floating-point modes. */
	public double[] integerRange(final boolean unsignedInt8) {
		switch (this) {
			case INT8: return unsignedInt8 ? new double[] { 0, 255 } : new double[] { -128, 127 };
			case INT16: return new double[] { Short.MIN_VALUE, Short.MAX_VALUE };
			case UINT16: return new double[] { 0, 65535 };
			default: return null;
		}
	}

	public static String supportedList() {
		final StringBuilder s = new StringBuilder();
		for (final MrcMode m : values())
			s.append(s.length() == 0 ? "" : ", ").append(m.code).append(" (").append(m.description).append(')');
		return s.toString();
	}
}

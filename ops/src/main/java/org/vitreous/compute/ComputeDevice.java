package org.vitreous.compute;

import java.util.Locale;

/**
 * Where accelerated operations run: plain Java (the multi-threaded reference) or an OpenCL device. Chosen once
 * per job by {@link #choose(String)} and passed to the operations; there is no global device. The choice is
 * "auto" (a GPU if one is present, else Java), "java", "opencl" (any OpenCL device,
 * GPU first), "gpu" or "cpu" (an OpenCL device of that type); the system property {@code vitreous.device} or the
 * environment variable {@code VITREOUS_DEVICE} sets it where a caller passes none.
 */
public abstract class ComputeDevice implements AutoCloseable {

	/** The plain-Java device: always available. */
	public static final ComputeDevice JAVA = new ComputeDevice() {
		@Override
		public String describe() {
			return "Java (" + Parallel.threads() + " threads)";
		}

		@Override
		public OpenClDevice openCl() {
			return null;
		}

		@Override
		public void close() {}
	};

	/** The setting in effect when the caller gives none: system property, then environment, then "auto". */
	public static String defaultSetting() {
		final String p = System.getProperty("vitreous.device");
		if (p != null && !p.isBlank()) return p;
		final String e = System.getenv("VITREOUS_DEVICE");
		return e != null && !e.isBlank() ? e : "auto";
	}

	/** The device of {@link #defaultSetting()}. */
	public static ComputeDevice choose() throws ComputeException {
		return choose(defaultSetting());
	}

	/**
	 * The device for a setting. "auto" takes a GPU where OpenCL finds one and Java otherwise (an OpenCL CPU device
	 * only on "cpu" or "opencl", since Java is faster than the CPU runtimes measured); an explicit
	 * OpenCL setting that cannot be met throws with a one-line reason.
	 */
	public static ComputeDevice choose(final String setting) throws ComputeException {
		final String s = setting == null ? "auto" : setting.trim().toLowerCase(Locale.ROOT);
		switch (s) {
			case "java":
				return JAVA;
			case "auto":
				// A GPU if OpenCL finds one, else Java: the OpenCL CPU runtimes measured here (pocl) ran reconstruct
				// and WBP at about half the Java path's speed, so a CPU device is used only when asked for
				try {
					return OpenClDevice.open(OpenClDevice.Kind.GPU);
				} catch (final ComputeException e) {
					return JAVA;
				}
			case "opencl":
				return OpenClDevice.open(OpenClDevice.Kind.ANY);
			case "gpu":
				return OpenClDevice.open(OpenClDevice.Kind.GPU);
			case "cpu":
				return OpenClDevice.open(OpenClDevice.Kind.CPU);
			default:
				throw new ComputeException("unknown device '" + setting + "': expected auto, java, opencl, gpu or cpu");
		}
	}

	/** One line saying what this device is. */
	public abstract String describe();

	/** The OpenCL device, or null for Java. */
	public abstract OpenClDevice openCl();

	public boolean isOpenCl() {
		return openCl() != null;
	}

	/** Releases the device's resources (nothing for Java). */
	@Override
	public abstract void close();

	@Override
	public String toString() {
		return describe();
	}
}

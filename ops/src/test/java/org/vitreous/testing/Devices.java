package org.vitreous.testing;


import org.vitreous.compute.ComputeException;
import org.vitreous.compute.OpenClDevice;

/** The OpenCL device for tests that compare OpenCL with Java; skipped with the reason where none exists. */
public final class Devices {

	private static OpenClDevice device;
	private static String unavailable;

	private Devices() {}

	/** A shared OpenCL device (a CPU one such as pocl is enough), or the test is skipped saying why. */
	public static synchronized OpenClDevice openCl() {
		if (device == null && unavailable == null) {
			try {
				device = OpenClDevice.open(OpenClDevice.Kind.ANY);
			} catch (final ComputeException e) {
				unavailable = e.getMessage();
			}
		}
		Needs.need("skipped: " + unavailable, device != null);
		return device;
	}
}

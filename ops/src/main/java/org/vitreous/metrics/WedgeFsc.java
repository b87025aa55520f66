package org.vitreous.metrics;

import org.vitreous.fourier.Fft;

/**
 * The directional FSC of the cryo-ET coordinate-network study: Fourier space is split into the region the tilt
 * series measured (every Fourier voxel within half a voxel of some tilt's central plane) and the rest (the missing
 * wedge, and the gaps between tilts at high frequency), and the FSC against a reference is computed over each. In
 * the geometry of DESIGN section 3 the tilt-t projection's central plane is spanned by (cos t, 0, −sin t) and y,
 * with normal (sin t, 0, cos t). Distances are in Fourier voxels of the x axis (y and z frequencies are scaled by
 * nx/ny and nx/nz, as shells are), so for cubes they are the study's voxels.
 */
public final class WedgeFsc {

	/** Per-shell FSC over the measured and the missing region, and each region's mean over shells 1 to Nyquist. */
	public record Result(Fsc.Curve measured, Fsc.Curve missing) {

		public double measuredMean() {
			return mean(measured);
		}

		public double missingMean() {
			return mean(missing);
		}

		private static double mean(final Fsc.Curve c) {
			double sum = 0;
			int n = 0;
			for (int s = 1; s < c.shells(); s++)
				if (c.counts()[s] > 0) {
					sum += c.fsc()[s];
					n++;
				}
			return n == 0 ? Double.NaN : sum / n;
		}
	}

	private WedgeFsc() {}

	/** Whether stored element (x, y, z) lies within half a voxel of a tilt's central plane. */
	public static Fsc.Region measured(final double[] tilts, final int nx, final int ny, final int nz) {
		final double[] sin = new double[tilts.length], cos = new double[tilts.length];
		for (int t = 0; t < tilts.length; t++) {
			sin[t] = Math.sin(Math.toRadians(tilts[t]));
			cos[t] = Math.cos(Math.toRadians(tilts[t]));
		}
		return (x, y, z) -> {
			final double fz = (double) Fft.frequency(z, nz) * nx / nz;
			for (int t = 0; t < sin.length; t++)
				if (Math.abs(x * sin[t] + fz * cos[t]) <= 0.5) return true;
			return false;
		};
	}

	public static Result compute(final float[] reference, final float[] volume, final int nx, final int ny,
		final int nz, final double[] tilts, final double pixelSize)
	{
		final Fsc.Curve[] c = compute(reference, volume, nx, ny, nz, tilts, pixelSize, false);
		return new Result(c[0], c[1]);
	}

	/**
	 * The measured and missing curves, and with {@code whole} the curve over all of Fourier space as a third,
	 * from one transform of each volume.
	 */
	static Fsc.Curve[] compute(final float[] reference, final float[] volume, final int nx, final int ny,
		final int nz, final double[] tilts, final double pixelSize, final boolean whole)
	{
		if (tilts.length == 0) throw new IllegalArgumentException("directional FSC needs the tilt angles");
		final Fsc.Region measured = measured(tilts, nx, ny, nz), missing = (x, y, z) -> !measured.contains(x, y, z);
		return whole ? Fsc.compute(reference, volume, nx, ny, nz, null, pixelSize, measured, missing, (x, y, z) -> true)
			: Fsc.compute(reference, volume, nx, ny, nz, null, pixelSize, measured, missing);
	}
}

package org.vitreous.metrics;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.IntToDoubleFunction;

import org.vitreous.fourier.Fft;
import org.vitreous.fourier.FourierFilters;
import org.vitreous.io.AtomicOutput;

/**
 * Fourier shell correlation of two maps, computed as relion_image_handler --fsc computes it: over the stored
 * half-complex elements (layout of {@link Fft}), element (x, y, z) in shell round(|k|) (Fourier pixels),
 * FSC(shell) = Σ Re(F1·F2*) / √(Σ|F1|²·Σ|F2|²) for shells 0 to N/2. Resolutions are where the curve first falls
 * below a threshold, interpolated linearly between the shells either side.
 */
public final class Fsc {

	/** The curve and what is needed to read it. */
	public record Curve(double[] fsc, long[] counts, int boxSize, double pixelSize) {

		public int shells() {
			return fsc.length;
		}

		/** Spatial frequency of shell s, 1/Å. */
		public double frequency(final int shell) {
			return shell / (boxSize * pixelSize);
		}

		/**
		 * The fractional shell where the curve first falls below {@code threshold} (from shell 1 on), or NaN if it
		 * never does.
		 */
		public double crossing(final double threshold) {
			return Fsc.crossing(fsc, 1, s -> threshold);
		}

		/** The first crossing of the half-bit curve (van Heel and Schatz 2005), or NaN. */
		public double halfBitCrossing() {
			return Fsc.crossing(fsc, 1, s -> halfBit(counts[s]));
		}

		/** Resolution in Å at a fractional shell; Nyquist (2 pixels) where the curve never crosses. */
		public double resolution(final double shell) {
			return Double.isNaN(shell) ? 2 * pixelSize : boxSize * pixelSize / shell;
		}

		/** Resolution in Å where the curve falls below {@code threshold} (0.143 for half maps, 0.5 against truth). */
		public double resolutionAt(final double threshold) {
			return resolution(crossing(threshold));
		}
	}

	private Fsc() {}

	/**
	 * The fractional shell where {@code fsc} first falls below {@code threshold} (from shell 1 on), or NaN if it
	 * never does.
	 */
	public static double crossing(final double[] fsc, final double threshold) {
		return crossing(fsc, 1, s -> threshold);
	}

	/**
	 * The fractional shell where {@code fsc} first falls below a per-shell threshold, looking from shell
	 * {@code from} on, interpolated linearly between the shells either side; the shell before if that one is
	 * already below; NaN if it never falls below.
	 */
	public static double crossing(final double[] fsc, final int from, final IntToDoubleFunction threshold) {
		for (int s = Math.max(1, from); s < fsc.length; s++) {
			final double t = threshold.applyAsDouble(s);
			if (fsc[s] < t) {
				final double above = fsc[s - 1] - threshold.applyAsDouble(s - 1), below = fsc[s] - t;
				return above <= 0 ? s - 1 : s - 1 + above / (above - below);
			}
		}
		return Double.NaN;
	}

	/** Writes the curve as CSV (shell, frequency, resolution, FSC, half-bit threshold, elements), whole or not at all. */
	public static void writeCsv(final Curve curve, final Path csv, final Path... inputs)
		throws IOException
	{
		try (AtomicOutput out = AtomicOutput.create(csv, inputs)) {
			try (Writer w = Files.newBufferedWriter(out.path(), StandardCharsets.UTF_8)) {
				w.write("shell,frequency_per_angstrom,resolution_angstrom,fsc,half_bit,elements\n");
				for (int s = 0; s < curve.shells(); s++)
					w.write(String.format(Locale.ROOT, "%d,%.6f,%.3f,%.6f,%.6f,%d%n", s, curve.frequency(s), s == 0
						? Double.POSITIVE_INFINITY : 1 / curve.frequency(s), curve.fsc()[s], halfBit(curve.counts()[s]), curve
							.counts()[s]));
			}
			out.commit();
		}
	}

	/**
	 * The half-bit threshold for a shell of {@code n} stored elements: (0.2071 + 1.9102/√n)/(1.2071 + 0.9102/√n),
	 * with n the number of voxels in the full shell (twice the half-complex count).
	 */
	public static double halfBit(final long storedElements) {
		final double r = Math.sqrt(Math.max(1, 2 * storedElements));
		return (0.2071 + 1.9102 / r) / (1.2071 + 0.9102 / r);
	}

	/**
	 * FSC of two nx × ny × nz maps (x fastest), each multiplied by {@code mask} first if one is given.
	 *
	 * @param pixelSize Å/voxel, for the resolutions
	 */
	public static Curve compute(final float[] a, final float[] b, final int nx, final int ny, final int nz,
		final float[] mask, final double pixelSize)
	{
		return compute(a, b, nx, ny, nz, mask, pixelSize, (x, y, z) -> true)[0];
	}

	/** A part of Fourier space, as the stored half-complex elements (x, y, z) it holds. */
	@FunctionalInterface
	public interface Region {
		boolean contains(int x, int y, int z);
	}

	/**
	 * One FSC curve per region, each over the elements of its region only (shells with none of its elements read
	 * 0, with count 0), from one transform of each map.
	 */
	public static Curve[] compute(final float[] a, final float[] b, final int nx, final int ny, final int nz,
		final float[] mask, final double pixelSize, final Region... regions)
	{
		if (a.length != b.length || a.length != (long) nx * ny * nz) throw new IllegalArgumentException(
			"maps of " + a.length + " and " + b.length + " voxels are not both " + nx + " x " + ny + " x " + nz);
		if (mask != null && mask.length != a.length) throw new IllegalArgumentException("mask of " + mask.length
			+ " voxels does not match maps of " + a.length);
		final float[] fa = Fft.forward(masked(a, mask), nx, ny, nz), fb = Fft.forward(masked(b, mask), nx, ny, nz);
		final int hx = Fft.halfWidth(nx), shells = FourierFilters.shells(nx), n = regions.length;
		final double[][] num = new double[n][shells], da = new double[n][shells], db = new double[n][shells];
		final long[][] counts = new long[n][shells];
		for (int z = 0; z < nz; z++)
			for (int y = 0; y < ny; y++)
				for (int x = 0; x < hx; x++) {
					final int s = FourierFilters.shell(x, y, z, nx, ny, nz);
					if (s >= shells) continue;
					final int p = 2 * ((z * ny + y) * hx + x);
					final double ab = fa[p] * (double) fb[p] + fa[p + 1] * (double) fb[p + 1];
					final double aa = fa[p] * (double) fa[p] + fa[p + 1] * (double) fa[p + 1];
					final double bb = fb[p] * (double) fb[p] + fb[p + 1] * (double) fb[p + 1];
					for (int r = 0; r < n; r++)
						if (regions[r].contains(x, y, z)) {
							num[r][s] += ab;
							da[r][s] += aa;
							db[r][s] += bb;
							counts[r][s]++;
						}
				}
		final Curve[] curves = new Curve[n];
		for (int r = 0; r < n; r++) {
			final double[] fsc = new double[shells];
			for (int s = 0; s < shells; s++)
				fsc[s] = da[r][s] > 0 && db[r][s] > 0 ? num[r][s] / Math.sqrt(da[r][s] * db[r][s]) : 0;
			curves[r] = new Curve(fsc, counts[r], nx, pixelSize);
		}
		return curves;
	}

	private static float[] masked(final float[] v, final float[] mask) {
		if (mask == null) return v;
		final float[] m = new float[v.length];
		for (int i = 0; i < v.length; i++)
			m[i] = v[i] * mask[i];
		return m;
	}
}

package org.vitreous.simulate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import net.imglib2.img.array.ArrayImgs;
import org.vitreous.compute.ComputeDevice;
import org.vitreous.io.MrcWriter;
import org.vitreous.io.TiltSeries;
import org.vitreous.projection.TiltProjector;

/**
 * Simulated single-axis tilt series: a volume projected at each tilt by {@link TiltProjector} (ray sums, tilt axis
 * y), plus white Gaussian noise at a stated SNR (DESIGN section 3: variance of the noise-free series over the
 * variance of the noise). Seeded.
 */
public final class TiltSeriesSimulation {

	private TiltSeriesSimulation() {}

	/** Tilt angles from {@code min} to {@code max} degrees in steps of {@code step} (both ends included when hit). */
	public static double[] tilts(final double min, final double max, final double step) {
		if (!(step > 0)) throw new IllegalArgumentException("tilt step of " + step + " degrees; give a positive step");
		if (!(min <= max) || Math.abs(min) > 90 || Math.abs(max) > 90) throw new IllegalArgumentException("tilt range "
			+ min + " to " + max + " degrees is not an increasing range within -90..90");
		final int n = (int) Math.floor((max - min) / step + 1e-9) + 1;
		final double[] t = new double[n];
		for (int i = 0; i < n; i++)
			t[i] = Math.round((min + i * step) * 1e6) / 1e6;
		return t;
	}

	/** The tilt series of an nx × ny × nz volume; {@code snr} ≤ 0 or infinite means no noise. */
	public static TiltSeries project(final float[] volume, final int nx, final int ny, final int nz,
		final double[] tilts, final double snr, final long seed, final double pixelSize, final ComputeDevice device)
	{
		final float[] series = new float[nx * ny * tilts.length];
		try (TiltProjector p = TiltProjector.create(nx, ny, nz, tilts, device)) {
			p.project(volume, series);
		}
		if (snr > 0 && Double.isFinite(snr)) {
			double mean = 0, m2 = 0;
			for (final float v : series)
				mean += v;
			mean /= series.length;
			for (final float v : series)
				m2 += (v - mean) * (v - mean);
			final double sigma = Math.sqrt(m2 / series.length / snr);
			final Random random = new Random(seed);
			for (int i = 0; i < series.length; i++)
				series[i] += (float) (sigma * random.nextGaussian());
		}
		return new TiltSeries(series, nx, ny, tilts, pixelSize);
	}

	/**
	 * Writes {@code tilt_series.mrc}, {@code tilt_series.tlt} and {@code ground_truth.mrc} (the volume, x y z with z
	 * along the beam) into {@code folder}, creating it.
	 */
	public static TiltSeries write(final float[] volume, final int nx, final int ny, final int nz, final double[] tilts,
		final double snr, final long seed, final double pixelSize, final ComputeDevice device, final Path folder,
		final Path... inputs) throws IOException
	{
		final TiltSeries series = project(volume, nx, ny, nz, tilts, snr, seed, pixelSize, device);
		Files.createDirectories(folder);
		MrcWriter.write(folder.resolve("ground_truth.mrc"), ArrayImgs.floats(volume, nx, ny, nz), new MrcWriter.Settings()
			.pixelSize(pixelSize).volume().label("Vitreous ground truth"), inputs);
		series.write(folder.resolve("tilt_series.mrc"), folder.resolve("tilt_series.tlt"), inputs);
		return series;
	}
}

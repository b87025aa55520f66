package org.vitreous.projection;

import java.util.Arrays;

import org.vitreous.compute.Parallel;

/** The reference implementation of {@link TiltProjector}, multi-threaded over detector rows and volume sections. */
final class JavaTiltProjector extends TiltGeometry {

	JavaTiltProjector(final int nx, final int ny, final int nz, final double[] tilts) {
		super(nx, ny, nz, tilts);
	}

	/**
	 * Voxel-driven: each detector row (tilt t, row y) is owned by one task, which walks the volume's x-z section y
	 * and spreads every voxel over the two columns either side of u(x, z) with linear weights (the transpose of the
	 * back-projector's interpolation); along x, u advances by cos t, so the inner loop is a multiply-add walk.
	 */
	@Override
	public void project(final float[] volume, final float[] series) {
		check(volume, series);
		final int nu = nx, cx = nx / 2, cz = nz / 2, cu = nu / 2;
		Parallel.forRange(nt * ny, (start, end) -> {
			final float[] row = new float[nu + 1];
			for (int r = start; r < end; r++) {
				final int t = r / ny, y = r % ny;
				final float c = cosSin[2 * t], s = cosSin[2 * t + 1];
				Arrays.fill(row, 0);
				for (int z = 0; z < nz; z++) {
					final float u0 = -cx * c - (z - cz) * s + cu;
					final int base = (z * ny + y) * nx;
					for (int x = 0; x < nx; x++) {
						final float uc = u0 + x * c;
						if (uc < 0 || uc > nu - 1) {
							if (uc > -1 && uc < 0) row[0] += (uc + 1) * volume[base + x];
							else if (uc > nu - 1 && uc < nu) row[nu - 1] += (nu - uc) * volume[base + x];
							continue;
						}
						final int ui = (int) uc;
						final float f = uc - ui, v = volume[base + x];
						row[ui] += (1 - f) * v;
						row[ui + 1] += f * v;
					}
				}
				System.arraycopy(row, 0, series, (t * ny + y) * nu, nu);
			}
		});
	}

	/**
	 * Voxel-driven gather, one detector row y at a time: the row's tilts are copied into a buffer with zero margins
	 * wide enough for every voxel's column (so the inner loop needs no bounds checks and columns off the detector
	 * count as 0), then every x-z section of that y sums its linear interpolations over the tilts in a register.
	 */
	@Override
	public void backProject(final float[] series, final float[] volume) {
		gather(series, volume, 1);
	}

	/**
	 * The same gather from rows oversampled {@value TiltProjector#OVERSAMPLING} times by linear interpolation, read
	 * at the nearest sample: half the arithmetic of an interpolation per voxel and tilt.
	 */
	@Override
	public void backProjectOnce(final float[] series, final float[] volume) {
		gather(series, volume, OVERSAMPLING);
	}

	private void gather(final float[] series, final float[] volume, final int oversampling) {
		check(volume, series);
		final int nu = nx, cx = nx / 2, cz = nz / 2, cu = nu / 2;
		// every voxel's column lies within hypot(cx, cz) of the centre
		final int margin = (int) Math.ceil(Math.hypot(cx, cz)) + 2, stride = (nu + 2 * margin) * oversampling;
		Parallel.forRange(ny, (start, end) -> {
			final float[] rows = new float[nt * stride], line = new float[nx], origin = new float[nt], step = new float[nt];
			final int[] offset = new int[nt];
			for (int t = 0; t < nt; t++) {
				offset[t] = t * stride;
				step[t] = cosSin[2 * t] * oversampling;
			}
			for (int y = start; y < end; y++) {
				for (int t = 0; t < nt; t++)
					if (oversampling == 1) System.arraycopy(series, (t * ny + y) * nu, rows, t * stride + margin, nu);
					else oversample(series, (t * ny + y) * nu, nu, oversampling, rows, t * stride + margin * oversampling);
				for (int z = 0; z < nz; z++) {
					// the column of voxel x in tilt t's buffer row is origin[t] + x·step[t], always ≥ 0 so (int) floors;
					// with oversampling, + ½ makes that the nearest sample
					for (int t = 0; t < nt; t++)
						origin[t] = (-cx * cosSin[2 * t] - (z - cz) * cosSin[2 * t + 1] + cu + margin) * oversampling
							+ (oversampling == 1 ? 0 : 0.5f);
					if (oversampling == 1) for (int x = 0; x < nx; x++) {
						float sum = 0;
						for (int t = 0; t < nt; t++) {
							final float u = origin[t] + x * step[t];
							final int ui = (int) u, p = offset[t] + ui;
							sum += rows[p] + (u - ui) * (rows[p + 1] - rows[p]);
						}
						line[x] = sum;
					}
					else for (int x = 0; x < nx; x++) {
						float sum = 0;
						for (int t = 0; t < nt; t++)
							sum += rows[offset[t] + (int) (origin[t] + x * step[t])];
						line[x] = sum;
					}
					System.arraycopy(line, 0, volume, (z * ny + y) * nx, nx);
				}
			}
		});
	}

	/**
	 * Writes the {@code nu} samples from {@code series[from]} into {@code rows[to]} and on, {@code factor} samples
	 * per pixel linearly interpolated, with the ramps down to 0 on the pixels either side of the detector (the
	 * buffer's zero margins stand for the columns off it, so the lookups agree with the exact gather there).
	 */
	private static void oversample(final float[] series, final int from, final int nu, final int factor,
		final float[] rows, final int to)
	{
		for (int u = -1; u < nu; u++) {
			final float a = u < 0 ? 0 : series[from + u], b = u + 1 < nu ? series[from + u + 1] : 0;
			final int q = to + u * factor;
			for (int k = 0; k < factor; k++)
				rows[q + k] = a + (b - a) * k / factor;
		}
	}

	@Override
	public void close() {}
}

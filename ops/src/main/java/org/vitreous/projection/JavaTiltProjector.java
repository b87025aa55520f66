package org.vitreous.projection;

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
				java.util.Arrays.fill(row, 0);
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

	@Override
	public void backProject(final float[] series, final float[] volume) {
		check(volume, series);
		final int nu = nx, cx = nx / 2, cz = nz / 2, cu = nu / 2;
		Parallel.forRange(nz * ny, (start, end) -> {
			final float[] line = new float[nx];
			for (int section = start; section < end; section++) {
				final int z = section / ny, y = section % ny;
				java.util.Arrays.fill(line, 0);
				for (int t = 0; t < nt; t++) {
					final float c = cosSin[2 * t], u0 = -cx * c - (z - cz) * cosSin[2 * t + 1] + cu;
					final int row = (t * ny + y) * nu;
					// x where both columns lie on the detector (c > 0 for |t| < 90°, so u grows with x), one voxel of
					// margin each side for rounding; the voxels outside take the checked path
					int lo = c > 0 ? Math.max(0, (int) Math.ceil(-u0 / c) + 1) : nx, hi = c > 0 ? Math.min(nx - 1, (int) Math
						.floor((nu - 1 - u0) / c) - 1) : -1;
					if (hi < lo) { // no such x: every voxel takes the checked path
						lo = 0;
						hi = -1;
					}
					for (int x = lo; x <= hi; x++) {
						final float uc = u0 + x * c;
						final int ui = (int) uc;
						final float f = uc - ui;
						line[x] += series[row + ui] + f * (series[row + ui + 1] - series[row + ui]);
					}
					gatherChecked(series, row, nu, u0, c, 0, lo, line);
					gatherChecked(series, row, nu, u0, c, hi + 1, nx, line);
				}
				System.arraycopy(line, 0, volume, (z * ny + y) * nx, nx);
			}
		});
	}

	/** Adds to line[x], x in [from, to), the row's linear interpolation at u0 + x·c, columns off the detector as 0. */
	private static void gatherChecked(final float[] series, final int row, final int nu, final float u0, final float c,
		final int from, final int to, final float[] line)
	{
		for (int x = from; x < to; x++) {
			final float uc = u0 + x * c;
			final int ui = (int) Math.floor(uc);
			final float f = uc - ui;
			if (ui >= 0 && ui + 1 < nu) line[x] += (1 - f) * series[row + ui] + f * series[row + ui + 1];
			else if (ui == nu - 1) line[x] += (1 - f) * series[row + ui];
			else if (ui == -1) line[x] += f * series[row];
		}
	}

	@Override
	public void close() {}
}

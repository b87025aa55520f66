package org.vitreous.projection;

import org.vitreous.compute.Parallel;

/** The reference implementation of {@link TiltProjector}, multi-threaded over detector rows and volume sections. */
final class JavaTiltProjector extends TiltGeometry {

	JavaTiltProjector(final int nx, final int ny, final int nz, final double[] tilts) {
		super(nx, ny, nz, tilts);
	}

	@Override
	public void project(final float[] volume, final float[] series) {
		check(volume, series);
		final int nu = nx, cx = nx / 2, cz = nz / 2, cu = nu / 2;
		Parallel.forRange(nt * ny, (start, end) -> {
			for (int row = start; row < end; row++) {
				final int t = row / ny, y = row % ny;
				final float c = cosSin[2 * t], s = cosSin[2 * t + 1];
				for (int u = 0; u < nu; u++) {
					float sum = 0;
					if (Math.abs(c) >= Math.abs(s)) {
						final float hw = 1 / Math.abs(c);
						for (int z = 0; z < nz; z++) {
							final float zs = (z - cz) * s;
							final float xm = cx + (u - cu + zs) / c;
							final int first = Math.max(0, (int) Math.ceil(xm - hw)), last = Math.min(nx - 1, (int) Math.floor(xm
								+ hw));
							for (int x = first; x <= last; x++) {
								final float d = Math.abs((x - cx) * c - zs + cu - u);
								if (d < 1) sum += (1 - d) * volume[(z * ny + y) * nx + x];
							}
						}
					}
					else {
						final float hw = 1 / Math.abs(s);
						for (int x = 0; x < nx; x++) {
							final float xc = (x - cx) * c;
							final float zm = cz + (xc + cu - u) / s;
							final int first = Math.max(0, (int) Math.ceil(zm - hw)), last = Math.min(nz - 1, (int) Math.floor(zm
								+ hw));
							for (int z = first; z <= last; z++) {
								final float d = Math.abs(xc - (z - cz) * s + cu - u);
								if (d < 1) sum += (1 - d) * volume[(z * ny + y) * nx + x];
							}
						}
					}
					series[(t * ny + y) * nu + u] = sum;
				}
			}
		});
	}

	@Override
	public void backProject(final float[] series, final float[] volume) {
		check(volume, series);
		final int nu = nx, cx = nx / 2, cz = nz / 2, cu = nu / 2;
		Parallel.forRange(nz * ny, (start, end) -> {
			for (int section = start; section < end; section++) {
				final int z = section / ny, y = section % ny;
				for (int x = 0; x < nx; x++) {
					float sum = 0;
					for (int t = 0; t < nt; t++) {
						final float uc = (x - cx) * cosSin[2 * t] - (z - cz) * cosSin[2 * t + 1] + cu;
						final int u0 = (int) Math.floor(uc);
						final float f = uc - u0;
						final int row = (t * ny + y) * nu;
						if (u0 >= 0 && u0 < nu) sum += (1 - f) * series[row + u0];
						if (u0 + 1 >= 0 && u0 + 1 < nu) sum += f * series[row + u0 + 1];
					}
					volume[(z * ny + y) * nx + x] = sum;
				}
			}
		});
	}

	@Override
	public void close() {}
}

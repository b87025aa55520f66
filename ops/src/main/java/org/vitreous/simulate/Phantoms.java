package org.vitreous.simulate;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.array.ArrayImgs;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.real.FloatType;
import org.vitreous.fourier.Fft;
import org.vitreous.fourier.FourierFilters;
import org.vitreous.geometry.Rotations;

/** Synthetic density maps with known content, for demos and tests. */
public final class Phantoms {

	private Phantoms() {}

	/**
	 * An asymmetric map: {@code count} Gaussian blobs (σ 1.5 to 4 px, heights 0.5 to 1.5) whose centres lie within
	 * a third of the box of the centre (voxel size/2), so the map has no symmetry and fits in its box. Seeded: the
	 * same seed gives the same map.
	 */
	public static ArrayImg<FloatType, FloatArray> gaussianBlobs(final int size, final int count, final long seed) {
		if (size < 8) throw new IllegalArgumentException("box of " + size + " px is too small; use at least 8");
		final Random random = new Random(seed);
		final float[] v = new float[size * size * size];
		final int c = size / 2;
		for (int b = 0; b < count; b++) {
			double x, y, z;
			do { // uniform in a ball of radius size/3
				x = (2 * random.nextDouble() - 1) * size / 3.0;
				y = (2 * random.nextDouble() - 1) * size / 3.0;
				z = (2 * random.nextDouble() - 1) * size / 3.0;
			} while (x * x + y * y + z * z > size * size / 9.0);
			final double sigma = 1.5 + 2.5 * random.nextDouble(), height = 0.5 + random.nextDouble();
			final int reach = (int) Math.ceil(4 * sigma);
			final double cx = c + x, cy = c + y, cz = c + z;
			for (int k = Math.max(0, (int) cz - reach); k <= Math.min(size - 1, (int) cz + reach); k++)
				for (int j = Math.max(0, (int) cy - reach); j <= Math.min(size - 1, (int) cy + reach); j++)
					for (int i = Math.max(0, (int) cx - reach); i <= Math.min(size - 1, (int) cx + reach); i++) {
						final double r2 = (i - cx) * (i - cx) + (j - cy) * (j - cy) + (k - cz) * (k - cz);
						v[i + size * (j + size * k)] += (float) (height * Math.exp(-r2 / (2 * sigma * sigma)));
					}
		}
		return ArrayImgs.floats(v, size, size, size);
	}

	/** The built-in tomography phantoms, by the name the command line uses. */
	public enum Tomogram {
		/** Hollow spheres of 16 to 64 px outer diameter (capped by the slab) with walls of 2 to 4 px. */
		SPHERES,
		/**
		 * Binarised spheres, ellipsoids, pyramids, cubes, rectangular prisms, discs and 4- and 6-pointed 3D crosses,
		 * 8 to 24 px across, randomly oriented.
		 */
		SHAPES;

		public static Tomogram named(final String name) {
			for (final Tomogram t : values())
				if (t.name().equalsIgnoreCase(name.strip())) return t;
			throw new IllegalArgumentException("unknown phantom '" + name + "'; choose spheres or shapes");
		}
	}

	/**
	 * A tomography phantom of nx × ny × nz voxels (z along the beam, so nz is the slab's thickness): objects of
	 * value 1 on 0, placed without overlap wholly inside the volume (one voxel's margin), until {@code fill} of
	 * the volume is taken or placements keep failing; then low-pass filtered by a Gaussian of σ = 1 px, as the
	 * phantoms of the coordinate-network study. Seeded.
	 */
	public static ArrayImg<FloatType, FloatArray> tomogram(final Tomogram kind, final int nx, final int ny,
		final int nz, final long seed)
	{
		if (Math.min(nx, Math.min(ny, nz)) < 16)
			throw new IllegalArgumentException("phantom of " + nx + " x " + ny + " x " + nz + " is too small; use at least 16 px on every axis");
		final Random random = new Random(seed);
		final float[] v = new float[nx * ny * nz];
		final List<double[]> placed = new ArrayList<>(); // x, y, z, bounding radius
		final double volume = (double) nx * ny * nz, fill = kind == Tomogram.SPHERES ? 0.25 : 0.15;
		double taken = 0;
		for (int failures = 0; failures < 400 && taken < fill * volume;) {
			final Shape shape = kind == Tomogram.SPHERES ? hollowSphere(random, nz) : shape(random, nz);
			final double r = shape.radius;
			if (2 * r + 2 > Math.min(nx, Math.min(ny, nz))) {
				failures++;
				continue;
			}
			final double cx = 1 + r + random.nextDouble() * (nx - 3 - 2 * r);
			final double cy = 1 + r + random.nextDouble() * (ny - 3 - 2 * r);
			final double cz = 1 + r + random.nextDouble() * (nz - 3 - 2 * r);
			boolean free = true;
			for (final double[] p : placed) {
				final double dx = p[0] - cx, dy = p[1] - cy, dz = p[2] - cz, d = p[3] + r + 1;
				if (dx * dx + dy * dy + dz * dz < d * d) {
					free = false;
					break;
				}
			}
			if (!free) {
				failures++;
				continue;
			}
			placed.add(new double[] { cx, cy, cz, r });
			taken += 4 / 3.0 * Math.PI * r * r * r;
			final double[] m = Rotations.random(random); // rows: the shape's axes in volume coordinates
			final int reach = (int) Math.ceil(r);
			for (int z = Math.max(0, (int) cz - reach); z <= Math.min(nz - 1, (int) cz + reach); z++)
				for (int y = Math.max(0, (int) cy - reach); y <= Math.min(ny - 1, (int) cy + reach); y++)
					for (int x = Math.max(0, (int) cx - reach); x <= Math.min(nx - 1, (int) cx + reach); x++) {
						final double px = x - cx, py = y - cy, pz = z - cz;
						final double a = m[0] * px + m[1] * py + m[2] * pz;
						final double b = m[3] * px + m[4] * py + m[5] * pz;
						final double c = m[6] * px + m[7] * py + m[8] * pz;
						if (shape.inside.test(a, b, c)) v[(z * ny + y) * nx + x] = 1;
					}
		}
		final float[] f = Fft.forward(v, nx, ny, nz);
		FourierFilters.apply(f, nx, ny, nz, 1, FourierFilters.gaussian(1 / (2 * Math.PI)));
		return ArrayImgs.floats(Fft.inverse(f, nx, ny, nz), nx, ny, nz);
	}

	private interface Inside {
		boolean test(double a, double b, double c);
	}

	private record Shape(double radius, Inside inside) {}

	private static Shape hollowSphere(final Random random, final int nz) {
		final double outer = (8 + random.nextDouble() * 24) * Math.min(1, (nz - 4) / 64.0);
		final double wall = 2 + 2 * random.nextDouble(), inner = Math.max(0, outer - wall);
		return new Shape(outer, (a, b, c) -> {
			final double r2 = a * a + b * b + c * c;
			return r2 <= outer * outer && r2 >= inner * inner;
		});
	}

	private static Shape shape(final Random random, final int nz) {
		final double s = (4 + random.nextDouble() * 8) * Math.min(1, (nz - 4) / 32.0); // half-size, 4 to 12 px
		switch (random.nextInt(8)) {
			case 0: // sphere
				return new Shape(s, (a, b, c) -> a * a + b * b + c * c <= s * s);
			case 1: { // ellipsoid, semi-axes s, 0.4..1·s, 0.3..0.7·s
				final double p = s * (0.4 + 0.6 * random.nextDouble()), q = s * (0.3 + 0.4 * random.nextDouble());
				return new Shape(s, (a, b, c) -> a * a / (s * s) + b * b / (p * p) + c * c / (q * q) <= 1);
			}
			case 2: // square pyramid of base 2h·2h and height 2h, centred
				return new Shape(s * Math.sqrt(3), (a, b, c) -> {
					if (c < -s || c > s) return false;
					final double half = s * (s - c) / (2 * s);
					return Math.abs(a) <= half && Math.abs(b) <= half;
				});
			case 3: { // cube
				final double h = s / Math.sqrt(3);
				return new Shape(s, (a, b, c) -> Math.abs(a) <= h && Math.abs(b) <= h && Math.abs(c) <= h);
			}
			case 4: { // rectangular prism h × 0.5..1·h × 0.25..0.6·h
				final double h = s * 0.75, p = h * (0.5 + 0.5 * random.nextDouble()), q = h * (0.25 + 0.35 * random
					.nextDouble());
				return new Shape(Math.sqrt(h * h + p * p + q * q), (a, b, c) -> Math.abs(a) <= h && Math.abs(b) <= p && Math
					.abs(c) <= q);
			}
			case 5: { // disc of radius s, thickness 2..4 px
				final double t = 1 + random.nextDouble();
				return new Shape(s, (a, b, c) -> a * a + b * b <= s * s && Math.abs(c) <= t);
			}
			case 6: { // 4-pointed cross: two bars in a plane
				final double w = Math.max(1.5, s / 4);
				return new Shape(Math.sqrt(s * s + 2 * w * w), (a, b, c) -> Math.abs(c) <= w && (Math.abs(a) <= s && Math.abs(b) <= w || Math
					.abs(b) <= s && Math.abs(a) <= w));
			}
			default: { // 6-pointed cross: three bars along the axes
				final double w = Math.max(1.5, s / 4);
				return new Shape(Math.sqrt(s * s + 2 * w * w), (a, b, c) -> {
					final double x = Math.abs(a), y = Math.abs(b), z = Math.abs(c);
					return x <= s && y <= w && z <= w || y <= s && x <= w && z <= w || z <= s && x <= w && y <= w;
				});
			}
		}
	}
}

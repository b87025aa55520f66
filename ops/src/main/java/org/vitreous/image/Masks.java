package org.vitreous.image;

import org.vitreous.compute.Parallel;

/**
 * Soft real-space masks on N³ grids (x fastest), as RELION makes them: 1 inside, a raised-cosine edge
 * 0.5·(1 + cos(π·d/edge)) over {@code edge} voxels, 0 beyond. Distances are Euclidean, in voxels.
 */
public final class Masks {

	private Masks() {}

	/** The soft edge, in pixels, of the particle masks of every SPA stage. */
	public static final double PARTICLE_EDGE = 3;

	/** A particle diameter in Å as the stages take it: the one given, or 90% of the box for 0. */
	public static double particleDiameter(final double diameter, final int n, final double pixelSize) {
		return diameter > 0 ? diameter : 0.9 * n * pixelSize;
	}

	/**
	 * The one particle-mask rule of the SPA stages, RELION's for --particle_diameter: 1 within half the diameter
	 * (Å, 0 for 90% of the box), a soft edge of {@link #PARTICLE_EDGE} pixels outside it, the whole inside the box;
	 * returns the inner radius in pixels for {@link #circle} and {@link #sphere}.
	 */
	public static double particleRadius(final double diameter, final int n, final double pixelSize) {
		return Math.min(particleDiameter(diameter, n, pixelSize) / 2 / pixelSize, n / 2.0 - PARTICLE_EDGE);
	}

	/** A sphere about the centre (N/2 on every axis) of the given radius, with a soft edge outside it. */
	public static float[] sphere(final int n, final double radius, final double edge) {
		final float[] mask = new float[n * n * n];
		final int c = n / 2;
		Parallel.forRange(n, (start, end) -> {
			for (int z = start; z < end; z++)
				for (int y = 0; y < n; y++)
					for (int x = 0; x < n; x++) {
						final double r = Math.sqrt((double) (x - c) * (x - c) + (y - c) * (y - c) + (z - c) * (z - c));
						mask[(z * n + y) * n + x] = (float) edge(r - radius, edge);
					}
		});
		return mask;
	}

	/** A disc about the centre (N/2, N/2) of an N × N image, with a soft edge outside it. */
	public static float[] circle(final int n, final double radius, final double edge) {
		final float[] mask = new float[n * n];
		final int c = n / 2;
		for (int y = 0; y < n; y++)
			for (int x = 0; x < n; x++)
				mask[y * n + x] = (float) edge(Math.hypot(x - c, y - c) - radius, edge);
		return mask;
	}

	/**
	 * The voxels at or above {@code threshold}, grown by {@code dilation} voxels, with a soft edge of {@code edge}
	 * voxels beyond (relion_mask_create's --ini_threshold, --extend_inimask, --width_soft_edge).
	 */
	public static float[] threshold(final float[] map, final int n, final double threshold, final double dilation,
		final double edge)
	{
		if (map.length != (long) n * n * n) throw new IllegalArgumentException(map.length + " voxels are not " + n + "³");
		final boolean[] inside = new boolean[map.length];
		boolean any = false;
		for (int i = 0; i < map.length; i++)
			if (map[i] >= threshold) any = inside[i] = true;
		if (!any) throw new IllegalArgumentException("no voxel reaches the mask threshold " + threshold);
		final double[] distance = distance(inside, n);
		final float[] mask = new float[map.length];
		for (int i = 0; i < map.length; i++)
			mask[i] = (float) edge(distance[i] - dilation, edge);
		return mask;
	}

	/** 1 for d ≤ 0, the raised cosine for 0 &lt; d &lt; edge, 0 beyond. */
	static double edge(final double d, final double edge) {
		if (d <= 0) return 1;
		if (d >= edge) return 0;
		return 0.5 * (1 + Math.cos(Math.PI * d / edge));
	}

	/**
	 * A copy of a particle image with the mean of its background (where {@code mask} is 0) subtracted, times the
	 * mask: the image a search compares with a reference, its solvent flat at zero.
	 */
	public static float[] particle(final float[] image, final float[] mask) {
		if (image.length != mask.length) throw new IllegalArgumentException("a mask of " + mask.length
			+ " pixels for an image of " + image.length);
		double ring = 0;
		int m = 0;
		for (int i = 0; i < image.length; i++)
			if (mask[i] == 0) {
				ring += image[i];
				m++;
			}
		final double mean = m > 0 ? ring / m : 0;
		final float[] out = new float[image.length];
		for (int i = 0; i < image.length; i++)
			out[i] = (float) ((image[i] - mean) * mask[i]);
		return out;
	}

	/** Multiplies {@code map} by {@code mask}, in place; returns {@code map}. */
	public static float[] apply(final float[] map, final float[] mask) {
		if (map.length != mask.length) throw new IllegalArgumentException("a mask of " + mask.length
			+ " voxels for a map of " + map.length);
		for (int i = 0; i < map.length; i++)
			map[i] *= mask[i];
		return map;
	}

	/**
	 * The exact Euclidean distance of every voxel to the nearest {@code true} voxel, by Felzenszwalb and
	 * Huttenlocher's separable lower-envelope transform (one 1D pass per axis).
	 */
	public static double[] distance(final boolean[] inside, final int n) {
		final double big = 3.0 * n * n + 1;
		final double[] d2 = new double[inside.length];
		for (int i = 0; i < inside.length; i++)
			d2[i] = inside[i] ? 0 : big;
		for (int axis = 0; axis < 3; axis++) {
			final int stride = axis == 0 ? 1 : axis == 1 ? n : n * n;
			final int a = axis;
			Parallel.forRange(n * n, (start, end) -> {
				final double[] f = new double[n], out = new double[n], zk = new double[n + 1];
				final int[] v = new int[n];
				for (int line = start; line < end; line++) {
					final int u = line % n, w = line / n;
					final int base = a == 0 ? (w * n + u) * n : a == 1 ? w * n * n + u : w * n + u;
					for (int i = 0; i < n; i++)
						f[i] = d2[base + i * stride];
					envelope(f, out, v, zk, n);
					for (int i = 0; i < n; i++)
						d2[base + i * stride] = out[i];
				}
			});
		}
		final double[] d = new double[d2.length];
		for (int i = 0; i < d.length; i++)
			d[i] = Math.sqrt(d2[i]);
		return d;
	}

	/** One dimension of the squared distance transform: out(q) = min_p (q − p)² + f(p). */
	private static void envelope(final double[] f, final double[] out, final int[] v, final double[] z, final int n) {
		int k = 0;
		v[0] = 0;
		z[0] = Double.NEGATIVE_INFINITY;
		z[1] = Double.POSITIVE_INFINITY;
		for (int q = 1; q < n; q++) {
			double s = ((f[q] + (double) q * q) - (f[v[k]] + (double) v[k] * v[k])) / (2.0 * q - 2.0 * v[k]);
			while (s <= z[k]) {
				k--;
				s = ((f[q] + (double) q * q) - (f[v[k]] + (double) v[k] * v[k])) / (2.0 * q - 2.0 * v[k]);
			}
			k++;
			v[k] = q;
			z[k] = s;
			z[k + 1] = Double.POSITIVE_INFINITY;
		}
		k = 0;
		for (int q = 0; q < n; q++) {
			while (z[k + 1] < q)
				k++;
			out[q] = (double) (q - v[k]) * (q - v[k]) + f[v[k]];
		}
	}
}

package org.vitreous.simulate;

import java.util.Map;
import java.util.TreeMap;

import org.vitreous.compute.Parallel;

/**
 * A density map from an atomic model: every atom contributes occupancy × Σᵢ aᵢ·(4π/βᵢ)^{3/2}·exp(−4π²r²/βᵢ), the
 * real-space form of its electron scattering factor ({@link ScatteringFactors}) blurred by a B-factor, βᵢ = bᵢ + B.
 * Each voxel holds the average of that density over its cube (products of error functions, exact for Gaussians),
 * so nothing aliases and the map's sum times the voxel volume equals Σ occupancy·Σᵢ aᵢ for atoms well inside the
 * box. Values are in Å⁻² (scattering amplitude per Å³). Voxel (i, j, k) is centred at (i, j, k)·pixelSize in the
 * map's frame; when centred, the model's centre of mass moves to voxel (N/2, N/2, N/2).
 */
public final class ModelMap {

	/** The map and what was done to make it. */
	public record Result(float[] map, int box, double pixelSize, double[] shift, int atoms, Map<String, Integer> skipped) {}

	private ModelMap() {}

	/**
	 * The smallest even box (voxels) that holds the model centred on its centre of mass with {@code margin} Å of
	 * solvent around its farthest atom.
	 */
	public static int boxFor(final AtomicModel model, final double pixelSize, final double margin) {
		double m = 0, x = 0, y = 0, z = 0;
		for (final var a : model.atoms()) {
			final double w = ScatteringFactors.has(a.element()) ? ScatteringFactors.mass(a.element()) * a.occupancy() : 0;
			m += w;
			x += w * a.x();
			y += w * a.y();
			z += w * a.z();
		}
		if (!(m > 0)) throw new IllegalArgumentException(model.source() + ": no atom has a tabulated scattering factor");
		double reach = 0;
		for (final var a : model.atoms())
			reach = Math.max(reach, Math.sqrt(Math.pow(a.x() - x / m, 2) + Math.pow(a.y() - y / m, 2) + Math.pow(a.z() - z
				/ m, 2)));
		return 2 * (int) Math.ceil((reach + margin) / pixelSize);
	}

	/**
	 * Computes the map.
	 *
	 * @param bFactor B in Å² added to every atom's scattering factor (the model's own B-factors are added when
	 *          {@code useAtomB})
	 * @param centre move the centre of mass to the box centre; otherwise model coordinates are kept
	 */
	public static Result compute(final AtomicModel model, final double pixelSize, final int box, final double bFactor,
		final boolean useAtomB, final boolean centre)
	{
		if (!(pixelSize > 0)) throw new IllegalArgumentException("pixel size must be positive, not " + pixelSize);
		if (box < 1) throw new IllegalArgumentException("box must be at least 1, not " + box);
		if (bFactor < 0) throw new IllegalArgumentException("B-factor must be zero or positive, not " + bFactor);
		final Map<String, Integer> skipped = new TreeMap<>();
		final var atoms = model.atoms().stream().filter(a -> {
			if (ScatteringFactors.has(a.element())) return true;
			skipped.merge(a.element().isEmpty() ? "?" : a.element(), 1, Integer::sum);
			return false;
		}).toList();
		final double[] shift = new double[3];
		if (centre && !atoms.isEmpty()) {
			double m = 0, x = 0, y = 0, z = 0;
			for (final var a : atoms) {
				final double w = ScatteringFactors.mass(a.element()) * a.occupancy();
				m += w;
				x += w * a.x();
				y += w * a.y();
				z += w * a.z();
			}
			shift[0] = (box / 2) * pixelSize - x / m;
			shift[1] = (box / 2) * pixelSize - y / m;
			shift[2] = (box / 2) * pixelSize - z / m;
		}
		final float[] map = new float[box * box * box];
		final double voxelVolume = pixelSize * pixelSize * pixelSize;
		Parallel.forRange(box, (zStart, zEnd) -> {
			final double[] ex = new double[box + 1], ey = new double[box + 1], ez = new double[box + 1];
			for (final var atom : atoms) {
				final double[] a = ScatteringFactors.a(atom.element()), b = ScatteringFactors.b(atom.element());
				final double px = (atom.x() + shift[0]) / pixelSize, py = (atom.y() + shift[1]) / pixelSize, pz = (atom.z()
					+ shift[2]) / pixelSize;
				for (int term = 0; term < 5; term++) {
					final double beta = b[term] + bFactor + (useAtomB ? Math.max(0, atom.bFactor()) : 0);
					final double alpha = 4 * Math.PI * Math.PI / beta, sigma = Math.sqrt(1 / (2 * alpha));
					final int reach = (int) Math.ceil(5 * sigma / pixelSize) + 1;
					final double scale = atom.occupancy() * a[term] / (8 * voxelVolume);
					final double root = Math.sqrt(alpha) * pixelSize;
					final int x0 = Math.max(0, (int) Math.floor(px) - reach), x1 = Math.min(box - 1, (int) Math.floor(px)
						+ reach + 1);
					final int y0 = Math.max(0, (int) Math.floor(py) - reach), y1 = Math.min(box - 1, (int) Math.floor(py)
						+ reach + 1);
					final int z0 = Math.max(zStart, (int) Math.floor(pz) - reach), z1 = Math.min(zEnd - 1, (int) Math.floor(
						pz) + reach + 1);
					if (x0 > x1 || y0 > y1 || z0 > z1) continue;
					cube(ex, x0, x1, px, root);
					cube(ey, y0, y1, py, root);
					cube(ez, z0, z1, pz, root);
					for (int z = z0; z <= z1; z++) {
						final double wz = scale * ez[z - z0];
						for (int y = y0; y <= y1; y++) {
							final double wyz = wz * ey[y - y0];
							final int row = (z * box + y) * box;
							for (int x = x0; x <= x1; x++)
								map[row + x] += (float) (wyz * ex[x - x0]);
						}
					}
				}
			}
		});
		return new Result(map, box, pixelSize, shift, atoms.size(), skipped);
	}

	/** erf(√α·(upper − p)) − erf(√α·(lower − p)) over each voxel [i − ½, i + ½] of first..last, in pixels. */
	private static void cube(final double[] out, final int first, final int last, final double p, final double root) {
		double previous = erf(root * (first - 0.5 - p));
		for (int i = first; i <= last; i++) {
			final double next = erf(root * (i + 0.5 - p));
			out[i - first] = next - previous;
			previous = next;
		}
	}

	/** The error function, fractional error of erfc below 1.2e-7 (the Chebyshev fit of Numerical Recipes, 6.2). */
	static double erf(final double x) {
		final double t = 1 / (1 + 0.5 * Math.abs(x));
		final double y = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t
			* (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t
				* 0.17087277)))))))));
		return x >= 0 ? 1 - y : y - 1;
	}
}

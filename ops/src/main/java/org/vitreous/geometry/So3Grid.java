package org.vitreous.geometry;

import java.util.ArrayList;
import java.util.List;

/**
 * A hierarchical grid on SO(3), as RELION samples orientations: view directions at the centres of the HEALPix
 * pixels of order k (N_side = 2^k, 12·N_side² directions, equal area, ring scheme) times in-plane angles psi in
 * steps of 360°/(6·N_side), so order 0 is a 60° grid, order 2 is 15° and each order halves the step. A pose
 * index is {@code direction·psiSteps + psiIndex}; directions give rot = HEALPix φ and tilt = HEALPix θ.
 * <p>
 * Under a point group a grid covers only the asymmetric unit of view directions: for a map with symmetry S, the
 * poses with directions d and S·d give the same projections up to an in-plane rotation, so a global search needs
 * only one direction of each orbit. The unit kept is the Dirichlet cell of a generic direction u (the directions
 * at least as close to u as to any S·u), widened by one grid step so that its edge is covered as densely as its
 * inside; it works the same way for every group (RELION restricts rot and tilt group by group).
 */
public final class So3Grid {

	private final int order, nside, psiSteps;
	private final Symmetry symmetry;
	private final double[][] directions; // {rot, tilt} in degrees
	private final double[][] vectors; // unit view directions

	public So3Grid(final int order) {
		this(order, Symmetry.NONE);
	}

	/** The grid of {@code order} over the asymmetric unit of {@code symmetry}'s view directions. */
	public So3Grid(final int order, final Symmetry symmetry) {
		if (order < 0 || order > 10) throw new IllegalArgumentException("HEALPix order " + order
			+ " is outside 0 to 10");
		this.order = order;
		this.symmetry = symmetry;
		this.nside = 1 << order;
		this.psiSteps = 6 * nside;
		final int n = 12 * nside * nside;
		final List<double[]> keptDirections = new ArrayList<>(), keptVectors = new ArrayList<>();
		final double margin = Math.toRadians(360.0 / psiSteps);
		for (int p = 0; p < n; p++) {
			final double[] zphi = pixelCentre(nside, p);
			final double tilt = Math.toDegrees(Math.acos(zphi[0])), rot = Math.toDegrees(zphi[1]);
			final double[] v = Euler.direction(rot, tilt);
			if (symmetry.order() > 1 && !inAsymmetricUnit(v, symmetry, margin)) continue;
			keptDirections.add(new double[] { rot, tilt });
			keptVectors.add(v);
		}
		directions = keptDirections.toArray(new double[0][]);
		vectors = keptVectors.toArray(new double[0][]);
	}

	/** The point group whose asymmetric unit the grid covers. */
	public Symmetry symmetry() {
		return symmetry;
	}

	/** A direction on no symmetry axis of any group Vitreous knows, the centre of the asymmetric unit. */
	private static final double[] UNIT_CENTRE = unit(0.2113, 0.3761, 0.9022);

	/** Whether {@code v} is within {@code margin} radians of being at least as close to u as any S·v is. */
	static boolean inAsymmetricUnit(final double[] v, final Symmetry symmetry, final double margin) {
		final double own = angle(v, UNIT_CENTRE);
		for (final double[] s : symmetry.operators())
			if (angle(Rotations.apply(s, v), UNIT_CENTRE) < own - margin) return false;
		return true;
	}

	private static double angle(final double[] a, final double[] b) {
		return Math.acos(Math.max(-1, Math.min(1, a[0] * b[0] + a[1] * b[1] + a[2] * b[2])));
	}

	private static double[] unit(final double x, final double y, final double z) {
		final double r = Math.sqrt(x * x + y * y + z * z);
		return new double[] { x / r, y / r, z / r };
	}

	/** cos θ and φ (radians) of the centre of ring-scheme pixel {@code pixel} at {@code nside}. */
	static double[] pixelCentre(final int nside, final int pixel) {
		final long npix = 12L * nside * nside, ncap = 2L * nside * (nside - 1);
		double z, phi;
		if (pixel < ncap) { // north polar cap
			final long ring = (1 + (long) Math.sqrt(1 + 2.0 * pixel)) >> 1;
			final long iphi = pixel + 1 - 2 * ring * (ring - 1);
			z = 1 - ring * ring / (3.0 * nside * nside);
			phi = (iphi - 0.5) * Math.PI / (2 * ring);
		}
		else if (pixel < npix - ncap) { // equatorial belt
			final long ip = pixel - ncap;
			final long ring = ip / (4L * nside) + nside;
			final long iphi = ip % (4L * nside) + 1;
			final double shift = ((ring + nside) & 1) == 1 ? 1 : 0.5;
			z = (2.0 * nside - ring) * 2 / (3.0 * nside);
			phi = (iphi - shift) * Math.PI / (2 * nside);
		}
		else { // south polar cap
			final long ip = npix - pixel;
			final long ring = (1 + (long) Math.sqrt(2.0 * ip - 1)) >> 1;
			final long iphi = 4 * ring + 1 - (ip - 2 * ring * (ring - 1));
			z = -1 + ring * ring / (3.0 * nside * nside);
			phi = (iphi - 0.5) * Math.PI / (2 * ring);
		}
		return new double[] { z, phi };
	}

	public int order() {
		return order;
	}

	/** Angular step in degrees (of psi, and about the spacing of directions). */
	public double step() {
		return 360.0 / psiSteps;
	}

	public int directions() {
		return directions.length;
	}

	public int psiSteps() {
		return psiSteps;
	}

	public int size() {
		return directions.length * psiSteps;
	}

	/** {rot, tilt, psi} in degrees of pose {@code index}. */
	public double[] angles(final int index) {
		final double[] d = directions[index / psiSteps];
		return new double[] { d[0], d[1], (index % psiSteps) * step() };
	}

	public double[] matrix(final int index) {
		final double[] a = angles(index);
		return Euler.matrix(a[0], a[1], a[2]);
	}

	/** The grid one order finer. */
	public So3Grid refined() {
		return new So3Grid(order + 1);
	}

	/**
	 * Poses of this grid within {@code radius} degrees of the given angles: view directions within the radius of
	 * the given direction and psi within the radius of the given psi, for local searches.
	 */
	public int[] near(final double rot, final double tilt, final double psi, final double radius) {
		final double[] v = Euler.direction(rot, tilt);
		final double cosRadius = Math.cos(Math.toRadians(radius));
		final List<Integer> out = new ArrayList<>();
		for (int d = 0; d < vectors.length; d++) {
			final double[] u = vectors[d];
			if (u[0] * v[0] + u[1] * v[1] + u[2] * v[2] < cosRadius) continue;
			for (int s = 0; s < psiSteps; s++) {
				final double diff = Math.abs(Math.IEEEremainder(s * step() - psi, 360));
				if (diff <= radius) out.add(d * psiSteps + s);
			}
		}
		return out.stream().mapToInt(Integer::intValue).toArray();
	}
}

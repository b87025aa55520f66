package org.vitreous.geometry;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Point-group symmetry in RELION's settings: Cn (n-fold axis along z), Dn (n-fold along z, two-fold along x), T
 * (three-fold along z, a two-fold in the yz plane), O (four-folds along x, y and z), and the icosahedral settings
 * I1 (two-folds along x, y, z; five-folds in the xz plane), I2 = I (two-folds along x, y, z; five-folds in the
 * yz plane, Crowther's setting), I3 and I4 (a five-fold along z; the next five-fold in the xz plane at −x or +x
 * respectively, tilted 63.4° towards it). The operators are the group closed from its generators; the identity
 * comes first.
 */
public final class Symmetry {

	private static final double GOLDEN = (1 + Math.sqrt(5)) / 2;

	private final String name;
	private final List<double[]> operators;

	private Symmetry(final String name, final List<double[]> operators) {
		this.name = name;
		this.operators = List.copyOf(operators);
	}

	/** No symmetry (C1). */
	public static final Symmetry NONE = parse("C1");

	/**
	 * The group named as RELION names it (case-insensitive): C1, C2, …, D2, D3, …, T, O, I (= I2), I1 to I4.
	 *
	 * @throws IllegalArgumentException naming the symbol and what is accepted
	 */
	public static Symmetry parse(final String symbol) {
		final String s = symbol == null ? "" : symbol.trim().toUpperCase(Locale.ROOT);
		final List<double[]> generators = new ArrayList<>();
		final double[] z = { 0, 0, 1 }, x = { 1, 0, 0 }, y = { 0, 1, 0 };
		String canonical = s;
		if (s.matches("[CD][1-9][0-9]*")) {
			final int n = Integer.parseInt(s.substring(1));
			generators.add(Rotations.about(z, 2 * Math.PI / n));
			if (s.charAt(0) == 'D') generators.add(Rotations.about(x, Math.PI));
		}
		else if (s.equals("T")) {
			generators.add(Rotations.about(z, 2 * Math.PI / 3));
			generators.add(Rotations.about(new double[] { 0, Math.sqrt(2.0 / 3), Math.sqrt(1.0 / 3) }, Math.PI));
		}
		else if (s.equals("O")) {
			generators.add(Rotations.about(z, Math.PI / 2));
			generators.add(Rotations.about(new double[] { 1, 1, 1 }, 2 * Math.PI / 3));
		}
		else if (s.equals("I") || s.equals("I2")) {
			canonical = "I2";
			generators.add(Rotations.about(z, Math.PI));
			generators.add(Rotations.about(x, Math.PI));
			generators.add(Rotations.about(new double[] { 0, GOLDEN, 1 }, 2 * Math.PI / 5));
		}
		else if (s.equals("I1")) {
			generators.add(Rotations.about(z, Math.PI));
			generators.add(Rotations.about(x, Math.PI));
			generators.add(Rotations.about(new double[] { GOLDEN, 0, 1 }, 2 * Math.PI / 5));
		}
		else if (s.equals("I3") || s.equals("I4")) {
			generators.add(Rotations.about(z, 2 * Math.PI / 5));
			final double tilt = Math.atan(2); // 63.43°, between neighbouring five-folds
			generators.add(Rotations.about(new double[] { (s.equals("I3") ? -1 : 1) * Math.sin(tilt), 0, Math.cos(
				tilt) }, 2 * Math.PI / 5));
		}
		else throw new IllegalArgumentException("unknown symmetry '" + symbol
			+ "': expected C<n>, D<n>, T, O, I or I1 to I4 (RELION's names)");
		return new Symmetry(canonical, close(generators));
	}

	private static List<double[]> close(final List<double[]> generators) {
		final List<double[]> group = new ArrayList<>();
		group.add(Rotations.identity());
		for (int i = 0; i < group.size(); i++)
			for (final double[] g : generators) {
				final double[] m = Rotations.multiply(g, group.get(i));
				if (group.stream().noneMatch(e -> Rotations.distance(e, m) < 1e-6)) group.add(m);
				if (group.size() > 120) throw new IllegalStateException("symmetry generators do not close");
			}
		return group;
	}

	public String name() {
		return name;
	}

	/** Number of operators, the identity included. */
	public int order() {
		return operators.size();
	}

	/** The rotation matrices of the group, identity first. */
	public List<double[]> operators() {
		return operators;
	}

	@Override
	public String toString() {
		return name;
	}
}

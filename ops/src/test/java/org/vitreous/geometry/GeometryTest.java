package org.vitreous.geometry;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Random;

import org.junit.Test;

/** Euler angles, quaternions, random rotations and the SO(3) grid against their definitions. */
public class GeometryTest {

	@Test
	public void eulerMatrixHasTheFormulaOfFormatsMd() {
		final double rot = 102.9356, tilt = 129.7422, psi = -138.4105;
		final double[] a = Euler.matrix(rot, tilt, psi);
		final double cf = Math.cos(Math.toRadians(rot)), sf = Math.sin(Math.toRadians(rot));
		final double ct = Math.cos(Math.toRadians(tilt)), st = Math.sin(Math.toRadians(tilt));
		final double cp = Math.cos(Math.toRadians(psi)), sp = Math.sin(Math.toRadians(psi));
		assertEquals(cp * ct * cf - sp * sf, a[0], 1e-12);
		assertEquals(-cp * st, a[2], 1e-12);
		assertEquals(st * cf, a[6], 1e-12);
		assertEquals(ct, a[8], 1e-12);
		// A = Rz(psi)·Ry(tilt)·Rz(rot) with RELION's (passive) elementary rotations: Rz(a) = [[c, s, 0], [-s, c, 0], [0, 0, 1]]
		final double[] composed = Rotations.multiply(Rotations.multiply(Rotations.about(new double[] { 0, 0, 1 }, -Math
			.toRadians(psi)), Rotations.about(new double[] { 0, 1, 0 }, -Math.toRadians(tilt))), Rotations.about(
				new double[] { 0, 0, 1 }, -Math.toRadians(rot)));
		assertEquals(0, Rotations.distance(a, composed), 1e-12);
	}

	@Test
	public void anglesRoundTripThroughMatrices() {
		final Random r = new Random(7);
		for (int i = 0; i < 2000; i++) {
			final double[] m = Rotations.random(r);
			final double[] e = Euler.angles(m);
			assertTrue(e[1] >= 0 && e[1] <= 180);
			assertEquals(0, Rotations.distance(m, Euler.matrix(e[0], e[1], e[2])), 1e-9);
		}
		// the degenerate tilts keep the rotation
		for (final double tilt : new double[] { 0, 180 }) {
			final double[] m = Euler.matrix(30, tilt, 40);
			final double[] e = Euler.angles(m);
			assertEquals(0, Rotations.distance(m, Euler.matrix(e[0], e[1], e[2])), 1e-9);
		}
	}

	@Test
	public void quaternionsRoundTripAndCompose() {
		final Random r = new Random(3);
		for (int i = 0; i < 1000; i++) {
			final double[] a = Rotations.random(r), b = Rotations.random(r);
			final Quaternion qa = Quaternion.of(a), qb = Quaternion.of(b);
			assertEquals(0, Rotations.distance(a, qa.matrix()), 1e-12);
			assertEquals(0, Rotations.distance(Rotations.multiply(a, b), qa.times(qb).matrix()), 1e-12);
			assertEquals(Rotations.angle(a, b), qa.angleTo(qb), 1e-6);
		}
	}

	@Test
	public void randomRotationsAreUniform() {
		// Haar measure: rotation angle ω has density (1 − cos ω)/π, mean π/2 + 2/π; view directions uniform on S²
		final Random r = new Random(11);
		final int n = 200_000;
		double meanAngle = 0, meanZ = 0, meanZ2 = 0;
		for (int i = 0; i < n; i++) {
			final double[] m = Rotations.random(r);
			meanAngle += Rotations.angle(Rotations.identity(), m) / n;
			meanZ += m[8] / n;
			meanZ2 += m[8] * m[8] / n;
		}
		assertEquals(Math.PI / 2 + 2 / Math.PI, meanAngle, 0.005);
		assertEquals(0, meanZ, 0.005);
		assertEquals(1.0 / 3, meanZ2, 0.005);
	}

	@Test
	public void symmetryGroupsHaveTheirOrdersAndAxes() {
		final String[] names = { "C1", "C7", "D2", "D5", "T", "O", "I", "I1", "I3", "I4" };
		final int[] orders = { 1, 7, 4, 10, 12, 24, 60, 60, 60, 60 };
		for (int i = 0; i < names.length; i++)
			assertEquals(names[i], orders[i], Symmetry.parse(names[i]).order());
		// D: a two-fold about x; O: a four-fold about x; I2: a two-fold about y
		assertTrue(contains(Symmetry.parse("D3"), Rotations.about(new double[] { 1, 0, 0 }, Math.PI)));
		assertTrue(contains(Symmetry.parse("O"), Rotations.about(new double[] { 1, 0, 0 }, Math.PI / 2)));
		assertTrue(contains(Symmetry.parse("I2"), Rotations.about(new double[] { 0, 1, 0 }, Math.PI)));
		try {
			Symmetry.parse("X5");
			throw new AssertionError("X5 was accepted");
		} catch (final IllegalArgumentException e) {
			assertTrue(e.getMessage(), e.getMessage().contains("'X5'"));
		}
	}

	static boolean contains(final Symmetry s, final double[] m) {
		return s.operators().stream().anyMatch(o -> Rotations.distance(o, m) < 1e-6);
	}

	@Test
	public void healpixGridCoversTheSphereEvenly() {
		for (int order = 0; order <= 3; order++) {
			final So3Grid g = new So3Grid(order);
			final int nside = 1 << order;
			assertEquals(12 * nside * nside, g.directions());
			assertEquals(6 * nside, g.psiSteps());
			// equal-area pixels: the directions' centroid is the origin, and <z²> = 1/3 up to the discretisation
			double sx = 0, sy = 0, sz = 0, sz2 = 0;
			for (int d = 0; d < g.directions(); d++) {
				final double[] a = g.angles(d * g.psiSteps());
				final double[] v = Euler.direction(a[0], a[1]);
				sx += v[0];
				sy += v[1];
				sz += v[2];
				sz2 += v[2] * v[2];
			}
			assertEquals(0, Math.abs(sx) + Math.abs(sy) + Math.abs(sz), 1e-9);
			assertEquals(1.0 / 3, sz2 / g.directions(), 0.05 / (1 << order));
			// every random direction has a grid direction within the step
			final Random r = new Random(order);
			double worst = 0;
			for (int i = 0; i < 2000; i++) {
				final double[] v = Euler.direction(0, 0);
				final double[] m = Rotations.random(r);
				final double[] u = { m[6], m[7], m[8] };
				double best = 180;
				for (int d = 0; d < g.directions(); d++) {
					final double[] a = g.angles(d * g.psiSteps());
					final double[] w = Euler.direction(a[0], a[1]);
					best = Math.min(best, Math.toDegrees(Math.acos(Math.min(1, u[0] * w[0] + u[1] * w[1] + u[2]
						* w[2]))));
				}
				worst = Math.max(worst, best);
				assertEquals(1, v[2], 0);
			}
			assertTrue("order " + order + ": farthest direction " + worst + "° for step " + g.step(), worst < g.step());
		}
	}

	@Test
	public void localSearchFindsTheNearestPose() {
		final So3Grid g = new So3Grid(2);
		final int target = 1234;
		final double[] a = g.angles(target);
		final int[] near = g.near(a[0], a[1], a[2] + 3, g.step() * 1.1);
		assertTrue(java.util.Arrays.stream(near).anyMatch(i -> i == target));
		assertTrue(near.length > 1 && near.length < 60);
		for (final int i : near) {
			final double[] b = g.angles(i);
			final double[] u = Euler.direction(a[0], a[1]), v = Euler.direction(b[0], b[1]);
			assertTrue(Math.toDegrees(Math.acos(Math.min(1, u[0] * v[0] + u[1] * v[1] + u[2] * v[2]))) <= g.step()
				* 1.1 + 1e-9);
		}
		assertEquals(g.size() * 8, g.refined().size());
	}

	@Test
	public void symmetricGridCoversEveryPoseUpToSymmetry() {
		for (final String name : new String[] { "C4", "D3", "O" }) {
			final Symmetry sym = Symmetry.parse(name);
			final So3Grid full = new So3Grid(2), unit = new So3Grid(2, sym);
			// about 1/|G| of the directions, plus the one-step band along the unit's edge
			final double fraction = (double) unit.directions() / full.directions();
			System.out.printf("%s: %d of %d directions (%.3f; 1/|G| = %.3f)%n", name, unit.directions(), full
				.directions(), fraction, 1.0 / sym.order());
			assertTrue(name + " keeps " + fraction, fraction < 2.5 / sym.order() && fraction >= 1.0 / sym.order());
			// every pose has a symmetry mate within the full grid's reach of a pose of the reduced grid
			final Random r = new Random(7);
			double worstFull = 0, worstUnit = 0;
			for (int i = 0; i < 200; i++) {
				final double[] m = Rotations.random(r);
				worstFull = Math.max(worstFull, nearest(full, List.of(m)));
				final List<double[]> mates = new java.util.ArrayList<>();
				for (final double[] s : sym.operators())
					mates.add(Rotations.multiply(m, Rotations.transpose(s)));
				worstUnit = Math.max(worstUnit, nearest(unit, mates));
			}
			System.out.printf("%s: farthest pose %.2f° from the reduced grid, %.2f° from the full%n", name, worstUnit,
				worstFull);
			assertTrue(name + ": farthest pose " + worstUnit + "° from the reduced grid, " + worstFull + "° from the full",
				worstUnit <= worstFull * 1.1);
		}
	}

	/** Degrees from the nearest of {@code poses} to the nearest pose of {@code g}. */
	private static double nearest(final So3Grid g, final List<double[]> poses) {
		double best = 180;
		for (int i = 0; i < g.size(); i++) {
			final double[] m = g.matrix(i);
			for (final double[] pose : poses)
				best = Math.min(best, Math.toDegrees(Rotations.angle(m, pose)));
		}
		return best;
	}
}

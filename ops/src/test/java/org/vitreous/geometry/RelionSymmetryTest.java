package org.vitreous.geometry;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;
import org.vitreous.testing.Peers;

/**
 * Interop with RELION: our symmetry groups equal the operators {@code relion_refine --print_symmetry_ops} prints,
 * and RELION's printed Euler angles give RELION's printed matrices through {@link Euler}.
 */
public class RelionSymmetryTest {

	private static final Pattern MATRIX = Pattern.compile(
		"R\\(\\d+\\)=\\s*\\n" + "\\s*(\\S+)\\s+(\\S+)\\s+(\\S+)\\s*\\n"
			+ "\\s*(\\S+)\\s+(\\S+)\\s+(\\S+)\\s*\\n" + "\\s*(\\S+)\\s+(\\S+)\\s+(\\S+)\\s*\\n"
			+ "(?:\\s*Euler angles:\\s*(\\S+)\\s+(\\S+)\\s+(\\S+))?");

	@Test
	public void groupsAndEulerAnglesMatchRelion() throws Exception {
		final String relion = Peers.program("relion_refine", "relion");
		int eulerChecked = 0;
		for (final String name : new String[] { "C4", "D2", "D7", "T", "O", "I1", "I2", "I3", "I4" }) {
			final Peers.Result r = Peers.run(List.of(relion, "--print_symmetry_ops", "--sym", name), null);
			final Matcher m = MATRIX.matcher(r.output());
			final List<double[]> printed = new ArrayList<>();
			while (m.find()) {
				final double[] a = new double[9];
				for (int i = 0; i < 9; i++)
					a[i] = Double.parseDouble(m.group(i + 1));
				printed.add(a);
				if (m.group(10) != null) {
					final double[] e = Euler.matrix(Double.parseDouble(m.group(10)), Double.parseDouble(m.group(11)),
						Double.parseDouble(m.group(12)));
					assertEquals(name + " Euler angles " + m.group(10) + " " + m.group(11) + " " + m.group(12), 0, Rotations
						.distance(e, a), 2e-4);
					final double[] back = Euler.angles(a);
					assertEquals(0, Rotations.distance(Euler.matrix(back[0], back[1], back[2]), a), 2e-4);
					eulerChecked++;
				}
			}
			final Symmetry s = Symmetry.parse(name);
			assertEquals(name + ": RELION printed " + printed.size() + " operators\n" + r.output(), s.order(), printed
				.size());
			for (final double[] a : printed)
				assertTrue(name + ": RELION's operator is not in our group",
					s.operators().stream().anyMatch(o -> Rotations.distance(o, a) < 2e-4));
		}
		assertTrue(eulerChecked > 100);
	}
}

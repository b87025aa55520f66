package org.vitreous.ctf;

import org.vitreous.io.FormatException;
import org.vitreous.io.RelionStar;
import org.vitreous.io.StarTable;

/** The CTF of a particle or micrograph row of a RELION STAR: its optics group's voltage, Cs and Q0, and its own defocus. */
public final class CtfStar {

	private CtfStar() {}

	/** Refuses the file unless it has the columns a CTF needs. */
	public static void requireColumns(final RelionStar star) throws FormatException {
		star.requireColumns("the CTF", RelionStar.DEFOCUS_U);
	}

	/** The CTF of row {@code i}; phase shift, B-factor and scale factor are used where present. */
	public static Ctf of(final RelionStar star, final int i) throws FormatException {
		return of(star, i, star.particle(i));
	}

	/**
	 * The CTF of micrograph row {@code i} of a micrographs STAR (as estimate-ctf writes it), or null where the STAR
	 * has no rlnDefocusU: rlnDefocusV defaults to rlnDefocusU, the angle and phase shift to 0.
	 */
	public static Ctf ofMicrograph(final RelionStar star, final int i, final RelionStar.OpticsGroup g)
		throws FormatException
	{
		final StarTable items = star.items();
		if (!items.has(RelionStar.DEFOCUS_U)) return null;
		final double u = items.getDouble(i, RelionStar.DEFOCUS_U);
		return new Ctf(g.voltage(), g.sphericalAberration(), g.amplitudeContrast(), u, items.getDouble(i,
			RelionStar.DEFOCUS_V, u), items.getDouble(i, RelionStar.DEFOCUS_ANGLE, 0), items.getDouble(i,
				RelionStar.PHASE_SHIFT, 0), 0, 1);
	}

	/** The CTF of row {@code i} whose particle the caller has already read as {@code p}. */
	public static Ctf of(final RelionStar star, final int i, final RelionStar.Particle p) throws FormatException {
		final RelionStar.OpticsGroup g = star.opticsGroup(p.opticsGroup());
		try {
			return new Ctf(g.voltage(), g.sphericalAberration(), g.amplitudeContrast(), p.defocusU(), p.defocusV(), p
				.defocusAngle(), star.items().getDouble(i, RelionStar.PHASE_SHIFT, 0), star.items().getDouble(i,
					RelionStar.CTF_BFACTOR, 0), star.items().getDouble(i, RelionStar.CTF_SCALE, 1));
		} catch (final IllegalArgumentException e) {
			throw new FormatException(star.source(), star.items().line(i), "optics group " + g.number() + ": " + e
				.getMessage());
		}
	}
}

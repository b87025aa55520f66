package org.vitreous.simulate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.vitreous.ctf.Ctf;
import org.vitreous.io.StarFile;
import org.vitreous.io.StarTable;

/** The STAR files of a movie simulation: movies.star as relion_import writes it, and the truth. */
final class MovieStars {

	private MovieStars() {}

	/** data_optics (the original pixel size, voltage, Cs, Q0) as relion_import writes it for movies. */
	static StarTable optics(final MovieSimulation.Settings s, final double pixelSize) {
		final StarTable optics = new StarTable("optics", true);
		for (final String c : new String[] { "rlnOpticsGroupName", "rlnOpticsGroup", "rlnMicrographOriginalPixelSize",
			"rlnVoltage", "rlnSphericalAberration", "rlnAmplitudeContrast" })
			optics.addColumn(c, "");
		optics.addRow("opticsGroup1", "1", StarTable.formatNumber(pixelSize), StarTable.formatNumber(s.voltage),
			StarTable.formatNumber(s.sphericalAberration), StarTable.formatNumber(s.amplitudeContrast));
		return optics;
	}

	static void writeMovies(final Path path, final List<String> names, final MovieSimulation.Settings s,
		final double pixelSize, final Path... inputs) throws IOException
	{
		final StarFile file = new StarFile();
		file.add(optics(s, pixelSize));
		final StarTable movies = new StarTable("movies", true);
		movies.addColumn("rlnMicrographMovieName", "");
		movies.addColumn("rlnOpticsGroup", "");
		for (final String name : names)
			movies.addRow(name, "1");
		file.add(movies);
		file.write(path, inputs);
	}

	/** truth/micrographs_ctf.star (each movie's CTF) and truth/particles.star (coordinates, poses, CTF). */
	static void writeTruth(final Path folder, final List<String> names, final List<MovieSimulation.Truth> truths,
		final MovieSimulation.Settings s, final double pixelSize, final Path... inputs) throws IOException
	{
		final StarFile ctfs = new StarFile();
		ctfs.add(optics(s, pixelSize));
		final StarTable mics = new StarTable("micrographs", true);
		for (final String c : new String[] { "rlnMicrographMovieName", "rlnOpticsGroup", "rlnDefocusU", "rlnDefocusV",
			"rlnDefocusAngle", "rlnCtfAstigmatism", "rlnPhaseShift" })
			mics.addColumn(c, "");
		final StarFile particles = new StarFile();
		particles.add(optics(s, pixelSize));
		final StarTable rows = new StarTable("particles", true);
		for (final String c : new String[] { "rlnMicrographMovieName", "rlnCoordinateX", "rlnCoordinateY", "rlnAngleRot",
			"rlnAngleTilt", "rlnAnglePsi", "rlnDefocusU", "rlnDefocusV", "rlnDefocusAngle", "rlnOpticsGroup" })
			rows.addColumn(c, "");
		for (int m = 0; m < names.size(); m++) {
			final MovieSimulation.Truth t = truths.get(m);
			final Ctf c = t.ctf();
			mics.addRow(names.get(m), "1", f(c.defocusU()), f(c.defocusV()), f(c.defocusAngle()), f(c.defocusU() - c
				.defocusV()), f(c.phaseShift()));
			for (int i = 0; i < t.coordinates().length; i++)
				rows.addRow(names.get(m), f(t.coordinates()[i][0]), f(t.coordinates()[i][1]), f(t.angles()[i][0]), f(t
					.angles()[i][1]), f(t.angles()[i][2]), f(c.defocusU()), f(c.defocusV()), f(c.defocusAngle()), "1");
		}
		ctfs.add(mics);
		particles.add(rows);
		ctfs.write(folder.resolve("micrographs_ctf.star"), inputs);
		particles.write(folder.resolve("particles.star"), inputs);
	}

	private static String f(final double v) {
		return StarTable.formatNumber(v);
	}
}

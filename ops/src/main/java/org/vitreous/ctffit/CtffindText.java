package org.vitreous.ctffit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.vitreous.io.AtomicOutput;
import org.vitreous.io.FormatException;

/**
 * CTFFIND4's result file ({@code NAME.txt}): '#' header lines, then per micrograph (or tilt) one line of seven
 * numbers: the number, defocus 1 and 2 (Å), the azimuth of astigmatism (degrees), the additional phase shift
 * (radians), the score and the resolution (Å) up to which the rings were fitted. Read as CTFFIND writes it and
 * written so that tools reading CTFFIND's output read Vitreous's.
 */
public final class CtffindText {

	/** One fitted micrograph: defocus 1 ≥ defocus 2 (Å), azimuth (degrees), phase shift (radians), score, fit (Å). */
	public record Row(double defocus1, double defocus2, double azimuth, double phaseShift, double score,
		double fitResolution)
	{}

	private CtffindText() {}

	public static List<Row> read(final Path path) throws IOException {
		final List<Row> rows = new ArrayList<>();
		final List<String> lines = Files.readAllLines(path);
		for (int i = 0; i < lines.size(); i++) {
			final String line = lines.get(i).strip();
			if (line.isEmpty() || line.startsWith("#")) continue;
			final String[] v = line.split("\\s+");
			if (v.length < 7) throw new FormatException(path, i + 1, "has " + v.length + " numbers; CTFFIND writes 7");
			final double[] d = new double[7];
			for (int j = 0; j < 7; j++) {
				try {
					d[j] = Double.parseDouble(v[j]);
				} catch (final NumberFormatException e) {
					throw new FormatException(path, i + 1, "'" + v[j] + "' is not a number");
				}
				if (!Double.isFinite(d[j])) throw new FormatException(path, i + 1, "holds " + v[j]);
			}
			rows.add(new Row(d[1], d[2], d[3], d[4], d[5], d[6]));
		}
		if (rows.isEmpty()) throw new FormatException(path, "holds no CTFFIND result line");
		return rows;
	}

	/** The row as {@link #write} writes it (six decimals) and {@link #read} reads it back. */
	public static Row rounded(final Row r) {
		return new Row(round(r.defocus1()), round(r.defocus2()), round(r.azimuth()), round(r.phaseShift()), round(r
			.score()), round(r.fitResolution()));
	}

	private static double round(final double v) {
		return Double.parseDouble(String.format(Locale.ROOT, "%.6f", v));
	}

	/** Writes one micrograph's result with CTFFIND4's header, whole or not at all. */
	public static void write(final Path path, final String input, final CtfEstimation.Settings s, final Row row,
		final Path... inputs) throws IOException
	{
		final StringBuilder b = new StringBuilder();
		b.append("# Output from Vitreous estimate-ctf (CTFFIND4's layout)\n");
		b.append("# Input file: ").append(input).append(" ; Number of micrographs: 1\n");
		b.append(String.format(Locale.ROOT, "# Pixel size: %.3f Angstroms ; acceleration voltage: %.1f keV ; spherical "
			+ "aberration: %.2f mm ; amplitude contrast: %.2f%n", s.pixelSize, s.voltage, s.sphericalAberration,
			s.amplitudeContrast));
		b.append(String.format(Locale.ROOT, "# Box size: %d pixels ; min. res.: %.1f Angstroms ; max. res.: %.1f "
			+ "Angstroms ; min. def.: %.1f um; max. def. %.1f um%n", s.tile, s.resolutionMin, s.resolutionMax,
			s.defocusMin, s.defocusMax));
		b.append("# Columns: #1 - micrograph number; #2 - defocus 1 [Angstroms]; #3 - defocus 2; #4 - azimuth of "
			+ "astigmatism; #5 - additional phase shift [radians]; #6 - cross correlation; #7 - spacing (in Angstroms) up "
			+ "to which CTF rings were fit successfully\n");
		b.append(String.format(Locale.ROOT, "1.000000 %.6f %.6f %.6f %.6f %.6f %.6f%n", row.defocus1(), row.defocus2(),
			row.azimuth(), row.phaseShift(), row.score(), row.fitResolution()));
		AtomicOutput.writeString(path, b, inputs);
	}
}

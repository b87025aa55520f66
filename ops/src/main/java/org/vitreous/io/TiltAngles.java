package org.vitreous.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** IMOD .tlt files: one tilt angle in degrees per line, one line per section of the tilt series. */
public final class TiltAngles {

	private TiltAngles() {}

	public static double[] read(final Path path) throws IOException {
		final List<String> lines;
		try {
			lines = Files.readAllLines(path, StandardCharsets.UTF_8);
		} catch (final CharacterCodingException e) {
			throw new FormatException(path, "is not UTF-8 text: not an IMOD tilt-angle file");
		} catch (final NoSuchFileException e) {
			throw new NoSuchFileException(path.toString(), null, "no such file");
		}
		final List<Double> angles = new ArrayList<>();
		for (int i = 0; i < lines.size(); i++) {
			final String line = lines.get(i).strip();
			if (line.isEmpty()) continue;
			final String[] words = line.split("\\s+");
			for (final String w : words) {
				final double a;
				try {
					a = Numbers.parseFinite(w);
				} catch (final NumberFormatException e) {
					throw new FormatException(path, i + 1, "'" + w + "' is not a tilt angle in degrees");
				}
				if (!(Math.abs(a) <= 90))
					throw new FormatException(path, i + 1, "tilt angle " + w + " is outside -90..90 degrees");
				angles.add(a);
			}
		}
		if (angles.isEmpty()) throw new FormatException(path, "holds no tilt angles");
		final double[] out = new double[angles.size()];
		for (int i = 0; i < out.length; i++)
			out[i] = angles.get(i);
		return out;
	}

	/** Writes one angle per line, IMOD's way ({@code %7.2f}), with more decimals only where needed. */
	public static void write(final Path target, final double[] angles, final Path... inputs) throws IOException {
		try (AtomicOutput out = AtomicOutput.create(target, inputs)) {
			try (BufferedWriter w = Files.newBufferedWriter(out.path(), StandardCharsets.UTF_8)) {
				for (final double a : angles)
					w.write(format(a) + "\n");
			}
			out.commit();
		}
	}

	static String format(final double angle) {
		BigDecimal d = new BigDecimal(Double.toString(angle)).stripTrailingZeros();
		if (d.scale() < 2) d = d.setScale(2);
		final String s = d.toPlainString();
		return s.length() >= 7 ? s : " ".repeat(7 - s.length()) + s;
	}
}

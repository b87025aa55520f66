package org.vitreous.picking;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import org.vitreous.Finite;
import org.vitreous.Progress;
import org.vitreous.ctf.Ctf;
import org.vitreous.ctf.CtfStar;
import org.vitreous.io.AtomicOutput;
import org.vitreous.io.FormatException;
import org.vitreous.io.ImageReference;
import org.vitreous.io.OutputNames;
import org.vitreous.io.RelionStar;
import org.vitreous.io.SectionSource;
import org.vitreous.io.Sections;
import org.vitreous.io.StarFile;
import org.vitreous.io.StarTable;

/**
 * pick-particles over many micrographs: the driver that reads a micrographs STAR (estimate-ctf's or
 * motion-correct's), picks each micrograph ({@link LogPicker}) and writes, inside the output folder and mirroring
 * the micrographs' paths as relion_autopick does, {@code NAME_autopick.star} (rlnCoordinateX/Y in pixels of the full
 * micrograph, rlnClassNumber, rlnAutopickFigureOfMerit, rlnAnglePsi: −999, RELION's unset, for blob picks), then
 * {@code coordinates.star}: data_coordinate_files listing each micrograph (rlnMicrographName, relative to the output
 * folder) with its file (rlnMicrographCoordinates), RELION 4's autopick.star, which extract-particles reads. A
 * micrograph whose file exists is read back, not picked again; one that cannot be read is reported and counted.
 */
public final class PickingJob {

	/** One micrograph's picks; {@code result} is null where they were read back from a run before. */
	public record Picked(String micrograph, Path micrographFile, Path star, List<LogPicker.Pick> picks,
		LogPicker.Result result)
	{}

	/** What the job did. */
	public record Summary(int picked, int done, int particles, List<String> failures, Path coordinates,
		List<Picked> micrographs)
	{}

	/** RELION's angle for "not known". */
	public static final double UNSET_ANGLE = -999;

	private PickingJob() {}

	/** Runs the job. */
	public static Summary run(final Path micrographs, final Path output, final LogPicker.Settings settings,
		final Progress progress, final Consumer<String> log) throws IOException
	{
		settings.check();
		final RelionStar star = RelionStar.read(micrographs);
		star.requireColumns("particle picking", RelionStar.MICROGRAPH_NAME);
		if (settings.ctfCorrect) star.requireColumns("CTF correction before picking", RelionStar.DEFOCUS_U);
		final StarTable items = star.items();
		if (items.rowCount() == 0) throw new FormatException(micrographs, "lists no micrographs");
		final Path folder = micrographs.toAbsolutePath().getParent();
		final List<Path> in = new ArrayList<>(List.of(micrographs));
		for (int i = 0; i < items.rowCount(); i++)
			in.add(ImageReference.parse(OutputNames.strip(items.get(i, RelionStar.MICROGRAPH_NAME)), folder).stack());
		final Path[] inputs = in.toArray(Path[]::new);
		final Path coordinates = output.resolve("coordinates.star");
		AtomicOutput.refuseInputs(coordinates, inputs);
		Files.createDirectories(output);
		final StarTable list = new StarTable("coordinate_files", true);
		list.addColumn(RelionStar.MICROGRAPH_NAME, "");
		list.addColumn("rlnMicrographCoordinates", "");
		final List<Picked> results = new ArrayList<>();
		final List<String> failures = new ArrayList<>();
		int picked = 0, done = 0, particles = 0;
		for (int i = 0; i < items.rowCount(); i++) {
			progress.checkCancelled();
			final String name = items.get(i, RelionStar.MICROGRAPH_NAME);
			final Path file = in.get(i + 1);
			final String relative = OutputNames.mirror(name, "_autopick.star");
			final Path target = output.resolve(relative);
			try {
				final List<LogPicker.Pick> picks;
				LogPicker.Result result = null;
				if (Files.exists(target)) {
					picks = read(target);
					done++;
				}
				else {
					final RelionStar.OpticsGroup optics = star.opticsGroup(items.getInt(i, RelionStar.OPTICS_GROUP, 1));
					final double pixelSize = optics.imagePixelSize();
					if (!(pixelSize > 0)) throw new FormatException(micrographs, "optics group " + optics.number()
						+ " states no rlnMicrographPixelSize");
					final Ctf ctf = CtfStar.ofMicrograph(star, i, optics);
					final float[] image;
					final int w, h;
					try (SectionSource f = Sections.open(file)) {
						if (f.sections() != 1) throw new FormatException(file, "holds " + f.sections() + " images; a "
							+ "micrograph is one (a movie needs motion-correct first)");
						w = f.width();
						h = f.height();
						image = f.readSection(0);
					}
					Finite.requireSignal(file, image, "the micrograph", "micrograph");
					final double smallest = Math.min(w, h) * pixelSize;
					if (settings.diameterMax > smallest) throw new FormatException(file, String.format(Locale.ROOT,
						"is %.0f Å across, smaller than the largest diameter (%.0f Å)", smallest, settings.diameterMax));
					result = LogPicker.pick(image, w, h, pixelSize, ctf, settings);
					picks = result.picks();
					write(target, picks, inputs);
					picked++;
				}
				particles += picks.size();
				list.addRow(OutputNames.rebase(name, folder, output), relative);
				results.add(new Picked(name, file, target, picks, result));
				log.accept(String.format(Locale.ROOT, "%s: %s %d particles%s", name, result == null ? "done before,"
					: "picked", picks.size(), result == null ? "" : String.format(Locale.ROOT, " (left out: %d outside "
						+ "the diameters, %d on ice or carbon)", result.rejectedScale(), result.rejectedOutlier())));
			} catch (final IOException | IllegalArgumentException e) {
				final String reason = e.getMessage() != null && e.getMessage().contains(file.toString()) ? e.getMessage()
					: file + ": " + e.getMessage();
				failures.add(reason);
				log.accept("skipped " + name + ": " + reason);
			}
			progress.report(i + 1, items.rowCount(), "particle picking");
		}
		if (results.isEmpty()) throw new FormatException(micrographs, "no micrograph could be picked: " + String.join(
			"; ", failures));
		final StarFile file = new StarFile();
		file.add(list);
		file.write(coordinates, inputs);
		return new Summary(picked, done, particles, failures, coordinates, results);
	}

	/** Writes one micrograph's picks as relion_autopick does. */
	static void write(final Path target, final List<LogPicker.Pick> picks, final Path... inputs) throws IOException {
		final StarTable t = new StarTable("", true);
		for (final String c : List.of(RelionStar.COORDINATE_X, RelionStar.COORDINATE_Y, RelionStar.CLASS_NUMBER,
			"rlnAutopickFigureOfMerit", RelionStar.ANGLE_PSI))
			t.addColumn(c, "");
		for (final LogPicker.Pick p : picks)
			t.addRow(StarTable.formatNumber(p.x()), StarTable.formatNumber(p.y()), "0", StarTable.formatNumber(p
				.score()), StarTable.formatNumber(UNSET_ANGLE));
		final StarFile f = new StarFile();
		f.add(t);
		f.write(target, inputs);
	}

	/** Reads picks back (the diameter is not stored: 0). */
	static List<LogPicker.Pick> read(final Path star) throws IOException {
		final StarTable t = StarFile.read(star).blocks().get(0);
		final List<LogPicker.Pick> out = new ArrayList<>();
		for (int r = 0; r < t.rowCount(); r++)
			out.add(new LogPicker.Pick(t.getDouble(r, RelionStar.COORDINATE_X), t.getDouble(r, RelionStar.COORDINATE_Y), t
				.getDouble(r, "rlnAutopickFigureOfMerit", 0), 0));
		return out;
	}
}

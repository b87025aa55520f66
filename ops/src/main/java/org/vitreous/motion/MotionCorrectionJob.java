package org.vitreous.motion;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import org.vitreous.Finite;
import org.vitreous.Progress;
import org.vitreous.ctffit.PowerSpectrum;
import org.vitreous.io.FormatException;
import org.vitreous.io.ImageReference;
import org.vitreous.io.InputFiles;
import org.vitreous.io.MrcFile;
import org.vitreous.io.MrcWriter;
import org.vitreous.io.OutputNames;
import org.vitreous.io.RelionStar;
import org.vitreous.io.StarFile;
import org.vitreous.io.StarTable;

/**
 * motion-correct over many movies: the driver that reads a movies STAR (as relion_import writes it) or a glob,
 * corrects each movie ({@link MotionCorrection}) and writes, inside the output folder and mirroring the movies'
 * relative paths, RELION's files: the aligned sum {@code NAME.mrc} (exposure-weighted when asked, the unweighted
 * one then as {@code NAME_noDW.mrc}), the per-movie {@code NAME.star} ({@link MotionStar}), and at the end
 * {@code corrected_micrographs.star} (rlnMicrographName, rlnMicrographMetadata, rlnOpticsGroup, the accumulated
 * motion, and rlnCtfPowerSpectrum: the sum's amplitude spectrum {@code NAME_PS.mrc}, centred, as RELION writes it).
 * A movie whose outputs exist is skipped, so an interrupted job resumes (RELION's --only_do_unfinished);
 * a movie that cannot be corrected is reported, skipped and counted, and the job goes on.
 */
public final class MotionCorrectionJob {

	/** What the job did: movies corrected now, found done, and failed (with the reason for each). */
	public record Summary(int corrected, int skipped, List<String> failures, Path micrographs,
		List<MotionStar.Motion> motions)
	{}

	/** A movie to correct: its path, its name as the STAR gives it, its optics group. */
	record Movie(Path path, String name, int opticsGroup) {}

	/** One movie's outputs: the sum, the unweighted sum, the per-movie STAR, and the spectrum (or null). */
	private record Outputs(Path sum, Path noDw, Path star, Path spectrum) {}

	private MotionCorrectionJob() {}

	/**
	 * Runs the job. Settings' pixel size and voltage are taken from the STAR's optics where it has them.
	 *
	 * @param movies a movies STAR, or a glob of movie files (then the settings give pixel size and voltage)
	 * @param gainPath a gain reference (MRC) multiplied into every frame, or null
	 */
	public static Summary run(final String movies, final Path output, final MotionCorrection.Settings settings,
		final Path gainPath, final Progress progress, final Consumer<String> log) throws IOException
	{
		final List<Movie> list = new ArrayList<>();
		final StarTable optics = moviesOf(movies, settings, list);
		if (list.isEmpty()) throw new FormatException(Path.of(movies), "names no movies");
		final float[] gain = gainPath == null ? null : readGain(gainPath);
		Files.createDirectories(output);
		final Path[] inputs = inputs(list, gainPath);
		int corrected = 0, skipped = 0;
		final List<String> failures = new ArrayList<>();
		final List<String[]> rows = new ArrayList<>();
		final List<MotionStar.Motion> motions = new ArrayList<>();
		for (int i = 0; i < list.size(); i++) {
			progress.checkCancelled();
			final Movie m = list.get(i);
			final Outputs o = new Outputs(output.resolve(OutputNames.mirror(m.name(), ".mrc")), output.resolve(OutputNames
				.mirror(m.name(), "_noDW.mrc")), output.resolve(OutputNames.mirror(m.name(), ".star")),
				settings.spectrumTile > 0 ? output.resolve(OutputNames.mirror(m.name(), "_PS.mrc")) : null);
			try {
				final boolean done = Files.exists(o.star()) && Files.exists(o.sum()) && (o.spectrum() == null || Files
					.exists(o.spectrum()));
				if (done) {
					skipped++;
				} else {
					correct(m, gain, gainPath, settings, o, progress, inputs);
					corrected++;
				}
				final MotionStar.Motion motion = MotionStar.read(o.star());
				motions.add(motion);
				final double[] accumulated = motion.accumulatedMotion(4);
				// the columns writeMicrographs names, in its order
				final List<String> row = new ArrayList<>(List.of(output.relativize(o.sum()).toString(), output.relativize(o
					.star()).toString(), Integer.toString(m.opticsGroup()), StarTable.formatNumber(accumulated[0]), StarTable
						.formatNumber(accumulated[1]), StarTable.formatNumber(accumulated[2])));
				if (settings.doseWeighting) row.add(output.relativize(o.noDw()).toString());
				if (o.spectrum() != null) row.add(output.relativize(o.spectrum()).toString());
				rows.add(row.toArray(String[]::new));
				log.accept(String.format(Locale.ROOT, "%s: %s; accumulated motion %.2f px", m.name(), done ? "done before"
					: "corrected", accumulated[0]));
			} catch (final IOException | IllegalArgumentException | ArithmeticException e) {
				final String reason = e.getMessage() != null && e.getMessage().contains(m.path().toString()) ? e
					.getMessage() : m.name() + ": " + e.getMessage();
				failures.add(reason);
				log.accept("skipped " + m.name() + ": " + e.getMessage());
			}
			progress.report(i + 1, list.size(), "motion correction");
		}
		final Path micrographs = output.resolve("corrected_micrographs.star");
		writeMicrographs(micrographs, optics, rows, settings, inputs);
		return new Summary(corrected, skipped, failures, micrographs, motions);
	}

	/** Corrects one movie and writes its outputs. */
	private static void correct(final Movie m, final float[] gain, final Path gainPath,
		final MotionCorrection.Settings settings, final Outputs outputs, final Progress progress, final Path... inputs)
		throws IOException
	{
		final Path sum = outputs.sum(), noDw = outputs.noDw(), star = outputs.star(), spectrum = outputs.spectrum();
		final MotionCorrection.Result r;
		try (MrcFile movie = MrcFile.open(m.path())) {
			final double stated = movie.voxelSize()[0];
			if (stated > 0 && Math.abs(stated - settings.pixelSize) > 0.01 * settings.pixelSize)
				throw new FormatException(m.path(), String.format(Locale.ROOT,
					"states %.4f Å/px, but the movies STAR says %.4f Å/px", stated, settings.pixelSize));
			if (gain != null && gain.length != movie.width() * movie.height()) throw new FormatException(gainPath,
				"does not match " + m.path() + " (frames of " + movie.width() + " x " + movie.height() + ")");
			r = MotionCorrection.correct(movie, gain, settings, progress);
		}
		final float[] plain = r.sum(), weighted = r.weightedSum();
		Finite.requireSignal(m.path(), plain, "its aligned sum", "movie");
		Files.createDirectories(sum.toAbsolutePath().getParent());
		write(weighted != null ? weighted : plain, r.width(), r.height(), settings.pixelSize, sum, "Vitreous "
			+ "motion-correct: " + (weighted != null ? "exposure-weighted sum" : "aligned sum"), inputs);
		if (weighted != null) write(plain, r.width(), r.height(), settings.pixelSize, noDw,
			"Vitreous motion-correct: aligned sum, not exposure-weighted", inputs);
		if (spectrum != null) {
			// of the aligned sum before exposure weighting, which keeps the high-frequency rings CTF estimation needs
			final int tile = Math.min(settings.spectrumTile, Math.min(r.width(), r.height()) & ~1);
			write(PowerSpectrum.of(plain, r.width(), r.height(), tile).centred(), tile, tile, settings.pixelSize, spectrum,
				"Vitreous motion-correct: amplitude spectrum, zero frequency at the centre", inputs);
		}
		MotionStar.write(new MotionStar.Motion(r.width(), r.height(), r.frames(), m.name(), settings.pixelSize,
			settings.dosePerFrame, settings.preExposure, settings.voltage, r.shiftX(), r.shiftY(), r.local(), r
				.hotPixels(), r.patchShifts()), star, inputs);
	}

	private static void write(final float[] image, final int nx, final int ny, final double pixelSize, final Path path,
		final String label, final Path... inputs) throws IOException
	{
		MrcWriter.writeImage(path, image, nx, ny, new MrcWriter.Settings().pixelSize(pixelSize).label(label), inputs);
	}

	/** Lists the movies; returns the optics table (from the STAR, or one made from the settings for a glob). */
	private static StarTable moviesOf(final String movies, final MotionCorrection.Settings s, final List<Movie> out)
		throws IOException
	{
		if (movies.endsWith(".star")) {
			final Path path = Path.of(movies);
			final RelionStar star = RelionStar.read(path);
			star.requireColumns("motion correction", RelionStar.MICROGRAPH_MOVIE_NAME);
			final StarTable items = star.items(), optics = star.optics();
			final RelionStar.OpticsGroup g = star.opticsGroup(items.getInt(0, RelionStar.OPTICS_GROUP, 1));
			final double pixelSize = optics.getDouble(0, RelionStar.MICROGRAPH_ORIGINAL_PIXEL_SIZE, 0);
			if (pixelSize > 0) s.pixelSize = pixelSize;
			s.voltage = g.voltage();
			final Path folder = path.toAbsolutePath().getParent();
			for (int i = 0; i < items.rowCount(); i++) {
				final String name = items.get(i, RelionStar.MICROGRAPH_MOVIE_NAME);
				out.add(new Movie(ImageReference.parse(name, folder).stack(), name, items.getInt(i, RelionStar.OPTICS_GROUP,
					1)));
			}
			return optics;
		}
		for (final Path p : InputFiles.glob(movies))
			out.add(new Movie(p, p.getFileName().toString(), 1));
		final StarTable optics = new StarTable("optics", true);
		for (final String c : new String[] { "rlnOpticsGroupName", "rlnOpticsGroup", "rlnMicrographOriginalPixelSize",
			"rlnVoltage" })
			optics.addColumn(c, "");
		optics.addRow("opticsGroup1", "1", StarTable.formatNumber(s.pixelSize), StarTable.formatNumber(s.voltage));
		return optics;
	}

	private static float[] readGain(final Path path) throws IOException {
		try (MrcFile f = MrcFile.open(path)) {
			final float[] g = f.readSection(0);
			final long bad = Finite.firstNonFinite(g);
			if (bad >= 0) throw new FormatException(path, "holds a value that is not finite at pixel " + bad);
			return g;
		}
	}

	private static Path[] inputs(final List<Movie> movies, final Path gain) {
		final List<Path> in = new ArrayList<>();
		for (final Movie m : movies)
			in.add(m.path());
		if (gain != null) in.add(gain);
		return in.toArray(Path[]::new);
	}

	private static void writeMicrographs(final Path path, final StarTable inputOptics, final List<String[]> rows,
		final MotionCorrection.Settings s, final Path... inputs) throws IOException
	{
		final StarFile file = new StarFile();
		final StarTable optics = inputOptics.copy();
		if (!optics.has(RelionStar.MICROGRAPH_PIXEL_SIZE)) optics.addColumn(RelionStar.MICROGRAPH_PIXEL_SIZE, "0");
		for (int r = 0; r < optics.rowCount(); r++)
			optics.set(r, RelionStar.MICROGRAPH_PIXEL_SIZE, optics.getDouble(r, RelionStar.MICROGRAPH_ORIGINAL_PIXEL_SIZE,
				s.pixelSize));
		file.add(optics);
		final StarTable mics = new StarTable("micrographs", true);
		final List<String> columns = new ArrayList<>(List.of(RelionStar.MICROGRAPH_NAME, RelionStar.MICROGRAPH_METADATA,
			RelionStar.OPTICS_GROUP, "rlnAccumMotionTotal", "rlnAccumMotionEarly", "rlnAccumMotionLate"));
		if (s.doseWeighting) columns.add(RelionStar.MICROGRAPH_NAME_NO_DW);
		if (s.spectrumTile > 0) columns.add(RelionStar.CTF_POWER_SPECTRUM);
		for (final String c : columns)
			mics.addColumn(c, "");
		for (final String[] row : rows)
			mics.addRow(row);
		file.add(mics);
		file.write(path, inputs);
	}
}

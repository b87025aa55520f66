package org.vitreous.motion;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import org.vitreous.Finite;
import org.vitreous.Progress;
import org.vitreous.ctffit.PowerSpectrum;
import org.vitreous.io.FormatException;
import org.vitreous.io.ImageReference;
import org.vitreous.io.InputFiles;
import org.vitreous.io.MrcWriter;
import org.vitreous.io.OutputNames;
import org.vitreous.io.RelionStar;
import org.vitreous.io.SectionSource;
import org.vitreous.io.Sections;
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

	/** A movie to correct: its path, its name as the STAR gives it, its optics group, and that group's settings. */
	record Movie(Path path, String name, int opticsGroup, MotionCorrection.Settings settings) {}

	/** One movie's outputs: the sum, the unweighted sum, the per-movie STAR, and the spectrum (or null). */
	private record Outputs(Path sum, Path noDw, Path star, Path spectrum) {}

	private MotionCorrectionJob() {}

	/**
	 * Runs the job. Each movie's pixel size and voltage are its optics group's, where the STAR states them.
	 *
	 * @param movies a movies STAR, or a glob of movie files (MRC, MRCS or TIFF; then the settings give pixel size
	 *        and voltage)
	 * @param detector the gain reference and defects ({@link DetectorCorrection#NONE} for neither)
	 */
	public static Summary run(final String movies, final Path output, final MotionCorrection.Settings settings,
		final DetectorCorrection detector, final Progress progress, final Consumer<String> log) throws IOException
	{
		final List<Movie> list = new ArrayList<>();
		final StarTable optics = moviesOf(movies, settings, list);
		if (list.isEmpty()) throw new FormatException(Path.of(movies), "names no movies");
		final DetectorCorrection.Gain gain = detector.readGain();
		Files.createDirectories(output);
		final Path[] inputs = inputs(list, detector);
		final Defects defects = new Defects(detector);
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
					correct(m, gain, defects, detector, o, progress, inputs);
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
	private static void correct(final Movie m, final DetectorCorrection.Gain gain, final Defects defects,
		final DetectorCorrection detector, final Outputs outputs, final Progress progress, final Path... inputs)
		throws IOException
	{
		final MotionCorrection.Settings settings = m.settings();
		final Path sum = outputs.sum(), noDw = outputs.noDw(), star = outputs.star(), spectrum = outputs.spectrum();
		final MotionCorrection.Result r;
		try (SectionSource movie = Sections.open(m.path())) {
			final double stated = movie.voxelSize()[0];
			if (stated > 0 && Math.abs(stated - settings.pixelSize) > 0.01 * settings.pixelSize)
				throw new FormatException(m.path(), String.format(Locale.ROOT,
					"states %.4f Å/px, but the movies STAR says %.4f Å/px", stated, settings.pixelSize));
			if (gain != null && (gain.width() != movie.width() || gain.height() != movie.height()))
				throw new FormatException(detector.gain(), String.format(Locale.ROOT,
					"is %d x %d%s, but %s has frames of %d x %d", gain.width(), gain.height(), detector.gainRotation() % 2 == 1
						? " once turned" : "", m.path(), movie.width(), movie.height()));
			r = MotionCorrection.correct(movie, gain == null ? null : gain.values(), defects.of(movie.width(), movie
				.height()), settings, progress);
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
			final Map<Integer, MotionCorrection.Settings> groups = new HashMap<>();
			final Path folder = path.toAbsolutePath().getParent();
			for (int i = 0; i < items.rowCount(); i++) {
				final String name = items.get(i, RelionStar.MICROGRAPH_MOVIE_NAME);
				final int group = items.getInt(i, RelionStar.OPTICS_GROUP, 1);
				MotionCorrection.Settings g = groups.get(group);
				if (g == null) {
					g = opticsOf(star, group, s, path);
					groups.put(group, g);
				}
				out.add(new Movie(ImageReference.parse(name, folder).stack(), name, group, g));
			}
			return optics;
		}
		for (final Path p : InputFiles.glob(movies))
			out.add(new Movie(p, p.getFileName().toString(), 1, s));
		final StarTable optics = new StarTable("optics", true);
		for (final String c : new String[] { "rlnOpticsGroupName", "rlnOpticsGroup", "rlnMicrographOriginalPixelSize",
			"rlnVoltage" })
			optics.addColumn(c, "");
		optics.addRow("opticsGroup1", "1", StarTable.formatNumber(s.pixelSize), StarTable.formatNumber(s.voltage));
		return optics;
	}

	/** The settings with an optics group's pixel size (rlnMicrographOriginalPixelSize) and voltage. */
	private static MotionCorrection.Settings opticsOf(final RelionStar star, final int group,
		final MotionCorrection.Settings s, final Path path) throws FormatException
	{
		final RelionStar.OpticsGroup g = star.opticsGroup(group);
		final MotionCorrection.Settings c = s.copy();
		final StarTable optics = star.optics();
		final int r = optics.rowWhere(RelionStar.OPTICS_GROUP, group, 1);
		final double pixelSize = optics.getDouble(r, RelionStar.MICROGRAPH_ORIGINAL_PIXEL_SIZE, 0);
		if (pixelSize > 0) c.pixelSize = pixelSize;
		else if (optics.has(RelionStar.MICROGRAPH_ORIGINAL_PIXEL_SIZE)) throw new FormatException(path, "optics group "
			+ group + " states a pixel size of " + optics.get(r, RelionStar.MICROGRAPH_ORIGINAL_PIXEL_SIZE));
		c.voltage = g.voltage();
		return c;
	}

	/** The defect pixels for each frame size met, read once. */
	private static final class Defects {
		private final DetectorCorrection detector;
		private final Map<Long, int[]> bySize = new HashMap<>();

		Defects(final DetectorCorrection detector) {
			this.detector = detector;
		}

		int[] of(final int nx, final int ny) throws IOException {
			final long key = (long) nx << 32 | ny;
			int[] d = bySize.get(key);
			if (d == null) {
				d = detector.readDefects(nx, ny);
				bySize.put(key, d);
			}
			return d;
		}
	}

	private static Path[] inputs(final List<Movie> movies, final DetectorCorrection detector) {
		final List<Path> in = new ArrayList<>();
		for (final Movie m : movies)
			in.add(m.path());
		in.addAll(detector.files());
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

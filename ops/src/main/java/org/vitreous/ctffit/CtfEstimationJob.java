package org.vitreous.ctffit;

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
import org.vitreous.io.AtomicOutput;
import org.vitreous.io.FormatException;
import org.vitreous.io.ImageReference;
import org.vitreous.io.InputFiles;
import org.vitreous.io.MrcFile;
import org.vitreous.io.MrcWriter;
import org.vitreous.io.OutputNames;
import org.vitreous.io.RelionStar;
import org.vitreous.io.SectionSource;
import org.vitreous.io.Sections;
import org.vitreous.io.StarFile;
import org.vitreous.io.StarTable;

/**
 * estimate-ctf over many micrographs: the driver that reads a micrographs STAR (as motion correction writes it) or a
 * glob of MRC micrographs, estimates each one's CTF ({@link CtfEstimation}) from the micrograph or, when asked, from
 * the spectrum its row names in rlnCtfPowerSpectrum (RELION's --use_given_ps), and writes inside the output folder,
 * mirroring the micrographs' relative paths: the diagnostic image {@code NAME.ctf} (left the spectrum, right the
 * fit, as CTFFIND's), the result {@code NAME.txt} in CTFFIND4's layout, the radial profiles {@code NAME_avrot.txt},
 * and at the end {@code micrographs_ctf.star}: the input rows with rlnCtfImage, rlnDefocusU/V, rlnCtfAstigmatism,
 * rlnDefocusAngle, rlnCtfFigureOfMerit and rlnCtfMaxResolution (and rlnPhaseShift when searched). A micrograph whose
 * outputs exist is read back, not estimated again; one that cannot be read, or has no signal, is reported, skipped
 * and counted; one without Thon rings (score below {@link CtfEstimation#FLAG}) keeps its files but is left out of
 * the STAR, as its defocus would mean nothing.
 */
public final class CtfEstimationJob {

	/** One micrograph's outcome: its name as the input gives it, its fit, and whether it was flagged. */
	public record Estimate(String micrograph, Ctf ctf, double score, double fitResolution, boolean flagged,
		double[][] radial)
	{}

	/** What the job did: micrographs estimated now, found done, failed (with reasons), flagged; the STAR written. */
	public record Summary(int estimated, int skipped, List<String> failures, List<String> flagged, Path micrographs,
		List<Estimate> estimates)
	{}

	/** A micrograph to fit: its file, its name in the input, its spectrum file (or null), optics group, input row. */
	private record Micrograph(Path path, String name, Path spectrum, int opticsGroup, int row) {}

	/** A micrograph that goes into the STAR, with its fit. */
	private record Fitted(Micrograph micrograph, Estimate estimate) {}

	private CtfEstimationJob() {}

	/**
	 * Runs the job.
	 *
	 * @param micrographs a micrographs STAR, or a glob of MRC micrographs (the settings then give the optics)
	 * @param givenSpectrum fit the spectra the STAR names in rlnCtfPowerSpectrum instead of the micrographs
	 */
	public static Summary run(final String micrographs, final Path output, final CtfEstimation.Settings settings,
		final boolean givenSpectrum, final Progress progress, final Consumer<String> log) throws IOException
	{
		settings.check();
		final Path source = Path.of(micrographs);
		final List<Micrograph> list = new ArrayList<>();
		final RelionStar star = micrographs.endsWith(".star") ? RelionStar.read(source) : null;
		final StarTable optics = star != null ? star.optics() : globOptics(settings);
		final StarTable items = star != null ? star.items() : new StarTable("micrographs", true);
		if (star != null) listStar(star, givenSpectrum, list);
		else listGlob(micrographs, items, list);
		if (list.isEmpty()) throw new FormatException(source, "names no micrographs");
		Files.createDirectories(output);
		final List<Path> in = new ArrayList<>(List.of(source));
		for (final Micrograph m : list) {
			in.add(m.path());
			if (m.spectrum() != null) in.add(m.spectrum());
		}
		final Path[] inputs = in.toArray(Path[]::new);
		int estimated = 0, skipped = 0;
		final List<String> failures = new ArrayList<>(), flagged = new ArrayList<>();
		final List<Estimate> estimates = new ArrayList<>();
		final List<Fitted> kept = new ArrayList<>();
		for (int i = 0; i < list.size(); i++) {
			progress.checkCancelled();
			final Micrograph m = list.get(i);
			try {
				final CtfEstimation.Settings s = withOptics(settings, optics, m.opticsGroup(), source);
				final Path text = output.resolve(OutputNames.mirror(m.name(), ".txt"));
				final Path diagnostic = output.resolve(OutputNames.mirror(m.name(), ".ctf"));
				final boolean done = Files.exists(text) && Files.exists(diagnostic);
				final Estimate e = done ? fromRow(m, CtffindText.read(text).get(0), s, null) : estimate(m, s, output, text,
					diagnostic, inputs);
				if (done) skipped++;
				else estimated++;
				estimates.add(e);
				final Ctf c = e.ctf();
				log.accept(String.format(Locale.ROOT, "%s: %s; defocus %.0f / %.0f Å at %.1f°, score %.3f, fit to %.1f Å%s",
					m.name(), done ? "done before" : "estimated", c.defocusU(), c.defocusV(), c.defocusAngle(), e.score(), e
						.fitResolution(), e.flagged() ? " (FLAGGED: no Thon rings found; left out of the STAR)" : ""));
				if (e.flagged()) flagged.add(m.name());
				else kept.add(new Fitted(m, e));
			} catch (final IOException | IllegalArgumentException e) {
				final String where = m.spectrum() != null ? m.spectrum().toString() : m.path().toString();
				final String reason = e.getMessage() != null && e.getMessage().contains(where) ? e.getMessage() : where
					+ ": " + e.getMessage();
				failures.add(reason);
				log.accept("skipped " + m.name() + ": " + reason);
			}
			progress.report(i + 1, list.size(), "CTF estimation");
		}
		final Path out = output.resolve("micrographs_ctf.star");
		writeStar(out, optics, items, kept, settings, output, source, inputs);
		return new Summary(estimated, skipped, failures, flagged, out, estimates);
	}

	/** Fits one micrograph and writes its files: the diagnostic image, the radial profile, then the result text. */
	private static Estimate estimate(final Micrograph m, final CtfEstimation.Settings s, final Path output,
		final Path text, final Path diagnostic, final Path... inputs) throws IOException
	{
		final PowerSpectrum spectrum;
		if (m.spectrum() != null) {
			try (MrcFile f = MrcFile.open(m.spectrum())) {
				if (f.width() != f.height()) throw new FormatException(m.spectrum(), "is " + f.width() + " x " + f.height()
					+ ", not a square spectrum");
				final double stated = f.voxelSize()[0];
				if (stated > 0) s.pixelSize = stated;
				try {
					spectrum = PowerSpectrum.ofCentred(f.readSection(0), f.width());
				} catch (final IllegalArgumentException e) {
					throw new FormatException(m.spectrum(), e.getMessage());
				}
			}
		}
		else {
			final float[] image;
			final int nx, ny;
			try (SectionSource f = Sections.open(m.path())) {
				if (f.sections() != 1) throw new FormatException(m.path(), "holds " + f.sections() + " images; a "
					+ "micrograph is one (a movie needs motion-correct first)");
				final double stated = f.voxelSize()[0];
				if (stated > 0 && Math.abs(stated - s.pixelSize) > 0.01 * s.pixelSize) throw new FormatException(m.path(),
					String.format(Locale.ROOT, "states %.4f Å/px, but the micrographs STAR says %.4f Å/px", stated,
						s.pixelSize));
				nx = f.width();
				ny = f.height();
				if (Math.min(nx, ny) < 64) throw new FormatException(m.path(), "is " + nx + " x " + ny
					+ " px; CTF estimation needs at least 64 px a side");
				image = f.readSection(0);
			}
			Finite.requireSignal(m.path(), image, "the micrograph", "micrograph");
			spectrum = PowerSpectrum.of(image, nx, ny, Math.min(s.tile, Math.min(nx, ny) & ~1));
		}
		final CtfEstimation.Result r = CtfEstimation.estimate(spectrum, s);
		final Ctf c = r.ctf();
		final Path radial = output.resolve(OutputNames.mirror(m.name(), "_avrot.txt"));
		Finite.require(r.diagnostic(), m.name() + "'s diagnostic image");
		MrcWriter.writeImage(diagnostic, r.diagnostic(), r.tile(), r.tile(), new MrcWriter.Settings().pixelSize(s
			.pixelSize).label("Vitreous estimate-ctf: left the spectrum, right the fitted CTF²"), inputs);
		writeRadial(radial, r.radial(), inputs);
		// written last: its presence marks the micrograph done
		final CtffindText.Row row = CtffindText.rounded(new CtffindText.Row(c.defocusU(), c.defocusV(), c
			.defocusAngle(), Math.toRadians(c.phaseShift()), r.score(), r.fitResolution()));
		CtffindText.write(text, m.name(), s, row, inputs);
		// the STAR from the values as written, so that a rerun that reads them back writes the same STAR
		return fromRow(m, row, s, r.radial());
	}

	/** A micrograph's outcome from its result as written (by this run or one before: radial is then null). */
	private static Estimate fromRow(final Micrograph m, final CtffindText.Row row, final CtfEstimation.Settings s,
		final double[][] radial)
	{
		final Ctf c = new Ctf(s.voltage, s.sphericalAberration, s.amplitudeContrast, row.defocus1(), row.defocus2(), row
			.azimuth(), Math.toDegrees(row.phaseShift()), 0, 1);
		return new Estimate(m.name(), c, row.score(), row.fitResolution(), row.score() < CtfEstimation.FLAG, radial);
	}

	/** The settings with one optics group's pixel size, voltage, Cs and amplitude contrast. */
	private static CtfEstimation.Settings withOptics(final CtfEstimation.Settings settings, final StarTable optics,
		final int group, final Path source) throws FormatException
	{
		final int r = optics.rowWhere(RelionStar.OPTICS_GROUP, group, 1);
		if (r < 0) throw new FormatException(source, "data_optics has no group " + group);
		final CtfEstimation.Settings s = settings.copy();
		s.pixelSize = optics.getDouble(r, RelionStar.MICROGRAPH_PIXEL_SIZE, optics.getDouble(r,
			RelionStar.MICROGRAPH_ORIGINAL_PIXEL_SIZE, s.pixelSize));
		s.voltage = optics.getDouble(r, RelionStar.VOLTAGE, s.voltage);
		s.sphericalAberration = optics.getDouble(r, RelionStar.SPHERICAL_ABERRATION, s.sphericalAberration);
		s.amplitudeContrast = optics.getDouble(r, RelionStar.AMPLITUDE_CONTRAST, s.amplitudeContrast);
		if (!(s.pixelSize > 0)) throw new FormatException(source, "optics group " + group + " states no pixel size");
		return s;
	}

	private static void listStar(final RelionStar star, final boolean givenSpectrum, final List<Micrograph> out)
		throws FormatException
	{
		star.requireColumns("CTF estimation", RelionStar.MICROGRAPH_NAME);
		if (givenSpectrum) star.requireColumns("CTF estimation from the given spectra", RelionStar.CTF_POWER_SPECTRUM);
		final StarTable items = star.items();
		final Path folder = star.source().toAbsolutePath().getParent();
		for (int i = 0; i < items.rowCount(); i++) {
			final String name = items.get(i, RelionStar.MICROGRAPH_NAME);
			final Path spectrum = givenSpectrum ? ImageReference.parse(OutputNames.strip(items.get(i,
				RelionStar.CTF_POWER_SPECTRUM)), folder).stack() : null;
			out.add(new Micrograph(ImageReference.parse(OutputNames.strip(name), folder).stack(), name, spectrum, items
				.getInt(i, RelionStar.OPTICS_GROUP, 1), i));
		}
	}

	private static void listGlob(final String glob, final StarTable items, final List<Micrograph> out)
		throws IOException
	{
		final List<Path> files = InputFiles.glob(glob);
		items.addColumn(RelionStar.MICROGRAPH_NAME, "");
		items.addColumn(RelionStar.OPTICS_GROUP, "1");
		for (final Path p : files) {
			final int row = items.addRow(p.toString(), "1");
			out.add(new Micrograph(p, p.getFileName().toString(), null, 1, row));
		}
	}

	private static StarTable globOptics(final CtfEstimation.Settings s) {
		final StarTable optics = new StarTable("optics", true);
		for (final String c : new String[] { RelionStar.OPTICS_GROUP_NAME, RelionStar.OPTICS_GROUP,
			RelionStar.MICROGRAPH_ORIGINAL_PIXEL_SIZE, RelionStar.VOLTAGE, RelionStar.SPHERICAL_ABERRATION,
			RelionStar.AMPLITUDE_CONTRAST, RelionStar.MICROGRAPH_PIXEL_SIZE })
			optics.addColumn(c, "");
		optics.addRow("opticsGroup1", "1", StarTable.formatNumber(s.pixelSize), StarTable.formatNumber(s.voltage),
			StarTable.formatNumber(s.sphericalAberration), StarTable.formatNumber(s.amplitudeContrast), StarTable
				.formatNumber(s.pixelSize));
		return optics;
	}

	/** The radial profiles as three columns, with a header saying what they are. */
	private static void writeRadial(final Path path, final double[][] radial, final Path... inputs)
		throws IOException
	{
		final StringBuilder b = new StringBuilder("# Vitreous estimate-ctf radial profiles\n# Columns: #1 - spatial "
			+ "frequency [1/Angstroms]; #2 - spectrum averaged along the fitted rings (background out, unit contrast); "
			+ "#3 - fitted CTF^2 at the mean defocus\n");
		for (int i = 0; i < radial[0].length; i++)
			b.append(String.format(Locale.ROOT, "%.6f %.6f %.6f%n", radial[0][i], radial[1][i], radial[2][i]));
		AtomicOutput.writeString(path, b, inputs);
	}

	private static void writeStar(final Path path, final StarTable inputOptics, final StarTable items,
		final List<Fitted> kept, final CtfEstimation.Settings settings, final Path output, final Path source,
		final Path... inputs)
		throws IOException
	{
		final StarFile file = new StarFile();
		final StarTable optics = inputOptics.copy();
		if (!optics.has(RelionStar.MICROGRAPH_PIXEL_SIZE)) {
			optics.addColumn(RelionStar.MICROGRAPH_PIXEL_SIZE, "0");
			for (int r = 0; r < optics.rowCount(); r++)
				optics.set(r, RelionStar.MICROGRAPH_PIXEL_SIZE, optics.getDouble(r, RelionStar.MICROGRAPH_ORIGINAL_PIXEL_SIZE,
					settings.pixelSize));
		}
		file.add(optics);
		final List<String> added = new ArrayList<>(List.of(RelionStar.CTF_IMAGE, RelionStar.DEFOCUS_U, RelionStar
			.DEFOCUS_V, RelionStar.CTF_ASTIGMATISM, RelionStar.DEFOCUS_ANGLE, RelionStar.CTF_FIGURE_OF_MERIT,
			RelionStar.CTF_MAX_RESOLUTION));
		if (settings.phaseShift) added.add(RelionStar.PHASE_SHIFT);
		final StarTable mics = new StarTable("micrographs", true);
		final List<String> columns = new ArrayList<>();
		for (final String c : items.columns())
			if (!added.contains(c)) columns.add(c);
		columns.addAll(added);
		for (final String c : columns)
			mics.addColumn(c, "");
		final Path folder = source.toAbsolutePath().getParent();
		final List<String> paths = List.of(RelionStar.MICROGRAPH_NAME, RelionStar.MICROGRAPH_METADATA,
			RelionStar.CTF_POWER_SPECTRUM, RelionStar.MICROGRAPH_NAME_NO_DW);
		for (final Fitted f : kept) {
			final Micrograph m = f.micrograph();
			final Estimate e = f.estimate();
			final Ctf c = e.ctf();
			final String[] row = new String[columns.size()];
			for (int j = 0; j < columns.size(); j++) {
				final String column = columns.get(j);
				final int at = added.indexOf(column);
				if (at < 0) {
					final String value = items.get(m.row(), column);
					row[j] = paths.contains(column) ? OutputNames.rebase(value, folder, output) : value;
					continue;
				}
				row[j] = switch (at) {
				case 0 -> OutputNames.mirror(m.name(), ".ctf") + ":mrc";
				case 1 -> StarTable.formatNumber(c.defocusU());
				case 2 -> StarTable.formatNumber(c.defocusV());
				case 3 -> StarTable.formatNumber(c.defocusU() - c.defocusV());
				case 4 -> StarTable.formatNumber(c.defocusAngle());
				case 5 -> StarTable.formatNumber(e.score());
				case 6 -> StarTable.formatNumber(e.fitResolution());
				default -> StarTable.formatNumber(c.phaseShift());
				};
			}
			mics.addRow(row);
		}
		file.add(mics);
		file.write(path, inputs);
	}
}

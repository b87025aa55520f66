package org.vitreous.extract;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

import org.vitreous.Finite;
import org.vitreous.Progress;
import org.vitreous.compute.Parallel;
import org.vitreous.ctf.Ctf;
import org.vitreous.ctf.CtfStar;
import org.vitreous.io.AtomicOutput;
import org.vitreous.io.FormatException;
import org.vitreous.io.ImageReference;
import org.vitreous.io.MrcFile;
import org.vitreous.io.MrcWriter;
import org.vitreous.io.OutputNames;
import org.vitreous.io.RelionStar;
import org.vitreous.io.SectionSource;
import org.vitreous.io.Sections;
import org.vitreous.io.StarFile;
import org.vitreous.io.StarTable;

/**
 * extract-particles over many micrographs: the driver that reads a micrographs STAR (as estimate-ctf or
 * motion-correct writes it; the CTF columns, where present, go to every particle) and coordinates, cuts each
 * micrograph's particles ({@link ParticleExtraction}) and writes inside the output folder, as relion_preprocess
 * does: {@code Particles/NAME.mrcs} (one stack per micrograph, its path mirroring the micrograph's) with
 * {@code Particles/NAME_extract.star} beside it (written last: its presence marks the micrograph done, so a rerun
 * reads it back instead of extracting again), and at the end {@code particles.star} with data_optics
 * (rlnImagePixelSize, rlnImageSize, rlnImageDimensionality added) and data_particles (the coordinate columns,
 * rlnImageName, rlnMicrographName, rlnOpticsGroup and the CTF columns). Image and micrograph names are relative to
 * the output folder. One micrograph is held at a time.
 * <p>
 * Coordinates come as a STAR of coordinate files (data_coordinate_files: rlnMicrographName and
 * rlnMicrographCoordinates, as pick-particles and RELION 4's autopick write), as one table with rlnMicrographName
 * and rlnCoordinateX/Y (a particles STAR: re-extraction), or as a bare rlnCoordinateX/Y table when there is one
 * micrograph. Coordinates naming micrographs the micrographs STAR lacks are counted and reported, not guessed at.
 */
public final class ExtractionJob {

	/** What the job did. */
	public record Summary(int extracted, int done, int particles, int edge, List<String> failures,
		List<String> warnings, Path particlesStar)
	{}

	/** A micrograph of the input STAR. */
	private record Micrograph(int row, String name, Path path, int opticsGroup) {}

	/** One coordinate: where, the values of the extra columns, the particle's seed, and the file it came from. */
	private record Coordinate(double x, double y, String[] extra, long seed, Path source) {}

	private static final List<String> CTF_COLUMNS = List.of(RelionStar.CTF_MAX_RESOLUTION,
		RelionStar.CTF_FIGURE_OF_MERIT, RelionStar.DEFOCUS_U, RelionStar.DEFOCUS_V, RelionStar.DEFOCUS_ANGLE,
		RelionStar.CTF_BFACTOR, RelionStar.CTF_SCALE, RelionStar.PHASE_SHIFT);

	/** Columns a coordinate file may carry that the particles STAR writes itself, so are not carried over. */
	private static final Set<String> OWN = new LinkedHashSet<>(List.of(RelionStar.COORDINATE_X,
		RelionStar.COORDINATE_Y, RelionStar.IMAGE_NAME, RelionStar.MICROGRAPH_NAME, RelionStar.OPTICS_GROUP,
		RelionStar.DEFOCUS_U, RelionStar.DEFOCUS_V, RelionStar.DEFOCUS_ANGLE, RelionStar.CTF_BFACTOR,
		RelionStar.CTF_SCALE, RelionStar.PHASE_SHIFT, RelionStar.CTF_MAX_RESOLUTION, RelionStar.CTF_FIGURE_OF_MERIT,
		"rlnMicrographCoordinates"));

	/** RELION's value for an angle not known (LoG picks): such a column carries nothing and is left out. */
	private static final double UNSET_ANGLE = -999;

	/** A particle wholly outside its micrograph under --edge abort: stops the job rather than one micrograph. */
	private static final class EdgeAbort extends FormatException {
		private static final long serialVersionUID = 1L;

		EdgeAbort(final Path file, final String problem) {
			super(file, problem);
		}
	}

	private ExtractionJob() {}

	/** Runs the job. */
	public static Summary run(final Path micrographs, final Path coordinates, final Path output,
		final ParticleExtraction.Settings settings, final Progress progress, final Consumer<String> log)
		throws IOException
	{
		settings.check();
		final ParticleExtraction.Edge edgePolicy = ParticleExtraction.Edge.of(settings.edge);
		final boolean correcting = ParticleExtraction.CtfCorrection.of(settings.ctfCorrection)
			!= ParticleExtraction.CtfCorrection.NONE;
		final RelionStar mics = RelionStar.read(micrographs);
		mics.requireColumns("particle extraction", RelionStar.MICROGRAPH_NAME);
		if (correcting) mics.requireColumns("CTF correction before extraction", RelionStar.DEFOCUS_U,
			RelionStar.DEFOCUS_V, RelionStar.DEFOCUS_ANGLE);
		final List<Micrograph> list = listMicrographs(mics);
		if (list.isEmpty()) throw new FormatException(micrographs, "lists no micrographs");
		final List<Path> in = new ArrayList<>(List.of(micrographs, coordinates));
		for (final Micrograph m : list)
			in.add(m.path());
		final List<String> extraColumns = new ArrayList<>();
		final List<String> warnings = new ArrayList<>();
		final Map<Integer, List<Coordinate>> picks = readCoordinates(coordinates, list, extraColumns, warnings, in);
		if (picks.isEmpty()) throw new FormatException(coordinates, "names none of the " + list.size()
			+ " micrographs of " + micrographs + (warnings.isEmpty() ? "" : " (" + warnings.get(0) + ")"));
		for (final String w : warnings)
			log.accept("warning: " + w);
		final Path[] inputs = in.toArray(Path[]::new);
		final Path out = output.resolve("particles.star");
		AtomicOutput.refuseInputs(out, inputs);
		Files.createDirectories(output);
		final boolean ctfInStar = mics.items().has(RelionStar.DEFOCUS_U);
		final List<String> columns = new ArrayList<>(List.of(RelionStar.COORDINATE_X, RelionStar.COORDINATE_Y));
		columns.addAll(extraColumns);
		columns.addAll(List.of(RelionStar.IMAGE_NAME, RelionStar.MICROGRAPH_NAME, RelionStar.OPTICS_GROUP));
		if (ctfInStar) columns.addAll(CTF_COLUMNS);
		final StarTable all = new StarTable("particles", true);
		for (final String c : columns)
			all.addColumn(c, "");
		final Path folder = micrographs.toAbsolutePath().getParent();
		int extracted = 0, done = 0, edge = 0, step = 0;
		final List<String> failures = new ArrayList<>();
		final int n = settings.outputBox();
		for (final Micrograph m : list) {
			progress.checkCancelled();
			final List<Coordinate> coords = picks.get(m.row());
			progress.report(++step, list.size(), "particle extraction");
			if (coords == null) continue;
			final String base = "Particles/" + OutputNames.mirror(m.name(), "");
			final Path stack = output.resolve(base + ".mrcs"), marker = output.resolve(base + "_extract.star");
			try {
				if (Files.exists(marker) && Files.exists(stack) && boxOf(stack) == n) {
					final StarTable rows = StarFile.read(marker).requireBlock("particles");
					append(all, rows, marker);
					done++;
					log.accept(String.format(Locale.ROOT, "%s: done before (%d particles)", m.name(), rows.rowCount()));
					continue;
				}
				final RelionStar.OpticsGroup optics = mics.opticsGroup(m.opticsGroup());
				final double pixelSize = optics.imagePixelSize();
				if (!(pixelSize > 0)) throw new FormatException(micrographs, "optics group " + m.opticsGroup()
					+ " states no rlnMicrographPixelSize");
				final ParticleExtraction.Micrograph image = read(m.path(), pixelSize, settings.box);
				final Ctf ctf = CtfStar.ofMicrograph(mics, m.row(), optics);
				final List<Coordinate> kept = new ArrayList<>();
				for (int k = 0; k < coords.size(); k++) {
					final Coordinate c = coords.get(k);
					final boolean ok = edgePolicy == ParticleExtraction.Edge.SKIP ? ParticleExtraction.inside(image, c.x(), c
						.y(), settings.box) : ParticleExtraction.touches(image, c.x(), c.y(), settings.box);
					if (!ok && edgePolicy == ParticleExtraction.Edge.ABORT) throw new EdgeAbort(c.source(), String
						.format(Locale.ROOT, "particle %d of %s at (%.1f, %.1f) lies wholly outside the %d x %d micrograph "
							+ "(--edge abort stops here, as RELION does; --edge skip leaves such particles out)", k + 1, m.name(),
							c.x(), c.y(), image.width(), image.height()));
					if (ok) kept.add(c);
					else edge++;
				}
				final float[][] boxes = new float[kept.size()][];
				Parallel.forRange(kept.size(), (start, end) -> {
					for (int k = start; k < end; k++) {
						final Coordinate c = kept.get(k);
						boxes[k] = Finite.require(ParticleExtraction.extract(image, c.x(), c.y(), settings, ctf, c.seed()), "the "
							+ "particle at (" + c.x() + ", " + c.y() + ") of " + m.name());
					}
				});
				final StarTable rows = new StarTable("particles", true);
				for (final String c : columns)
					rows.addColumn(c, "");
				if (!kept.isEmpty()) {
					try (MrcWriter w = MrcWriter.open(stack, n, n, new MrcWriter.Settings().pixelSize(pixelSize * settings.box
						/ n).stack().label("Vitreous extract-particles from " + m.name()), inputs)) {
						for (final float[] b : boxes)
							w.writeSection(b);
						w.commit();
					}
				}
				final String micName = OutputNames.rebase(m.name(), folder, output);
				for (int k = 0; k < kept.size(); k++) {
					final Coordinate c = kept.get(k);
					final List<String> row = new ArrayList<>(List.of(StarTable.formatNumber(c.x()), StarTable.formatNumber(c
						.y())));
					row.addAll(List.of(c.extra()));
					row.add(new ImageReference(k + 1, output.toAbsolutePath().resolve(base + ".mrcs")).format(output));
					row.add(micName);
					row.add(Integer.toString(m.opticsGroup()));
					if (ctfInStar) for (final String col : CTF_COLUMNS) {
						final String v = mics.items().has(col) ? mics.items().get(m.row(), col) : "";
						row.add(!v.isEmpty() ? v : col.equals(RelionStar.CTF_SCALE) ? "1" : "0");
					}
					rows.addRow(row.toArray(String[]::new));
				}
				final StarFile one = new StarFile();
				one.add(rows);
				one.write(marker, inputs);
				append(all, rows, marker);
				extracted++;
				log.accept(String.format(Locale.ROOT, "%s: %d particles extracted%s", m.name(), kept.size(), kept
					.size() < coords.size() ? ", " + (coords.size() - kept.size()) + " left out at the edge" : ""));
			} catch (final EdgeAbort e) {
				throw e;
			} catch (final FormatException e) {
				failures.add(e.getMessage());
				log.accept("skipped " + m.name() + ": " + e.getMessage());
			} catch (final IOException | IllegalArgumentException e) {
				final String reason = e.getMessage() != null && e.getMessage().contains(m.path().toString()) ? e
					.getMessage() : m.path() + ": " + e.getMessage();
				failures.add(reason);
				log.accept("skipped " + m.name() + ": " + reason);
			}
		}
		if (all.rowCount() == 0) throw new FormatException(coordinates, "no particle could be extracted: " + (edge > 0
			? edge + " boxes of " + settings.box + " px left their micrographs" : "") + (failures.isEmpty() ? "" : (edge
				> 0 ? "; " : "") + String.join("; ", failures)));
		final StarFile file = new StarFile();
		file.add(optics(mics.optics(), settings));
		file.add(all);
		file.write(out, inputs);
		return new Summary(extracted, done, all.rowCount(), edge, failures, warnings, out);
	}

	/** The micrographs STAR's optics as particle optics: the micrograph pixel size becomes the image pixel size. */
	private static StarTable optics(final StarTable in, final ParticleExtraction.Settings s) throws FormatException {
		final StarTable out = in.copy();
		if (out.has(RelionStar.MICROGRAPH_PIXEL_SIZE)) out.removeColumn(RelionStar.MICROGRAPH_PIXEL_SIZE);
		for (final String c : List.of(RelionStar.IMAGE_PIXEL_SIZE, RelionStar.IMAGE_SIZE,
			RelionStar.IMAGE_DIMENSIONALITY))
			if (out.has(c)) out.removeColumn(c);
		out.addColumn(RelionStar.IMAGE_PIXEL_SIZE, "0");
		out.addColumn(RelionStar.IMAGE_SIZE, Integer.toString(s.outputBox()));
		out.addColumn(RelionStar.IMAGE_DIMENSIONALITY, "2");
		for (int r = 0; r < in.rowCount(); r++) {
			final double mic = in.getDouble(r, RelionStar.MICROGRAPH_PIXEL_SIZE, in.getDouble(r,
				RelionStar.MICROGRAPH_ORIGINAL_PIXEL_SIZE, 0));
			out.set(r, RelionStar.IMAGE_PIXEL_SIZE, mic * s.box / s.outputBox());
		}
		return out;
	}

	private static void append(final StarTable all, final StarTable rows, final Path source) throws FormatException {
		for (final String c : all.columns())
			if (!rows.has(c)) throw new FormatException(source, "has no column _" + c + "; delete it to extract again");
		for (int r = 0; r < rows.rowCount(); r++) {
			final String[] values = new String[all.columns().size()];
			for (int c = 0; c < values.length; c++)
				values[c] = rows.get(r, all.columns().get(c));
			all.addRow(values);
		}
	}

	private static int boxOf(final Path stack) throws IOException {
		try (MrcFile f = MrcFile.open(stack)) {
			return f.width() == f.height() ? f.width() : -1;
		}
	}

	/** Reads one micrograph (MRC or TIFF, one image), refusing one smaller than the box or without signal. */
	private static ParticleExtraction.Micrograph read(final Path path, final double pixelSize, final int box)
		throws IOException
	{
		try (SectionSource f = Sections.open(path)) {
			if (f.sections() != 1) throw new FormatException(path, "holds " + f.sections() + " images; a micrograph is "
				+ "one (a movie needs motion-correct first)");
			if (f.width() < box || f.height() < box) throw new FormatException(path, "is " + f.width() + " x " + f
				.height() + " px, smaller than the " + box + " px box");
			final float[] pixels = f.readSection(0);
			Finite.requireSignal(path, pixels, "the micrograph", "micrograph");
			return new ParticleExtraction.Micrograph(pixels, f.width(), f.height(), pixelSize);
		}
	}

	private static List<Micrograph> listMicrographs(final RelionStar star) throws FormatException {
		final StarTable items = star.items();
		final Path folder = star.source().toAbsolutePath().getParent();
		final List<Micrograph> out = new ArrayList<>();
		for (int i = 0; i < items.rowCount(); i++) {
			final String name = items.get(i, RelionStar.MICROGRAPH_NAME);
			out.add(new Micrograph(i, name, ImageReference.parse(OutputNames.strip(name), folder).stack(), items.getInt(i,
				RelionStar.OPTICS_GROUP, 1)));
		}
		return out;
	}

	/**
	 * Reads the coordinates and sorts them to the micrographs (keyed by row); fills the extra columns carried and
	 * adds every coordinate file read to {@code inputs}.
	 */
	private static Map<Integer, List<Coordinate>> readCoordinates(final Path coordinates, final List<Micrograph> mics,
		final List<String> extraColumns, final List<String> warnings, final List<Path> inputs) throws IOException
	{
		final StarFile file = StarFile.read(coordinates);
		final Path folder = coordinates.toAbsolutePath().getParent();
		final Map<String, Integer> byPath = new HashMap<>();
		final Map<String, List<Integer>> byFile = new HashMap<>();
		for (final Micrograph m : mics) {
			byPath.put(m.path().toAbsolutePath().normalize().toString(), m.row());
			byFile.computeIfAbsent(m.path().getFileName().toString(), k -> new ArrayList<>()).add(m.row());
		}
		final Map<Integer, StarTable> tables = new LinkedHashMap<>();
		final Map<Integer, Path> sources = new HashMap<>();
		final List<String> unknown = new ArrayList<>();
		final StarTable list = find(file, "rlnMicrographCoordinates");
		final StarTable direct = find(file, RelionStar.COORDINATE_X);
		if (list != null) {
			list.requireColumn(RelionStar.MICROGRAPH_NAME);
			for (int r = 0; r < list.rowCount(); r++) {
				final String name = list.get(r, RelionStar.MICROGRAPH_NAME);
				final Integer row = match(name, folder, byPath, byFile);
				if (row == null) {
					unknown.add(name);
					continue;
				}
				final Path p = ImageReference.parse(list.get(r, "rlnMicrographCoordinates"), folder).stack();
				if (!Files.exists(p)) throw new FormatException(coordinates, "row " + (r + 1) + " names coordinate file "
					+ p + ", which does not exist");
				inputs.add(p);
				final StarTable t = find(StarFile.read(p), RelionStar.COORDINATE_X);
				if (t == null) throw new FormatException(p, "has no table with _rlnCoordinateX and _rlnCoordinateY");
				tables.put(row, t);
				sources.put(row, p);
			}
		}
		else if (direct != null && direct.has(RelionStar.MICROGRAPH_NAME)) {
			final Map<Integer, StarTable> split = new LinkedHashMap<>();
			final Map<String, Integer> seen = new HashMap<>();
			for (int r = 0; r < direct.rowCount(); r++) {
				final String name = direct.get(r, RelionStar.MICROGRAPH_NAME);
				final Integer row = seen.computeIfAbsent(name, k -> {
					final Integer m = match(k, folder, byPath, byFile);
					return m == null ? -1 : m;
				});
				if (row < 0) {
					unknown.add(name);
					continue;
				}
				final StarTable t = split.computeIfAbsent(row, k -> {
					final StarTable s = new StarTable("", true);
					for (final String c : direct.columns())
						s.addColumn(c, "");
					return s;
				});
				t.addRow(direct.row(r));
			}
			tables.putAll(split);
			for (final Integer row : split.keySet())
				sources.put(row, coordinates);
		}
		else if (direct != null) {
			if (mics.size() != 1) throw new FormatException(coordinates, "has coordinates without _rlnMicrographName, "
				+ "but the micrographs STAR lists " + mics.size() + " micrographs: give a coordinates.star that names each "
				+ "micrograph's file (data_coordinate_files), or one table with _rlnMicrographName");
			tables.put(mics.get(0).row(), direct);
			sources.put(mics.get(0).row(), coordinates);
		}
		else throw new FormatException(coordinates, "has neither coordinates (_rlnCoordinateX/Y) nor a list of "
			+ "coordinate files (_rlnMicrographCoordinates)");
		if (!unknown.isEmpty()) {
			final Set<String> names = new LinkedHashSet<>(unknown);
			warnings.add(String.format(Locale.ROOT, "%d coordinate rows name %d micrographs that the micrographs STAR "
				+ "does not list (without their CTF they are not extracted): %s", unknown.size(), names.size(), String.join(
					", ", names.stream().limit(5).toList()) + (names.size() > 5 ? ", ..." : "")));
		}
		// the extra columns: the union over all tables, in first-seen order, less those written anyway and angles unset
		final Set<String> extra = new LinkedHashSet<>();
		for (final StarTable t : tables.values())
			for (final String c : t.columns())
				if (!OWN.contains(c) && carries(t, c)) extra.add(c);
		extraColumns.addAll(extra);
		final Map<Integer, List<Coordinate>> out = new LinkedHashMap<>();
		for (final Map.Entry<Integer, StarTable> e : tables.entrySet()) {
			final StarTable t = e.getValue();
			final Path source = sources.get(e.getKey());
			t.requireColumn(RelionStar.COORDINATE_Y);
			final List<Coordinate> coords = new ArrayList<>();
			for (int r = 0; r < t.rowCount(); r++) {
				final double x = t.getDouble(r, RelionStar.COORDINATE_X), y = t.getDouble(r, RelionStar.COORDINATE_Y);
				if (!Double.isFinite(x) || !Double.isFinite(y)) throw new FormatException(source, "row " + (r + 1)
					+ " has a coordinate that is not a finite number");
				final String[] values = new String[extraColumns.size()];
				for (int c = 0; c < values.length; c++)
					values[c] = t.has(extraColumns.get(c)) ? t.get(r, extraColumns.get(c)) : "0";
				coords.add(new Coordinate(x, y, values, 1_000_003L * e.getKey() + r, source));
			}
			out.put(e.getKey(), coords);
		}
		return out;
	}

	/** Whether column {@code c} of {@code t} carries anything: an angle column all −999 (RELION's unset) does not. */
	private static boolean carries(final StarTable t, final String c) throws FormatException {
		if (!c.startsWith("rlnAngle")) return true;
		for (int r = 0; r < t.rowCount(); r++)
			if (t.getDouble(r, c, UNSET_ANGLE) != UNSET_ANGLE) return true;
		return false;
	}

	/** The micrograph row a coordinate's micrograph name means: the same file, else the one file of that name. */
	private static Integer match(final String name, final Path folder, final Map<String, Integer> byPath,
		final Map<String, List<Integer>> byFile)
	{
		final Path p = ImageReference.parse(OutputNames.strip(name), folder).stack().toAbsolutePath().normalize();
		final Integer exact = byPath.get(p.toString());
		if (exact != null) return exact;
		final List<Integer> same = byFile.get(p.getFileName().toString());
		return same != null && same.size() == 1 ? same.get(0) : null;
	}

	/** The first block of the file with {@code column}, or null. */
	private static StarTable find(final StarFile file, final String column) {
		for (final StarTable t : file.blocks())
			if (t.has(column)) return t;
		return null;
	}
}

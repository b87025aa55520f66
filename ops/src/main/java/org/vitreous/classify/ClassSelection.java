package org.vitreous.classify;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.vitreous.io.FormatException;
import org.vitreous.io.ImageReference;
import org.vitreous.io.RelionStar;
import org.vitreous.io.StarFile;
import org.vitreous.io.StarTable;

/**
 * select-classes: the particles of chosen classes, the step RELION's Subset selection does between 2D
 * classification and ab initio. Classes are chosen by number, or automatically from the classes' table (classify-2d's
 * {@code classes.star} beside the particles, with rlnClassScore; or RELION's {@code _model.star}, whose
 * rlnEstimatedResolution gives the score 1/resolution): the classes are split in two where the particle-weighted
 * spread of scores within each side is least (Otsu's rule), and the upper side is kept, unless a minimum score is
 * given. Empty classes are never kept. The subset STAR keeps the input's optics and columns; image names are made
 * relative to the output's folder.
 */
public final class ClassSelection {

	/** What was kept. */
	public record Result(Set<Integer> classes, int kept, int total, Map<Integer, Double> scores, Path star) {}

	private ClassSelection() {}

	/**
	 * Keeps the particles of {@code classes} (numbers as in rlnClassNumber).
	 */
	public static Result byNumber(final Path particles, final Set<Integer> classes, final Path output)
		throws IOException
	{
		if (classes.isEmpty()) throw new IllegalArgumentException("--classes names no class");
		return write(particles, read(particles), classes, Map.of(), output);
	}

	/**
	 * Keeps the particles of the classes that score well.
	 *
	 * @param model the classes' table; null: {@code classes.star} beside the particles
	 * @param minScore keep classes scoring at least this; NaN: split automatically
	 */
	public static Result automatic(final Path particles, final Path model, final double minScore, final Path output)
		throws IOException
	{
		final Path table = model != null ? model : particles.toAbsolutePath().getParent().resolve("classes.star");
		if (!Files.exists(table)) throw new FormatException(table, "does not exist: automatic selection needs the "
			+ "classes' table (classify-2d's classes.star or RELION's _model.star); give it with --model");
		final Map<Integer, Double> scores = scores(table);
		final RelionStar star = read(particles);
		final Map<Integer, Integer> members = members(star);
		final Set<Integer> keep = new TreeSet<>();
		final double cut = Double.isNaN(minScore) ? split(scores, members) : minScore;
		for (final Map.Entry<Integer, Double> e : scores.entrySet())
			if (e.getValue() >= cut && members.getOrDefault(e.getKey(), 0) > 0) keep.add(e.getKey());
		if (keep.isEmpty()) throw new FormatException(table, String.format(Locale.ROOT,
			"no class with particles scores %.4f or more", cut));
		return write(particles, star, keep, scores, output);
	}

	/** Each class's score: rlnClassScore, or 1 / rlnEstimatedResolution; class numbers from rlnReferenceImage. */
	static Map<Integer, Double> scores(final Path table) throws IOException {
		final StarFile f = StarFile.read(table);
		StarTable t = f.block("model_classes");
		if (t == null) for (final StarTable b : f.blocks())
			if (b.has("rlnReferenceImage")) t = b;
		if (t == null) throw new FormatException(table, "has no data_model_classes table");
		final boolean own = t.has("rlnClassScore");
		if (!own && !t.has("rlnEstimatedResolution")) throw new FormatException(table, "has neither _rlnClassScore nor "
			+ "_rlnEstimatedResolution to score the classes by");
		final Map<Integer, Double> scores = new LinkedHashMap<>();
		for (int r = 0; r < t.rowCount(); r++) {
			final int number = t.has("rlnReferenceImage") ? ImageReference.parse(t.get(r, "rlnReferenceImage"), null)
				.index() : r + 1;
			final double v = own ? t.getDouble(r, "rlnClassScore") : t.getDouble(r, "rlnEstimatedResolution");
			scores.put(number, own ? v : v > 0 && v < 999 ? 1 / v : 0);
		}
		return scores;
	}

	/** The particle STAR, refused unless it has classes. */
	private static RelionStar read(final Path particles) throws IOException {
		final RelionStar star = RelionStar.read(particles);
		star.requireColumns("class selection", RelionStar.CLASS_NUMBER);
		return star;
	}

	private static Map<Integer, Integer> members(final RelionStar star) throws FormatException {
		final Map<Integer, Integer> members = new LinkedHashMap<>();
		for (int i = 0; i < star.size(); i++)
			members.merge(star.items().getInt(i, RelionStar.CLASS_NUMBER), 1, Integer::sum);
		return members;
	}

	/**
	 * The score that splits the classes in two with the least particle-weighted variance within the sides (Otsu's
	 * rule on the classes' scores); with one class, or all alike, every class is kept.
	 */
	static double split(final Map<Integer, Double> scores, final Map<Integer, Integer> members) {
		final List<double[]> c = new ArrayList<>(); // {score, weight}
		for (final Map.Entry<Integer, Double> e : scores.entrySet()) {
			final int n = members.getOrDefault(e.getKey(), 0);
			if (n > 0) c.add(new double[] { e.getValue(), n });
		}
		c.sort((a, b) -> Double.compare(a[0], b[0]));
		if (c.size() < 2 || c.get(0)[0] == c.get(c.size() - 1)[0]) return Double.NEGATIVE_INFINITY;
		double total = 0, totalSum = 0;
		for (final double[] v : c) {
			total += v[1];
			totalSum += v[0] * v[1];
		}
		double best = -1, cut = Double.NEGATIVE_INFINITY, w = 0, sum = 0;
		for (int i = 0; i < c.size() - 1; i++) {
			w += c.get(i)[1];
			sum += c.get(i)[0] * c.get(i)[1];
			final double m0 = sum / w, m1 = (totalSum - sum) / (total - w);
			final double between = w * (total - w) * (m0 - m1) * (m0 - m1);
			if (between > best) {
				best = between;
				cut = 0.5 * (c.get(i)[0] + c.get(i + 1)[0]);
			}
		}
		return cut;
	}

	private static Result write(final Path particles, final RelionStar star, final Set<Integer> classes,
		final Map<Integer, Double> scores, final Path output) throws IOException
	{
		final StarTable in = star.items();
		final StarTable out = new StarTable(in.name(), true);
		for (final String c : in.columns())
			out.addColumn(c, "");
		final Path from = particles.toAbsolutePath().getParent(), to = output.toAbsolutePath().getParent();
		final int image = in.column(RelionStar.IMAGE_NAME);
		for (int r = 0; r < in.rowCount(); r++) {
			if (!classes.contains(in.getInt(r, RelionStar.CLASS_NUMBER))) continue;
			final String[] row = in.row(r);
			if (image >= 0) row[image] = ImageReference.parse(row[image], from).format(to);
			out.addRow(row);
		}
		if (out.rowCount() == 0) throw new FormatException(particles, "has no particle in classes " + classes);
		final StarFile file = new StarFile();
		file.add(star.optics());
		file.add(out);
		file.write(output, RelionStar.jobInputs(particles));
		return new Result(classes, out.rowCount(), in.rowCount(), scores, output);
	}

	/** Parses "1,3,5-7" into class numbers. */
	public static Set<Integer> parse(final String list) {
		final Set<Integer> out = new TreeSet<>();
		for (final String part : list.split(",")) {
			final String p = part.trim();
			if (p.isEmpty()) continue;
			try {
				final int dash = p.indexOf('-', 1);
				if (dash < 0) out.add(Integer.parseInt(p));
				else {
					final int a = Integer.parseInt(p.substring(0, dash).trim()), b = Integer.parseInt(p.substring(dash + 1)
						.trim());
					if (b < a) throw new NumberFormatException();
					for (int k = a; k <= b; k++)
						out.add(k);
				}
			} catch (final NumberFormatException e) {
				throw new IllegalArgumentException("--classes '" + list + "': '" + p + "' is not a class number or a "
					+ "range such as 5-7");
			}
		}
		return out;
	}
}

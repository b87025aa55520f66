package org.vitreous.classify;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.junit.Test;
import org.vitreous.io.ImageReference;
import org.vitreous.io.RelionStar;
import org.vitreous.io.StarFile;
import org.vitreous.io.StarTable;
import org.vitreous.testing.TestData;

/**
 * select-classes: by number, and automatically where good classes score apart from junk (classify-2d's
 * rlnClassScore or RELION's rlnEstimatedResolution); the subset keeps the input's columns and optics, names the same
 * images from its own folder, and bad requests are refused in one line.
 */
public class ClassSelectionTest {

	/** Scores of five classes: three of particles, two of junk; class 6 has no members. */
	private static final double[] SCORES = { 0.31, 0.05, 0.29, 0.04, 0.33, 0.5 };
	private static final int[] MEMBERS = { 30, 12, 25, 8, 20, 0 };

	@Test
	public void keepsTheChosenOrTheGoodClasses() throws Exception {
		final Path folder = TestData.scratch("select-classes");
		final Path particles = write(folder, true);
		final ClassSelection.Result auto = ClassSelection.automatic(particles, null, Double.NaN, folder.resolve(
			"sub/auto.star"));
		assertEquals(Set.of(1, 3, 5), auto.classes());
		assertEquals(75, auto.kept());
		final RelionStar subset = RelionStar.read(auto.star());
		assertEquals(75, subset.size());
		assertEquals(RelionStar.read(particles).items().columns(), subset.items().columns());
		// the same image, named from the subset's own folder
		assertEquals(folder.resolve("Particles/all.mrcs").toAbsolutePath().normalize(), subset.image(0).stack()
			.toAbsolutePath().normalize());
		// RELION's model STAR: scored by 1 / rlnEstimatedResolution
		write(folder, false);
		final ClassSelection.Result relion = ClassSelection.automatic(particles, folder.resolve("run_it025_model.star"),
			Double.NaN, folder.resolve("relion.star"));
		assertEquals(Set.of(1, 3, 5), relion.classes());
		// by number, and with a stated minimum score
		assertEquals(37, ClassSelection.byNumber(particles, ClassSelection.parse("2, 3"), folder.resolve("two.star"))
			.kept());
		assertEquals(Set.of(1, 2, 3, 4, 5), ClassSelection.parse("1-5"));
		assertEquals(Set.of(5), ClassSelection.automatic(particles, null, 0.32, folder.resolve("min.star")).classes());
		// refusals
		expect(() -> ClassSelection.parse("1,x"), "--classes '1,x'");
		expect(() -> ClassSelection.byNumber(particles, Set.of(6), folder.resolve("none.star")), "no particle in "
			+ "classes [6]");
		expect(() -> ClassSelection.automatic(folder.resolve("sub/auto.star"), null, Double.NaN, folder.resolve(
			"x.star")), "classes.star: does not exist");
		expect(() -> ClassSelection.byNumber(particles, Set.of(1), particles), "input");
	}

	private interface Job {
		void run() throws Exception;
	}

	private static void expect(final Job job, final String says) throws Exception {
		try {
			job.run();
			fail("expected a refusal saying " + says);
		} catch (final IOException | IllegalArgumentException e) {
			assertTrue(e.getMessage(), e.getMessage().contains(says) && !e.getMessage().contains("\n"));
		}
	}

	/** particles.star (classes in rlnClassNumber) and classes.star, or RELION's model STAR. */
	private static Path write(final Path folder, final boolean own) throws IOException {
		final StarTable optics = new StarTable("optics", true);
		for (final String c : List.of(RelionStar.OPTICS_GROUP, RelionStar.IMAGE_PIXEL_SIZE, RelionStar.IMAGE_SIZE,
			RelionStar.IMAGE_DIMENSIONALITY))
			optics.addColumn(c, "");
		optics.addRow("1", "2", "64", "2");
		final StarTable items = new StarTable("particles", true);
		for (final String c : List.of(RelionStar.IMAGE_NAME, RelionStar.CLASS_NUMBER, RelionStar.ANGLE_PSI,
			RelionStar.OPTICS_GROUP))
			items.addColumn(c, "");
		int index = 0;
		for (int k = 0; k < MEMBERS.length; k++)
			for (int i = 0; i < MEMBERS[k]; i++)
				items.addRow(new ImageReference(++index, Path.of("Particles/all.mrcs")).format(null), Integer.toString(k
					+ 1), "10", "1");
		final StarFile p = new StarFile();
		p.add(optics);
		p.add(items);
		final Path particles = folder.resolve("particles.star");
		if (!Files.exists(particles)) p.write(particles);
		final StarTable classes = new StarTable("model_classes", true);
		classes.addColumn("rlnReferenceImage", "");
		classes.addColumn("rlnClassDistribution", "");
		classes.addColumn(own ? "rlnClassScore" : "rlnEstimatedResolution", "");
		for (int k = 0; k < SCORES.length; k++)
			classes.addRow(String.format(Locale.ROOT, "%06d@classes.mrcs", k + 1), "0.1", StarTable.formatNumber(own
				? SCORES[k] : 1 / SCORES[k]));
		final StarFile c = new StarFile();
		c.add(classes);
		c.write(folder.resolve(own ? "classes.star" : "run_it025_model.star"));
		return particles;
	}
}

package org.vitreous.plugins.spa;

import java.io.File;
import java.io.IOException;
import java.util.Locale;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.vitreous.classify.ClassSelection;
import org.vitreous.plugins.VitreousCommand;

/** Subset selection: the particles of chosen classes, by number or by the classes' scores. */
@Plugin(type = Command.class, name = "select-classes", menuPath = "Plugins>Vitreous>SPA>Select Classes",
	label = "Select Classes", description = "Keep the particles of chosen 2D or 3D classes, by number or "
		+ "automatically by class score, and write the subset STAR")
public class SelectClassesCommand extends VitreousCommand {

	@Parameter(label = "Particles", description = "classify-2d's particles.star (or RELION's _data.star)")
	private File particles;

	@Parameter(label = "Classes", description = "numbers to keep, such as 1,3,5-7 (leave empty with Automatic)",
		required = false)
	private String classes = "";

	@Parameter(label = "Automatic", description = "keep the classes that score apart from the junk (Otsu's split of "
		+ "the class scores, or the minimum score)")
	private boolean auto = false;

	@Parameter(label = "Classes' table", description = "for Automatic: classify-2d's classes.star (default: beside "
		+ "the particles) or RELION's _model.star", required = false)
	private File model;

	@Parameter(label = "Minimum score", description = "for Automatic: keep classes scoring at least this (0: split "
		+ "automatically)")
	private double minScore = 0;

	@Parameter(label = "Output", description = "the subset STAR")
	private File output;

	@Parameter(type = ItemIO.OUTPUT, label = "Summary")
	private String summary;

	@Override
	protected void execute() throws IOException {
		final boolean listed = classes != null && !classes.isBlank();
		if (listed == auto) throw new IllegalArgumentException("give either --classes LIST or --auto, not "
			+ (auto ? "both" : "neither"));
		final ClassSelection.Result r = auto ? ClassSelection.automatic(particles.toPath(), model == null ? null : model
			.toPath(), minScore > 0 ? minScore : Double.NaN, output.toPath()) : ClassSelection.byNumber(particles.toPath(),
				ClassSelection.parse(classes), output.toPath());
		summary = String.format(Locale.ROOT, "%d of %d particles kept, classes %s; %s", r.kept(), r.total(), r
			.classes(), r.star());
	}

	public String summary() {
		return summary;
	}
}

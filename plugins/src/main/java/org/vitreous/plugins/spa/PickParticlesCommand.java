package org.vitreous.plugins.spa;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.vitreous.io.OutputNames;
import org.vitreous.picking.LogPicker;
import org.vitreous.picking.PickingJob;
import org.vitreous.plugins.VitreousCommand;
import org.vitreous.plugins.ij1.PickOverviews;

/** Particle picking: RELION's per-micrograph _autopick.star files, coordinates.star and an overview PNG each. */
@Plugin(type = Command.class, name = "pick-particles", menuPath = "Plugins>Vitreous>SPA>Pick Particles",
	label = "Pick Particles", description = "Pick particles as blobs of a diameter range (Laplacian of Gaussian); "
		+ "write NAME_autopick.star per micrograph, coordinates.star and overview PNGs with the picks circled")
public class PickParticlesCommand extends VitreousCommand {

	@Parameter(label = "Micrographs", description = "micrographs STAR (estimate-ctf's or motion-correct's)")
	private File micrographs;

	@Parameter(label = "Method", description = "log: blobs of the diameters given (template matching is to come)",
		choices = { "log" })
	private String method = "log";

	@Parameter(label = "Smallest diameter", min = "1", attrs = @Attr(name = "unit", value = "Å"))
	private double diameterMin = 150;

	@Parameter(label = "Largest diameter", min = "1", attrs = @Attr(name = "unit", value = "Å"))
	private double diameterMax = 250;

	@Parameter(label = "Output folder", style = "directory")
	private File output;

	@Parameter(label = "Threshold", description = "figure of merit a pick needs (a robust z-score: the default "
		+ "keeps particles and leaves noise out without tuning)")
	private double threshold = 4.5;

	@Parameter(label = "Minimum distance", description = "between picks (0: the smallest diameter)", min = "0",
		attrs = @Attr(name = "unit", value = "Å"))
	private double minDistance = 0;

	@Parameter(label = "Edge margin", description = "no picks closer to the edge (negative: half the largest "
		+ "diameter)", attrs = @Attr(name = "unit", value = "Å"))
	private double edgeMargin = -1;

	@Parameter(label = "Light particles", description = "particles lighter than the background (contrast inverted)")
	private boolean invert = false;

	@Parameter(label = "Phase-flip first", description = "with the micrograph's CTF from the STAR")
	private boolean ctfCorrect = false;

	@Parameter(label = "Reject outliers", description = "robust z-score of a pick's local mean or spread above which "
		+ "it is left out as ice or carbon (0: off)", min = "0")
	private double outlierLimit = 0;

	@Parameter(label = "Overviews", description = "write NAME_autopick.png with the picks circled")
	private boolean overviews = true;

	@Parameter(type = ItemIO.OUTPUT, label = "Summary")
	private String summary;

	@Override
	protected void execute() throws IOException {
		final LogPicker.Settings s = options(new LogPicker.Settings());
		final PickingJob.Summary r = PickingJob.run(micrographs.toPath(), output.toPath(), s, progress(), line -> {
			if (log() != null) log().info(line);
		});
		if (overviews) for (final PickingJob.Picked p : r.micrographs()) {
			if (p.result() == null) continue;
			final Path png = output.toPath().resolve(OutputNames.mirror(p.micrograph(), "_autopick.png"));
			PickOverviews.write(p.result(), p.picks(), png, micrographs.toPath(), p.micrographFile());
		}
		summary = String.format(Locale.ROOT, "%d particles on %d micrographs (%d done before), %d failed%s; %s", r
			.particles(), r.picked() + r.done(), r.done(), r.failures().size(), r.failures().isEmpty() ? "" : " ("
				+ String.join("; ", r.failures()) + ")", r.coordinates());
	}

	public String summary() {
		return summary;
	}
}

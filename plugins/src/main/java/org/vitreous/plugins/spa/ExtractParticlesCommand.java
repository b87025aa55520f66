package org.vitreous.plugins.spa;

import java.io.File;
import java.io.IOException;
import java.util.Locale;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.vitreous.extract.ExtractionJob;
import org.vitreous.extract.ParticleExtraction;
import org.vitreous.plugins.VitreousCommand;

/** Particle extraction as relion_preprocess --extract: a stack per micrograph and particles.star. */
@Plugin(type = Command.class, name = "extract-particles", menuPath = "Plugins>Vitreous>SPA>Extract Particles",
	label = "Extract Particles", description = "Cut, rescale and normalise particle boxes at picked coordinates; "
		+ "write a stack per micrograph and particles.star with the micrographs' CTF")
public class ExtractParticlesCommand extends VitreousCommand {

	@Parameter(label = "Micrographs", description = "micrographs STAR (estimate-ctf's micrographs_ctf.star carries "
		+ "the CTF to the particles)")
	private File micrographs;

	@Parameter(label = "Coordinates", description = "pick-particles' coordinates.star, RELION's list of coordinate "
		+ "files, a STAR with rlnMicrographName and rlnCoordinateX/Y, or bare coordinates for one micrograph")
	private File coordinates;

	@Parameter(label = "Output folder", style = "directory")
	private File output;

	@Parameter(label = "Box", description = "cut from the micrograph (even)", min = "2", attrs = @Attr(name = "unit",
		value = "px"))
	private int box = 128;

	@Parameter(label = "Rescale to", description = "Fourier rescaling to this box (even; 0: none); the pixel size "
		+ "grows to match", min = "0", attrs = @Attr(name = "unit", value = "px"))
	private int binTo = 0;

	@Parameter(label = "Invert contrast", description = "make dark particles light, as RELION expects")
	private boolean invertContrast = false;

	@Parameter(label = "Normalise", description = "background to mean 0, standard deviation 1")
	private boolean normalise = true;

	@Parameter(label = "Background radius", description = "outside it is background (px of the written box; 0: "
		+ "0.375 × the box, RELION's default)", attrs = @Attr(name = "unit", value = "px"))
	private int backgroundRadius = -1;

	@Parameter(label = "Subtract background ramp", description = "fit and subtract a plane on the background first")
	private boolean ramp = true;

	@Parameter(label = "White dust", description = "σ above which pixels become noise (0 or less: off)")
	private double whiteDust = -1;

	@Parameter(label = "Black dust", description = "σ below which pixels become noise (0 or less: off)")
	private double blackDust = -1;

	@Parameter(label = "At the edge", description = "skip: boxes that leave the micrograph are left out and counted; "
		+ "fill: kept, filled as RELION fills; abort: fill, and stop at a box wholly outside as RELION stops",
		choices = { "skip", "fill", "abort" })
	private String edge = "skip";

	@Parameter(label = "CTF correction", description = "applied in twice the box before cutting",
		choices = { "none", "phase-flip", "premultiply" })
	private String ctfCorrection = "none";

	@Parameter(type = ItemIO.OUTPUT, label = "Summary")
	private String summary;

	@Override
	protected void execute() throws IOException {
		final ParticleExtraction.Settings s = options(new ParticleExtraction.Settings());
		final ExtractionJob.Summary r = ExtractionJob.run(micrographs.toPath(), coordinates.toPath(), output.toPath(), s,
			progress(), line -> {
				if (log() != null) log().info(line);
			});
		summary = String.format(Locale.ROOT, "%d particles from %d micrographs (%d done before), %d left out at the "
			+ "edge, %d micrographs failed%s; %s", r.particles(), r.extracted() + r.done(), r.done(), r.edge(), r
				.failures().size(), r.failures().isEmpty() ? "" : " (" + String.join("; ", r.failures()) + ")", r
					.particlesStar());
		for (final String w : r.warnings())
			warn(w);
	}

	public String summary() {
		return summary;
	}
}

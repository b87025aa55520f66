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
import org.vitreous.ctffit.CtfEstimation;
import org.vitreous.ctffit.CtfEstimationJob;
import org.vitreous.io.OutputNames;
import org.vitreous.plugins.VitreousCommand;
import org.vitreous.plugins.ij1.CurvePlots;

/** CTF estimation of micrographs: CTFFIND4's outputs, micrographs_ctf.star and a radial plot per micrograph. */
@Plugin(type = Command.class, name = "estimate-ctf", menuPath = "Plugins>Vitreous>SPA>CTF Estimation",
	label = "CTF Estimation", description = "Fit defocus, astigmatism (and phase shift) to each micrograph's Thon "
		+ "rings; write micrographs_ctf.star, diagnostic images and radial plots")
public class EstimateCtfCommand extends VitreousCommand {

	@Parameter(label = "Micrographs", description = "micrographs STAR (as motion-correct writes it) or a glob of "
		+ "MRC micrographs")
	private String micrographs;

	@Parameter(label = "Output folder", style = "directory")
	private File output;

	@Parameter(label = "Use the given spectra", description = "fit the spectra the STAR names in "
		+ "rlnCtfPowerSpectrum (RELION's --use_given_ps) instead of the micrographs")
	private boolean useGivenSpectra = false;

	@Parameter(label = "Minimum defocus", min = "0", attrs = @Attr(name = "unit", value = "Å"))
	private double defocusMin = 5000;

	@Parameter(label = "Maximum defocus", min = "0", attrs = @Attr(name = "unit", value = "Å"))
	private double defocusMax = 50000;

	@Parameter(label = "Lowest resolution fitted", min = "0", attrs = @Attr(name = "unit", value = "Å"))
	private double resolutionMin = 30;

	@Parameter(label = "Highest resolution fitted", min = "0", attrs = @Attr(name = "unit", value = "Å"))
	private double resolutionMax = 4;

	@Parameter(label = "Tile", description = "of the averaged spectrum", min = "32", attrs = @Attr(name = "unit",
		value = "px"))
	private int tile = 512;

	@Parameter(label = "Largest astigmatism searched", min = "0", attrs = @Attr(name = "unit", value = "Å"))
	private double astigmatismMax = 3000;

	@Parameter(label = "Phase shift", description = "search a phase shift too (phase-plate data)")
	private boolean phaseShift = false;

	@Parameter(label = "Pixel size", description = "for a glob of micrographs (a STAR states it)", min = "0",
		attrs = @Attr(name = "unit", value = "Å/px"))
	private double pixelSize = 1;

	@Parameter(label = "Voltage", description = "for a glob of micrographs", min = "1", attrs = @Attr(name = "unit",
		value = "kV"))
	private double voltage = 300;

	@Parameter(label = "Spherical aberration", description = "for a glob of micrographs", min = "0",
		attrs = @Attr(name = "unit", value = "mm"))
	private double sphericalAberration = 2.7;

	@Parameter(label = "Amplitude contrast", description = "for a glob of micrographs", min = "0", max = "1")
	private double amplitudeContrast = 0.1;

	@Parameter(type = ItemIO.OUTPUT, label = "Summary")
	private String summary;

	@Override
	protected void execute() throws IOException {
		final CtfEstimation.Settings s = options(new CtfEstimation.Settings());
		final CtfEstimationJob.Summary r = CtfEstimationJob.run(micrographs, output.toPath(), s, useGivenSpectra,
			progress(), line -> {
				if (log() != null) log().info(line);
			});
		for (final CtfEstimationJob.Estimate e : r.estimates()) {
			if (e.radial() == null) continue;
			final Path png = output.toPath().resolve(OutputNames.mirror(e.micrograph(), "_avrot.png"));
			CurvePlots.write(CurvePlots.ctfProfile(e.radial(), e.fitResolution(), e.micrograph()), png, output.toPath()
				.resolve(OutputNames.mirror(e.micrograph(), ".txt")));
		}
		summary = String.format(Locale.ROOT, "%d micrographs estimated, %d done before, %d failed%s, %d flagged%s; %s", r
			.estimated(), r.skipped(), r.failures().size(), r.failures().isEmpty() ? "" : " (" + String.join("; ", r
				.failures()) + ")", r.flagged().size(), r.flagged().isEmpty() ? "" : " (no Thon rings: " + String.join(", ", r
					.flagged()) + ")", r.micrographs());
	}

	public String summary() {
		return summary;
	}
}

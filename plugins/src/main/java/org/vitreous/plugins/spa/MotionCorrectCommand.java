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
import org.vitreous.motion.DetectorCorrection;
import org.vitreous.motion.MotionCorrection;
import org.vitreous.motion.MotionCorrectionJob;
import org.vitreous.motion.MotionStar;
import org.vitreous.plugins.VitreousCommand;
import org.vitreous.plugins.ij1.CurvePlots;

/** Beam-induced motion correction of movies, RELION's outputs and a trajectory plot per movie. */
@Plugin(type = Command.class, name = "motion-correct", menuPath = "Plugins>Vitreous>SPA>Motion Correction",
	label = "Motion Correction", description = "Align movie frames (whole-frame and patches), sum them with "
		+ "exposure weighting; write RELION's per-movie STAR and corrected_micrographs.star")
public class MotionCorrectCommand extends VitreousCommand {

	@Parameter(label = "Movies", description = "movies STAR (as relion_import writes it) or a glob of MRC, MRCS or "
		+ "TIFF movies")
	private String movies;

	@Parameter(label = "Output folder", style = "directory")
	private File output;

	@Parameter(label = "Patches", description = "per axis, for local motion; 1 for whole-frame alignment only",
		min = "1")
	private int patches = 1;

	@Parameter(label = "Dose per frame", min = "0", attrs = @Attr(name = "unit", value = "e/Å²"))
	private double dosePerFrame = 1;

	@Parameter(label = "Pre-exposure", min = "0", attrs = @Attr(name = "unit", value = "e/Å²"))
	private double preExposure = 0;

	@Parameter(label = "Dose weighting", description = "weight frames by exposure (the unweighted sum is kept as "
		+ "NAME_noDW.mrc)")
	private boolean doseWeighting = false;

	@Parameter(label = "Gain reference", description = "MRC or TIFF multiplied into every frame", required = false)
	private File gain;

	@Parameter(label = "Gain rotation", description = "quarter turns clockwise as relion_display shows it "
		+ "(RELION's --gain_rot, MotionCor2's -RotGain)", choices = { "0", "1", "2", "3" })
	private String gainRotation = "0";

	@Parameter(label = "Gain flip", description = "after the rotation: 0 none, 1 upside down, 2 left to right "
		+ "(RELION's --gain_flip, MotionCor2's -FlipGain)", choices = { "0", "1", "2" })
	private String gainFlip = "0";

	@Parameter(label = "Defects", description = "MotionCor2's defect file (x y width height per line) or a defect "
		+ "map (MRC or TIFF, non-zero where bad)", required = false)
	private File defects;

	@Parameter(label = "B-factor", description = "of the alignment's weight (RELION's --bfactor)", min = "0",
		attrs = @Attr(name = "unit", value = "px²"))
	private double bFactor = 150;

	@Parameter(label = "Group frames", description = "frames summed before alignment (low dose per frame)",
		min = "1")
	private int groupFrames = 1;

	@Parameter(label = "Pixel size", description = "for a glob of movies (a STAR states it)", min = "0",
		attrs = @Attr(name = "unit", value = "Å/px"))
	private double pixelSize = 1;

	@Parameter(label = "Voltage", description = "for a glob of movies (a STAR states it)", min = "1",
		attrs = @Attr(name = "unit", value = "kV"))
	private double voltage = 300;

	@Parameter(type = ItemIO.OUTPUT, label = "Summary")
	private String summary;

	@Override
	protected void execute() throws IOException {
		final MotionCorrection.Settings s = options(new MotionCorrection.Settings());
		s.patchesX = s.patchesY = patches;
		s.alignment.bFactor = bFactor;
		final DetectorCorrection detector = new DetectorCorrection(gain == null ? null : gain.toPath(), Integer
			.parseInt(gainRotation), Integer.parseInt(gainFlip), defects == null ? null : defects.toPath());
		final MotionCorrectionJob.Summary r = MotionCorrectionJob.run(movies, output.toPath(), s, detector, progress(),
			line -> {
				if (log() != null) log().info(line);
			});
		for (final MotionStar.Motion m : r.motions()) {
			final Path star = output.toPath().resolve(OutputNames.mirror(m.movie(), ".star"));
			final Path png = output.toPath().resolve(OutputNames.mirror(m.movie(), "_shifts.png"));
			CurvePlots.write(CurvePlots.trajectory(m, m.movie()), png, star);
		}
		summary = String.format(Locale.ROOT, "%d movies corrected, %d done before, %d failed%s; %s", r.corrected(), r
			.skipped(), r.failures().size(), r.failures().isEmpty() ? "" : " (" + String.join("; ", r.failures()) + ")", r
				.micrographs());
	}

	public String summary() {
		return summary;
	}
}

package org.vitreous.plugins.tools;

import java.awt.GraphicsEnvironment;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;

import ij.gui.Plot;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.vitreous.io.AtomicOutput;
import org.vitreous.io.TiltAngles;
import org.vitreous.io.Volume;
import org.vitreous.metrics.VolumeComparison;
import org.vitreous.plugins.VitreousCommand;
import org.vitreous.plugins.ij1.CurvePlots;

/**
 * A volume against a reference: PSNR, SSIM, VIF, FSC and, given the tilt angles, the directional FSC over the
 * measured and missing regions of Fourier space; JSON on stdout (and in a file with a plot beside it).
 */
@Plugin(type = Command.class, name = "compare-volumes", menuPath = "Plugins>Vitreous>Tools>Compare Volumes",
	label = "Compare Volumes", description = "PSNR, SSIM, VIF, FSC and the missing-wedge FSC of a volume against a reference")
public class CompareVolumesCommand extends VitreousCommand {

	@Parameter(label = "Reference", description = "the ground truth .mrc")
	private File reference;

	@Parameter(label = "Volume", description = "the .mrc to judge, the same size as the reference")
	private File volume;

	@Parameter(label = "Tilt angles", description = ".tlt of the series the volume came from, for the directional FSC",
		required = false)
	private File angles;

	@Parameter(label = "Report", description = ".json file; a .png of the FSC curves is written beside it",
		required = false, style = "save")
	private File output;

	@Parameter(type = ItemIO.OUTPUT, label = "Comparison")
	private String json;

	private VolumeComparison comparison;

	@Override
	protected void execute() throws IOException {
		final Volume ref = Volume.read(reference.toPath());
		final Volume v = Volume.readLike(volume.toPath(), ref, reference.toPath());
		comparison = VolumeComparison.of(ref, v, angles == null ? null : TiltAngles.read(angles.toPath()));
		json = comparison.json();
		final boolean show = !GraphicsEnvironment.isHeadless();
		if (output == null && !show) return;
		final Plot plot = CurvePlots.comparison(comparison, volume.getName() + " vs " + reference.getName());
		if (output != null) {
			final Path[] inputs = angles == null ? new Path[] { reference.toPath(), volume.toPath() } : new Path[] {
				reference.toPath(), volume.toPath(), angles.toPath() };
			AtomicOutput.writeString(output.toPath(), json + "\n", inputs);
			CurvePlots.write(plot, CurvePlots.pngBeside(output.toPath()), inputs);
		}
		if (show) plot.show();
	}

	public String json() {
		return json;
	}

	public VolumeComparison comparison() {
		return comparison;
	}
}

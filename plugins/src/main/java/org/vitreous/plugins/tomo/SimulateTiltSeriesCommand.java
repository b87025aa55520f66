package org.vitreous.plugins.tomo;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.vitreous.compute.ComputeDevice;
import org.vitreous.io.Volume;
import org.vitreous.plugins.VitreousCommand;
import org.vitreous.simulate.Phantoms;
import org.vitreous.simulate.TiltSeriesSimulation;

/** A single-axis tilt series of a volume or a built-in phantom: tilt_series.mrc, tilt_series.tlt, ground_truth.mrc. */
@Plugin(type = Command.class, name = "simulate-tilt-series", menuPath = "Plugins>Vitreous>Tomography>Simulate Tilt Series",
	label = "Simulate Tilt Series", description = "Project a volume or a phantom (hollow spheres, mixed shapes) "
		+ "about the y axis at a range of tilts, with optional noise")
public class SimulateTiltSeriesCommand extends VitreousCommand {

	@Parameter(label = "Volume", description = "an .mrc volume (x, y, z with z along the beam); leave empty for a phantom",
		required = false)
	private File volume;

	@Parameter(label = "Phantom", choices = { "spheres", "shapes" }, description = "used when no volume is given")
	private String phantom = "spheres";

	@Parameter(label = "Phantom width", description = "x and y size of the phantom", min = "16",
		attrs = @Attr(name = "unit", value = "px"))
	private int size = 128;

	@Parameter(label = "Phantom thickness", description = "z size (along the beam) of the phantom's slab", min = "16",
		attrs = @Attr(name = "unit", value = "px"))
	private int thickness = 64;

	@Parameter(label = "Phantom pixel size", min = "0", attrs = @Attr(name = "unit", value = "Å/px"))
	private double pixelSize = 10;

	@Parameter(label = "Lowest tilt", min = "-90", max = "90", attrs = @Attr(name = "unit", value = "°"))
	private double tiltMin = -60;

	@Parameter(label = "Highest tilt", min = "-90", max = "90", attrs = @Attr(name = "unit", value = "°"))
	private double tiltMax = 60;

	@Parameter(label = "Tilt step", min = "0.01", attrs = @Attr(name = "unit", value = "°"))
	private double tiltStep = 2;

	@Parameter(label = "SNR", description = "variance of the noise-free series / noise variance; 0 for no noise",
		min = "0")
	private double snr = 0;

	@Parameter(label = "Seed", description = "the same seed gives the same files")
	private long seed = 1;

	@Parameter(label = "Output folder", style = "directory")
	private File output;

	@Parameter(label = DEVICE_LABEL, choices = { DEVICE_AUTO, DEVICE_JAVA, DEVICE_OPENCL, DEVICE_GPU,
		DEVICE_CPU }, description = DEVICE_HELP)
	private String device = "auto";

	@Parameter(type = ItemIO.OUTPUT, label = "Summary")
	private String summary;

	@Override
	protected void execute() throws IOException {
		final double[] tilts = TiltSeriesSimulation.tilts(tiltMin, tiltMax, tiltStep);
		final Volume v;
		if (volume != null) v = Volume.read(volume.toPath());
		else v = new Volume(Phantoms.tomogram(Phantoms.Tomogram.named(phantom), size, size, thickness, seed).update(null)
			.getCurrentStorageArray(), size, size, thickness, pixelSize);
		try (ComputeDevice d = openDevice(device)) {
			TiltSeriesSimulation.write(v.values(), v.nx(), v.ny(), v.nz(), tilts, snr, seed, v.pixelSize(), d, output
				.toPath(), volume == null ? new Path[0] : new Path[] { volume.toPath() });
		}
		summary = String.format(Locale.ROOT, "%d tilts from %.4g to %.4g degrees of a %d x %d x %d %s%s in %s",
			tilts.length, tilts[0], tilts[tilts.length - 1], v.nx(), v.ny(), v.nz(), volume == null ? phantom + " phantom"
				: "volume", snr > 0 ? String.format(Locale.ROOT, " at SNR %.4g", snr) : "", output);
	}

	public String summary() {
		return summary;
	}
}

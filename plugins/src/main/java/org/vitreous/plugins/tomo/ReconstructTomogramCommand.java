package org.vitreous.plugins.tomo;

import java.io.File;
import java.io.IOException;
import java.util.Locale;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.vitreous.compute.ComputeDevice;
import org.vitreous.io.TiltSeries;
import org.vitreous.io.Volume;
import org.vitreous.plugins.VitreousCommand;
import org.vitreous.tomo.CoordinateNetwork;
import org.vitreous.tomo.TomogramReconstruction;

/** A tomogram from a single-axis tilt series by WBP, SIRT, direct Fourier inversion or the coordinate network. */
@Plugin(type = Command.class, name = "reconstruct-tomogram", menuPath = "Plugins>Vitreous>Tomography>Reconstruct",
	label = "Reconstruct Tomogram", description = "Reconstruct a tomogram from a tilt series (tilt axis y) and its "
		+ ".tlt angles")
public class ReconstructTomogramCommand extends VitreousCommand {

	@Parameter(label = "Tilt series", description = ".mrc stack, one section per tilt, tilt axis along y")
	private File tiltSeries;

	@Parameter(label = "Tilt angles", description = "IMOD .tlt file, one angle in degrees per section")
	private File angles;

	@Parameter(label = "Method", choices = { "wbp", "sirt", "fourier", "cn" },
		description = "wbp: weighted back-projection; sirt: iterative; fourier: direct Fourier inversion with gridding; "
			+ "cn: the coordinate network, fitted to the series without pre-training")
	private String method = "wbp";

	@Parameter(label = "Thickness", description = "z size of the tomogram; 0 makes it as thick as the series is wide",
		min = "0", attrs = @Attr(name = "unit", value = "px"))
	private int thickness = 0;

	@Parameter(label = "WBP low-pass", description = "where the ramp starts to roll off (0.5: no roll-off)",
		min = "0.01", max = "0.5", attrs = @Attr(name = "unit", value = "cycles/px"))
	private double lowPass = 0.5;

	@Parameter(label = "SIRT iterations", min = "1")
	private int iterations = 30;

	@Parameter(label = "SIRT relaxation", description = "step of each update; converges in (0, 2)", min = "0.01",
		max = "1.99")
	private double relaxation = 1;

	@Parameter(label = "Positivity", description = "SIRT: clip every iterate at 0 (density drawn positive)")
	private boolean positivity = false;

	@Parameter(label = "Network width", description = "cn: most units per hidden layer (shrunk to what a slab measured)",
		min = "16")
	private int networkWidth = 256;

	@Parameter(label = "Hidden layers", description = "cn: sine layers", min = "1")
	private int hiddenLayers = 4;

	@Parameter(label = "Fourier features", description = "cn: random Fourier features of the coordinates", min = "1")
	private int features = 64;

	@Parameter(label = "Feature sigma", description = "cn: spread of the features' frequencies (cycles over the volume's half-width)",
		min = "0.01")
	private double featureSigma = 3;

	@Parameter(label = "Sine frequency", description = "cn: the SIREN's omega", min = "0.01")
	private double omega = 10;

	@Parameter(label = "First slab steps", description = "cn: Adam steps for the first slab", min = "1")
	private int firstSteps = 2000;

	@Parameter(label = "Later slab steps", description = "cn: Adam steps for each later slab (warm-started)", min = "0")
	private int laterSteps = 400;

	@Parameter(label = "Slab rows", description = "cn: rows along the tilt axis per slab; 0: an eighth of the height",
		min = "0")
	private int slabRows = 0;

	@Parameter(label = "Slab overlap", description = "cn: rows blended with each neighbouring slab", min = "0")
	private int overlap = 2;

	@Parameter(label = "Learning rate", description = "cn: Adam's initial rate (cosine decay to a tenth)", min = "0")
	private double learningRate = 1e-3;

	@Parameter(label = "Total variation", description = "cn: weight of the TV term (0: none)", min = "0")
	private double totalVariation = 0;

	@Parameter(label = "Positivity penalty", description = "cn: weight of the penalty on negative density (0: none)",
		min = "0")
	private double positivityPenalty = 0;

	@Parameter(label = "Positive output", description = "cn: softplus output, density positive by construction "
		+ "(invert a raw EM series' contrast first)")
	private boolean positiveOutput = true;

	@Parameter(label = "Seed", description = "cn: the same seed gives the same tomogram")
	private long seed = 1;

	@Parameter(label = "Output tomogram", description = ".mrc file", style = "save")
	private File output;

	@Parameter(label = DEVICE_LABEL, choices = { DEVICE_AUTO, DEVICE_JAVA, DEVICE_OPENCL, DEVICE_GPU,
		DEVICE_CPU }, description = DEVICE_HELP)
	private String device = "auto";

	@Parameter(type = ItemIO.OUTPUT, label = "Summary")
	private String summary;

	@Override
	protected void execute() throws IOException {
		final TiltSeries series = TiltSeries.read(tiltSeries.toPath(), angles.toPath());
		final int nz = thickness > 0 ? thickness : series.width();
		final float[] tomogram;
		try (ComputeDevice d = openDevice(device)) {
			switch (method) {
				case "wbp":
					tomogram = TomogramReconstruction.weightedBackProjection(series, nz, lowPass, d);
					break;
				case "sirt":
					tomogram = TomogramReconstruction.sirt(series, nz, iterations, relaxation, positivity, d, progress());
					break;
				case "fourier":
					tomogram = TomogramReconstruction.fourierInversion(series, nz);
					break;
				case "cn": {
					tomogram = CoordinateNetwork.reconstruct(series, nz, options(new CoordinateNetwork.Settings()), d, progress(),
						line -> {
						if (log() != null) log().info(line);
					});
					break;
				}
				default:
					throw new IllegalArgumentException("--method " + method + " is not one of wbp, sirt, fourier, cn");
			}
		}
		new Volume(tomogram, series.width(), series.height(), nz, series.pixelSize()).write(output.toPath(),
			"Vitreous reconstruct-tomogram --method " + method, tiltSeries.toPath(), angles.toPath());
		summary = String.format(Locale.ROOT, "%s tomogram of %d x %d x %d from %d tilts in %s", method, series.width(),
			series.height(), nz, series.tilts().length, output);
	}

	public String summary() {
		return summary;
	}
}

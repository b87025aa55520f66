package org.vitreous.plugins.workflow;

import java.io.File;
import java.io.IOException;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.command.CommandService;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.vitreous.plugins.VitreousCommand;

/**
 * The demo workflow on data it makes itself. It grows with each stage: a synthetic map written as MRC, converted
 * (float16 MRC, TIFF) and checked against the original, its header read back, tilt-angle and STAR files;
 * simulated particles projected back at their true poses; then single-particle analysis of the same phantom with
 * no reference: particles, an ab initio map, gold-standard refinement from it, post-processing, and the maps
 * superposed on the truth and compared with it.
 */
@Plugin(type = Command.class, name = "demo", label = "Vitreous demo",
	description = "Run the demo workflow on data it simulates itself")
public class DemoCommand extends VitreousCommand {

	@Parameter(label = "Output folder", style = "directory")
	private File output = new File("vitreous-demo");

	@Parameter(label = "Box size", min = "16", attrs = @Attr(name = "unit", value = "px"))
	private int box = 64;

	@Parameter(label = "Pixel size", min = "0.1", attrs = @Attr(name = "unit", value = "Å/px"))
	private double pixelSize = 2.0;

	@Parameter(label = "Seed")
	private long seed = 1;

	@Parameter(label = "SPA particles", min = "100", description = "particles simulated for the refinement")
	private int spaParticles = 1500;

	@Parameter(label = "SPA pixel size", min = "0.1", attrs = @Attr(name = "unit", value = "Å/px"),
		description = "pixel size of the refinement's map and particles")
	private double spaPixelSize = 5.0;

	@Parameter
	private CommandService commands;

	@Parameter(type = ItemIO.OUTPUT, label = "Summary")
	private String summary;

	@Override
	protected void execute() throws IOException {
		summary = new DemoWorkflow(output.toPath(), box, pixelSize, seed, spaParticles, spaPixelSize, commands, progress())
			.run();
	}
}

package org.vitreous.plugins.spa;

import java.io.File;
import java.io.IOException;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.vitreous.compute.ComputeDevice;
import org.vitreous.plugins.VitreousCommand;
import org.vitreous.simulate.StarProjection;

/** Projects a map at the poses of a particle STAR file, as relion_project does. */
@Plugin(type = Command.class, name = "project", menuPath = "Plugins>Vitreous>SPA>Project Map",
	label = "Project Map", description = "Project a map at the poses (and CTFs) of a RELION particle STAR file")
public class ProjectCommand extends VitreousCommand {

	@Parameter(label = "Map", description = "cubic .mrc map")
	private File map;

	@Parameter(label = "Particles", description = "RELION STAR with rlnAngleRot/Tilt/Psi (and origins, defocus)")
	private File particles;

	@Parameter(label = "Output stack", description = ".mrcs file", style = "save")
	private File output;

	@Parameter(label = "Apply the CTF", description = "multiply by each particle's CTF")
	private boolean ctf = false;

	@Parameter(label = DEVICE_LABEL, choices = { DEVICE_AUTO, DEVICE_JAVA, DEVICE_OPENCL, DEVICE_GPU,
		DEVICE_CPU }, description = DEVICE_HELP)
	private String device = "auto";

	@Parameter(type = ItemIO.OUTPUT, label = "Images written")
	private int imagesWritten;

	@Override
	protected void execute() throws IOException {
		try (ComputeDevice d = openDevice(device)) {
			imagesWritten = StarProjection.run(map.toPath(), particles.toPath(), output.toPath(), ctf, d, progress());
		}
	}

	public int imagesWritten() {
		return imagesWritten;
	}
}

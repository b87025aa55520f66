package org.vitreous.plugins.spa;

import java.io.File;
import java.io.IOException;
import java.util.Locale;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.vitreous.compute.ComputeDevice;
import org.vitreous.geometry.Symmetry;
import org.vitreous.plugins.VitreousCommand;
import org.vitreous.plugins.ij1.CurvePlots;
import org.vitreous.reconstruct.Refine3d;

/** Gold-standard 3D auto-refinement from an initial reference. */
@Plugin(type = Command.class, name = "refine-3d", menuPath = "Plugins>Vitreous>SPA>3D Refinement",
	label = "3D Refinement", description = "Gold-standard 3D auto-refinement of particle poses and the map")
public class Refine3dCommand extends VitreousCommand {

	@Parameter(label = "Particles", description = "RELION particle STAR (CTF columns; poses are found)")
	private File particles;

	@Parameter(label = "Reference", description = "initial cubic .mrc map, same box and pixel size as the particles")
	private File reference;

	@Parameter(label = "Output folder", style = "directory")
	private File output;

	@Parameter(label = "Initial low-pass", min = "1", attrs = @Attr(name = "unit", value = "Å"),
		description = "the reference is low-passed to this resolution first")
	private double initialLowpass = 30;

	@Parameter(label = "Symmetry", description = "point group: C1, Cn, Dn, T, O, I (I1-I4)")
	private String symmetry = "C1";

	@Parameter(label = "Particle diameter", min = "0", attrs = @Attr(name = "unit", value = "Å"),
		description = "soft mask diameter; 0 for 90% of the box")
	private double particleDiameter = 0;

	@Parameter(label = "CTF correction", description = "use each particle's CTF in search and reconstruction")
	private boolean ctf = true;

	@Parameter(label = "Maximum iterations", min = "1")
	private int maxIterations = 25;

	@Parameter(label = DEVICE_LABEL, choices = { DEVICE_AUTO, DEVICE_JAVA, DEVICE_OPENCL, DEVICE_GPU,
		DEVICE_CPU }, description = DEVICE_HELP)
	private String device = "auto";

	@Parameter(type = ItemIO.OUTPUT, label = "Resolution")
	private String resolution;

	private Refine3d.Result result;

	@Override
	protected void execute() throws IOException {
		final Refine3d.Settings s = new Refine3d.Settings();
		s.initialLowpass = initialLowpass;
		s.symmetry = Symmetry.parse(symmetry);
		s.particleDiameter = particleDiameter;
		s.ctf = ctf;
		s.maxIterations = maxIterations;
		try (ComputeDevice d = openDevice(device)) {
			result = Refine3d.run(particles.toPath(), reference.toPath(), output.toPath(), s, d, progress(), line -> {
				if (log() != null) log().info(line);
			});
		}
		CurvePlots.writeFsc(result.fsc(), "FSC of the half maps", output.toPath().resolve("fsc.png"), particles.toPath());
		resolution = String.format(Locale.ROOT, "%.2f Å (FSC 0.143 of the masked half maps) after %d iterations; maps in %s",
			result.resolution(), result.history().size(), output);
	}

	public Refine3d.Result result() {
		return result;
	}
}

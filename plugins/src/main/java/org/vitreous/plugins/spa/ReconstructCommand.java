package org.vitreous.plugins.spa;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.vitreous.compute.ComputeDevice;
import org.vitreous.geometry.Symmetry;
import org.vitreous.io.AtomicOutput;
import org.vitreous.io.CubicMap;
import org.vitreous.io.RelionStar;
import org.vitreous.plugins.VitreousCommand;
import org.vitreous.reconstruct.ParticleReconstruction;

/** A map from particles with known poses by direct Fourier inversion, as relion_reconstruct makes it. */
@Plugin(type = Command.class, name = "reconstruct", menuPath = "Plugins>Vitreous>SPA>Reconstruct",
	label = "Reconstruct", description = "Reconstruct a map from particles with known poses (direct Fourier inversion)")
public class ReconstructCommand extends VitreousCommand {

	@Parameter(label = "Particles", description = "RELION STAR with poses (rlnAngleRot/Tilt/Psi, origins in Å)")
	private File particles;

	@Parameter(label = "Output map", description = ".mrc file", style = "save")
	private File output;

	@Parameter(label = "CTF correction", description = "multiply by each particle's CTF and weight by CTF² (RELION's --ctf)")
	private boolean ctf = false;

	@Parameter(label = "Half set", choices = { "all", "1", "2" }, description = "all particles, or one rlnRandomSubset")
	private String subset = "all";

	@Parameter(label = "Symmetry", description = "point group: C1, Cn, Dn, T, O, I (I1-I4)")
	private String symmetry = "C1";

	@Parameter(label = "Wiener constant", min = "0", description = "added to every weight, as a fraction of the mean weight; 0 for none")
	private double wiener = 0;

	@Parameter(label = "Gridding iterations", min = "0", description = "density-compensation iterations (RELION's --iter); 0 divides by the weights")
	private int griddingIterations = 10;

	@Parameter(label = "Pixel size (Å)", min = "0", description = "for a STAR that states none; 0: the STAR must state it")
	private double pixelSize = 0;

	@Parameter(label = DEVICE_LABEL, choices = { DEVICE_AUTO, DEVICE_JAVA, DEVICE_OPENCL, DEVICE_GPU,
		DEVICE_CPU }, description = DEVICE_HELP)
	private String device = "auto";

	@Parameter(type = ItemIO.OUTPUT, label = "Particles used")
	private int particlesUsed;

	@Override
	protected void execute() throws IOException {
		final ParticleReconstruction.Settings s = new ParticleReconstruction.Settings();
		s.ctf = ctf;
		s.subset = subset.equals("all") ? 0 : Integer.parseInt(subset);
		s.symmetry = Symmetry.parse(symmetry);
		s.wiener = wiener;
		s.griddingIterations = griddingIterations;
		s.pixelSize = pixelSize;
		final Path[] inputs = RelionStar.jobInputs(particles.toPath());
		AtomicOutput.refuseInputs(output.toPath(), inputs);
		try (ComputeDevice d = openDevice(device)) {
			final ParticleReconstruction.Result r = ParticleReconstruction.run(particles.toPath(), s, d, progress());
			new CubicMap(r.map(), r.size(), r.pixelSize()).write(output.toPath(), "Vitreous reconstruct: " + particles
				.getName() + ", " + r.particles() + " particles, " + s.symmetry + (ctf ? ", CTF" : ""), inputs);
			particlesUsed = r.particles();
		}
	}

	public int particlesUsed() {
		return particlesUsed;
	}
}

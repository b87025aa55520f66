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
import org.vitreous.reconstruct.AbInitio;

/** A first map from particles with no reference (RELION 3.1's --denovo_3dref --sgd). */
@Plugin(type = Command.class, name = "ab-initio", menuPath = "Plugins>Vitreous>SPA>3D Initial Model",
	label = "3D Initial Model", description = "Ab initio map by stochastic gradient descent with marginalised poses")
public class AbInitioCommand extends VitreousCommand {

	@Parameter(label = "Particles", description = "RELION particle STAR (CTF columns when CTF is modelled)")
	private File particles;

	@Parameter(label = "Output folder", style = "directory")
	private File output;

	@Parameter(label = "Iterations", min = "1")
	private int iterations = 60;

	@Parameter(label = "Initial batch", min = "1", description = "particles per mini-batch at the start")
	private int initialBatch = 100;

	@Parameter(label = "Final batch", min = "1", description = "particles per mini-batch at the end")
	private int finalBatch = 200;

	@Parameter(label = "Initial resolution", min = "0", attrs = @Attr(name = "unit", value = "Å"))
	private double initialResolution = 35;

	@Parameter(label = "Final resolution", min = "0", attrs = @Attr(name = "unit", value = "Å"), description = "0 for 2.5 pixels")
	private double finalResolution = 20;

	@Parameter(label = "HEALPix order", min = "1", max = "3", description = "pose grid: 1 is 30°, 2 is 15°, 3 is 7.5°")
	private int healpixOrder = 2;

	@Parameter(label = "Offset range", min = "0", attrs = @Attr(name = "unit", value = "px"))
	private double offsetRange = 2;

	@Parameter(label = "Particle diameter", min = "0", attrs = @Attr(name = "unit", value = "Å"),
		description = "spherical mask diameter; 0 for 90% of the box")
	private double particleDiameter = 0;

	@Parameter(label = "CTF", description = "model each particle's CTF")
	private boolean ctf = true;

	@Parameter(label = "Symmetry", description = "point group: C1, Cn, Dn, T, O, I (I1-I4)")
	private String symmetry = "C1";

	@Parameter(label = "Random seed")
	private long seed = 1;

	@Parameter(label = DEVICE_LABEL, choices = { DEVICE_AUTO, DEVICE_JAVA, DEVICE_OPENCL, DEVICE_GPU,
		DEVICE_CPU }, description = DEVICE_HELP)
	private String device = "auto";

	@Parameter(type = ItemIO.OUTPUT, label = "Initial model")
	private String summary;

	@Override
	protected void execute() throws IOException {
		final AbInitio.Settings s = new AbInitio.Settings();
		s.iterations = iterations;
		s.initialBatch = initialBatch;
		s.finalBatch = Math.max(initialBatch, finalBatch);
		s.initialResolution = initialResolution;
		s.finalResolution = finalResolution;
		s.healpixOrder = healpixOrder;
		s.offsetRange = offsetRange;
		s.particleDiameter = particleDiameter;
		s.ctf = ctf;
		s.symmetry = Symmetry.parse(symmetry);
		s.seed = seed;
		final AbInitio.Result r;
		try (ComputeDevice d = openDevice(device)) {
			r = AbInitio.run(particles.toPath(), output.toPath(), s, d, progress(), line -> {
				if (log() != null) log().info(line);
			});
		}
		summary = String.format(Locale.ROOT, "%s after %d iterations (limit %.1f Å); poses in %s", output.toPath()
			.resolve("initial_model.mrc"), r.history().size(), r.history().get(r.history().size() - 1).resolution(),
			output.toPath().resolve("particles.star"));
	}
}

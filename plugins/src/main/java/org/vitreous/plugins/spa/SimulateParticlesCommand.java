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
import org.vitreous.io.CubicMap;
import org.vitreous.io.FormatException;
import org.vitreous.plugins.VitreousCommand;
import org.vitreous.simulate.ParticleSimulation;

/** A particle stack with known poses and CTFs from a map: particles.mrcs and particles.star in a folder. */
@Plugin(type = Command.class, name = "simulate-particles", menuPath = "Plugins>Vitreous>SPA>Simulate Particles",
	label = "Simulate Particles", description = "Project a map at random poses with CTF and noise; write the "
		+ "stack and a RELION STAR of the true poses")
public class SimulateParticlesCommand extends VitreousCommand {

	@Parameter(label = "Map", description = "cubic .mrc map; its voxel size is the pixel size")
	private File map;

	@Parameter(label = "Particles", min = "1")
	private int count = 1000;

	@Parameter(label = "SNR", description = "signal variance / noise variance; 0 for no noise", min = "0")
	private double snr = 0.1;

	@Parameter(label = "Minimum defocus", min = "0", attrs = @Attr(name = "unit", value = "Å"))
	private double defocusMin = 10000;

	@Parameter(label = "Maximum defocus", min = "0", attrs = @Attr(name = "unit", value = "Å"))
	private double defocusMax = 25000;

	@Parameter(label = "Astigmatism", description = "largest defocus U − V", min = "0",
		attrs = @Attr(name = "unit", value = "Å"))
	private double astigmatism = 500;

	@Parameter(label = "Shift sigma", description = "standard deviation of the origin offsets", min = "0",
		attrs = @Attr(name = "unit", value = "Å"))
	private double shiftSigma = 5;

	@Parameter(label = "Voltage", min = "1", attrs = @Attr(name = "unit", value = "kV"))
	private double voltage = 300;

	@Parameter(label = "Spherical aberration", min = "0", attrs = @Attr(name = "unit", value = "mm"))
	private double cs = 2.7;

	@Parameter(label = "Amplitude contrast", min = "0", max = "0.99")
	private double amplitudeContrast = 0.1;

	@Parameter(label = "Apply the CTF")
	private boolean ctf = true;

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
		final CubicMap cube = CubicMap.read(map.toPath(), "particle simulation");
		final int n = cube.size();
		final double pixel = cube.pixelSize();
		if (!(pixel > 0)) throw new FormatException(map.toPath(), "has no voxel size (CELLA is 0); set one with "
			+ "convert --pixel-size");
		final ParticleSimulation.Settings s = new ParticleSimulation.Settings();
		s.count = count;
		s.snr = snr;
		s.defocusMin = defocusMin;
		s.defocusMax = defocusMax;
		s.astigmatism = astigmatism;
		s.shiftSigma = shiftSigma;
		s.voltage = voltage;
		s.sphericalAberration = cs;
		s.amplitudeContrast = amplitudeContrast;
		s.ctf = ctf;
		s.seed = seed;
		try (ComputeDevice d = openDevice(device)) {
			final double measured = ParticleSimulation.run(cube.values(), n, pixel, s, output.toPath(), d, progress(), map
				.toPath());
			summary = String.format(Locale.ROOT, "%d particles of %d px at %.3f Å/px, SNR %.4g, in %s", count, n, pixel,
				measured, output);
		}
	}

	public String summary() {
		return summary;
	}
}

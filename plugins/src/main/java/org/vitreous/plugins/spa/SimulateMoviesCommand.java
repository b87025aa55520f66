package org.vitreous.plugins.spa;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
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
import org.vitreous.simulate.AtomicModel;
import org.vitreous.simulate.ModelMap;
import org.vitreous.simulate.MovieSimulation;

/** Movies with known motion, CTF and particles, and a movies.star as relion_import writes it. */
@Plugin(type = Command.class, name = "simulate-movies", menuPath = "Plugins>Vitreous>SPA>Simulate Movies",
	label = "Simulate Movies", description = "Simulate detector movies of a map's particles in ice, with known "
		+ "drift, local motion, CTF, radiation damage and Poisson counts")
public class SimulateMoviesCommand extends VitreousCommand {

	@Parameter(label = "Map", description = "cubic .mrc map of the particle; resampled to the pixel size (or give "
		+ "an atomic model)", required = false)
	private File map;

	@Parameter(label = "Atomic model", description = "PDB or mmCIF model of the particle, instead of a map: its "
		+ "density at the movies' pixel size (1 Å/px if none is given), B-factor 20 Å²", required = false)
	private File model;

	@Parameter(label = "Movies", min = "1")
	private int movies = 1;

	@Parameter(label = "Width", min = "64", attrs = @Attr(name = "unit", value = "px"))
	private int width = 1024;

	@Parameter(label = "Height", min = "64", attrs = @Attr(name = "unit", value = "px"))
	private int height = 1024;

	@Parameter(label = "Frames", description = "1 for single micrographs", min = "1")
	private int frames = 20;

	@Parameter(label = "Pixel size", description = "0 for the map's", min = "0", attrs = @Attr(name = "unit",
		value = "Å/px"))
	private double pixelSize = 0;

	@Parameter(label = "Dose per frame", min = "0.01", attrs = @Attr(name = "unit", value = "e/Å²"))
	private double dosePerFrame = 1;

	@Parameter(label = "Particles per movie", min = "0")
	private int particles = 40;

	@Parameter(label = "Minimum defocus", min = "0", attrs = @Attr(name = "unit", value = "Å"))
	private double defocusMin = 10000;

	@Parameter(label = "Maximum defocus", min = "0", attrs = @Attr(name = "unit", value = "Å"))
	private double defocusMax = 25000;

	@Parameter(label = "Astigmatism", description = "largest defocus U − V", min = "0",
		attrs = @Attr(name = "unit", value = "Å"))
	private double astigmatism = 500;

	@Parameter(label = "Phase shift", description = "phase plate", min = "0", attrs = @Attr(name = "unit",
		value = "°"))
	private double phaseShift = 0;

	@Parameter(label = "Drift jump", description = "the early jump of the whole frame", min = "0",
		attrs = @Attr(name = "unit", value = "px"))
	private double jump = 6;

	@Parameter(label = "Drift creep", description = "the steady drift per frame", min = "0",
		attrs = @Attr(name = "unit", value = "px"))
	private double creep = 0.15;

	@Parameter(label = "Local motion", description = "largest local shift by the last frame; 0 for none",
		min = "0", attrs = @Attr(name = "unit", value = "px"))
	private double localMotion = 0;

	@Parameter(label = "Gain spread", description = "per-pixel gain variation (written as gain.mrc); 0 for none",
		min = "0", max = "0.5")
	private double gainSpread = 0;

	@Parameter(label = "Hot pixels", min = "0")
	private int hotPixels = 0;

	@Parameter(label = "TIFF", description = "write the movies as LZW-compressed multi-frame TIFF (16-bit counts, "
		+ "as SerialEM writes them) instead of MRC stacks")
	private boolean tiff = false;

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
		if ((map == null) == (model == null)) throw new IllegalArgumentException("give the particle as a map or as an "
			+ "atomic model, one of the two (clear the other field)");
		final MovieSimulation.Settings s = options(new MovieSimulation.Settings());
		final CubicMap cube;
		final Path source = (map != null ? map : model).toPath();
		if (map != null) {
			cube = CubicMap.read(source, "movie simulation");
			if (!(cube.pixelSize() > 0)) throw new FormatException(source, "has no voxel size (CELLA is 0); set one with "
				+ "convert --pixel-size");
		} else {
			final double px = s.pixelSize > 0 ? s.pixelSize : 1;
			final AtomicModel m = AtomicModel.read(source);
			final int box = ModelMap.boxFor(m, px, 10);
			cube = new CubicMap(ModelMap.compute(m, px, box, 20, false, true).map(), box, px);
		}
		try (ComputeDevice d = openDevice(device)) {
			final List<MovieSimulation.Truth> truth = MovieSimulation.run(cube.values(), cube.size(), cube.pixelSize(), s,
				output.toPath(), d, progress(), source);
			summary = String.format(Locale.ROOT, "%d movies of %d x %d x %d at %.3f Å/px, %d particles each, in %s "
				+ "(movies.star; the truth in truth/)", movies, width, height, frames, s.pixelSize > 0 ? s.pixelSize : cube
					.pixelSize(), truth.get(0).coordinates().length, output);
		}
	}

	public String summary() {
		return summary;
	}
}

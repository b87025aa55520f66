package org.vitreous.plugins.workflow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;

import net.imglib2.img.array.ArrayImg;
import net.imglib2.img.basictypeaccess.array.FloatArray;
import net.imglib2.type.numeric.real.FloatType;
import org.scijava.command.Command;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;
import org.vitreous.Progress;
import org.vitreous.io.ImageReference;
import org.vitreous.io.MrcFile;
import org.vitreous.io.MrcWriter;
import org.vitreous.io.RelionStar;
import org.vitreous.io.TiltAngles;
import org.vitreous.metrics.Fsc;
import org.vitreous.metrics.ImageMetrics;
import org.vitreous.metrics.MapAlignment;
import org.vitreous.plugins.spa.AbInitioCommand;
import org.vitreous.plugins.spa.PostprocessCommand;
import org.vitreous.plugins.spa.ProjectCommand;
import org.vitreous.plugins.spa.Refine3dCommand;
import org.vitreous.plugins.spa.SimulateParticlesCommand;
import org.vitreous.plugins.tools.ConvertCommand;
import org.vitreous.plugins.tools.FscCommand;
import org.vitreous.plugins.tools.HeaderCommand;
import org.vitreous.simulate.Phantoms;

/**
 * The steps of the demo workflow ({@link DemoCommand}), each a Vitreous command run through SciJava as a script
 * would run it: a synthetic map written as MRC, converted (float16 MRC, TIFF) and checked against the original, its
 * header read back, tilt-angle and STAR files; simulated particles projected back at their true poses; then
 * single-particle analysis of the same phantom with no reference: particles, an ab initio map, gold-standard
 * refinement from it, post-processing, and the maps superposed on the truth and compared with it.
 */
final class DemoWorkflow {

	private final Path output;
	private final int box;
	private final double pixelSize, spaPixelSize;
	private final long seed;
	private final int spaParticles;
	private final CommandService commands;
	private final Progress progress;

	DemoWorkflow(final Path output, final int box, final double pixelSize, final long seed, final int spaParticles,
		final double spaPixelSize, final CommandService commands, final Progress progress)
	{
		this.output = output;
		this.box = box;
		this.pixelSize = pixelSize;
		this.seed = seed;
		this.spaParticles = spaParticles;
		this.spaPixelSize = spaPixelSize;
		this.commands = commands;
		this.progress = progress;
	}

	/** Runs the workflow; returns the summary of what each step wrote and measured. */
	String run() throws IOException {
		final Path dir = output;
		Files.createDirectories(dir);
		final StringBuilder report = new StringBuilder();
		progress.report(0, 7, "simulating a map");
		final ArrayImg<FloatType, FloatArray> map = Phantoms.gaussianBlobs(box, 40, seed);
		final Path mapFile = dir.resolve("phantom.mrc");
		MrcWriter.write(mapFile, map, new MrcWriter.Settings().pixelSize(pixelSize).label("Vitreous demo phantom, seed "
			+ seed));
		report.append(line("map", mapFile, box + "^3 voxels at " + pixelSize + " Å/px"));

		progress.report(1, 7, "converting to float16 MRC and TIFF");
		final Path half = dir.resolve("phantom_float16.mrc"), tiff = dir.resolve("phantom.tif");
		run(ConvertCommand.class, Map.of("input", mapFile.toFile(), "output", half.toFile(), "mode", "12"));
		run(ConvertCommand.class, Map.of("input", mapFile.toFile(), "output", tiff.toFile(), "mode", "keep"));
		final float[] original = map.update(null).getCurrentStorageArray();
		report.append(line("float16", half, String.format(Locale.ROOT, "max relative error %.2e (float16 keeps 11 bits)",
			maxError(original, half))));
		final Path fromTiff = dir.resolve("phantom_from_tiff.mrc");
		run(ConvertCommand.class, Map.of("input", tiff.toFile(), "output", fromTiff.toFile(), "mode", "keep"));
		report.append(line("TIFF", tiff, String.format(Locale.ROOT, "back to MRC: max relative error %.1e",
			maxError(original, fromTiff))));

		progress.report(3, 7, "writing tilt angles and a particle STAR");
		final double[] tilts = new double[61];
		for (int i = 0; i < tilts.length; i++)
			tilts[i] = -60 + 2 * i;
		final Path tlt = dir.resolve("tilt_series.tlt");
		TiltAngles.write(tlt, tilts);
		report.append(line("tilt angles", tlt, TiltAngles.read(tlt).length + " tilts, -60 to +60 in 2° steps"));
		final RelionStar star = RelionStar.createParticles(List.of(new RelionStar.OpticsGroup("opticsGroup1", 1, 300,
			2.7, 0.1, pixelSize, box, 3)));
		star.add(new RelionStar.Particle(new ImageReference(1, mapFile), 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0), dir);
		final Path starFile = dir.resolve("map.star");
		star.write(starFile);
		report.append(line("STAR", starFile, "RELION 3.1 layout, read back: " + RelionStar.read(starFile).size()
			+ " entry"));

		progress.report(4, 7, "reading the header");
		final CommandModule header = run(HeaderCommand.class, Map.of("input", half.toFile()));
		report.append(line("header", half, ((String) header.getOutput("header")).length() + " characters of JSON"));

		progress.report(5, 7, "simulating particles");
		final Path particles = dir.resolve("particles");
		final CommandModule sim = run(SimulateParticlesCommand.class, Map.of("map", mapFile.toFile(), "count", 200,
			"snr", 0.1, "shiftSigma", 2 * pixelSize, "seed", seed, "output", particles.toFile()));
		report.append(line("particles", particles.resolve("particles.mrcs"), (String) sim.getOutput("summary")));

		progress.report(6, 7, "projecting at the true poses");
		final Path clean = dir.resolve("particles_clean.mrcs");
		run(ProjectCommand.class, Map.of("map", mapFile.toFile(), "particles", particles.resolve("particles.star")
			.toFile(), "output", clean.toFile(), "ctf", true));
		try (MrcFile a = MrcFile.open(clean); MrcFile b = MrcFile.open(particles.resolve("particles.mrcs"))) {
			report.append(line("projection", clean, String.format(Locale.ROOT,
				"correlation with the noisy particles %.3f (SNR 0.1 predicts %.3f)", ImageMetrics.correlation(a.readAll(), b
					.readAll()), Math.sqrt(0.1 / 1.1))));
		}
		final Path fscCsv = dir.resolve("fsc_float16.csv");
		final Map<String, Object> fsc = new HashMap<>(Map.of("map1", mapFile.toFile(), "map2", half.toFile(),
			"output", fscCsv.toFile()));
		fsc.put("mask", null);
		final CommandModule f = run(FscCommand.class, fsc);
		report.append(line("FSC", fscCsv, "phantom against its float16 copy: " + f.getOutput("resolution")));
		spa(dir.resolve("spa"), map, report);
		progress.report(7, 7, "done");
		return "Vitreous demo (formats, forward model, reference-free single-particle analysis: ab initio, refinement, "
			+ "post-processing)\n" + report;
	}

	/**
	 * Single-particle analysis on the phantom (asymmetric: blobs at random places) with no reference: particles at
	 * SNR 0.1, an ab initio map, gold-standard refinement started from it and from its poses, post-processing; then
	 * each map superposed on the truth (an ab initio map comes in an arbitrary orientation and hand) and compared.
	 */
	private void spa(final Path dir, final ArrayImg<FloatType, FloatArray> map, final StringBuilder report)
		throws IOException
	{
		Files.createDirectories(dir);
		final float[] truth = map.update(null).getCurrentStorageArray();
		final Path mapFile = dir.resolve("truth.mrc");
		MrcWriter.write(mapFile, map, new MrcWriter.Settings().pixelSize(spaPixelSize).label(
			"Vitreous demo phantom for SPA, seed " + seed));
		progress.report(6, 7, "simulating particles for refinement");
		final Path particles = dir.resolve("particles");
		run(SimulateParticlesCommand.class, Map.of("map", mapFile.toFile(), "count", spaParticles, "snr", 0.1,
			"shiftSigma", spaPixelSize, "seed", seed, "output", particles.toFile()));
		progress.report(6, 7, "ab initio");
		final Path abInitio = dir.resolve("ab-initio");
		run(AbInitioCommand.class, Map.of("particles", particles.resolve("particles.star").toFile(), "output", abInitio
			.toFile(), "seed", seed, "device", "auto"));
		report.append(line("ab-initio", abInitio.resolve("initial_model.mrc"), againstTruth(abInitio.resolve(
			"initial_model.mrc"), truth)));
		progress.report(6, 7, "refining");
		final Path refine = dir.resolve("refine");
		final CommandModule r = run(Refine3dCommand.class, Map.of("particles", abInitio.resolve("particles.star").toFile(),
			"reference", abInitio.resolve("initial_model.mrc").toFile(), "output", refine.toFile(), "initialLowpass", 30.0,
			"device", "auto"));
		report.append(line("refine-3d", refine.resolve("run_map.mrc"), (String) r.getOutput("resolution")));
		final Path post = dir.resolve("postprocess");
		final Map<String, Object> pp = new HashMap<>(Map.of("half1", refine.resolve("run_half1.mrc").toFile(),
			"half2", refine.resolve("run_half2.mrc").toFile(), "output", post.toFile()));
		for (final String optional : new String[] { "mask", "threshold", "randomiseFrom", "bFactor" })
			pp.put(optional, null);
		final CommandModule p = run(PostprocessCommand.class, pp);
		report.append(line("postprocess", post.resolve("postprocess.mrc"), (String) p.getOutput("resolution")));
		report.append(line("vs truth", refine.resolve("run_map.mrc"), againstTruth(refine.resolve("run_map.mrc"),
			truth)));
	}

	/** The map superposed on the truth (both hands tried): FSC 0.5 between them. */
	private String againstTruth(final Path mapFile, final float[] truth) throws IOException {
		try (MrcFile f = MrcFile.open(mapFile)) {
			final MapAlignment.Result a = MapAlignment.align(truth, f.readAll(), box, spaPixelSize);
			final Fsc.Curve c = Fsc.compute(a.aligned(), truth, box, box, box, null, spaPixelSize);
			return String.format(Locale.ROOT, "superposed on the phantom%s: FSC 0.5 at %.2f Å (Nyquist %.2f Å)", a
				.mirrored() ? " as its mirror image" : "", c.resolutionAt(0.5), 2 * spaPixelSize);
		}
	}

	private static String line(final String what, final Path file, final String detail) {
		return String.format(Locale.ROOT, "  %-12s %s%n  %-12s %s%n", what, file, "", detail);
	}

	private static double maxError(final float[] original, final Path file) throws IOException {
		try (MrcFile f = MrcFile.open(file)) {
			final float[] back = f.readAll();
			double max = 0, peak = 0;
			for (int i = 0; i < original.length; i++) {
				max = Math.max(max, Math.abs(back[i] - original[i]));
				peak = Math.max(peak, Math.abs(original[i]));
			}
			return max / peak;
		}
	}

	private CommandModule run(final Class<? extends Command> command, final Map<String, Object> inputs)
		throws IOException
	{
		try { // process=false: inputs not given keep the command's own defaults
			final CommandModule m = (CommandModule) commands.run(command, false, inputs).get();
			if (m.isCanceled()) throw new IOException(m.getCancelReason());
			return m;
		} catch (final InterruptedException | ExecutionException e) {
			throw new IOException("demo step " + command.getSimpleName() + " failed: " + e, e);
		}
	}
}

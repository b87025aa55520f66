package org.vitreous.reconstruct;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.vitreous.image.Masks;
import org.vitreous.io.AtomicOutput;
import org.vitreous.io.CubicMap;
import org.vitreous.io.RelionStar;
import org.vitreous.metrics.Fsc;

/** refine-3d's final files, and the per-particle columns it writes and reads back. */
final class Refine3dOutputs {

	private Refine3dOutputs() {}

	/**
	 * Per-particle columns refine-3d writes: each particle's intensity scale against its half's reference (the
	 * least-squares α of X ≈ α·C·P at its pose), and the global search's certainty of its pose (the posterior
	 * probability of the orientations near the best, {@link PoseSearch#globalPosterior}; low for junk and for
	 * particles whose pose is in doubt, as RELION's rlnMaxValueProbDistribution is).
	 */
	static final String SCALE = "rlnGroupScaleCorrection", CERTAINTY = "rlnMaxValueProbDistribution";

	/**
	 * Scale-corrected sums (Σ α·C·X over Σ α²·C²) give the map on the reference's scale, whatever it was; the mean
	 * α of the particles inserted (of half set {@code half}, or all for 0) puts it back on the particles' scale, where
	 * an uncorrected reconstruction is.
	 */
	static void toParticleScale(final float[] map, final double[] scales, final RelionStar.Particle[] particles,
		final int half)
	{
		double sum = 0;
		int used = 0;
		for (int i = 0; i < scales.length; i++)
			if (half == 0 || particles[i].randomSubset() == half) {
				sum += scales[i];
				used++;
			}
		if (used == 0 || !(sum > 0)) return;
		final float factor = (float) (sum / used);
		for (int i = 0; i < map.length; i++)
			map[i] *= factor;
	}

	/**
	 * The end of a refinement, from the iteration whose half maps reached the best resolution (a refinement can get
	 * worse after its best iteration, as one on real particles went from 19.8 Å at iteration 5 to 22.9 Å at 7): both
	 * halves and the map from all particles at that iteration's poses, and the FSC.
	 */
	static Refine3d.Result finish(final Refine3d.Refinement r, final RefineCheckpoint.State last,
		final RefineCheckpoint store) throws IOException
	{
		final List<Refine3d.Iteration> history = last.model().history;
		int chosen = last.iteration();
		double bestResolution = Double.POSITIVE_INFINITY;
		for (final Refine3d.Iteration i : history)
			if (i.number() >= 1 && i.resolution() <= bestResolution) {
				bestResolution = i.resolution();
				chosen = i.number();
			}
		if (chosen != last.iteration()) r.log.accept(String.format(Locale.ROOT, "iteration %d reached the best "
			+ "resolution (%.2f Å); the final maps and poses are its", chosen, bestResolution));
		final RefineCheckpoint.State best = chosen == last.iteration() ? last : store.load(chosen);
		final float[] map;
		final double[] scales = r.settings.scaleCorrection ? best.scale() : null;
		try (Reconstructor rec = new Reconstructor(r.n, r.pixelSize, r.settings.padding, r.device)) {
			final List<Integer> rows = new ArrayList<>();
			for (int i = 0; i < r.count; i++)
				rows.add(i);
			ParticleReconstruction.insert(r.source, best.particles(), rows, rec, r.settings.ctf, scales, r.progress);
			map = FourierInversion.invert(rec.accumulator(), r.settings.symmetry, 0, 10);
			if (scales != null) toParticleScale(map, scales, best.particles(), 0);
		}
		final float[][] halves = best.halves();
		final Fsc.Curve fsc = Fsc.compute(Masks.apply(halves[0].clone(), r.sphere), Masks.apply(halves[1].clone(),
			r.sphere), r.n, r.n, r.n, null, r.pixelSize);
		final double resolution = r.n * r.pixelSize / Refine3d.crossing(fsc.fsc());
		r.log.accept(String.format(Locale.ROOT, "finished after iteration %d: resolution %.2f Å (FSC 0.143 of the "
			+ "masked half maps, iteration %d); run_map.mrc from all %d particles", last.iteration(), resolution,
			chosen, r.count));
		return new Refine3d.Result(history, fsc, resolution, true, chosen, halves, map, best.particles(), best.scale(),
			best.certainty());
	}

	/**
	 * The final files of a finished refinement in {@code folder}: run_half1.mrc, run_half2.mrc, run_map.mrc,
	 * run_data.star (the chosen iteration's), fsc.csv and run.log.
	 */
	static void write(final Refine3d.Result r, final Path folder, final int n, final double pixelSize,
		final Path input) throws IOException
	{
		for (int h = 0; h < 2; h++)
			new CubicMap(r.halves()[h], n, pixelSize).write(folder.resolve("run_half" + (h + 1) + ".mrc"),
				"Vitreous refine-3d half " + (h + 1), input);
		new CubicMap(r.map(), n, pixelSize).write(folder.resolve("run_map.mrc"), "Vitreous refine-3d: all particles",
			input);
		RelionStar.read(folder.resolve(Refine3d.name(r.chosen(), "data.star"))).write(folder.resolve("run_data.star"),
			input);
		Fsc.writeCsv(r.fsc(), folder.resolve("fsc.csv"), input);
		try (AtomicOutput out = AtomicOutput.create(folder.resolve("run.log"), input)) {
			try (Writer w = Files.newBufferedWriter(out.path(), StandardCharsets.UTF_8)) {
				w.write("iteration\tresolution_A\tsearch_limit_shells\tangular_step_deg\tshift_step_px\tsearch"
					+ "\tmean_angular_change_deg\tmean_shift_change_A\n");
				for (final Refine3d.Iteration i : r.history())
					w.write(String.format(Locale.ROOT, "%d\t%.3f\t%.2f\t%.3f\t%.3f\t%s\t%.3f\t%.3f%n", i.number(), i
						.resolution(), i.searchLimit(), i.angularStep(), i.shiftStep(), i.global() ? "global" : "local", i
							.meanAngularChange(), i.meanShiftChange()));
			}
			out.commit();
		}
	}
}

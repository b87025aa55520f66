package org.vitreous.reconstruct;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.vitreous.io.CubicMap;
import org.vitreous.io.RelionStar;

/**
 * Where refine-3d keeps what one iteration hands the next: in memory (a run on a particle source in a test or a
 * cluster task), or in an output folder as RELION-style files, from which an interrupted run resumes. The next
 * iteration always starts from the state {@link #save} returns; the folder's is the state read back from what it
 * wrote (poses to the six decimals of a STAR), so a resumed run and an uninterrupted one give the same result.
 */
interface RefineCheckpoint {

	/**
	 * One iteration's result: every particle's pose, origin and half set, its intensity scale and pose certainty
	 * (null at iteration 0: all 1), the two half maps and the model.
	 */
	record State(int iteration, RelionStar.Particle[] particles, double[] scale, double[] certainty, float[][] halves,
		RefineModel model)
	{}

	/** The last iteration kept, or -1 for none. */
	int lastCompleted(int maxIterations);

	/** The state of a kept iteration: the last, or the one with the best resolution so far. */
	State load(int iteration) throws IOException;

	/** Keeps {@code state}; returns the state the next iteration starts from. */
	State save(State state) throws IOException;

	/** Holds the last state and the best (resolution at or below every earlier one), nothing else. */
	final class Memory implements RefineCheckpoint {

		private State last, best;

		@Override
		public int lastCompleted(final int maxIterations) {
			return last == null ? -1 : last.iteration();
		}

		@Override
		public State load(final int iteration) {
			if (last != null && last.iteration() == iteration) return last;
			if (best != null && best.iteration() == iteration) return best;
			throw new IllegalStateException("iteration " + iteration + " is not kept");
		}

		@Override
		public State save(final State state) {
			last = state;
			if (state.iteration() >= 1 && (best == null || state.model().resolution <= best.model().resolution))
				best = state;
			return state;
		}
	}

	/**
	 * An output folder: per iteration {@code run_itNNN_half1.mrc}, {@code _half2.mrc}, {@code _data.star} (the
	 * input STAR's rows and columns with the poses, half sets, scales and certainties of the iteration) and, last,
	 * {@code _model.star} ({@link RefineModel}), whose presence marks the iteration complete.
	 */
	final class Folder implements RefineCheckpoint {

		private final Path folder, input;
		private final int n;
		private final double pixelSize;
		private RelionStar data;

		/** A folder for the refinement of the particles of {@code star}, read from {@code input}. */
		Folder(final Path folder, final RelionStar star, final Path input, final int n, final double pixelSize) {
			this.folder = folder;
			this.input = input;
			this.n = n;
			this.pixelSize = pixelSize;
			this.data = star.copyAs(folder.resolve(Refine3d.name(0, "data.star")));
		}

		private Path path(final int iteration, final String what) {
			return folder.resolve(Refine3d.name(iteration, what));
		}

		@Override
		public int lastCompleted(final int maxIterations) {
			for (int k = maxIterations + 1; k >= 0; k--)
				if (Files.exists(path(k, "model.star"))) return k;
			return -1;
		}

		@Override
		public State load(final int iteration) throws IOException {
			data = RelionStar.read(path(iteration, "data.star"));
			final float[][] halves = new float[2][];
			for (int h = 0; h < 2; h++)
				halves[h] = CubicMap.read(path(iteration, "half" + (h + 1) + ".mrc"), "refinement").values();
			return state(iteration, halves, RefineModel.read(path(iteration, "model.star")));
		}

		@Override
		public State save(final State s) throws IOException {
			final int k = s.iteration();
			final Path here = folder.toAbsolutePath();
			if (k == 0) for (final String c : RelionStar.PARTICLE_COLUMNS)
				if (!data.items().has(c)) data.items().addColumn(c, "0");
			if (k >= 1) for (final String c : List.of(Refine3dOutputs.SCALE, Refine3dOutputs.CERTAINTY))
				if (!data.items().has(c)) data.items().addColumn(c, "1");
			for (int i = 0; i < s.particles().length; i++) {
				data.set(i, s.particles()[i], here);
				if (s.scale() != null) data.items().set(i, Refine3dOutputs.SCALE, s.scale()[i]);
				if (s.certainty() != null) data.items().set(i, Refine3dOutputs.CERTAINTY, s.certainty()[i]);
			}
			for (int h = 0; h < 2; h++)
				new CubicMap(s.halves()[h], n, pixelSize).write(path(k, "half" + (h + 1) + ".mrc"), k == 0
					? "Vitreous refine-3d: initial reference" : "Vitreous refine-3d iteration " + k + " half " + (h + 1), input);
			data.write(path(k, "data.star"), input);
			s.model().write(path(k, "model.star"), n, pixelSize, input);
			return state(k, s.halves(), RefineModel.read(path(k, "model.star")));
		}

		/** The state as the folder holds it: poses, scales and certainties as the data STAR reads back. */
		private State state(final int iteration, final float[][] halves, final RefineModel model) throws IOException {
			final int count = data.size();
			final RelionStar.Particle[] particles = new RelionStar.Particle[count];
			for (int i = 0; i < count; i++)
				particles[i] = data.particle(i);
			final boolean measured = data.items().has(Refine3dOutputs.SCALE);
			return new State(iteration, particles, measured ? data.items().doubles(Refine3dOutputs.SCALE) : null, data
				.items().has(Refine3dOutputs.CERTAINTY) ? data.items().doubles(Refine3dOutputs.CERTAINTY) : null, halves,
				model);
		}
	}
}

package org.vitreous.reconstruct;

import org.vitreous.fourier.FourierFilters;
import org.vitreous.geometry.So3Grid;

/**
 * The refine-3d E-step of one particle, a function of the particle and the iteration's searches alone: an
 * iteration is this mapped over the particles and followed by the insertion of what it returns (and 3D
 * classification is the same map with K references). Global iterations score the SO(3) grid at low frequencies
 * and climb locally from the best few; local iterations climb from the particle's last pose.
 */
final class RefineStep {

	/**
	 * What the E-step finds: the pose and shift (pixels), the global search's certainty (the prior's in a local
	 * iteration), the particle's intensity scale against the reference, its residual power per shell (for the noise
	 * model) and its transform moved by the found shift (for insertion).
	 */
	record Aligned(PoseSearch.Candidate pose, double certainty, double scale, double[] residual, double[] residualCount,
		float[] moved)
	{}

	private final PoseSearch[] searches, globals;
	private final So3Grid grid;
	private final int n, candidates;
	private final double angularStep, shiftStep, offsetRange;

	/**
	 * @param searches the local search of each half set (to the iteration's limit)
	 * @param globals the global search of each half set (low frequencies, grid prepared); null in a local iteration
	 * @param grid the global grid; null in a local iteration
	 */
	RefineStep(final PoseSearch[] searches, final PoseSearch[] globals, final So3Grid grid, final int n,
		final double angularStep, final double shiftStep, final double offsetRange, final int candidates)
	{
		this.searches = searches;
		this.globals = globals;
		this.grid = grid;
		this.n = n;
		this.angularStep = angularStep;
		this.shiftStep = shiftStep;
		this.offsetRange = offsetRange;
		this.candidates = candidates;
	}

	/**
	 * Aligns a particle of half set {@code half} (0 or 1): its centred, masked transform and CTF image (null for
	 * none), its last pose and shift (pixels) and the certainty it carries from the last global search.
	 */
	Aligned align(final int half, final float[] x, final float[] ctf, final double[] before, final double bx,
		final double by, final double priorCertainty)
	{
		final PoseSearch search = searches[half];
		final PoseSearch.Particle prepared = search.prepare(x, ctf);
		PoseSearch.Candidate best = null;
		double certainty = priorCertainty;
		if (grid != null) {
			// a coarse shift grid: the climb that follows refines the shift
			final double gridShift = 2;
			final PoseSearch.Global found = globals[half].globalPosterior(globals[half].prepare(x, ctf), 0, 0, offsetRange,
				gridShift, candidates, 1.5 * grid.step());
			certainty = found.certainty();
			for (final PoseSearch.Candidate c : found.best()) {
				final PoseSearch.Candidate polished = search.local(prepared, c, grid.step() / 2, angularStep, gridShift / 2,
					shiftStep, offsetRange + gridShift);
				if (best == null || polished.score() > best.score()) best = polished;
			}
		} else best = search.local(prepared, new PoseSearch.Candidate(before, bx, by, 0), 2 * angularStep, angularStep
			/ 2, 2 * shiftStep, shiftStep / 2, n / 4.0);
		final int shells = n / 2 + 1;
		final double[] residual = new double[shells], residualCount = new double[shells];
		final double scale = Math.max(0, search.residual(x, ctf, best, residual, residualCount));
		final float[] moved = x.clone();
		FourierFilters.shift(moved, n, n, 1, best.shiftX(), best.shiftY(), 0);
		return new Aligned(best, certainty, scale, residual, residualCount, moved);
	}
}

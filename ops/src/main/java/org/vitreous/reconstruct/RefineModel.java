package org.vitreous.reconstruct;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.vitreous.io.FormatException;
import org.vitreous.io.StarFile;
import org.vitreous.io.StarTable;

/**
 * What a refine-3d iteration hands the next besides its maps and poses, kept as a RELION-style model STAR
 * ({@code run_itNNN_model.star}) that another program can read: {@code data_model_general} (iteration, resolution
 * and best resolution in 1/Å as RELION writes them, convergence), {@code data_model_class_1} (the half maps'
 * gold-standard FSC per shell), {@code data_model_group_1} (the noise power σ² per shell) and
 * {@code data_refine_history}, one row per iteration so far. Numbers are written in full precision, so an
 * iteration resumed from the file starts from exactly what the last one left.
 */
final class RefineModel {

	int iteration;
	/** Å; the initial low-pass at iteration 0. */
	double resolution;
	double[] noise;
	/** The half maps' FSC per shell; null at iteration 0. */
	double[] fsc;
	boolean converged;
	int stalled;
	/** The best resolution so far, Å; infinite before any. */
	double best;
	final List<Refine3d.Iteration> history = new ArrayList<>();

	static final String GENERAL = "model_general", CLASS = "model_class_1", GROUP = "model_group_1",
		HISTORY = "refine_history";

	/** Writes the model of an N-pixel box of {@code pixelSize} Å/px (for the per-shell resolutions). */
	void write(final Path path, final int n, final double pixelSize, final Path... inputs) throws IOException {
		final StarFile file = new StarFile();
		final StarTable general = new StarTable(GENERAL, false);
		general.addRow(); // the block's one set of values; each column below fills it
		general.addColumn("rlnCurrentIteration", Integer.toString(iteration));
		general.addColumn("rlnCurrentResolution", number(1 / resolution));
		general.addColumn("rlnBestResolutionThusFar", number(Double.isFinite(best) ? 1 / best : 0));
		general.addColumn("rlnHasConverged", converged ? "1" : "0");
		general.addColumn("rlnNumberOfIterWithoutResolutionGain", Integer.toString(stalled));
		file.add(general);
		if (fsc != null) file.add(spectrum(CLASS, "rlnGoldStandardFsc", fsc, n, pixelSize));
		file.add(spectrum(GROUP, "rlnSigma2Noise", noise, n, pixelSize));
		final StarTable h = new StarTable(HISTORY, true);
		for (final String c : HISTORY_COLUMNS)
			h.addColumn(c, "");
		for (final Refine3d.Iteration i : history)
			h.addRow(Integer.toString(i.number()), number(i.resolution()), number(i.searchLimit()), number(i
				.angularStep()), number(i.shiftStep()), i.global() ? "1" : "0", number(i.meanAngularChange()), number(i
					.meanShiftChange()));
		file.add(h);
		file.write(path, inputs);
	}

	/** rlnChangesOptimalOrientations (°) and rlnChangesOptimalOffsets (Å) are RELION's; the rest are refine-3d's. */
	private static final String[] HISTORY_COLUMNS = { "rlnCurrentIteration", "rlnAngstromResolution",
		"vitreousSearchLimitShells", "vitreousAngularStep", "vitreousShiftStepPixels", "vitreousGlobalSearch",
		"rlnChangesOptimalOrientations", "rlnChangesOptimalOffsets" };

	private static StarTable spectrum(final String name, final String column, final double[] values, final int n,
		final double pixelSize)
	{
		final StarTable t = new StarTable(name, true);
		t.addColumn("rlnSpectralIndex", "");
		t.addColumn("rlnResolution", "");
		t.addColumn(column, "");
		for (int s = 0; s < values.length; s++)
			t.addRow(Integer.toString(s), number(s / (n * pixelSize)), number(values[s]));
		return t;
	}

	/** Full precision (Double.toString reads back to the same double); never NaN or infinity. */
	private static String number(final double v) {
		if (!Double.isFinite(v)) throw new IllegalStateException("a refine-3d model value would be " + v);
		return Double.toString(v);
	}

	static RefineModel read(final Path path) throws IOException {
		final StarFile file = StarFile.read(path);
		final RefineModel m = new RefineModel();
		final StarTable general = file.requireBlock(GENERAL);
		if (general.rowCount() != 1) throw new FormatException(path, "data_" + GENERAL + " must hold one set of values");
		m.iteration = general.getInt(0, "rlnCurrentIteration");
		m.resolution = 1 / positive(path, general, "rlnCurrentResolution");
		final double best = general.getDouble(0, "rlnBestResolutionThusFar");
		m.best = best > 0 ? 1 / best : Double.POSITIVE_INFINITY;
		m.converged = general.getInt(0, "rlnHasConverged") != 0;
		m.stalled = general.getInt(0, "rlnNumberOfIterWithoutResolutionGain");
		final StarTable c = file.block(CLASS);
		m.fsc = c == null ? null : column(c, "rlnGoldStandardFsc");
		m.noise = column(file.requireBlock(GROUP), "rlnSigma2Noise");
		final StarTable h = file.requireBlock(HISTORY);
		for (final String column : HISTORY_COLUMNS)
			h.requireColumn(column);
		for (int r = 0; r < h.rowCount(); r++)
			m.history.add(new Refine3d.Iteration(h.getInt(r, HISTORY_COLUMNS[0]), h.getDouble(r, HISTORY_COLUMNS[1]), h
				.getDouble(r, HISTORY_COLUMNS[2]), h.getDouble(r, HISTORY_COLUMNS[3]), h.getDouble(r, HISTORY_COLUMNS[4]), h
					.getInt(r, HISTORY_COLUMNS[5]) != 0, h.getDouble(r, HISTORY_COLUMNS[6]), h.getDouble(r,
						HISTORY_COLUMNS[7])));
		return m;
	}

	private static double positive(final Path path, final StarTable t, final String column) throws FormatException {
		final double v = t.getDouble(0, column);
		if (!(v > 0)) throw new FormatException(path, "_" + column + " is " + v + "; it must be positive");
		return v;
	}

	private static double[] column(final StarTable t, final String column) throws FormatException {
		final double[] v = new double[t.rowCount()];
		for (int r = 0; r < v.length; r++)
			v[r] = t.getDouble(r, column);
		return v;
	}
}

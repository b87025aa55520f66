package org.vitreous.motion;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.vitreous.io.FormatException;
import org.vitreous.io.StarFile;
import org.vitreous.io.StarTable;

/**
 * The per-movie motion STAR as RELION's motion correction writes it (and its Bayesian polishing reads it):
 * {@code data_general} (size, movie, binning, pixel size, dose, pre-exposure, voltage, first frame, motion model
 * version), {@code data_global_shift} (rlnMicrographShiftX/Y per frame, px), {@code data_local_motion_model} (the
 * 36 polynomial coefficients, x then y) where there is a local model, {@code data_hot_pixels} and
 * {@code data_local_shift} (the patch shifts measured).
 */
public final class MotionStar {

	/** What one movie's motion is: its geometry, exposure and shifts. */
	public record Motion(int width, int height, int frames, String movie, double pixelSize, double dosePerFrame,
		double preExposure, double voltage, double[] shiftX, double[] shiftY, LocalMotion local, int[] hotPixels,
		List<LocalMotion.Observation> patchShifts)
	{
		/**
		 * RELION's accumulated motion (rlnAccumMotionTotal, Early, Late): the summed length of the whole-frame
		 * trajectory's steps, in pixels, split where the exposure passes {@code cutoff} e/Å² (RELION's
		 * --dose_motionstats_cutoff, 4 by default): a step to frame f (from 1) is early if f ≤ (cutoff − pre-exposure)
		 * / dose per frame.
		 */
		public double[] accumulatedMotion(final double cutoff) {
			final double cutoffFrame = (cutoff - preExposure) / dosePerFrame;
			double total = 0, early = 0, late = 0;
			for (int f = 2; f <= frames; f++) {
				final double d = Math.hypot(shiftX[f - 1] - shiftX[f - 2], shiftY[f - 1] - shiftY[f - 2]);
				total += d;
				if (f <= cutoffFrame) early += d;
				else late += d;
			}
			return new double[] { total, early, late };
		}
	}

	private MotionStar() {}

	public static void write(final Motion m, final Path path, final Path... inputs) throws IOException {
		final StarFile file = new StarFile();
		final StarTable general = new StarTable("general", false);
		general.addRow();
		general.addColumn("rlnImageSizeX", Integer.toString(m.width()));
		general.addColumn("rlnImageSizeY", Integer.toString(m.height()));
		general.addColumn("rlnImageSizeZ", Integer.toString(m.frames()));
		general.addColumn("rlnMicrographMovieName", m.movie());
		general.addColumn("rlnMicrographBinning", StarTable.formatNumber(1));
		general.addColumn("rlnMicrographOriginalPixelSize", StarTable.formatNumber(m.pixelSize()));
		general.addColumn("rlnMicrographDoseRate", StarTable.formatNumber(m.dosePerFrame()));
		general.addColumn("rlnMicrographPreExposure", StarTable.formatNumber(m.preExposure()));
		general.addColumn("rlnVoltage", StarTable.formatNumber(m.voltage()));
		general.addColumn("rlnMicrographStartFrame", "1");
		general.addColumn("rlnMotionModelVersion", m.local() == null ? "0" : "1");
		file.add(general);
		final StarTable global = new StarTable("global_shift", true);
		for (final String c : new String[] { "rlnMicrographFrameNumber", "rlnMicrographShiftX", "rlnMicrographShiftY" })
			global.addColumn(c, "");
		for (int f = 0; f < m.frames(); f++)
			global.addRow(Integer.toString(f + 1), StarTable.formatNumber(m.shiftX()[f]), StarTable.formatNumber(m
				.shiftY()[f]));
		file.add(global);
		if (m.local() != null) {
			final StarTable local = new StarTable("local_motion_model", true);
			local.addColumn("rlnMotionModelCoeffsIdx", "");
			local.addColumn("rlnMotionModelCoeff", "");
			final double[] cx = m.local().coefficientsX(), cy = m.local().coefficientsY();
			for (int i = 0; i < 2 * LocalMotion.TERMS; i++)
				local.addRow(Integer.toString(i), Double.toString(i < LocalMotion.TERMS ? cx[i] : cy[i - LocalMotion.TERMS]));
			file.add(local);
		}
		final StarTable hot = new StarTable("hot_pixels", true);
		hot.addColumn("rlnCoordinateX", "");
		hot.addColumn("rlnCoordinateY", "");
		for (final int i : m.hotPixels())
			hot.addRow(StarTable.formatNumber(i % m.width()), StarTable.formatNumber(i / m.width()));
		file.add(hot);
		final StarTable patches = new StarTable("local_shift", true);
		for (final String c : new String[] { "rlnMicrographFrameNumber", "rlnCoordinateX", "rlnCoordinateY",
			"rlnMicrographShiftX", "rlnMicrographShiftY" })
			patches.addColumn(c, "");
		for (final LocalMotion.Observation o : m.patchShifts())
			patches.addRow(Integer.toString((int) Math.round(o.z()) + 1), StarTable.formatNumber((o.x() + 0.5) * m
				.width()), StarTable.formatNumber((o.y() + 0.5) * m.height()), StarTable.formatNumber(o.shiftX()), StarTable
					.formatNumber(o.shiftY()));
		file.add(patches);
		file.write(path, inputs);
	}

	/** Reads a per-movie motion STAR (RELION's or Vitreous's). */
	public static Motion read(final Path path) throws IOException {
		final StarFile file = StarFile.read(path);
		final StarTable g = file.requireBlock("general");
		final int width = g.getInt(0, "rlnImageSizeX"), height = g.getInt(0, "rlnImageSizeY"), frames = g.getInt(0,
			"rlnImageSizeZ");
		if (width < 1 || height < 1 || frames < 1) throw new FormatException(path, "states a movie of " + width + " x "
			+ height + " x " + frames);
		final StarTable shifts = file.requireBlock("global_shift");
		final double[] sx = new double[frames], sy = new double[frames];
		for (int r = 0; r < shifts.rowCount(); r++) {
			final int f = shifts.getInt(r, "rlnMicrographFrameNumber");
			if (f < 1 || f > frames) throw new FormatException(path, shifts.line(r), "frame " + f + " of a movie of "
				+ frames);
			sx[f - 1] = shifts.getDouble(r, "rlnMicrographShiftX");
			sy[f - 1] = shifts.getDouble(r, "rlnMicrographShiftY");
		}
		LocalMotion local = null;
		if (g.getInt(0, "rlnMotionModelVersion", 0) == 1) {
			final StarTable t = file.requireBlock("local_motion_model");
			final double[] cx = new double[LocalMotion.TERMS], cy = new double[LocalMotion.TERMS];
			for (int r = 0; r < t.rowCount(); r++) {
				final int i = t.getInt(r, "rlnMotionModelCoeffsIdx");
				if (i < 0 || i >= 2 * LocalMotion.TERMS) throw new FormatException(path, t.line(r), "coefficient index " + i);
				if (i < LocalMotion.TERMS) cx[i] = t.getDouble(r, "rlnMotionModelCoeff");
				else cy[i - LocalMotion.TERMS] = t.getDouble(r, "rlnMotionModelCoeff");
			}
			local = new LocalMotion(cx, cy);
		}
		final List<Integer> hot = new ArrayList<>();
		final StarTable h = file.block("hot_pixels");
		if (h != null) for (int r = 0; r < h.rowCount(); r++)
			hot.add((int) h.getDouble(r, "rlnCoordinateY") * width + (int) h.getDouble(r, "rlnCoordinateX"));
		final List<LocalMotion.Observation> patches = new ArrayList<>();
		final StarTable p = file.block("local_shift");
		if (p != null) for (int r = 0; r < p.rowCount(); r++)
			patches.add(new LocalMotion.Observation(p.getInt(r, "rlnMicrographFrameNumber") - 1, p.getDouble(r,
				"rlnCoordinateX") / width - 0.5, p.getDouble(r, "rlnCoordinateY") / height - 0.5, p.getDouble(r,
					"rlnMicrographShiftX"), p.getDouble(r, "rlnMicrographShiftY")));
		return new Motion(width, height, frames, g.get(0, "rlnMicrographMovieName"), g.getDouble(0,
			"rlnMicrographOriginalPixelSize", 0), g.getDouble(0, "rlnMicrographDoseRate", 0), g.getDouble(0,
				"rlnMicrographPreExposure", 0), g.getDouble(0, "rlnVoltage", 300), sx, sy, local, hot.stream().mapToInt(
					Integer::intValue).toArray(), patches);
	}
}

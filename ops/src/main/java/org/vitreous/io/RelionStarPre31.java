package org.vitreous.io;

import static org.vitreous.io.RelionStar.AMPLITUDE_CONTRAST;
import static org.vitreous.io.RelionStar.DETECTOR_PIXEL_SIZE;
import static org.vitreous.io.RelionStar.IMAGE_PIXEL_SIZE;
import static org.vitreous.io.RelionStar.MAGNIFICATION;
import static org.vitreous.io.RelionStar.MICROGRAPH_PIXEL_SIZE;
import static org.vitreous.io.RelionStar.OPTICS_GROUP;
import static org.vitreous.io.RelionStar.OPTICS_GROUP_NAME;
import static org.vitreous.io.RelionStar.ORIGIN_X_ANGST;
import static org.vitreous.io.RelionStar.ORIGIN_X_PIXELS;
import static org.vitreous.io.RelionStar.ORIGIN_Y_ANGST;
import static org.vitreous.io.RelionStar.ORIGIN_Y_PIXELS;
import static org.vitreous.io.RelionStar.SPHERICAL_ABERRATION;
import static org.vitreous.io.RelionStar.VOLTAGE;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Pre-3.1 RELION STAR files (one table, optics on every row, origins in pixels) read as 3.1 files: the optics
 * moved into a data_optics block, one group per distinct set of optics, and the origins converted to Å. Also the
 * conversion of pixel origins found in a 3.1 file.
 */
final class RelionStarPre31 {

	private RelionStarPre31() {}

	static RelionStar convert(final StarFile file, final StarTable table, final boolean particles,
		final double givenPixelSize) throws IOException
	{
		final Path path = file.source();
		final StarTable optics = new StarTable("optics", true);
		optics.addColumn(OPTICS_GROUP_NAME, "");
		optics.addColumn(OPTICS_GROUP, "");
		final String[] moved = { VOLTAGE, SPHERICAL_ABERRATION, AMPLITUDE_CONTRAST };
		final double[] defaults = { 300, 2.7, 0.1 };
		for (final String c : moved)
			optics.addColumn(c, "");
		final String sizeColumn = particles ? IMAGE_PIXEL_SIZE : MICROGRAPH_PIXEL_SIZE;
		optics.addColumn(sizeColumn, "");
		final Map<String, Integer> groups = new LinkedHashMap<>();
		final int[] groupOf = new int[table.rowCount()];
		final double[] pixelSizes = new double[table.rowCount()];
		for (int r = 0; r < table.rowCount(); r++) {
			final String[] values = new String[moved.length + 1];
			for (int m = 0; m < moved.length; m++)
				values[m] = StarTable.formatNumber(table.getDouble(r, moved[m], defaults[m]));
			double ps = givenPixelSize;
			if (table.has(DETECTOR_PIXEL_SIZE) && table.has(MAGNIFICATION))
				ps = table.getDouble(r, DETECTOR_PIXEL_SIZE) * 1e4 / table.getDouble(r, MAGNIFICATION);
			if (ps != 0) requirePixelSize(path, table.line(r), ps, table.has(MAGNIFICATION) ? "_" + DETECTOR_PIXEL_SIZE
				+ " (µm) × 10⁴ / _" + MAGNIFICATION : "the pixel size given");
			pixelSizes[r] = ps;
			values[moved.length] = StarTable.formatNumber(ps);
			final String key = String.join(" ", values);
			Integer g = groups.get(key);
			if (g == null) {
				g = groups.size() + 1;
				groups.put(key, g);
				final String[] row = new String[2 + values.length];
				row[0] = "opticsGroup" + g;
				row[1] = Integer.toString(g);
				System.arraycopy(values, 0, row, 2, values.length);
				optics.addRow(row);
			}
			groupOf[r] = g;
		}
		if (table.has(ORIGIN_X_PIXELS) || table.has(ORIGIN_Y_PIXELS)) originsToAngstrom(path, table, pixelSizes,
			"the file has no _" + DETECTOR_PIXEL_SIZE + " and _" + MAGNIFICATION + " to convert them to Å; give the "
				+ "pixel size");
		if (particles && !(pixelSizes.length == 0 || pixelSizes[0] > 0)) // no pixel size at all: leave it out
			optics.removeColumn(sizeColumn);
		for (final String c : moved)
			table.removeColumn(c);
		table.removeColumn(DETECTOR_PIXEL_SIZE);
		table.removeColumn(MAGNIFICATION);
		for (int r = 0; r < table.rowCount(); r++)
			table.set(r, OPTICS_GROUP, groupOf[r]);
		// RELION 3.1 names the table by its content; keep the original block position
		final StarTable renamed = rename(table, particles ? "particles" : "micrographs");
		final StarFile converted = new StarFile();
		converted.add(optics);
		converted.add(renamed);
		return new RelionStar(path, converted, optics, renamed, true); // images resolve against the original
	}

	/**
	 * Refuses a pixel size that is not a plausible one (the range an MRC header may state, {@link MrcHeader#MIN_VOXEL}
	 * to {@link MrcHeader#MAX_VOXEL} Å): 1e-308 or infinity would turn every frequency and offset into nonsense.
	 */
	static void requirePixelSize(final Path path, final int line, final double pixelSize, final String what)
		throws FormatException
	{
		if (pixelSize >= MrcHeader.MIN_VOXEL && pixelSize <= MrcHeader.MAX_VOXEL) return;
		final String message = String.format(Locale.ROOT, "%s is %.6g Å, not a plausible pixel size (%g to %g Å)", what,
			pixelSize, MrcHeader.MIN_VOXEL, MrcHeader.MAX_VOXEL);
		throw line > 0 ? new FormatException(path, line, message) : new FormatException(path, message);
	}

	/**
	 * Turns origins in pixels (_rlnOriginX/Y) into RELION 3.1's Å (_rlnOriginXAngst/YAngst), row by row at the
	 * given pixel sizes. Where a file gives both, they must agree (to 0.01 px); then the Å column is kept.
	 */
	static void originsToAngstrom(final Path path, final StarTable table, final double[] pixelSizes,
		final String noPixelSize) throws FormatException
	{
		for (int r = 0; r < table.rowCount(); r++)
			if (!(pixelSizes[r] > 0)) throw new FormatException(path, table.line(r), "origins in pixels (_"
				+ ORIGIN_X_PIXELS + ") need a pixel size to become Å, but " + noPixelSize);
		for (final String[] axis : new String[][] { { ORIGIN_X_PIXELS, ORIGIN_X_ANGST }, { ORIGIN_Y_PIXELS,
			ORIGIN_Y_ANGST } })
		{
			final int c = table.column(axis[0]);
			if (c < 0) continue;
			final double[] angst = new double[table.rowCount()];
			for (int r = 0; r < angst.length; r++)
				angst[r] = table.getDouble(r, c) * pixelSizes[r];
			final int given = table.column(axis[1]);
			if (given >= 0) {
				for (int r = 0; r < angst.length; r++) {
					final double a = table.getDouble(r, given);
					if (Math.abs(a - angst[r]) > 0.01 * pixelSizes[r]) throw new FormatException(path, table.line(r),
						String.format(Locale.ROOT, "_%s %s px and _%s %s Å disagree at %.4g Å/px; give one of them", axis[0],
							table.get(r, c), axis[1], table.get(r, given), pixelSizes[r]));
				}
				table.removeColumn(axis[0]);
				continue;
			}
			table.renameColumn(axis[0], axis[1]);
			for (int r = 0; r < angst.length; r++)
				table.set(r, axis[1], angst[r]);
		}
	}

	private static StarTable rename(final StarTable t, final String name) {
		final StarTable r = new StarTable(name, true);
		r.setSource(t.source());
		for (final String c : t.columns())
			r.addColumn(c, "");
		for (int i = 0; i < t.rowCount(); i++) {
			final String[] row = new String[t.columns().size()];
			for (int c = 0; c < row.length; c++)
				row[c] = t.get(i, c);
			r.addRow(row, t.line(i));
		}
		return r;
	}
}

package org.vitreous.plugins.ij1;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import ij.ImagePlus;
import ij.io.FileSaver;
import ij.process.ColorProcessor;
import ij.process.FloatProcessor;
import ij.process.ImageStatistics;
import org.vitreous.io.AtomicOutput;
import org.vitreous.picking.LogPicker;

/** A micrograph's overview with its picks circled: the binned micrograph the picker saw, a circle per pick. */
public final class PickOverviews {

	private PickOverviews() {}

	/** The overview as an RGB image (the micrograph in grey, contrast at ±3 standard deviations; picks in red). */
	public static ImagePlus of(final LogPicker.Result r, final List<LogPicker.Pick> picks, final String title)
	{
		final FloatProcessor fp = new FloatProcessor(r.previewWidth(), r.previewHeight(), r.preview().clone());
		final ImageStatistics st = fp.getStats();
		fp.setMinAndMax(st.mean - 3 * st.stdDev, st.mean + 3 * st.stdDev);
		final ColorProcessor cp = fp.convertToColorProcessor();
		cp.setColor(Color.RED);
		cp.setLineWidth(Math.max(1, r.previewWidth() / 512));
		for (final LogPicker.Pick p : picks) {
			final double radius = p.diameter() / 2 / (r.pixelSize() * r.binning());
			final double x = p.x() / r.binning(), y = p.y() / r.binning();
			cp.drawOval((int) Math.round(x - radius), (int) Math.round(y - radius), (int) Math.round(2 * radius), (int) Math
				.round(2 * radius));
		}
		return new ImagePlus(title, cp);
	}

	/** Writes {@link #of} as PNG, whole or not at all. */
	public static void write(final LogPicker.Result r, final List<LogPicker.Pick> picks, final Path png,
		final Path... inputs) throws IOException
	{
		final ImagePlus image = of(r, picks, png.getFileName().toString());
		try (AtomicOutput out = AtomicOutput.create(png, inputs)) {
			if (!new FileSaver(image).saveAsPng(out.path().toString())) throw new IOException(png
				+ ": the overview could not be written");
			out.commit();
		}
	}
}

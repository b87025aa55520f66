package org.vitreous.plugins.spa;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.vitreous.image.Masks;
import org.vitreous.io.CubicMap;
import org.vitreous.io.FormatException;
import org.vitreous.plugins.VitreousCommand;
import org.vitreous.plugins.ij1.CurvePlots;
import org.vitreous.reconstruct.Postprocess;

/** Masked, phase-randomisation-corrected FSC, Guinier B-factor and sharpening of two half maps. */
@Plugin(type = Command.class, name = "postprocess", menuPath = "Plugins>Vitreous>SPA>Post-process",
	label = "Post-process", description = "Mask, corrected FSC, B-factor and sharpening of two half maps")
public class PostprocessCommand extends VitreousCommand {

	@Parameter(label = "Half map 1")
	private File half1;

	@Parameter(label = "Half map 2")
	private File half2;

	@Parameter(label = "Mask", required = false, description = "soft mask .mrc; without one, a mask is made by threshold, dilation and soft edge")
	private File mask;

	@Parameter(label = "Output folder", style = "directory")
	private File output;

	@Parameter(label = "Mask threshold", required = false, description = "on the average low-passed to 15 Å; empty for mean + 3 SD")
	private Double threshold;

	@Parameter(label = "Mask dilation", min = "0", attrs = @Attr(name = "unit", value = "px"))
	private double dilation = 3;

	@Parameter(label = "Mask soft edge", min = "0", attrs = @Attr(name = "unit", value = "px"))
	private double edge = 6;

	@Parameter(label = "Randomise phases from", required = false, attrs = @Attr(name = "unit", value = "Å"),
		description = "empty: where the unmasked FSC falls below 0.8")
	private Double randomiseFrom;

	@Parameter(label = "B-factor", required = false, attrs = @Attr(name = "unit", value = "Å²"),
		description = "applied instead of the fitted one (negative sharpens); empty to fit")
	private Double bFactor;

	@Parameter(type = ItemIO.OUTPUT, label = "Resolution")
	private String resolution;

	private Postprocess.Result result;

	@Override
	protected void execute() throws IOException {
		final CubicMap a = CubicMap.read(half1.toPath(), "post-processing"), b = CubicMap.read(half2.toPath(),
			"post-processing");
		if (a.size() != b.size()) throw new FormatException(half2.toPath(), "is " + b.size() + "³; " + half1.getName()
			+ " is " + a.size() + "³");
		if (!(a.pixelSize() > 0)) throw new FormatException(half1.toPath(), "has no voxel size");
		final int n = a.size();
		float[] m = null;
		if (mask != null) {
			final CubicMap cm = CubicMap.read(mask.toPath(), "a mask");
			if (cm.size() != n) throw new FormatException(mask.toPath(), "is " + cm.size() + "³; the maps are " + n + "³");
			m = cm.values();
		}
		final Postprocess.Settings s = new Postprocess.Settings();
		if (threshold != null) s.threshold = threshold;
		s.dilation = dilation;
		s.edge = edge;
		if (randomiseFrom != null) s.randomiseFrom = randomiseFrom;
		if (bFactor != null) s.bFactor = bFactor;
		result = Postprocess.run(a.values(), b.values(), n, a.pixelSize(), m, s);
		final Path dir = output.toPath();
		Files.createDirectories(dir);
		final Path[] inputs = mask == null ? new Path[] { half1.toPath(), half2.toPath() } : new Path[] { half1.toPath(),
			half2.toPath(), mask.toPath() };
		final double px = a.pixelSize();
		new CubicMap(result.sharpened(), n, px).write(dir.resolve("postprocess.mrc"), "Vitreous postprocess: sharpened",
			inputs);
		new CubicMap(Masks.apply(result.sharpened().clone(), result.mask()), n, px).write(dir.resolve(
			"postprocess_masked.mrc"), "Vitreous postprocess: sharpened, masked", inputs);
		if (mask == null) new CubicMap(result.mask(), n, px).write(dir.resolve("mask.mrc"), "Vitreous postprocess: mask",
			inputs);
		Postprocess.writeCurves(result, dir, inputs);
		CurvePlots.postprocess(result, "FSC: " + half1.getName() + " / " + half2.getName(), dir, inputs);
		resolution = Double.isNaN(result.bFactor()) ? String.format(Locale.ROOT,
			"%.2f Å (corrected masked FSC 0.143); no B-factor fitted: the Guinier fit needs a resolution better than its "
				+ "start at %.1f Å (as RELION's) and %d shells; %s", result.resolution(), result.fitLow(),
			Postprocess.MIN_FIT_SHELLS, bFactor == null ? "none applied" : "applied " + bFactor + " Å² as given")
			: String.format(Locale.ROOT, "%.2f Å (corrected masked FSC 0.143); B-factor %.1f Å² fitted from %.1f to "
				+ "%.1f Å", result.resolution(), result.bFactor(), result.fitLow(), result.fitHigh());
	}

	public Postprocess.Result result() {
		return result;
	}
}

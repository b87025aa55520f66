package org.vitreous.plugins.tools;

import java.awt.GraphicsEnvironment;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

import net.imglib2.img.array.ArrayImgs;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.vitreous.io.FormatException;
import org.vitreous.io.MrcWriter;
import org.vitreous.io.Volume;
import org.vitreous.metrics.Fsc;
import org.vitreous.metrics.MapAlignment;
import org.vitreous.plugins.VitreousCommand;
import org.vitreous.plugins.ij1.CurvePlots;


/**
 * Fourier shell correlation of two maps: resolutions at 0.143, 0.5 and the half-bit curve; the curve as CSV and
 * PNG when an output is given, and as a plot in Fiji. With {@code superpose}, map 2 is first rotated, shifted and
 * if need be mirrored onto map 1 ({@link MapAlignment}), as a map made without a reference must be before it is
 * compared with the truth.
 */
@Plugin(type = Command.class, name = "fsc", menuPath = "Plugins>Vitreous>Tools>FSC", label = "FSC",
	description = "Fourier shell correlation of two maps")
public class FscCommand extends VitreousCommand {

	@Parameter(label = "Map 1")
	private File map1;

	@Parameter(label = "Map 2")
	private File map2;

	@Parameter(label = "Mask", description = "multiplies both maps first (optional)", required = false)
	private File mask;

	@Parameter(label = "Curve CSV", description = ".csv file for the curve; a .png plot is written beside it",
		required = false, style = "save")
	private File output;

	@Parameter(label = "Pixel size", description = "0 takes map 1's voxel size", min = "0",
		attrs = @Attr(name = "unit", value = "Å/px"))
	private double pixelSize = 0;

	@Parameter(label = "Superpose map 2 first", description = "rotate, shift and if need be mirror map 2 onto map 1 "
		+ "(for a map made without a reference, such as ab-initio's); the superposed map is written beside the CSV")
	private boolean superpose = false;

	@Parameter(type = ItemIO.OUTPUT, label = "Resolution")
	private String resolution;

	private Fsc.Curve curve;

	@Override
	protected void execute() throws IOException {
		final Volume a = Volume.read(map1.toPath()), b = Volume.readLike(map2.toPath(), a, map1.toPath());
		final float[] m = mask == null ? null : Volume.readLike(mask.toPath(), a, map1.toPath()).values();
		final double px = pixelSize > 0 ? pixelSize : a.pixelSize();
		if (!(px > 0)) throw new FormatException(map1.toPath(), "has no voxel size; give --pixel-size");
		float[] second = b.values();
		String superposed = "";
		if (superpose) {
			if (a.nx() != a.ny() || a.nx() != a.nz()) throw new FormatException(map1.toPath(), "is " + a.nx() + "×" + a
				.ny() + "×" + a.nz() + "; superposition needs cubic maps");
			final MapAlignment.Result r = MapAlignment.align(a.values(), second, a.nx(), px);
			second = r.aligned();
			superposed = String.format(Locale.ROOT, " (map 2 superposed%s, correlation %.3f)", r.mirrored()
				? " as its mirror image" : "", r.correlation());
			if (output != null) MrcWriter.write(alignedBeside(output.toPath()), ArrayImgs.floats(second, a.nx(), a.ny(), a
				.nz()), new MrcWriter.Settings().pixelSize(px).label("Vitreous fsc: " + map2.getName() + " superposed on "
					+ map1.getName()));
		}
		curve = Fsc.compute(a.values(), second, a.nx(), a.ny(), a.nz(), m, px);
		resolution = String.format(Locale.ROOT, "FSC 0.143: %s; FSC 0.5: %s; half-bit: %s%s", format(curve.crossing(
			0.143)), format(curve.crossing(0.5)), format(curve.halfBitCrossing()), superposed);
		if (output != null) write(output.toPath());
		if (!GraphicsEnvironment.isHeadless()) CurvePlots.fsc(curve, title()).show();
	}

	private String format(final double shell) {
		if (Double.isNaN(shell)) return String.format(Locale.ROOT, "beyond Nyquist (%.2f Å)", curve.resolution(shell));
		return String.format(Locale.ROOT, "%.2f Å (shell %.2f)", curve.resolution(shell), shell);
	}

	private void write(final Path csv) throws IOException {
		final Path[] inputs = mask == null ? new Path[] { map1.toPath(), map2.toPath() } : new Path[] { map1.toPath(),
			map2.toPath(), mask.toPath() };
		Fsc.writeCsv(curve, csv, inputs);
		CurvePlots.writeFsc(curve, title(), CurvePlots.pngBeside(csv), inputs);
	}

	/** fsc.csv -> fsc_superposed.mrc */
	private static Path alignedBeside(final Path csv) {
		final String name = csv.getFileName().toString();
		final int dot = name.lastIndexOf('.');
		return csv.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + "_superposed.mrc");
	}

	private String title() {
		return "FSC " + map1.getName() + " / " + map2.getName();
	}

	public String resolution() {
		return resolution;
	}

	public Fsc.Curve curve() {
		return curve;
	}
}

package org.vitreous.plugins.tools;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.vitreous.io.MrcFile;
import org.vitreous.io.MrcHeader;
import org.vitreous.io.MrcMode;
import org.vitreous.io.MrcWriter;
import org.vitreous.io.SectionSink;
import org.vitreous.io.SectionSource;
import org.vitreous.io.Sections;
import org.vitreous.plugins.VitreousCommand;
import org.vitreous.plugins.ij1.TiffFiles;

/**
 * Converts between MRC/MRCS/CCP4/TIFF (in) and MRC/MRCS/TIFF (out), streaming image by image. The output is
 * always in standard x, y, z order; {@code .mrcs} output is written as an image stack (ISPG 0).
 */
@Plugin(type = Command.class, name = "convert", menuPath = "Plugins>Vitreous>Tools>Convert", label = "Convert",
	description = "Convert images, stacks and maps between MRC, MRCS, CCP4 and TIFF")
public class ConvertCommand extends VitreousCommand {

	public static final String KEEP = "keep";

	@Parameter(label = "Input", description = "MRC, MRCS, CCP4 or TIFF file")
	private File input;

	@Parameter(label = "Output", description = ".mrc, .mrcs or .tif file (never one of the inputs)",
		style = "save")
	private File output;

	@Parameter(label = "MRC mode", description = "0 int8, 1 int16, 2 float32, 6 uint16, 12 float16; keep: the "
		+ "input's mode (float32 for TIFF)", choices = { KEEP, "0", "1", "2", "6", "12" })
	private String mode = KEEP;

	@Parameter(label = "Pixel size", description = "0 keeps the input's", min = "0",
		attrs = @Attr(name = "unit", value = "Å/px"))
	private double pixelSize = 0;

	@Parameter(label = "First image", description = "1-based, inclusive", min = "1")
	private int first = 1;

	@Parameter(label = "Last image", description = "1-based, inclusive; 0 for the last image", min = "0")
	private int last = 0;

	@Parameter(type = ItemIO.OUTPUT, label = "Images written")
	private int imagesWritten;

	@Override
	protected void execute() throws IOException {
		final Path in = input.toPath(), out = output.toPath();
		final String outName = out.getFileName().toString().toLowerCase();
		final boolean tiffOut = TiffFiles.isTiff(out);
		if (!tiffOut && !outName.endsWith(".mrc") && !outName.endsWith(".mrcs") && !outName.endsWith(".map"))
			throw new IllegalArgumentException(out + ": unknown output type; use .mrc, .mrcs or .tif");
		try (SectionSource source = TiffFiles.isTiff(in) ? TiffFiles.open(in) : MrcFile.open(in)) {
			final double[] voxel = pixelSize > 0 ? new double[] { pixelSize, pixelSize, pixelSize } : source
				.voxelSize();
			final SectionSink sink;
			if (tiffOut) {
				if (!KEEP.equals(mode) && !"2".equals(mode))
					throw new IllegalArgumentException("--mode " + mode + " applies to MRC output; TIFF is written "
						+ "as 32-bit float");
				if (source instanceof MrcFile m && m.header().nsymbt > 0) warn(in + ": its " + m.header().nsymbt
					+ "-byte extended header (" + m.header().extType + ") was dropped; TIFF cannot carry it");
				sink = TiffFiles.create(out, source.width(), source.height(), voxel, in);
			} else {
				final MrcWriter.Settings settings = new MrcWriter.Settings().mode(outputMode(source)).voxelSize(voxel)
					.label("vitreous convert " + in.getFileName());
				settings.volume = !outName.endsWith(".mrcs") && source.isVolume();
				if (source instanceof MrcFile && settings.volume) { // a map keeps its place in the crystal frame
					final MrcHeader h = ((MrcFile) source).header();
					settings.start = h.startXYZ();
					settings.start[2] += first - 1;
					settings.origin = new float[] { h.originX, h.originY, h.originZ };
				}
				if (source instanceof MrcFile m && m.header().nsymbt > 0) {
					// an extended header (FEI's per-frame metadata, say) describes every section: it goes along when
					// all of them do, and is dropped with a word when only some are converted
					if (first == 1 && (last <= 0 || last >= source.sections())) {
						settings.extendedHeader = m.extendedHeader();
						settings.extendedType = m.header().extType;
					}
					else warn(in + ": its " + m.header().nsymbt + "-byte extended header (" + m.header().extType
						+ ") describes all " + source.sections() + " sections and was not copied to a subset of them");
				}
				sink = MrcWriter.open(out, source.width(), source.height(), settings, in);
			}
			try (sink) {
				imagesWritten = Sections.copy(source, first, last, sink, progress());
			}
		}
	}

	private MrcMode outputMode(final SectionSource source) {
		if (KEEP.equals(mode)) {
			if (source instanceof MrcFile) {
				final MrcMode m = ((MrcFile) source).mode();
				if (m.complex) throw new IllegalArgumentException(((MrcFile) source).path()
					+ ": complex data (mode 4) cannot be converted image by image");
				return m;
			}
			return MrcMode.FLOAT32;
		}
		final MrcMode m = MrcMode.of(Integer.parseInt(mode));
		if (m == null || m.complex) throw new IllegalArgumentException("--mode " + mode + " cannot be written; "
			+ "choose 0, 1, 2, 6 or 12");
		return m;
	}

	public int imagesWritten() {
		return imagesWritten;
	}
}

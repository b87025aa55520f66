package org.vitreous.plugins.tools;

import java.io.File;
import java.io.IOException;
import java.util.Locale;

import net.imglib2.img.array.ArrayImgs;
import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.vitreous.io.MrcWriter;
import org.vitreous.plugins.VitreousCommand;
import org.vitreous.simulate.AtomicModel;
import org.vitreous.simulate.ModelMap;

/** A density map from a PDB or mmCIF model with electron scattering factors. */
@Plugin(type = Command.class, name = "simulate-map", menuPath = "Plugins>Vitreous>Tools>Map from Atomic Model",
	label = "Map from Atomic Model", description = "Compute a density map from a PDB or mmCIF model")
public class MapFromModelCommand extends VitreousCommand {

	@Parameter(label = "Atomic model", description = "PDB (.pdb, .ent) or mmCIF (.cif) file")
	private File model;

	@Parameter(label = "Pixel size", min = "0.01", attrs = @Attr(name = "unit", value = "Å/px"))
	private double pixelSize = 1;

	@Parameter(label = "Box size", description = "voxels along each axis", min = "1")
	private int box = 64;

	@Parameter(label = "B-factor", description = "added to every atom's scattering factor", min = "0",
		attrs = @Attr(name = "unit", value = "Å²"))
	private double bFactor = 20;

	@Parameter(label = "Centre the model", description = "move the centre of mass to the box centre; otherwise "
		+ "model coordinates are kept (voxel i at i × pixel size)")
	private boolean centre = true;

	@Parameter(label = "Add the model's B-factors", description = "add each atom's own B to the B-factor")
	private boolean useAtomB = false;

	@Parameter(label = "Output map", description = ".mrc file", style = "save")
	private File output;

	@Parameter(type = ItemIO.OUTPUT, label = "Summary")
	private String summary;

	@Override
	protected void execute() throws IOException {
		final AtomicModel m = AtomicModel.read(model.toPath());
		final ModelMap.Result r = ModelMap.compute(m, pixelSize, box, bFactor, useAtomB, centre);
		if (r.atoms() == 0) throw new IllegalArgumentException(model + ": none of its " + m.atoms().size()
			+ " atoms has a tabulated scattering factor (" + r.skipped() + ")");
		MrcWriter.write(output.toPath(), ArrayImgs.floats(r.map(), box, box, box), new MrcWriter.Settings().pixelSize(
			pixelSize).label("Vitreous simulate-map " + model.getName() + String.format(Locale.ROOT, " B %.1f", bFactor)),
			model.toPath());
		summary = String.format(Locale.ROOT, "%d atoms into %d^3 at %.3f Å/px, shifted by (%.2f, %.2f, %.2f) Å", r
			.atoms(), box, pixelSize, r.shift()[0], r.shift()[1], r.shift()[2]);
		if (!r.skipped().isEmpty()) {
			summary += "; left out (no scattering factor): " + r.skipped();
			warn(model + ": atoms left out for want of a scattering factor: " + r.skipped());
		}
	}

	public String summary() {
		return summary;
	}
}

package org.vitreous.plugins.tools;

import java.io.File;
import java.io.IOException;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.vitreous.io.MrcFile;
import org.vitreous.plugins.VitreousCommand;

/** Shows an MRC file's header as JSON: dimensions, mode, pixel size, origin, start, axis order, statistics. */
@Plugin(type = Command.class, name = "header", menuPath = "Plugins>Vitreous>Tools>MRC Header",
	label = "MRC Header", description = "Print an MRC/CCP4 file's header as JSON")
public class HeaderCommand extends VitreousCommand {

	@Parameter(label = "MRC file", description = "MRC, MRCS or CCP4 file to inspect")
	private File input;

	@Parameter(type = ItemIO.OUTPUT, label = "Header")
	private String header;

	@Override
	protected void execute() throws IOException {
		try (MrcFile f = MrcFile.open(input.toPath())) {
			header = f.header().toJson(input.toPath());
		}
	}

	public String header() {
		return header;
	}
}

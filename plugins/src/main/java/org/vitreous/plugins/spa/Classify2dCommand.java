package org.vitreous.plugins.spa;

import java.io.File;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

import org.scijava.ItemIO;
import org.scijava.command.Command;
import org.scijava.plugin.Attr;
import org.scijava.plugin.Parameter;
import org.scijava.plugin.Plugin;
import org.vitreous.classify.Classify2d;
import org.vitreous.plugins.VitreousCommand;
import org.vitreous.plugins.ij1.Montages;

/** Reference-free 2D classification, as RELION's Class2D: class averages, their montage and the particles' classes. */
@Plugin(type = Command.class, name = "classify-2d", menuPath = "Plugins>Vitreous>SPA>2D Classification",
	label = "2D Classification", description = "Reference-free 2D classification by expectation-maximisation")
public class Classify2dCommand extends VitreousCommand {

	@Parameter(label = "Particles", description = "RELION particle STAR (CTF columns when CTF is modelled)")
	private File particles;

	@Parameter(label = "Output folder", style = "directory")
	private File output;

	@Parameter(label = "Classes", min = "1", description = "K")
	private int classes = 50;

	@Parameter(label = "Iterations", min = "1")
	private int iterations = 25;

	@Parameter(label = "Particle diameter", min = "0", attrs = @Attr(name = "unit", value = "Å"),
		description = "soft circular mask diameter; 0 for 90% of the box")
	private double particleDiameter = 0;

	@Parameter(label = "CTF", description = "model each particle's CTF (RELION's --ctf)")
	private boolean ctf = true;

	@Parameter(label = "Initial resolution", min = "0", attrs = @Attr(name = "unit", value = "Å"),
		description = "resolution limit of the first iteration")
	private double initialResolution = 30;

	@Parameter(label = "Final resolution", min = "0", attrs = @Attr(name = "unit", value = "Å"),
		description = "resolution limit of the last iteration; 0 for 2.5 pixels")
	private double finalResolution = 0;

	@Parameter(label = "Offset range", min = "0", attrs = @Attr(name = "unit", value = "px"),
		description = "shifts searched around each particle's last offset")
	private double offsetRange = 5;

	@Parameter(label = "Offset step", min = "0.1", attrs = @Attr(name = "unit", value = "px"))
	private double offsetStep = 1;

	@Parameter(label = "Regularisation T", min = "0.1", description = "RELION's --tau2_fudge")
	private double tauFudge = 2;

	@Parameter(label = "Random seed")
	private long seed = 1;

	@Parameter(type = ItemIO.OUTPUT, label = "Classes")
	private String summary;

	private Classify2d.Result result;

	@Override
	protected void execute() throws IOException {
		final Classify2d.Settings s = new Classify2d.Settings();
		s.classes = classes;
		s.iterations = iterations;
		s.particleDiameter = particleDiameter;
		s.ctf = ctf;
		s.initialResolution = initialResolution;
		s.finalResolution = finalResolution;
		s.offsetRange = offsetRange;
		s.offsetStep = offsetStep;
		s.tauFudge = tauFudge;
		s.seed = seed;
		result = Classify2d.run(particles.toPath(), output.toPath(), s, progress(), line -> {
			if (log() != null) log().info(line);
		});
		final List<String> labels = result.classes().stream().map(c -> String.format(Locale.ROOT, "%d: %.1f%%, %.3f", c
			.number(), 100 * c.fraction(), c.score())).toList();
		Montages.write(result.averages(), result.size(), labels, output.toPath().resolve("classes.png"), particles
			.toPath());
		final Classify2d.ClassSummary largest = result.classes().get(0);
		summary = String.format(Locale.ROOT, "%d classes in %s (largest %.1f%% of the particles; classes.png is "
			+ "labelled number: share, score)", result.classes().size(), output, 100 * largest.fraction());
	}

	public Classify2d.Result result() {
		return result;
	}
}

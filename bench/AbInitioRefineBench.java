import java.nio.file.Path;

import org.vitreous.Progress;
import org.vitreous.compute.ComputeDevice;
import org.vitreous.io.CubicMap;
import org.vitreous.metrics.Fsc;
import org.vitreous.metrics.MapAlignment;
import org.vitreous.reconstruct.Refine3d;

/**
 * refine-3d started from an ab initio map and from the truth (both low-passed to 30 Å by refine-3d itself) on the
 * same particles: final resolution (FSC 0.143 of the half maps, in shells) and FSC 0.5 against the truth after
 * superposition with both hands tried.
 *   java -cp ... bench/AbInitioRefineBench.java particles.star ab_initio_folder truth.mrc output_folder
 */
public class AbInitioRefineBench {

	public static void main(final String[] args) throws Exception {
		final Path star = Path.of(args[0]), abInitio = Path.of(args[1]), truthPath = Path.of(args[2]), out = Path.of(
			args[3]);
		final CubicMap truth = CubicMap.read(truthPath, "truth");
		final int n = truth.size();
		for (final String start : new String[] { "ab-initio", "truth" }) {
			final Refine3d.Settings s = new Refine3d.Settings();
			s.particleDiameter = 320;
			final long t0 = System.nanoTime();
			final Refine3d.Result r = Refine3d.run(start.equals("truth") ? star : abInitio.resolve("particles.star"),
				start.equals("truth") ? truthPath : abInitio.resolve("initial_model.mrc"), out.resolve(start), s,
				ComputeDevice.JAVA, Progress.NONE, line -> {});
			final double seconds = (System.nanoTime() - t0) / 1e9;
			final CubicMap map = CubicMap.read(out.resolve(start).resolve("run_map.mrc"), "refined map");
			final MapAlignment.Result a = MapAlignment.align(truth.values(), map.values(), n, truth.pixelSize(), 25);
			final Fsc.Curve c = Fsc.compute(truth.values(), a.aligned(), n, n, n, null, truth.pixelSize());
			System.out.printf("%s: %.0f s, %d iterations, resolution %.2f Å (shell %.2f), FSC 0.5 vs truth %.2f Å "
				+ "(mirrored %b)%n", start, seconds, r.history().size(), r.resolution(), n * truth.pixelSize() / r
					.resolution(), c.resolutionAt(0.5), a.mirrored());
		}
	}
}

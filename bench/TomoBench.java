import java.nio.file.Path;

import org.vitreous.Progress;
import org.vitreous.compute.ComputeDevice;
import org.vitreous.io.TiltSeries;
import org.vitreous.io.Volume;
import org.vitreous.simulate.Phantoms;
import org.vitreous.simulate.TiltSeriesSimulation;
import org.vitreous.tomo.TomogramReconstruction;

/**
 * WBP and SIRT timed in-process (best of repeats, after a warm-up) on an n³ spheres phantom at SNR 10, ±60° in 2°
 * steps; writes the truth, the series and the reconstructions for bench/tomo.sh to time scikit-image on and score.
 *   java -cp ... bench/TomoBench.java n folder
 */
public class TomoBench {

	public static void main(final String[] args) throws Exception {
		final int n = Integer.parseInt(args[0]);
		final Path dir = Path.of(args[1]);
		final float[] truth = Phantoms.tomogram(Phantoms.Tomogram.SPHERES, n, n, n, 7).update(null)
			.getCurrentStorageArray();
		final TiltSeries series = TiltSeriesSimulation.write(truth, n, n, n, TiltSeriesSimulation.tilts(-60, 60, 2), 10, 3,
			10, ComputeDevice.JAVA, dir);
		TomogramReconstruction.weightedBackProjection(series, n, 0.5, ComputeDevice.JAVA); // warm-up
		double best = Double.MAX_VALUE;
		float[] wbp = null;
		for (int r = 0; r < 3; r++) {
			final long t = System.nanoTime();
			wbp = TomogramReconstruction.weightedBackProjection(series, n, 0.5, ComputeDevice.JAVA);
			best = Math.min(best, (System.nanoTime() - t) / 1e9);
		}
		System.out.printf("wbp %.3f%n", best);
		new Volume(wbp, n, n, n, 10).write(dir.resolve("wbp.mrc"), "bench");
		for (final int iterations : new int[] { 10, 50 }) {
			final long t = System.nanoTime();
			final float[] sirt = TomogramReconstruction.sirt(series, n, iterations, 1, true, ComputeDevice.JAVA,
				Progress.NONE);
			System.out.printf("sirt%d %.3f%n", iterations, (System.nanoTime() - t) / 1e9);
			new Volume(sirt, n, n, n, 10).write(dir.resolve("sirt" + iterations + ".mrc"), "bench");
		}
	}
}

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.vitreous.compute.ComputeDevice;
import org.vitreous.compute.OpenClDevice;
import org.vitreous.geometry.Euler;
import org.vitreous.geometry.Rotations;
import org.vitreous.io.ImageReference;
import org.vitreous.io.MrcWriter;
import org.vitreous.io.RelionStar;
import org.vitreous.projection.FourierBackProjector;
import org.vitreous.projection.FourierProjector;
import org.vitreous.projection.FourierVolume;
import org.vitreous.simulate.Phantoms;

/**
 * Projector benchmark (run by bench/projectors.sh). For a box size and pose count: writes map.mrc and poses.star
 * into a folder (for relion_project and ./vitreous project), then times the Fourier-slice projector and
 * back-projector in Java and on the OpenCL device, best of three runs, printing one line per measurement:
 * "kernel box device operation slices seconds slices_per_second".
 */
public class ProjectorBench {

	public static void main(final String[] args) throws Exception {
		final int n = Integer.parseInt(args[0]), poses = Integer.parseInt(args[1]);
		final Path dir = Path.of(args[2]);
		Files.createDirectories(dir);
		final double pixel = 2;
		final float[] map = Phantoms.gaussianBlobs(n, 60, 7).update(null).getCurrentStorageArray();
		MrcWriter.write(dir.resolve("map.mrc"), Phantoms.gaussianBlobs(n, 60, 7), new MrcWriter.Settings().pixelSize(
			pixel));
		final Random r = new Random(11);
		final double[][] rotations = new double[poses][];
		final RelionStar star = RelionStar.createParticles(List.of(new RelionStar.OpticsGroup("opticsGroup1", 1, 300,
			2.7, 0.1, pixel, n, 2)));
		for (int i = 0; i < poses; i++) {
			final double[] e = Euler.angles(Rotations.random(r));
			rotations[i] = Euler.matrix(e[0], e[1], e[2]);
			star.add(new RelionStar.Particle(new ImageReference(i + 1, dir.resolve("images.mrcs")), e[0], e[1], e[2], r
				.nextGaussian() * 4, r.nextGaussian() * 4, 15000, 14500, 30, 1, i % 2 + 1, 0), dir);
		}
		Files.deleteIfExists(dir.resolve("poses.star"));
		star.write(dir.resolve("poses.star"));
		final FourierVolume volume = FourierVolume.of(map, n, 2);
		final float[] slices = new float[poses * FourierProjector.sliceLength(n)];
		OpenClDevice cl = null;
		try {
			cl = OpenClDevice.open(OpenClDevice.Kind.ANY);
		} catch (final Exception e) {
			System.err.println("no OpenCL device: " + e.getMessage());
		}
		for (final ComputeDevice d : cl == null ? new ComputeDevice[] { ComputeDevice.JAVA } : new ComputeDevice[] {
			ComputeDevice.JAVA, cl })
		{
			final String name = d.isOpenCl() ? "opencl-" + (d.openCl().isGpu() ? "gpu" : "cpu") : "java";
			try (FourierProjector p = FourierProjector.create(volume, n / 2.0, d)) {
				p.project(rotations, slices); // warm-up: kernel compilation, JIT
				report(n, name, "project", poses, best(() -> p.project(rotations, slices)));
			}
			try (FourierBackProjector b = FourierBackProjector.create(n, 2, n / 2.0, d)) {
				b.insert(rotations, slices, null);
				report(n, name, "backproject", poses, best(() -> b.insert(rotations, slices, null)));
			}
		}
		if (cl != null) cl.close();
	}

	private static double best(final Runnable r) {
		double best = Double.POSITIVE_INFINITY;
		for (int i = 0; i < 3; i++) {
			final long t = System.nanoTime();
			r.run();
			best = Math.min(best, (System.nanoTime() - t) * 1e-9);
		}
		return best;
	}

	private static void report(final int n, final String device, final String op, final int slices, final double s) {
		System.out.println(String.format(Locale.ROOT, "kernel %d %s %s %d %.4f %.1f", n, device, op, slices, s, slices
			/ s));
	}
}

package org.vitreous.reconstruct;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.vitreous.Progress;
import org.vitreous.compute.ComputeDevice;
import org.vitreous.compute.Parallel;
import org.vitreous.ctf.Ctf;
import org.vitreous.ctf.CtfStar;
import org.vitreous.fourier.FourierFilters;
import org.vitreous.geometry.Euler;
import org.vitreous.geometry.Symmetry;
import org.vitreous.io.FormatException;
import org.vitreous.io.MrcFile;
import org.vitreous.io.RelionStar;
import org.vitreous.particles.ParticleSource;
import org.vitreous.particles.StarParticles;
import org.vitreous.projection.FourierProjector;

/**
 * A map from particles with known poses, as relion_reconstruct makes it: the particles of a STAR file stream
 * from their stacks in batches (memory does not grow with their number), are centred by their origin offsets,
 * inserted CTF-weighted at their poses, and the sums are inverted ({@link FourierInversion}).
 */
public final class ParticleReconstruction {

	/** Particles read, transformed and inserted per batch. */
	public static final int BATCH = 256;

	/** What to reconstruct and how. */
	public static final class Settings {
		/**
		 * Multiply by the CTF and weight by CTF² (RELION's --ctf); otherwise insert the images as they are. Off by
		 * default, as relion_reconstruct's is.
		 */
		public boolean ctf = false;
		/** 1 or 2 for one half set (rlnRandomSubset), 0 for all particles. */
		public int subset;
		public Symmetry symmetry = Symmetry.NONE;
		/** Regularisation constant of {@link FourierInversion#invert}. */
		public double wiener = 0;
		/** Density-compensation iterations of {@link FourierInversion#invert} (RELION's --iter). */
		public int griddingIterations = 10;
		/** Fourier padding (RELION's --pad). */
		public int padding = 2;
		/** Å/px for a STAR that states no pixel size (0: the STAR must state it). */
		public double pixelSize = 0;
	}

	/** The map (N³, x fastest), its box, pixel size and how many particles went into it. */
	public record Result(float[] map, int size, double pixelSize, int particles) {}

	private ParticleReconstruction() {}

	/** Reconstructs from the particles of {@code starPath}. */
	public static Result run(final Path starPath, final Settings settings, final ComputeDevice device,
		final Progress progress) throws IOException
	{
		final RelionStar star = RelionStar.read(starPath, settings.pixelSize);
		star.requireColumns("reconstruction", RelionStar.IMAGE_NAME, RelionStar.ANGLE_ROT, RelionStar.ANGLE_TILT,
			RelionStar.ANGLE_PSI);
		if (settings.ctf) CtfStar.requireColumns(star);
		if (settings.subset != 0) {
			if (settings.subset != 1 && settings.subset != 2) throw new IllegalArgumentException("subset "
				+ settings.subset + " is not 0, 1 or 2");
			star.requireColumns("selecting half set " + settings.subset, RelionStar.RANDOM_SUBSET);
		}
		final List<Integer> rows = new ArrayList<>();
		for (int i = 0; i < star.size(); i++)
			if (settings.subset == 0 || star.particle(i).randomSubset() == settings.subset) rows.add(i);
		if (rows.isEmpty()) throw new FormatException(starPath, settings.subset == 0 ? "has no particles"
			: "has no particles in half set " + settings.subset);
		final RelionStar.OpticsGroup optics = star.opticsGroup(star.particle(rows.get(0)).opticsGroup());
		final double pixelSize = optics.imagePixelSize() > 0 ? optics.imagePixelSize() : settings.pixelSize;
		if (!(pixelSize > 0)) throw new FormatException(starPath, "states no rlnImagePixelSize; give the pixel size");
		// the box is the stack's; a STAR that says otherwise is refused before anything is allocated for it
		final Path firstStack = star.particle(rows.get(0)).image().stack();
		final int n = sizeOf(firstStack);
		if (optics.imageSize() > 0 && optics.imageSize() != n) throw new FormatException(starPath, String.format(
			Locale.ROOT, "rlnImageSize is %d, but %s holds images of %d x %d", optics.imageSize(), firstStack
				.getFileName(), n, n));
		requireMemory(starPath, n, settings.padding);
		try (StarParticles source = new StarParticles(star, new RelionStar.ImageGeometry(pixelSize, n))) {
			try (Reconstructor r = new Reconstructor(n, pixelSize, settings.padding, device)) {
				insert(source, null, rows, r, settings.ctf, null, progress);
				progress.report(rows.size(), rows.size(), "inverting");
				final float[] map = FourierInversion.invert(r.accumulator(), settings.symmetry, settings.wiener,
					settings.griddingIterations);
				return new Result(map, n, pixelSize, rows.size());
			}
		}
	}

	/**
	 * Refuses a box whose padded accumulator (data, weights and the inversion's working copies, about 40 bytes per
	 * padded voxel) would not fit the Java heap, naming the box and the heap, before allocating any of it.
	 */
	static void requireMemory(final Path source, final int n, final int padding) throws FormatException {
		final double bytes = 40.0 * Math.pow((double) n * padding, 3) / 2;
		final long heap = Runtime.getRuntime().maxMemory();
		if (bytes > heap) throw new FormatException(source, String.format(Locale.ROOT,
			"a box of %d padded %dx needs about %.1f GB for the reconstruction, more than the %.1f GB Java heap "
				+ "(VITREOUS_JAVA_OPTS=-Xmx... raises it)", n, padding, bytes / 1e9, heap / 1e9));
	}

	/**
	 * Streams particles {@code rows} of {@code source} into {@code reconstructor} in batches, each at its pose and
	 * origin (from {@code poses}, indexed as the source, or the source's own where null), with its CTF if asked
	 * and its intensity scale ({@link Reconstructor#insert(float[], double[][], Ctf[], double[])}; null for all 1).
	 */
	public static void insert(final ParticleSource source, final RelionStar.Particle[] poses, final List<Integer> rows,
		final Reconstructor reconstructor, final boolean ctf, final double[] scales, final Progress progress)
		throws IOException
	{
		final int n = source.boxSize(), length = FourierProjector.sliceLength(n);
		final double pixelSize = source.pixelSize();
		final float[] transforms = new float[BATCH * length];
		for (int start = 0; start < rows.size(); start += BATCH) {
			progress.checkCancelled();
			final int m = Math.min(BATCH, rows.size() - start);
			final RelionStar.Particle[] particles = new RelionStar.Particle[m];
			final double[][] rotations = new double[m][];
			final Ctf[] ctfs = ctf ? new Ctf[m] : null;
			final float[][] pixels = new float[m][];
			for (int i = 0; i < m; i++) {
				final int row = rows.get(start + i);
				particles[i] = poses == null ? source.particle(row) : poses[row];
				rotations[i] = Euler.matrix(particles[i].angleRot(), particles[i].angleTilt(), particles[i].anglePsi());
				if (ctf) ctfs[i] = source.ctf(row);
				pixels[i] = source.image(row);
			}
			Parallel.forRange(m, (s, e) -> {
				for (int i = s; i < e; i++)
					System.arraycopy(FourierFilters.centredTransform(pixels[i], n, particles[i].originXAngst() / pixelSize,
						particles[i].originYAngst() / pixelSize), 0, transforms, i * length, length);
			});
			final double[] a = scales == null ? null : new double[m];
			for (int i = 0; a != null && i < m; i++)
				a[i] = scales[rows.get(start + i)];
			reconstructor.insert(transforms, rotations, ctfs, a);
			progress.report(start + m, rows.size(), "inserting particles");
		}
	}

	private static int sizeOf(final Path stack) throws IOException {
		try (MrcFile f = MrcFile.open(stack)) {
			if (f.width() != f.height()) throw new FormatException(stack, "holds images of " + f.width() + " x " + f
				.height() + "; particles must be square");
			return f.width();
		}
	}
}

package org.vitreous.simulate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import org.vitreous.Progress;
import org.vitreous.compute.ComputeDevice;
import org.vitreous.compute.Parallel;
import org.vitreous.ctf.Ctf;
import org.vitreous.fourier.Fft;
import org.vitreous.fourier.FourierFilters;
import org.vitreous.geometry.Euler;
import org.vitreous.geometry.Quaternion;
import org.vitreous.io.MrcMode;
import org.vitreous.io.MrcWriter;
import org.vitreous.io.SectionSink;
import org.vitreous.io.TiffWriter;
import org.vitreous.motion.DoseWeighting;
import org.vitreous.motion.LocalMotion;
import org.vitreous.motion.MotionStar;

/**
 * Movies with known truth, as a direct electron detector records them: particles of a map at random
 * non-overlapping positions and uniform random poses, in amorphous ice; the CTF of the micrograph (its own defocus,
 * astigmatism and, optionally, phase shift) applied to the whole field; per frame the radiation damage of the
 * exposure so far (the {@link DoseWeighting} critical exposure), a whole-frame shift (a jump that decays plus a
 * steady creep) and optionally a smooth local deformation in MotionCor2's polynomial form; then Poisson counts at
 * the dose per frame through a detector of uneven gain with a few hot pixels. Everything is drawn from one seed:
 * the same seed gives the same bytes.
 */
public final class MovieSimulation {

	/** What to simulate. Lengths in Å unless named otherwise; dose in e/Å². */
	public static final class Settings {
		public int movies = 1, width = 1024, height = 1024, frames = 20;
		/** Å/px of the movies; 0 for the map's. The map is resampled (in Fourier space) to it. */
		public double pixelSize = 0;
		public double dosePerFrame = 1, preExposure = 0;
		/** Particles per movie, placed at random at least one particle diameter apart. */
		public int particles = 40;
		public double defocusMin = 10000, defocusMax = 25000, astigmatism = 500, phaseShift = 0;
		public double voltage = 300, sphericalAberration = 2.7, amplitudeContrast = 0.1;
		/** An envelope B-factor on the CTF (Å²; the micrograph's loss of high-resolution signal, rlnCtfBfactor). */
		public double ctfBFactor = 0;
		/** Standard deviation of the CTF-filtered signal relative to the mean exposure. */
		public double contrast = 0.1;
		/** Amorphous ice: its projected density's standard deviation relative to the particles'. */
		public double ice = 0.5;
		/** The whole-frame drift: a jump of this many px that decays over {@code jumpFrames}, and a creep per frame. */
		public double jump = 6, jumpFrames = 2, creep = 0.15;
		/** The local deformation's largest shift (px) by the last frame; 0 for none. */
		public double localMotion = 0;
		/** Detector gain varying by this fraction (sd) per pixel, written as a gain reference; 0 for an even gain. */
		public double gainSpread = 0;
		public int hotPixels = 0;
		/** Write the expected counts (float) instead of Poisson counts: frames with no noise. */
		public boolean noiseFree = false;
		/**
		 * Write the movies as multi-frame TIFF (Movies/movie_NNNN.tif: 16-bit counts, LZW, as SerialEM writes a
		 * counting detector's movies; 32-bit float when noise-free) instead of MRC stacks.
		 */
		public boolean tiff = false;
		public long seed = 1;
	}

	/** One movie's truth: its motion (RELION's per-movie STAR form), CTF and particles. */
	public record Truth(MotionStar.Motion motion, Ctf ctf, double[][] coordinates, double[][] angles) {}

	private MovieSimulation() {}

	/**
	 * Simulates into {@code folder}: Movies/movie_NNNN.mrcs, movies.star (as relion_import writes it), gain.mrc when
	 * the gain is uneven, and truth/: movie_NNNN.star (the true motion, in the form motion correction writes),
	 * micrographs_ctf.star and particles.star (coordinates, poses, CTF).
	 *
	 * @param map the particle map, N³ at the movie's pixel size
	 */
	public static List<Truth> run(final float[] map, final int mapSize, final double mapPixelSize, final Settings s,
		final Path folder, final ComputeDevice device, final Progress progress, final Path... inputs) throws IOException
	{
		final double pixelSize = s.pixelSize > 0 ? s.pixelSize : mapPixelSize;
		final float[] particle = resample(map, mapSize, mapPixelSize, pixelSize);
		final int n = (int) Math.round(Math.cbrt(particle.length));
		if (s.width < n || s.height < n) throw new IllegalArgumentException("movies of " + s.width + " x " + s.height
			+ " cannot hold particles of " + n + " px");
		final Random random = new Random(s.seed);
		final float[] gain = gain(s, random);
		final int[] hot = new int[s.hotPixels];
		for (int i = 0; i < hot.length; i++)
			hot[i] = random.nextInt(s.width * s.height);
		final Path movies = folder.resolve("Movies"), truthFolder = folder.resolve("truth");
		Files.createDirectories(movies);
		Files.createDirectories(truthFolder);
		final List<Truth> truths = new ArrayList<>();
		final List<String> names = new ArrayList<>();
		// padding 1: the particles are a small part of a field dominated by ice and shot noise
		try (ParticleRenderer renderer = new ParticleRenderer(particle, n, pixelSize, 1, device)) {
			for (int m = 0; m < s.movies; m++) {
				progress.checkCancelled();
				final String name = String.format(Locale.ROOT, "movie_%04d", m + 1), file = name + (s.tiff ? ".tif"
					: ".mrcs");
				final Truth t = movie(renderer, n, pixelSize, s, random, gain, hot, name, movies.resolve(file), inputs);
				MotionStar.write(t.motion(), truthFolder.resolve(name + ".star"), inputs);
				truths.add(t);
				names.add("Movies/" + file);
				progress.report(m + 1, s.movies, "simulating movies");
			}
		}
		if (gain != null) MrcWriter.writeImage(folder.resolve("gain.mrc"), invert(gain), s.width, s.height,
			new MrcWriter.Settings().pixelSize(pixelSize).label("Vitreous simulate-movies: gain reference"), inputs);
		MovieStars.writeMovies(folder.resolve("movies.star"), names, s, pixelSize, inputs);
		MovieStars.writeTruth(truthFolder, names, truths, s, pixelSize, inputs);
		return truths;
	}

	/** The map sampled at {@code to} Å/px (Fourier padding or cropping; the box keeps its length in Å). */
	public static float[] resample(final float[] map, final int n, final double from, final double to) {
		final int m = Math.max(8, 2 * (int) Math.round(n * from / to / 2));
		if (m == n) return map;
		final float[] f = FourierFilters.resize(Fft.forward(map, n, n, n), n, n, n, m, m, m);
		return Fft.inverse(f, m, m, m);
	}

	/** Per-pixel detector sensitivity (null for an even detector). */
	private static float[] gain(final Settings s, final Random random) {
		if (s.gainSpread <= 0) return null;
		final float[] g = new float[s.width * s.height];
		for (int i = 0; i < g.length; i++)
			g[i] = (float) Math.max(0.2, 1 + s.gainSpread * random.nextGaussian());
		return g;
	}

	/** The gain reference a correction multiplies frames by: the inverse of the sensitivity. */
	private static float[] invert(final float[] gain) {
		final float[] r = new float[gain.length];
		for (int i = 0; i < r.length; i++)
			r[i] = 1 / gain[i];
		return r;
	}

	private static Truth movie(final ParticleRenderer renderer, final int n, final double pixelSize, final Settings s,
		final Random random, final float[] gain, final int[] hot, final String name, final Path path,
		final Path... inputs) throws IOException
	{
		final int nx = s.width, ny = s.height;
		// the specimen: particles at random places and poses, and ice
		final double[][] coordinates = place(s, n, random);
		final double[][] angles = new double[coordinates.length][];
		final float[] density = new float[nx * ny];
		final float[] boxes = new float[coordinates.length * n * n];
		final double[][] rotations = new double[coordinates.length][], origins = new double[coordinates.length][];
		for (int i = 0; i < coordinates.length; i++) {
			rotations[i] = Quaternion.random(random).matrix();
			angles[i] = Euler.angles(rotations[i]);
			final double fx = coordinates[i][0] - Math.floor(coordinates[i][0]), fy = coordinates[i][1] - Math.floor(
				coordinates[i][1]);
			origins[i] = new double[] { -fx * pixelSize, -fy * pixelSize };
		}
		if (coordinates.length > 0) renderer.render(rotations, origins, null, boxes);
		final int centre = Fft.imageCentre(n);
		double particleSum = 0, particleSq = 0;
		for (int i = 0; i < coordinates.length; i++) {
			final int x0 = (int) Math.floor(coordinates[i][0]) - centre, y0 = (int) Math.floor(coordinates[i][1]) - centre;
			for (int y = 0; y < n; y++)
				for (int x = 0; x < n; x++) {
					final int xx = x0 + x, yy = y0 + y;
					if (xx < 0 || yy < 0 || xx >= nx || yy >= ny) continue;
					final float v = boxes[(i * n + y) * n + x];
					density[yy * nx + xx] += v;
					particleSum += v;
					particleSq += v * (double) v;
				}
		}
		final double boxPixels = Math.max(1, (double) coordinates.length * n * n);
		final double particleSd = Math.sqrt(Math.max(1e-30, particleSq / boxPixels - Math.pow(particleSum / boxPixels,
			2)));
		addIce(density, nx, ny, pixelSize, s.ice * particleSd, random);
		// the CTF of the micrograph, on the whole field
		final double mean = s.defocusMin + random.nextDouble() * (s.defocusMax - s.defocusMin);
		final double astigmatism = random.nextDouble() * s.astigmatism, angle = random.nextDouble() * 180;
		final Ctf ctf = new Ctf(s.voltage, s.sphericalAberration, s.amplitudeContrast, mean + astigmatism / 2, mean
			- astigmatism / 2, angle, s.phaseShift, s.ctfBFactor, 1);
		final float[] signal = Fft.forward(density, nx, ny, 1);
		ctf.apply(signal, nx, ny, pixelSize);
		// the contrast is measured without the mean (the DC term stays: where there is no specimen the counts are
		// the dose, and the amplitude contrast darkens only where there is density)
		final float[] ac = signal.clone();
		ac[0] = ac[1] = 0;
		final float[] sd = Fft.inverse(ac, nx, ny, 1);
		double sq = 0;
		for (final float v : sd)
			sq += v * (double) v;
		final double scale = sq > 0 ? s.contrast / Math.sqrt(sq / sd.length) : 0;
		for (int i = 0; i < signal.length; i++)
			signal[i] *= scale;
		// the motion
		final double[] sx = new double[s.frames], sy = new double[s.frames];
		final double jumpAngle = random.nextDouble() * 2 * Math.PI, creepAngle = jumpAngle + (random.nextDouble() - 0.5);
		for (int k = 0; k < s.frames; k++) {
			final double jump = s.jump * (1 - Math.exp(-k / Math.max(1e-6, s.jumpFrames))), creep = s.creep * k;
			// RELION's shift is minus the content's displacement
			sx[k] = -(jump * Math.cos(jumpAngle) + creep * Math.cos(creepAngle));
			sy[k] = -(jump * Math.sin(jumpAngle) + creep * Math.sin(creepAngle));
		}
		final LocalMotion local = s.localMotion > 0 ? localField(s, random) : null;
		final double counts = s.dosePerFrame * pixelSize * pixelSize;
		final String label = String.format(Locale.ROOT, "Vitreous simulate-movies: %d frames, %.2f e/A2 per frame, "
			+ "seed %d", s.frames, s.dosePerFrame, s.seed);
		final double[] exposure = new double[s.frames];
		for (int k = 0; k < s.frames; k++)
			exposure[k] = s.preExposure + s.dosePerFrame * (k + 0.5);
		try (SectionSink w = s.tiff ? TiffWriter.open(path, nx, ny, s.noiseFree ? TiffWriter.Type.FLOAT32
			: TiffWriter.Type.UINT16, true, label, inputs) : MrcWriter.open(path, nx, ny, new MrcWriter.Settings()
				.pixelSize(pixelSize).stack().mode(s.noiseFree ? MrcMode.FLOAT32 : MrcMode.INT16).label(label), inputs)) {
			for (int k = 0; k < s.frames; k++) {
				final float[] f = signal.clone();
				damage(f, nx, ny, pixelSize, exposure[k], s.voltage);
				// frame k's content is displaced by −s_k: content at r moves to r − s_k
				FourierFilters.shift(f, nx, ny, 1, -sx[k], -sy[k], 0);
				float[] frame = Fft.inverse(f, nx, ny, 1);
				if (local != null) {
					final float[] warped = new float[nx * ny];
					local.warp(frame, nx, ny, k, -1, warped);
					frame = warped;
				}
				final Random noise = new Random(mix(mix(s.seed) ^ name.hashCode() * 0x9E3779B97F4A7C15L + k));
				for (int i = 0; i < frame.length; i++) {
					// known defect: RELION's CTF is that of contrast-inverted images (+Q0 at zero frequency), so this sum
					// makes particles lighter than the background, the opposite of a real micrograph (pick them with
					// --invert); the physical 1 − CTF ⊗ density changes the noise realisation that CtfEstimationTest
					// and DetectorCorrectionTest are calibrated on, and waits for their recalibration (issue 18 note)
					final double expected = Math.max(0, counts * (1 + frame[i])) * (gain == null ? 1 : gain[i]);
					frame[i] = s.noiseFree ? (float) expected : Poisson.sample(noise, expected);
				}
				for (final int h : hot)
					frame[h] += s.noiseFree ? 0 : 40 * counts + 20;
				w.writeSection(frame);
			}
			w.commit();
		}
		final MotionStar.Motion motion = new MotionStar.Motion(nx, ny, s.frames, "Movies/" + path.getFileName(), pixelSize,
			s.dosePerFrame, s.preExposure, s.voltage, sx, sy, local, hot.clone(), List.of());
		return new Truth(motion, ctf, coordinates, angles);
	}

	/**
	 * SplitMix64's finaliser: seeds that differ in one bit give unrelated generators. java.util.Random seeded with
	 * consecutive numbers gives sequences offset by a fixed amount per draw, so that some pixels drew alike in every
	 * frame (a fixed pattern of bright pixels, measured at 10 standard deviations in an 8-frame sum).
	 */
	static long mix(final long seed) {
		long z = seed + 0x9E3779B97F4A7C15L;
		z = (z ^ z >>> 30) * 0xBF58476D1CE4E5B9L;
		z = (z ^ z >>> 27) * 0x94D049BB133111EBL;
		return z ^ z >>> 31;
	}

	/** Multiplies the signal by the exposure filter exp(−N / (2·Ne(k))) of the dose so far. */
	private static void damage(final float[] f, final int nx, final int ny, final double pixelSize,
		final double exposure, final double voltage)
	{
		final double factor = DoseWeighting.voltageFactor(voltage);
		FourierFilters.apply(f, nx, ny, 1, pixelSize, k -> Math.exp(-exposure / (2 * DoseWeighting.criticalExposure(k)
			* factor)));
	}

	/** Random particle centres (px) at least a particle's box apart and a half-box from the edges. */
	private static double[][] place(final Settings s, final int n, final Random random) {
		final List<double[]> centres = new ArrayList<>();
		int tries = 0;
		while (centres.size() < s.particles && tries++ < 100 * Math.max(1, s.particles)) {
			final double x = n / 2.0 + random.nextDouble() * (s.width - n), y = n / 2.0 + random.nextDouble() * (s.height
				- n);
			boolean free = true;
			for (final double[] c : centres)
				if (Math.hypot(c[0] - x, c[1] - y) < n) free = false;
			if (free) centres.add(new double[] { x, y });
		}
		return centres.toArray(double[][]::new);
	}

	/** Adds amorphous ice: Gaussian noise with the power of a solvent, falling off beyond 1/(5 Å). */
	private static void addIce(final float[] density, final int nx, final int ny, final double pixelSize,
		final double sd, final Random random)
	{
		if (sd <= 0) return;
		final float[] noise = new float[nx * ny];
		for (int i = 0; i < noise.length; i++)
			noise[i] = (float) random.nextGaussian();
		final float[] f = Fft.forward(noise, nx, ny, 1);
		FourierFilters.apply(f, nx, ny, 1, pixelSize, k -> 1 / (1 + Math.pow(k * 5, 2)));
		final float[] ice = Fft.inverse(f, nx, ny, 1);
		double sq = 0;
		for (final float v : ice)
			sq += v * (double) v;
		final double scale = sd / Math.sqrt(sq / ice.length);
		Parallel.forRange(ice.length, (a, b) -> {
			for (int i = a; i < b; i++)
				density[i] += (float) (scale * ice[i]);
		});
	}

	/** A smooth random local field whose shifts reach about {@code localMotion} px by the last frame. */
	private static LocalMotion localField(final Settings s, final Random random) {
		final double[] cx = new double[LocalMotion.TERMS], cy = new double[LocalMotion.TERMS];
		// spatial terms x, x², y, y², xy reach 0.5, 0.25, 0.5, 0.25, 0.25 at the corners; the constant is global
		final double[] reach = { 0, 0.5, 0.25, 0.5, 0.25, 0.25 };
		final double z = s.frames - 1;
		for (int b = 1; b < 6; b++) {
			// mostly linear in time, with some curvature
			final double ax = s.localMotion * random.nextGaussian() / (reach[b] * Math.sqrt(5)), ay = s.localMotion * random
				.nextGaussian() / (reach[b] * Math.sqrt(5));
			cx[3 * b] = 0.7 * ax / z;
			cx[3 * b + 1] = 0.3 * ax / (z * z);
			cy[3 * b] = 0.7 * ay / z;
			cy[3 * b + 1] = 0.3 * ay / (z * z);
		}
		return new LocalMotion(cx, cy);
	}
}

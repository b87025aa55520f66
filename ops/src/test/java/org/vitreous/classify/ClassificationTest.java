package org.vitreous.classify;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.Test;
import org.junit.experimental.categories.Category;
import org.vitreous.Progress;
import org.vitreous.compute.ComputeDevice;
import org.vitreous.geometry.Euler;
import org.vitreous.io.CubicMap;
import org.vitreous.io.ImageReference;
import org.vitreous.io.MrcFile;
import org.vitreous.io.MrcWriter;
import org.vitreous.io.RelionStar;
import org.vitreous.simulate.ParticleSimulation;
import org.vitreous.testing.SlowTest;
import org.vitreous.testing.TestData;

/**
 * Reference-free 2D classification of simulated particles of a real structure (the ribosome map of
 * ../shared/data): the classes group particles seen from similar directions, as tightly as the best possible
 * partition of those directions nearly allows, and pure-noise images mixed in end up in the classes that score
 * lowest.
 */
public class ClassificationTest {

	static Path ribosome() {
		return TestData.shared("relion/ribosome_b64.mrc");
	}

	/**
	 * {@code real} particles at {@code snr} (seed 1) and {@code junk} images of pure noise of the same power, in one
	 * STAR file (junk rows last, with the CTFs of real rows); returns the STAR.
	 */
	static Path simulate(final Path folder, final int real, final int junk, final double snr) throws Exception {
		final ParticleSimulation.Settings s = new ParticleSimulation.Settings();
		s.count = real;
		s.snr = snr;
		s.shiftSigma = 6;
		s.seed = 1;
		final CubicMap truth = CubicMap.read(ribosome(), "test");
		ParticleSimulation.run(truth.values(), 64, 6, s, folder, ComputeDevice.JAVA, Progress.NONE);
		final Path starPath = folder.resolve("particles.star");
		final RelionStar star = RelionStar.read(starPath);
		double power = 0;
		try (MrcFile f = MrcFile.open(folder.resolve("particles.mrcs"))) {
			for (int i = 0; i < Math.min(real, 200); i++) {
				final float[] image = f.readSection(i);
				double mean = 0;
				for (final float v : image)
					mean += v;
				mean /= image.length;
				for (final float v : image)
					power += (v - mean) * (v - mean) / image.length;
			}
			power /= Math.min(real, 200);
		}
		final double sigma = Math.sqrt(power);
		final Random random = new Random(99);
		final float[] noise = new float[junk * 64 * 64];
		for (int i = 0; i < noise.length; i++)
			noise[i] = (float) (random.nextGaussian() * sigma);
		final Path junkStack = folder.resolve("junk.mrcs");
		if (junk > 0) MrcWriter.write(junkStack, net.imglib2.img.array.ArrayImgs.floats(noise, 64, 64, junk),
			new MrcWriter.Settings().pixelSize(6).stack());
		for (int i = 0; i < junk; i++) {
			final RelionStar.Particle p = star.particle(random.nextInt(real));
			star.add(new RelionStar.Particle(new ImageReference(i + 1, junkStack), 0, 0, 0, 0, 0, p.defocusU(), p
				.defocusV(), p.defocusAngle(), p.opticsGroup(), p.randomSubset(), 0), folder);
		}
		final Path mixed = folder.resolve("mixed.star");
		star.write(mixed);
		return mixed;
	}

	/** The run's classes, and per class its real members' true view directions and its count of junk images. */
	record Outcome(Classify2d.Result result, List<List<double[]>> directions, int[] junkIn, int[] realIn) {}

	static Outcome classify(final Path folder, final int real, final int junk, final double snr, final int classes)
		throws Exception
	{
		final Path star = simulate(folder, real, junk, snr);
		final Classify2d.Settings s = new Classify2d.Settings();
		s.classes = classes;
		s.iterations = 25;
		s.particleDiameter = 320;
		final long t0 = System.nanoTime();
		final Classify2d.Result r = Classify2d.run(star, folder.resolve("out"), s, Progress.NONE,
			System.out::println);
		System.out.printf("classify-2d: %d images at SNR %.2f, K = %d, %.1f s%n", real + junk, snr, classes, (System
			.nanoTime() - t0) / 1e9);
		for (final String f : new String[] { "classes.mrcs", "classes.star", "particles.star", "run.log" })
			assertTrue(f, Files.exists(folder.resolve("out").resolve(f)));
		final RelionStar truth = RelionStar.read(folder.resolve("particles.star")), out = RelionStar.read(folder.resolve(
			"out/particles.star"));
		assertEquals(real + junk, out.size());
		final List<List<double[]>> directions = new ArrayList<>();
		final int[] junkIn = new int[classes + 1], realIn = new int[classes + 1];
		for (int c = 0; c <= classes; c++)
			directions.add(new ArrayList<>());
		for (int i = 0; i < out.size(); i++) {
			final int c = out.particle(i).classNumber();
			if (i >= real) {
				junkIn[c]++;
				continue;
			}
			realIn[c]++;
			final RelionStar.Particle t = truth.particle(i);
			directions.get(c).add(Euler.direction(t.angleRot(), t.angleTilt()));
		}
		return new Outcome(r, directions, junkIn, realIn);
	}

	/** The median angle of {@code members} from their mean direction, degrees. */
	static double spread(final List<double[]> members) {
		final double[] mean = new double[3];
		for (final double[] v : members)
			for (int j = 0; j < 3; j++)
				mean[j] += v[j];
		final double norm = Math.sqrt(mean[0] * mean[0] + mean[1] * mean[1] + mean[2] * mean[2]);
		final double[] angles = new double[members.size()];
		for (int j = 0; j < members.size(); j++) {
			final double[] v = members.get(j);
			angles[j] = Math.toDegrees(Math.acos(Math.min(1, (v[0] * mean[0] + v[1] * mean[1] + v[2] * mean[2]) / norm)));
		}
		Arrays.sort(angles);
		return angles[angles.length / 2];
	}

	/** The median over groups (of at least 10 members) of their spreads. */
	static double medianSpread(final List<List<double[]>> groups) {
		final double[] spreads = groups.stream().filter(g -> g.size() >= 10).mapToDouble(ClassificationTest::spread)
			.sorted().toArray();
		return spreads[spreads.length / 2];
	}

	/**
	 * The tightest grouping of {@code directions} into {@code k} sets that a classifier could hope for: spherical
	 * k-means (each set the directions nearest its centre), best median spread of a few seeded starts.
	 */
	static double idealSpread(final List<double[]> directions, final int k) {
		double best = Double.MAX_VALUE;
		final Random random = new Random(5);
		for (int start = 0; start < 4; start++) {
			final double[][] centres = new double[k][];
			for (int c = 0; c < k; c++)
				centres[c] = directions.get(random.nextInt(directions.size())).clone();
			List<List<double[]>> groups = null;
			for (int iteration = 0; iteration < 50; iteration++) {
				groups = new ArrayList<>();
				for (int c = 0; c < k; c++)
					groups.add(new ArrayList<>());
				for (final double[] v : directions) {
					int nearest = 0;
					double bestDot = -2;
					for (int c = 0; c < k; c++) {
						final double dot = v[0] * centres[c][0] + v[1] * centres[c][1] + v[2] * centres[c][2];
						if (dot > bestDot) {
							bestDot = dot;
							nearest = c;
						}
					}
					groups.get(nearest).add(v);
				}
				for (int c = 0; c < k; c++) {
					final double[] m = new double[3];
					for (final double[] v : groups.get(c))
						for (int j = 0; j < 3; j++)
							m[j] += v[j];
					final double norm = Math.sqrt(m[0] * m[0] + m[1] * m[1] + m[2] * m[2]);
					if (norm > 0) for (int j = 0; j < 3; j++)
						centres[c][j] = m[j] / norm;
				}
			}
			best = Math.min(best, medianSpread(groups));
		}
		return best;
	}

	/**
	 * At SNR 0.2, K = 10 on 1,800 particles: the median spread of view directions in a class is within 1.3× of the
	 * best partition of the same directions into 10 (about 26°, no classifier can do better on evenly spread views).
	 */
	@Test
	@Category(SlowTest.class)
	public void classesGroupViewsNearlyAsTightlyAsTheBestPartition() throws Exception {
		final Outcome o = classify(TestData.scratch("classify-views"), 1800, 0, 0.2, 10);
		final List<double[]> all = new ArrayList<>();
		o.directions().forEach(all::addAll);
		final double spread = medianSpread(o.directions()), ideal = idealSpread(all, 10);
		System.out.printf("median spread of view directions in a class %.1f°, best partition %.1f°%n", spread, ideal);
		assertTrue("median spread " + spread + "° against the best partition's " + ideal + "°", spread < 1.3 * ideal);
	}

	/**
	 * At SNR 0.05, K = 10 on 1,800 particles and 200 images of pure noise: at least 90% of the noise lands in the
	 * lowest-scoring classes that together hold as many images as there are noise images.
	 */
	@Test
	@Category(SlowTest.class)
	public void junkEndsUpInTheLowestScoringClasses() throws Exception {
		final int real = 1800, junk = 200, k = 10;
		final Outcome o = classify(TestData.scratch("classify-junk"), real, junk, 0.05, k);
		final List<Classify2d.ClassSummary> byScore = new ArrayList<>(o.result().classes());
		byScore.sort((a, b) -> Double.compare(a.score(), b.score()));
		int junkInLow = 0, lowClasses = 0, covered = 0;
		for (final Classify2d.ClassSummary c : byScore) {
			if (covered >= junk) break;
			covered += o.realIn()[c.number()] + o.junkIn()[c.number()];
			junkInLow += o.junkIn()[c.number()];
			lowClasses++;
		}
		for (final Classify2d.ClassSummary c : byScore)
			System.out.printf("class %2d: %5d real, %4d junk, score %.4f, fraction %.3f%n", c.number(), o.realIn()[c
				.number()], o.junkIn()[c.number()], c.score(), c.fraction());
		System.out.printf("%d of %d junk images in the %d lowest-scoring classes; median view spread of the others "
			+ "%.1f°%n", junkInLow, junk, lowClasses, medianSpread(o.directions()));
		assertTrue(junkInLow + " of " + junk + " junk images in the low classes", junkInLow >= 0.9 * junk);
	}
}

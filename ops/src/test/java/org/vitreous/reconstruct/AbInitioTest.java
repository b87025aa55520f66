package org.vitreous.reconstruct;

import static org.junit.Assert.assertTrue;

import java.nio.file.Path;

import org.junit.Test;
import org.junit.experimental.categories.Category;
import org.vitreous.Progress;
import org.vitreous.compute.ComputeDevice;
import org.vitreous.io.CubicMap;
import org.vitreous.metrics.Fsc;
import org.vitreous.metrics.MapAlignment;
import org.vitreous.simulate.ParticleSimulation;
import org.vitreous.testing.SlowTest;
import org.vitreous.testing.TestData;

/**
 * Ab initio on simulated particles of an asymmetric real structure (the ribosome map of ../shared/data, 64 px
 * at 6 Å) at SNR 0.05: the map, superposed on the truth with both hands tried, reaches FSC 0.5 within 4 pixels;
 * and the superposition itself recovers a known rotation, shift and hand.
 */
public class AbInitioTest {

	static Path ribosome() {
		return TestData.shared("relion/ribosome_b64.mrc");
	}

	@Test
	public void alignmentFindsAKnownRotationShiftAndHand() throws Exception {
		final CubicMap truth = CubicMap.read(ribosome(), "test");
		final int n = truth.size();
		final double[] r = org.vitreous.geometry.Euler.matrix(40, 70, -100);
		float[] moved = MapAlignment.rotate(truth.values(), n, r);
		final float[] f = org.vitreous.fourier.Fft.forward(moved, n, n, n);
		org.vitreous.fourier.FourierFilters.shift(f, n, n, n, 3, -2, 1);
		moved = org.vitreous.fourier.Fft.inverse(f, n, n, n);
		for (final boolean mirror : new boolean[] { false, true }) {
			final float[] input = mirror ? MapAlignment.mirrorZ(moved, n) : moved;
			final MapAlignment.Result a = MapAlignment.align(truth.values(), input, n, truth.pixelSize(), 20);
			final Fsc.Curve c = Fsc.compute(truth.values(), a.aligned(), n, n, n, null, truth.pixelSize());
			System.out.printf("mirror %b: found mirrored %b, correlation %.3f, FSC 0.5 at %.1f Å%n", mirror, a.mirrored(), a
				.correlation(), c.resolutionAt(0.5));
			assertTrue(mirror == a.mirrored());
			if (!mirror) assertTrue("rotation off by " + Math.toDegrees(org.vitreous.geometry.Rotations.angle(a.rotation(),
				org.vitreous.geometry.Rotations.transpose(r))) + "°", Math.toDegrees(org.vitreous.geometry.Rotations.angle(a
					.rotation(), org.vitreous.geometry.Rotations.transpose(r))) < 2);
			assertTrue("FSC 0.5 at " + c.resolutionAt(0.5), c.resolutionAt(0.5) < 15);
		}
	}

	@Test
	@Category(SlowTest.class)
	public void abInitioMapMatchesTheTruthWithinFourPixels() throws Exception {
		final Path folder = TestData.scratch("ab-initio");
		final ParticleSimulation.Settings s = new ParticleSimulation.Settings();
		s.count = 3000;
		s.snr = 0.05;
		s.shiftSigma = 1;
		s.seed = 1;
		final CubicMap truth = CubicMap.read(ribosome(), "test");
		final int n = truth.size();
		ParticleSimulation.run(truth.values(), n, truth.pixelSize(), s, folder, ComputeDevice.JAVA, Progress.NONE);
		final AbInitio.Settings a = new AbInitio.Settings(); // the defaults: 60 iterations, 35 -> 20 Å, 15° poses
		a.particleDiameter = 320;
		final long t0 = System.nanoTime();
		final AbInitio.Result r = AbInitio.run(folder.resolve("particles.star"), folder.resolve("out"), a,
			ComputeDevice.JAVA, Progress.NONE, System.out::println);
		final double seconds = (System.nanoTime() - t0) / 1e9;
		final MapAlignment.Result aligned = MapAlignment.align(truth.values(), r.map(), n, truth.pixelSize(), 25);
		final Fsc.Curve c = Fsc.compute(truth.values(), aligned.aligned(), n, n, n, null, truth.pixelSize());
		final double pixels = c.resolutionAt(0.5) / truth.pixelSize();
		System.out.printf("ab initio: %d particles, %.0f s; aligned (mirrored %b, correlation %.3f): FSC 0.5 at %.1f Å "
			+ "= %.2f px%n", s.count, seconds, aligned.mirrored(), aligned.correlation(), c.resolutionAt(0.5), pixels);
		new CubicMap(aligned.aligned(), n, truth.pixelSize()).write(folder.resolve("aligned.mrc"), "test");
		assertTrue("FSC 0.5 at " + pixels + " px", pixels <= 4);
	}
}

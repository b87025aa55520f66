package org.vitreous.reconstruct;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;

import org.junit.Test;
import org.junit.experimental.categories.Category;
import org.vitreous.Progress;
import org.vitreous.compute.ComputeDevice;
import org.vitreous.fourier.Fft;
import org.vitreous.fourier.FourierFilters;
import org.vitreous.geometry.Euler;
import org.vitreous.geometry.Rotations;
import org.vitreous.io.CubicMap;
import org.vitreous.io.RelionStar;
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
		final double[] r = Euler.matrix(40, 70, -100);
		float[] moved = MapAlignment.rotate(truth.values(), n, r);
		final float[] f = Fft.forward(moved, n, n, n);
		FourierFilters.shift(f, n, n, n, 3, -2, 1);
		moved = Fft.inverse(f, n, n, n);
		for (final boolean mirror : new boolean[] { false, true }) {
			final float[] input = mirror ? MapAlignment.mirrorZ(moved, n) : moved;
			final MapAlignment.Result a = MapAlignment.align(truth.values(), input, n, truth.pixelSize(), 20);
			final Fsc.Curve c = Fsc.compute(truth.values(), a.aligned(), n, n, n, null, truth.pixelSize());
			System.out.printf("mirror %b: found mirrored %b, correlation %.3f, FSC 0.5 at %.1f Å%n", mirror, a.mirrored(), a
				.correlation(), c.resolutionAt(0.5));
			assertTrue(mirror == a.mirrored());
			if (!mirror) assertTrue("rotation off by " + Math.toDegrees(Rotations.angle(a.rotation(),
				Rotations.transpose(r))) + "°", Math.toDegrees(Rotations.angle(a
					.rotation(), Rotations.transpose(r))) < 2);
			assertTrue("FSC 0.5 at " + c.resolutionAt(0.5), c.resolutionAt(0.5) < 15);
		}
	}

	@Test
	@Category(SlowTest.class)
	public void abInitioMapMatchesTheTruthWithinFourPixels() throws Exception {
		final ParticleSimulation.Settings s = new ParticleSimulation.Settings();
		s.count = 3000;
		s.snr = 0.05;
		s.shiftSigma = 1;
		s.seed = 1;
		final CubicMap truth = CubicMap.read(ribosome(), "test");
		final int n = truth.size();
		// the core on particles held in memory (issue 16): no file written; AbInitioCommandTest runs the file driver
		final ParticleSimulation.Simulated simulated = ParticleSimulation.simulate(truth.values(), n, truth
			.pixelSize(), s, ComputeDevice.JAVA, Progress.NONE);
		final AbInitio.Settings a = new AbInitio.Settings(); // the defaults: 60 iterations, 35 -> 20 Å, 15° poses
		a.particleDiameter = 320;
		final long t0 = System.nanoTime();
		final AbInitio.Result r = AbInitio.reconstruct(simulated.particles(), a, ComputeDevice.JAVA, Progress.NONE,
			System.out::println);
		final double seconds = (System.nanoTime() - t0) / 1e9;
		final MapAlignment.Result aligned = MapAlignment.align(truth.values(), r.map(), n, truth.pixelSize(), 25);
		final Fsc.Curve c = Fsc.compute(truth.values(), aligned.aligned(), n, n, n, null, truth.pixelSize());
		final double pixels = c.resolutionAt(0.5) / truth.pixelSize();
		System.out.printf("ab initio: %d particles, %.0f s; aligned (mirrored %b, correlation %.3f): FSC 0.5 at %.1f Å "
			+ "= %.2f px%n", s.count, seconds, aligned.mirrored(), aligned.correlation(), c.resolutionAt(0.5), pixels);
		assertEquals(s.count, r.particles().length);
		for (final RelionStar.Particle p : r.particles())
			assertTrue(p.randomSubset() == 1 || p.randomSubset() == 2);
		assertTrue("FSC 0.5 at " + pixels + " px", pixels <= 4);
	}
}

package org.vitreous.projection;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Random;

import org.junit.Test;
import org.vitreous.compute.ComputeDevice;
import org.vitreous.fourier.Fft;
import org.vitreous.geometry.Euler;
import org.vitreous.geometry.Rotations;
import org.vitreous.simulate.Phantoms;
import org.vitreous.testing.Devices;

/**
 * Projectors against analytic truth (a Gaussian blob projects to a 2D Gaussian), adjoint dot-product tests, and
 * Java against OpenCL.
 */
public class ProjectorTest {

	static float[] blob(final int nx, final int ny, final int nz, final double[] centre, final double sigma) {
		final float[] v = new float[nx * ny * nz];
		for (int z = 0; z < nz; z++)
			for (int y = 0; y < ny; y++)
				for (int x = 0; x < nx; x++) {
					final double dx = x - nx / 2 - centre[0], dy = y - ny / 2 - centre[1], dz = z - nz / 2 - centre[2];
					v[(z * ny + y) * nx + x] = (float) Math.exp(-(dx * dx + dy * dy + dz * dz) / (2 * sigma * sigma));
				}
		return v;
	}

	static double relativeDifference(final float[] a, final float[] b) {
		double d = 0, n = 0;
		for (int i = 0; i < a.length; i++) {
			d += (a[i] - (double) b[i]) * (a[i] - (double) b[i]);
			n += a[i] * (double) a[i];
		}
		return Math.sqrt(d / n);
	}

	static double dot(final float[] a, final float[] b) {
		double s = 0;
		for (int i = 0; i < Math.min(a.length, b.length); i++)
			s += a[i] * (double) b[i];
		return s;
	}

	@Test
	public void gaussianBlobProjectsToTheAnalyticGaussian() {
		final int n = 64;
		final double sigma = 3;
		final double[] d = { 5, -3, 2 };
		final FourierVolume volume = FourierVolume.of(blob(n, n, n, d, sigma), n, 2);
		final double[][] poses = { Euler.matrix(0, 0, 0), Euler.matrix(102.9356, 129.7422, -138.4105), Euler.matrix(
			-30, 75, 200) };
		final float[] slices = new float[poses.length * FourierProjector.sliceLength(n)];
		try (FourierProjector p = FourierProjector.create(volume, n / 2.0, ComputeDevice.JAVA)) {
			p.project(poses, slices);
		}
		for (int i = 0; i < poses.length; i++) {
			final float[] slice = java.util.Arrays.copyOfRange(slices, i * FourierProjector.sliceLength(n), (i + 1)
				* FourierProjector.sliceLength(n));
			final float[] image = Fft.inverseCentred(slice, n, n, 1);
			final double[] c = Rotations.apply(poses[i], d);
			final double peak = Math.sqrt(2 * Math.PI) * sigma;
			double worst = 0, sum = 0, mx = 0, my = 0, local = 0;
			for (int y = 0; y < n; y++)
				for (int x = 0; x < n; x++) {
					final double dx = x - n / 2 - c[0], dy = y - n / 2 - c[1];
					final double expected = peak * Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma));
					final float v = image[y * n + x];
					worst = Math.max(worst, Math.abs(v - expected));
					sum += v;
					if (dx * dx + dy * dy < 9 * sigma * sigma) { // centroid within 3σ of the expected centre
						local += v;
						mx += v * (x - n / 2);
						my += v * (y - n / 2);
					}
				}
			// The gridding correction (÷ sinc², as RELION) is exact on average over poses; at the identity the slice
			// falls on grid points, there is no interpolation to correct, and it over-corrects by about 1% here.
			final double tolerance = i == 0 ? 0.015 : 0.005;
			assertTrue("pose " + i + ": largest error " + worst + " of a peak of " + peak, worst < tolerance * peak);
			// the zero frequency is never interpolated, so the mass carries the same over-correction at every pose
			assertEquals("mass", 2 * Math.PI * sigma * sigma * peak, sum, 0.02 * sum);
			assertEquals("centroid x", c[0], mx / local, 0.02);
			assertEquals("centroid y", c[1], my / local, 0.02);
		}
	}

	@Test
	public void tiltedGaussianBlobProjectsToTheAnalyticGaussian() {
		final int nx = 64, ny = 48, nz = 32;
		final double sigma = 3;
		final double[] d = { 6, -4, 3 };
		final double[] tilts = { -60, -21, 0, 33, 60 };
		final float[] series = new float[nx * ny * tilts.length];
		try (TiltProjector p = TiltProjector.create(nx, ny, nz, tilts, ComputeDevice.JAVA)) {
			p.project(blob(nx, ny, nz, d, sigma), series);
		}
		final double peak = Math.sqrt(2 * Math.PI) * sigma;
		for (int t = 0; t < tilts.length; t++) {
			final double a = Math.toRadians(tilts[t]);
			final double uc = d[0] * Math.cos(a) - d[2] * Math.sin(a);
			// the linear-interpolation footprint widens the profile along u by a variance of 1/6 px² at most
			final double su = Math.sqrt(sigma * sigma + 1.0 / 6);
			double worst = 0;
			for (int y = 0; y < ny; y++)
				for (int u = 0; u < nx; u++) {
					final double du = u - nx / 2 - uc, dy = y - ny / 2 - d[1];
					final double expected = peak * sigma / su * Math.exp(-du * du / (2 * su * su) - dy * dy / (2 * sigma
						* sigma));
					worst = Math.max(worst, Math.abs(series[(t * ny + y) * nx + u] - expected));
				}
			assertTrue("tilt " + tilts[t] + ": largest error " + worst + " of a peak of " + peak, worst < 0.01 * peak);
		}
	}

	@Test
	public void fourierBackProjectorIsTheAdjointInJavaAndOpenCl() {
		adjointFourier(ComputeDevice.JAVA);
		adjointFourier(Devices.openCl());
	}

	private static void adjointFourier(final ComputeDevice device) {
		final int n = 24, pad = 2, p = n * pad, count = 7;
		final Random r = new Random(5);
		final float[] v = new float[Fft.length(p, p, p)];
		for (int i = 0; i < v.length; i++)
			v[i] = (float) r.nextGaussian();
		final double[][] poses = new double[count][];
		for (int i = 0; i < count; i++)
			poses[i] = Rotations.random(r);
		final float[] s = new float[count * FourierProjector.sliceLength(n)];
		for (int i = 0; i < s.length; i++)
			s[i] = (float) r.nextGaussian();
		final float[] pv = new float[s.length];
		try (FourierProjector fp = FourierProjector.create(FourierVolume.wrap(v, n, pad), n / 2.0, device);
			FourierBackProjector bp = FourierBackProjector.create(n, pad, n / 2.0, device))
		{
			fp.project(poses, pv);
			bp.insert(poses, s, null);
			final double left = dot(pv, s), right = dot(v, bp.accumulator().data());
			assertEquals(device + ": <Pv, s> = <v, Pᵀs>", left, right, 1e-4 * Math.abs(left));
		}
	}

	@Test
	public void tiltBackProjectorIsTheAdjointInJavaAndOpenCl() {
		adjointTilt(ComputeDevice.JAVA);
		adjointTilt(Devices.openCl());
	}

	private static void adjointTilt(final ComputeDevice device) {
		final int nx = 40, ny = 9, nz = 17;
		final double[] tilts = { -70, -45.5, -10, 0, 12.5, 50, 85, 120 };
		final Random r = new Random(9);
		final float[] v = new float[nx * ny * nz], s = new float[nx * ny * tilts.length];
		for (int i = 0; i < v.length; i++)
			v[i] = (float) r.nextGaussian();
		for (int i = 0; i < s.length; i++)
			s[i] = (float) r.nextGaussian();
		final float[] pv = new float[s.length], ps = new float[v.length];
		try (TiltProjector t = TiltProjector.create(nx, ny, nz, tilts, device)) {
			t.project(v, pv);
			t.backProject(s, ps);
		}
		final double left = dot(pv, s), right = dot(v, ps);
		assertEquals(device + ": <Pv, s> = <v, Pᵀs>", left, right, 1e-4 * Math.abs(left));
	}

	/**
	 * The one-pass back-projection reads each row at the nearest of 16 samples per pixel, within 1/32 px of where
	 * the exact one interpolates: on white noise each read is off by δ·(step between neighbours), δ spread evenly
	 * over ±1/32, so a voxel's RMS difference is √(tilts · E[step²] / (3 · 32²)) (less where reads fall off the
	 * detector). Truncating instead of rounding would double it. On a smooth blob the two are nearly the same. Odd
	 * sizes and tilts beyond 90° reach the buffer's margins.
	 */
	@Test
	public void oneShotBackProjectionStaysWithinItsInterpolationError() {
		final int nx = 41, ny = 5, nz = 23;
		final double[] tilts = { -70, -45.5, -10, 0, 12.5, 50, 85, 120 };
		final Random r = new Random(4);
		final float[] noise = new float[nx * ny * tilts.length];
		for (int i = 0; i < noise.length; i++)
			noise[i] = (float) r.nextGaussian();
		final float[] smooth = new float[noise.length];
		try (TiltProjector t = TiltProjector.create(nx, ny, nz, tilts, ComputeDevice.JAVA)) {
			t.project(blob(nx, ny, nz, new double[] { 3, 0, -2 }, 4), smooth);
			for (final float[] series : new float[][] { noise, smooth }) {
				final float[] exact = new float[nx * ny * nz], once = exact.clone();
				t.backProject(series, exact);
				t.backProjectOnce(series, once);
				if (series == smooth) {
					assertTrue("smooth: " + relativeDifference(exact, once), relativeDifference(exact, once) < 0.01);
					continue;
				}
				double squaredSteps = 0, squaredDifferences = 0;
				for (int row = 0; row < ny * tilts.length; row++)
					for (int u = 0; u + 1 < nx; u++)
						squaredSteps += Math.pow(series[row * nx + u + 1] - series[row * nx + u], 2);
				for (int i = 0; i < exact.length; i++)
					squaredDifferences += Math.pow(exact[i] - once[i], 2);
				final double spacing = 1.0 / (2 * TiltProjector.OVERSAMPLING), expected = Math.sqrt(tilts.length
					* squaredSteps / (ny * tilts.length * (nx - 1)) * spacing * spacing / 3), rms = Math.sqrt(
						squaredDifferences / exact.length);
				assertTrue("RMS difference " + rms + ", expected at most " + expected, rms < 1.2 * expected);
				assertTrue("RMS difference " + rms + " far below " + expected + ": not reading where expected", rms > 0.5
					* expected);
			}
		}
	}

	@Test
	public void javaAndOpenClAgree() {
		final ComputeDevice cl = Devices.openCl();
		final int n = 48, count = 12;
		final Random r = new Random(1);
		final FourierVolume volume = FourierVolume.of(Phantoms.gaussianBlobs(n, 20, 3).update(null)
			.getCurrentStorageArray(), n, 2);
		final double[][] poses = new double[count][];
		for (int i = 0; i < count; i++)
			poses[i] = Rotations.random(r);
		final float[] a = new float[count * FourierProjector.sliceLength(n)], b = a.clone();
		try (FourierProjector java = FourierProjector.create(volume, n / 2.0, ComputeDevice.JAVA);
			FourierProjector ocl = FourierProjector.create(volume, n / 2.0, cl))
		{
			java.project(poses, a);
			ocl.project(poses, b);
		}
		assertTrue("projector: " + relativeDifference(a, b), relativeDifference(a, b) < 1e-4);
		final float[] weights = new float[count * (n / 2 + 1) * n];
		for (int i = 0; i < weights.length; i++)
			weights[i] = r.nextFloat();
		try (FourierBackProjector java = FourierBackProjector.create(n, 2, n / 2.0, ComputeDevice.JAVA);
			FourierBackProjector ocl = FourierBackProjector.create(n, 2, n / 2.0, cl))
		{
			java.insert(poses, a, weights);
			ocl.insert(poses, a, weights);
			final FourierAccumulator x = java.accumulator(), y = ocl.accumulator();
			assertTrue("back-projector data: " + relativeDifference(x.data(), y.data()), relativeDifference(x.data(), y
				.data()) < 1e-4);
			assertTrue("back-projector weights", relativeDifference(x.weights(), y.weights()) < 1e-4);
		}
		final int nx = 64, ny = 16, nz = 24;
		final double[] tilts = { -60, -30, -3, 0, 27, 45, 60 };
		final float[] vol = blob(nx, ny, nz, new double[] { 4, 1, -3 }, 4);
		final float[] sj = new float[nx * ny * tilts.length], sc = sj.clone(), bj = vol.clone(), bc = vol.clone();
		try (TiltProjector java = TiltProjector.create(nx, ny, nz, tilts, ComputeDevice.JAVA); TiltProjector ocl =
			TiltProjector.create(nx, ny, nz, tilts, cl))
		{
			java.project(vol, sj);
			ocl.project(vol, sc);
			java.backProject(sj, bj);
			ocl.backProject(sj, bc);
		}
		assertTrue("tilt projector", relativeDifference(sj, sc) < 1e-4);
		assertTrue("tilt back-projector", relativeDifference(bj, bc) < 1e-4);
	}

	/**
	 * A rotation that is not finite (an angle of Infinity once reached the OpenCL kernel and crashed the JVM with an
	 * out-of-bounds write) touches nothing: the sums equal those of the finite slices alone, on OpenCL and Java.
	 */
	@Test
	public void nonFiniteRotationsTouchNothing() {
		final int n = 16, length = FourierProjector.sliceLength(n);
		final Random random = new Random(5);
		final float[] slices = new float[3 * length];
		for (int i = 0; i < slices.length; i++)
			slices[i] = (float) random.nextGaussian();
		final double[] good = Euler.matrix(10, 20, 30), bad = new double[9], infinite = new double[9];
		java.util.Arrays.fill(bad, Double.NaN);
		java.util.Arrays.fill(infinite, Double.POSITIVE_INFINITY);
		for (final ComputeDevice device : new ComputeDevice[] { ComputeDevice.JAVA, Devices.openCl() }) {
			try (FourierBackProjector all = FourierBackProjector.create(n, 2, n / 2.0, device);
				FourierBackProjector one = FourierBackProjector.create(n, 2, n / 2.0, device))
			{
				all.insert(new double[][] { bad, good, infinite }, slices, null);
				one.insert(new double[][] { good }, java.util.Arrays.copyOfRange(slices, length, 2 * length), null);
				org.junit.Assert.assertArrayEquals(device.describe(), one.accumulator().weights(), all.accumulator()
					.weights(), 1e-6f);
				org.junit.Assert.assertArrayEquals(device.describe(), one.accumulator().data(), all.accumulator().data(),
					1e-5f);
			}
		}
	}
}

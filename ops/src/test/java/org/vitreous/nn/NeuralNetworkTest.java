package org.vitreous.nn;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Random;

import org.junit.Test;
import org.vitreous.compute.ComputeDevice;
import org.vitreous.testing.Devices;

/**
 * The nn kit: every layer's gradients (to its inputs and its parameters) against central finite differences of a
 * random linear read-out of its output, the matrix products against a direct triple loop in double and the
 * OpenCL products against the Java ones, Adam's first step against its closed form, and a SIREN fitting a signal.
 */
public class NeuralNetworkTest {

	private static final MatrixProducts JAVA = MatrixProducts.on(ComputeDevice.JAVA);

	private static float[] random(final int n, final Random r, final double scale) {
		final float[] v = new float[n];
		for (int i = 0; i < n; i++)
			v[i] = (float) (scale * (2 * r.nextDouble() - 1));
		return v;
	}

	/** Σ readout·layer(x), in double. */
	private static double objective(final Layer layer, final float[] x, final int batch, final float[] readout) {
		final float[] y = layer.forward(x, batch);
		double s = 0;
		for (int i = 0; i < y.length; i++)
			s += (double) y[i] * readout[i];
		return s;
	}

	/**
	 * Checks the layer's input gradient and parameter gradients against central differences with step h: the
	 * relative error of the whole gradient vector must be below {@code tolerance}.
	 */
	private static void gradientCheck(final String name, final Layer layer, final int batch, final double inputScale,
		final double h, final double tolerance)
	{
		final Random r = new Random(name.hashCode());
		final float[] x = random(batch * layer.inputs(), r, inputScale);
		final float[] readout = random(batch * layer.outputs(), r, 1);
		for (final Parameter p : layer.parameters())
			p.clearGradient();
		layer.forward(x, batch);
		final float[] dx = layer.backward(readout, batch);
		compare(name + " input", dx, i -> {
			final float keep = x[i];
			x[i] = (float) (keep + h);
			final double up = objective(layer, x, batch, readout);
			x[i] = (float) (keep - h);
			final double down = objective(layer, x, batch, readout);
			x[i] = keep;
			return (up - down) / (2 * h);
		}, tolerance);
		for (final Parameter p : layer.parameters()) {
			final float[] analytic = p.gradient.clone();
			compare(name + " " + p.name, analytic, i -> {
				final float keep = p.value[i];
				p.value[i] = (float) (keep + h);
				final double up = objective(layer, x, batch, readout);
				p.value[i] = (float) (keep - h);
				final double down = objective(layer, x, batch, readout);
				p.value[i] = keep;
				return (up - down) / (2 * h);
			}, tolerance);
		}
	}

	private static void compare(final String what, final float[] analytic,
		final java.util.function.IntToDoubleFunction numeric, final double tolerance)
	{
		double diff = 0, norm = 0;
		for (int i = 0; i < analytic.length; i++) {
			final double n = numeric.applyAsDouble(i);
			diff += (n - analytic[i]) * (n - analytic[i]);
			norm += n * n;
		}
		final double relative = Math.sqrt(diff / norm);
		assertTrue(what + ": relative gradient error " + relative, norm > 0 && relative < tolerance);
	}

	@Test
	public void everyLayersGradientMatchesFiniteDifferences() {
		final Random r = new Random(1);
		gradientCheck("dense", new Dense(7, 5, JAVA).initialiseUniform(0.5, 0.5, r), 6, 1, 1e-2, 1e-3);
		gradientCheck("sine", Activation.sine(9, 3), 5, 1, 1e-3, 1e-3);
		gradientCheck("relu", Activation.relu(9), 5, 1, 1e-3, 1e-3);
		gradientCheck("softplus", Activation.softplus(9), 5, 3, 1e-2, 1e-3);
		gradientCheck("fourier features", new FourierFeatures(3, 8, 1.5, 2), 4, 1, 1e-3, 2e-3);
		gradientCheck("siren", Network.siren(new FourierFeatures(3, 6, 1, 3), 3, 16, 3, 1, 30, Activation.softplus(1), 4,
			JAVA), 5, 1, 1e-3, 1e-2);
	}

	@Test
	public void matrixProductsMatchATripleLoopAndOpenClMatchesJava() {
		final Random r = new Random(2);
		final int m = 37, k = 13, n = 21;
		final float[] a = random(m * k, r, 1), b = random(k * n, r, 1), bt = random(n * k, r, 1), c = random(m * n, r, 1);
		final float[] ab = new float[m * n], abt = new float[m * n], atb = new float[k * n];
		JAVA.ab(a, b, m, k, n, ab);
		JAVA.abt(a, bt, m, k, n, abt);
		JAVA.atb(a, c, m, k, n, atb);
		for (int i = 0; i < m; i++)
			for (int j = 0; j < n; j++) {
				double s = 0, t = 0;
				for (int l = 0; l < k; l++) {
					s += (double) a[i * k + l] * b[l * n + j];
					t += (double) a[i * k + l] * bt[j * k + l];
				}
				assertEquals(s, ab[i * n + j], 1e-5);
				assertEquals(t, abt[i * n + j], 1e-5);
			}
		for (int l = 0; l < k; l++)
			for (int j = 0; j < n; j++) {
				double s = 0;
				for (int i = 0; i < m; i++)
					s += (double) a[i * k + l] * c[i * n + j];
				assertEquals(s, atb[l * n + j], 1e-5);
			}
		final MatrixProducts cl = MatrixProducts.on(Devices.openCl());
		final float[] ab2 = new float[m * n], abt2 = new float[m * n], atb2 = new float[k * n];
		cl.ab(a, b, m, k, n, ab2);
		cl.abt(a, bt, m, k, n, abt2);
		cl.atb(a, c, m, k, n, atb2);
		for (int i = 0; i < ab.length; i++) {
			assertEquals(ab[i], ab2[i], 1e-5);
			assertEquals(abt[i], abt2[i], 1e-5);
		}
		for (int i = 0; i < atb.length; i++)
			assertEquals(atb[i], atb2[i], 1e-5);
	}

	@Test
	public void adamsFirstStepIsTheRateTimesTheGradientsSign() {
		final Parameter p = new Parameter("p", 3);
		p.value[0] = 1;
		p.value[1] = -2;
		p.value[2] = 0.5f;
		p.gradient[0] = 4;
		p.gradient[1] = -0.01f;
		p.gradient[2] = 0;
		final Adam adam = new Adam(List.of(p), 0.1);
		adam.step();
		// m̂ = g and v̂ = g² after one step, so the step is lr·g/(|g| + ε)
		assertEquals(0.9, p.value[0], 1e-6);
		assertEquals(-2 + 0.1 * 0.01 / (0.01 + 1e-8), p.value[1], 1e-6);
		assertEquals(0.5, p.value[2], 0);
		assertEquals(0, p.gradient[0], 0);
		// and it minimises a quadratic: (p − 3)² from 1
		final Parameter q = new Parameter("q", 1);
		q.value[0] = 1;
		final Adam a2 = new Adam(List.of(q), 0.05);
		for (int i = 0; i < 2000; i++) {
			q.gradient[0] = 2 * (q.value[0] - 3);
			a2.step();
		}
		assertEquals(3, q.value[0], 1e-2);
	}

	@Test
	public void fastSineIsSineToOneInAHundredThousand() {
		double worst = 0;
		for (int i = -2_000_000; i <= 2_000_000; i++) {
			final float x = i * 5e-5f;
			worst = Math.max(worst, Math.abs(FastSine.sin(x) - Math.sin(x)));
			worst = Math.max(worst, Math.abs(FastSine.cos(x) - Math.cos(x)));
		}
		assertTrue("worst error " + worst, worst < 1e-5);
	}

	@Test
	public void meanSquaredErrorAndItsGradient() {
		final float[] g = new float[2];
		assertEquals((1 + 4) / 2.0, MeanSquaredError.loss(new float[] { 1, 0 }, new float[] { 0, 2 }, g), 1e-12);
		assertEquals(1, g[0], 1e-7);
		assertEquals(-2, g[1], 1e-7);
	}

	/** A SIREN behind Fourier features fits a 32 × 32 image (rings and a step edge) to 1% of its variance in 300 Adam steps. */
	@Test
	public void sirenFitsAnImage() {
		final int n = 32, batch = n * n;
		final float[] coords = new float[2 * batch], target = new float[batch];
		for (int y = 0; y < n; y++)
			for (int x = 0; x < n; x++) {
				final int i = y * n + x;
				coords[2 * i] = 2f * x / n - 1;
				coords[2 * i + 1] = 2f * y / n - 1;
				final double r = Math.hypot(x - n / 2.0, y - n / 2.0);
				target[i] = (float) (Math.cos(r * 0.9) * Math.exp(-r / 12) + (x > 20 && y < 10 ? 0.5 : 0));
			}
		final Network net = Network.siren(new FourierFeatures(2, 32, 3, 5), 2, 64, 3, 1, 30, null, 6, JAVA);
		final Adam adam = new Adam(net.parameters(), 1e-3);
		final float[] grad = new float[batch];
		double loss = 0;
		for (int step = 0; step < 300; step++) {
			loss = MeanSquaredError.loss(net.forward(coords, batch), target, grad);
			net.backward(grad, batch);
			adam.step();
		}
		double variance = 0, mean = 0;
		for (final float t : target)
			mean += t / batch;
		for (final float t : target)
			variance += (t - mean) * (t - mean) / batch;
		assertTrue("SIREN loss " + loss + " of variance " + variance, loss < 0.01 * variance);
	}
}

package org.vitreous.ctf;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;
import org.vitreous.fourier.Fft;

/** The CTF against closed forms: wavelength, zeros, astigmatism, envelope, corrections. */
public class CtfTest {

	@Test
	public void wavelengthIsTheRelativisticOne() {
		// λ = h / √(2 m e V (1 + eV / 2mc²)): 0.019687 Å at 300 kV, 0.025079 Å at 200 kV, 0.037014 Å at 100 kV
		assertEquals(0.019687, Ctf.wavelength(300), 2e-6);
		assertEquals(0.025079, Ctf.wavelength(200), 2e-6);
		assertEquals(0.037014, Ctf.wavelength(100), 2e-6);
	}

	@Test
	public void zerosWithoutAberrationAreAtSqrtKOverLambdaDefocus() {
		// Cs = 0, Q0 = 0: CTF = sin(πλΔf s²), zero at s = √(k/(λΔf)) and changing sign there
		final double df = 15000;
		final Ctf ctf = new Ctf(300, 0, 0, df, df, 0);
		final double lambda = Ctf.wavelength(300);
		for (int k = 1; k <= 8; k++) {
			final double s = Math.sqrt(k / (lambda * df));
			assertEquals(0, ctf.value(s, 0), 1e-9);
			assertTrue(ctf.value(s * 0.99, 0) * ctf.value(s * 1.01, 0) < 0);
		}
		// positive defocus is underfocus: −sin γ = sin(πλΔf s²) > 0 in the first lobe (Q0 = 0)
		assertEquals(Math.sin(Math.PI * lambda * df * 0.0001), ctf.value(0.01, 0), 1e-12);
	}

	@Test
	public void zerosWithSphericalAberrationAndAmplitudeContrast() {
		// γ(s) = −πλΔf s² + π/2·Cs·λ³·s⁴ − atan(Q0/√(1−Q0²)) = −kπ: a quadratic in s²
		final double df = 20000, cs = 2.7e7, q0 = 0.1, lambda = Ctf.wavelength(300);
		final Ctf ctf = new Ctf(300, 2.7, q0, df, df, 0);
		final double a = Math.PI / 2 * cs * lambda * lambda * lambda, b = -Math.PI * lambda * df;
		final double w = Math.atan(q0 / Math.sqrt(1 - q0 * q0));
		assertEquals(q0, ctf.value(0, 0), 1e-12);
		for (int k = 1; k <= 10; k++) {
			final double c = k * Math.PI - w;
			final double s2 = (-b - Math.sqrt(b * b - 4 * a * c)) / (2 * a);
			final double s = Math.sqrt(s2);
			assertEquals("zero " + k, 0, ctf.value(0, s), 1e-9);
			assertTrue(ctf.value(0, s * 0.995) * ctf.value(0, s * 1.005) < 0);
		}
	}

	@Test
	public void astigmatismFollowsTheDefocusAngle() {
		final double lambda = Ctf.wavelength(300);
		final Ctf ctf = new Ctf(300, 0, 0, 20000, 10000, 30);
		final double t = Math.toRadians(30);
		// along the U axis the first zero is at √(1/(λ·20000)), along V at √(1/(λ·10000))
		final double su = Math.sqrt(1 / (lambda * 20000)), sv = Math.sqrt(1 / (lambda * 10000));
		assertEquals(0, ctf.value(su * Math.cos(t), su * Math.sin(t)), 1e-9);
		assertEquals(0, ctf.value(-sv * Math.sin(t), sv * Math.cos(t)), 1e-9);
		assertEquals(15000, ctf.defocus(t + Math.PI / 4), 1e-9);
	}

	@Test
	public void envelopeAndCorrections() {
		final Ctf plain = new Ctf(300, 2.7, 0.1, 15000, 14000, 10);
		final Ctf damped = new Ctf(300, 2.7, 0.1, 15000, 14000, 10, 0, 100, 1);
		assertEquals(plain.value(0.1, 0.05) * Math.exp(-100 * 0.0125 / 4), damped.value(0.1, 0.05), 1e-12);
		final int n = 32;
		final double pixel = 2;
		final float[] f = new float[Fft.length(n, n, 1)];
		java.util.Arrays.fill(f, 1);
		final float[] flipped = f.clone(), wiener = f.clone(), applied = f.clone();
		plain.phaseFlip(flipped, n, n, pixel);
		plain.wiener(wiener, n, n, pixel, 10);
		plain.apply(applied, n, n, pixel);
		final float[] c = plain.image(n, n, pixel), c2 = plain.squared(n, n, pixel);
		final int hx = Fft.halfWidth(n);
		for (int y = 0; y < n; y++)
			for (int x = 0; x < hx; x++) {
				final int i = y * hx + x;
				final double expected = plain.value(x / (n * pixel), Fft.frequency(y, n) / (n * pixel));
				assertEquals(expected, c[i], 1e-6);
				assertEquals(expected * expected, c2[i], 1e-6);
				assertEquals(Math.signum(expected), flipped[2 * i], 0);
				assertEquals(expected / (expected * expected + 0.1), wiener[2 * i], 1e-5);
				assertEquals(expected, applied[2 * i + 1], 1e-6);
			}
	}
}

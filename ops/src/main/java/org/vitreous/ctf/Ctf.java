package org.vitreous.ctf;

import java.util.Locale;
import java.util.function.DoubleUnaryOperator;

import org.vitreous.compute.Parallel;
import org.vitreous.fourier.Fft;

/**
 * The contrast transfer function in RELION's model (FORMATS.md): with Δf(θ) = ½(ΔU+ΔV) + ½(ΔU−ΔV)·cos 2(θ − θ_ast)
 * (positive = underfocus), λ the relativistic wavelength, φ the phase shift and Q0 the amplitude contrast,
 * γ(s) = −πλΔf(θ)s² + (π/2)·Cs·λ³·s⁴ − φ − atan(Q0/√(1−Q0²)) and CTF(s) = −scale·sin γ(s)·exp(−B·s²/4), s in 1/Å.
 * CTF(0) = Q0·scale > 0. Instances are immutable; the same class serves simulation, estimation, correction and
 * reconstruction.
 */
public final class Ctf {

	private final double voltage, sphericalAberration, amplitudeContrast;
	private final double defocusU, defocusV, defocusAngle, phaseShift, bFactor, scale;
	private final double lambda, k1, k2, k3, k5, k4;
	/** Δf(θ)·s² = (ΔU cos²θ' + ΔV sin²θ')·s² as a quadratic form in (sx, sy): xx·sx² + 2xy·sx·sy + yy·sy². */
	private final double defocusXX, defocusXY, defocusYY;

	/**
	 * @param voltage acceleration voltage, kV
	 * @param sphericalAberration Cs, mm
	 * @param amplitudeContrast Q0, 0 to 1 (exclusive)
	 * @param defocusU defocus along the major axis, Å (positive = underfocus)
	 * @param defocusV defocus along the minor axis, Å
	 * @param defocusAngle azimuth of the U axis from x, degrees
	 * @param phaseShift phase-plate shift, degrees
	 * @param bFactor envelope B-factor, Å² (rlnCtfBfactor; positive dampens)
	 * @param scale rlnCtfScalefactor, usually 1
	 */
	public Ctf(final double voltage, final double sphericalAberration, final double amplitudeContrast,
		final double defocusU, final double defocusV, final double defocusAngle, final double phaseShift,
		final double bFactor, final double scale)
	{
		if (!(voltage > 0)) throw new IllegalArgumentException("voltage must be positive (kV), not " + voltage);
		if (!(amplitudeContrast >= 0 && amplitudeContrast < 1)) throw new IllegalArgumentException(
			"amplitude contrast must be in [0, 1), not " + amplitudeContrast);
		this.voltage = voltage;
		this.sphericalAberration = sphericalAberration;
		this.amplitudeContrast = amplitudeContrast;
		this.defocusU = defocusU;
		this.defocusV = defocusV;
		this.defocusAngle = defocusAngle;
		this.phaseShift = phaseShift;
		this.bFactor = bFactor;
		this.scale = scale;
		lambda = wavelength(voltage);
		final double cs = sphericalAberration * 1e7;
		k1 = Math.PI * lambda;
		k2 = Math.PI / 2 * cs * lambda * lambda * lambda;
		k3 = Math.atan(amplitudeContrast / Math.sqrt(1 - amplitudeContrast * amplitudeContrast));
		k4 = -bFactor / 4;
		k5 = Math.toRadians(phaseShift);
		final double meanDefocus = (defocusU + defocusV) / 2, halfAstigmatism = (defocusU - defocusV) / 2;
		final double azimuth = Math.toRadians(defocusAngle);
		final double c2 = Math.cos(2 * azimuth), s2 = Math.sin(2 * azimuth);
		defocusXX = meanDefocus + halfAstigmatism * c2;
		defocusYY = meanDefocus - halfAstigmatism * c2;
		defocusXY = halfAstigmatism * s2;
	}

	/** A CTF without phase shift, envelope or scale. */
	public Ctf(final double voltage, final double sphericalAberration, final double amplitudeContrast,
		final double defocusU, final double defocusV, final double defocusAngle)
	{
		this(voltage, sphericalAberration, amplitudeContrast, defocusU, defocusV, defocusAngle, 0, 0, 1);
	}

	/** Relativistic electron wavelength in Å at {@code kilovolts}. */
	public static double wavelength(final double kilovolts) {
		final double v = kilovolts * 1e3;
		return 12.2643247 / Math.sqrt(v * (1 + 0.978466e-6 * v));
	}

	/** Defocus (Å, positive = underfocus) along azimuth {@code theta} (radians from x). */
	public double defocus(final double theta) {
		final double c = Math.cos(theta), s = Math.sin(theta);
		return defocusXX * c * c + 2 * defocusXY * c * s + defocusYY * s * s;
	}

	/** The phase γ at spatial frequency (sx, sy) in 1/Å. */
	public double phase(final double sx, final double sy) {
		// Δf(θ)·s² without the angle: cos 2(θ − θ_ast)·s² = (sx² − sy²) cos 2θ_ast + 2·sx·sy sin 2θ_ast
		final double s2 = sx * sx + sy * sy;
		final double defocusS2 = defocusXX * sx * sx + 2 * defocusXY * sx * sy + defocusYY * sy * sy;
		return -k1 * defocusS2 + k2 * s2 * s2 - k5 - k3;
	}

	/** CTF at spatial frequency (sx, sy) in 1/Å. */
	public double value(final double sx, final double sy) {
		final double s2 = sx * sx + sy * sy;
		final double v = -scale * Math.sin(phase(sx, sy));
		return k4 == 0 ? v : v * Math.exp(k4 * s2);
	}

	/**
	 * The CTF on the half-complex grid of an nx × ny image (layout of {@link Fft}): {@code hx·ny} real values,
	 * element (x, y) at {@code y·hx + x}.
	 */
	public float[] image(final int nx, final int ny, final double pixelSize) {
		final int hx = Fft.halfWidth(nx);
		final float[] out = new float[hx * ny];
		for (int y = 0; y < ny; y++) {
			final double sy = Fft.frequency(y, ny) / (ny * pixelSize);
			for (int x = 0; x < hx; x++)
				out[y * hx + x] = (float) value(x / (nx * pixelSize), sy);
		}
		return out;
	}

	/** Multiplies a 2D half-complex transform (nx × ny) by the CTF, in place. */
	public void apply(final float[] f, final int nx, final int ny, final double pixelSize) {
		multiply(f, image(nx, ny, pixelSize), nx, ny, v -> v);
	}

	/** Phase flipping: multiplies by the sign of the CTF, in place. */
	public void phaseFlip(final float[] f, final int nx, final int ny, final double pixelSize) {
		multiply(f, image(nx, ny, pixelSize), nx, ny, Math::signum);
	}

	/**
	 * Wiener-style correction F·CTF/(CTF² + 1/snr), in place; {@code snr} is the spectral signal-to-noise ratio
	 * assumed at every frequency.
	 */
	public void wiener(final float[] f, final int nx, final int ny, final double pixelSize, final double snr) {
		final double eps = 1 / snr;
		multiply(f, image(nx, ny, pixelSize), nx, ny, v -> v / (v * v + eps));
	}

	/** CTF² on the half-complex grid (weights for reconstruction). */
	public float[] squared(final int nx, final int ny, final double pixelSize) {
		final float[] c = image(nx, ny, pixelSize);
		for (int i = 0; i < c.length; i++)
			c[i] *= c[i];
		return c;
	}

	private static void multiply(final float[] f, final float[] ctf, final int nx, final int ny,
		final DoubleUnaryOperator map)
	{
		if (f.length != Fft.length(nx, ny, 1)) throw new IllegalArgumentException("transform of " + f.length
			+ " floats is not a half-complex " + nx + " x " + ny + " image");
		Parallel.forRange(ctf.length, (start, end) -> {
			for (int i = start; i < end; i++) {
				final float w = (float) map.applyAsDouble(ctf[i]);
				f[2 * i] *= w;
				f[2 * i + 1] *= w;
			}
		});
	}

	public double voltage() {
		return voltage;
	}

	public double sphericalAberration() {
		return sphericalAberration;
	}

	public double amplitudeContrast() {
		return amplitudeContrast;
	}

	public double defocusU() {
		return defocusU;
	}

	public double defocusV() {
		return defocusV;
	}

	public double defocusAngle() {
		return defocusAngle;
	}

	public double phaseShift() {
		return phaseShift;
	}

	public double bFactor() {
		return bFactor;
	}

	public double scale() {
		return scale;
	}

	/** Electron wavelength, Å. */
	public double lambda() {
		return lambda;
	}

	@Override
	public String toString() {
		return String.format(Locale.ROOT, "CTF(%.0f kV, Cs %.2f mm, Q0 %.3f, dU %.1f, dV %.1f, %.2f°)",
			voltage, sphericalAberration, amplitudeContrast, defocusU, defocusV, defocusAngle);
	}
}

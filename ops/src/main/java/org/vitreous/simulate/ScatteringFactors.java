package org.vitreous.simulate;

import java.util.Map;

/**
 * Elastic electron scattering factors of neutral atoms as sums of five Gaussians, f(s) = Σ aᵢ·exp(−bᵢ·s²) with
 * s = sin θ/λ = k/2 (k the spatial frequency in 1/Å), f in Å: International Tables for Crystallography Vol. C,
 * table 4.3.2.2 (Peng, Ren, Dudarev and Whelan, Acta Cryst. A52, 1996), fitted for s up to 2 Å⁻¹. The elements of
 * biological macromolecules are tabulated; others are reported by {@link #has}.
 */
public final class ScatteringFactors {

	/** a1..a5 then b1..b5, and the standard atomic mass (for centres of mass). */
	private record Entry(double[] a, double[] b, double mass) {}

	private static final Map<String, Entry> TABLE = Map.of( //
		"H", new Entry(new double[] { 0.0349, 0.1201, 0.1970, 0.0573, 0.1195 }, new double[] { 0.5347, 3.5867, 12.3471,
			18.9525, 38.6269 }, 1.008), //
		"C", new Entry(new double[] { 0.0893, 0.2563, 0.7570, 1.0487, 0.3575 }, new double[] { 0.2465, 1.7100, 6.4094,
			18.6113, 50.2523 }, 12.011), //
		"N", new Entry(new double[] { 0.1022, 0.3219, 0.7982, 0.8197, 0.1715 }, new double[] { 0.2451, 1.7481, 6.1925,
			17.3894, 48.1431 }, 14.007), //
		"O", new Entry(new double[] { 0.0974, 0.2921, 0.6910, 0.6990, 0.2039 }, new double[] { 0.2067, 1.3815, 4.6943,
			12.7105, 32.4726 }, 15.999), //
		"P", new Entry(new double[] { 0.2548, 0.6106, 1.4541, 2.3204, 0.8477 }, new double[] { 0.2908, 1.8740, 8.5176,
			24.3434, 63.2996 }, 30.974), //
		"S", new Entry(new double[] { 0.2497, 0.5628, 1.3899, 2.1865, 0.7715 }, new double[] { 0.2681, 1.6711, 7.0267,
			19.5377, 50.3888 }, 32.06));

	private ScatteringFactors() {}

	public static boolean has(final String element) {
		return TABLE.containsKey(element);
	}

	/** The amplitudes aᵢ (Å). */
	public static double[] a(final String element) {
		return entry(element).a.clone();
	}

	/** The widths bᵢ (Å²) in f(s) = Σ aᵢ exp(−bᵢ s²). */
	public static double[] b(final String element) {
		return entry(element).b.clone();
	}

	public static double mass(final String element) {
		return entry(element).mass;
	}

	/** f at spatial frequency k (1/Å), i.e. s = k/2. */
	public static double at(final String element, final double k) {
		final Entry e = entry(element);
		double f = 0;
		for (int i = 0; i < 5; i++)
			f += e.a[i] * Math.exp(-e.b[i] * k * k / 4);
		return f;
	}

	private static Entry entry(final String element) {
		final Entry e = TABLE.get(element);
		if (e == null) throw new IllegalArgumentException("no electron scattering factor for element '" + element
			+ "' (tabulated: " + String.join(", ", new java.util.TreeSet<>(TABLE.keySet())) + ")");
		return e;
	}
}

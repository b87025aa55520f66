package org.vitreous.simulate;

import java.util.Map;
import java.util.TreeSet;

/**
 * Elastic electron scattering factors of neutral atoms as sums of five Gaussians, f(s) = Σ aᵢ·exp(−bᵢ·s²) with
 * s = sin θ/λ = k/2 (k the spatial frequency in 1/Å), f in Å: International Tables for Crystallography Vol. C,
 * table 4.3.2.2 (Peng, Ren, Dudarev and Whelan, Acta Cryst. A52, 1996), fitted for s up to 2 Å⁻¹. Tabulated: the
 * elements of biological macromolecules and the ions, cofactors, heavy-atom derivatives and crystallisation
 * additives that real models carry (Na, Mg, K, Ca, Cl, Mn, Fe, Co, Ni, Cu, Zn, Se, Br, I, Hg, Pt, Au, U, ...);
 * deuterium is hydrogen ({@link #canonical}). Others are reported by {@link #has}.
 */
public final class ScatteringFactors {

	/** a1..a5 then b1..b5, and the standard atomic mass (for centres of mass). */
	private record Entry(double[] a, double[] b, double mass) {}

	private static final Map<String, Entry> TABLE = Map.ofEntries( //
		entry("H", new double[] { 0.0349, 0.1201, 0.197, 0.0573, 0.1195 }, new double[] { 0.5347, 3.5867, 12.3471, 18.9525, 38.6269 }, 1.008),
		entry("Li", new double[] { 0.075, 0.2249, 0.5548, 1.4954, 0.9354 }, new double[] { 0.3864, 2.9383, 15.3829, 53.5545, 138.734 }, 6.94),
		entry("B", new double[] { 0.0909, 0.2551, 0.7738, 1.2136, 0.4606 }, new double[] { 0.2995, 2.1155, 8.3816, 24.1292, 63.1314 }, 10.81),
		entry("C", new double[] { 0.0893, 0.2563, 0.757, 1.0487, 0.3575 }, new double[] { 0.2465, 1.71, 6.4094, 18.6113, 50.2523 }, 12.011),
		entry("N", new double[] { 0.1022, 0.3219, 0.7982, 0.8197, 0.1715 }, new double[] { 0.2451, 1.7481, 6.1925, 17.3894, 48.1431 }, 14.007),
		entry("O", new double[] { 0.0974, 0.2921, 0.691, 0.699, 0.2039 }, new double[] { 0.2067, 1.3815, 4.6943, 12.7105, 32.4726 }, 15.999),
		entry("F", new double[] { 0.1083, 0.3175, 0.6487, 0.5846, 0.1421 }, new double[] { 0.2057, 1.3439, 4.2788, 11.3932, 28.7881 }, 18.998),
		entry("Na", new double[] { 0.2142, 0.6853, 0.7692, 1.6589, 1.4482 }, new double[] { 0.3334, 2.3446, 10.083, 48.3037, 138.27 }, 22.99),
		entry("Mg", new double[] { 0.2314, 0.6866, 0.9677, 2.1882, 1.1339 }, new double[] { 0.3278, 2.272, 10.9241, 39.2898, 101.975 }, 24.305),
		entry("Al", new double[] { 0.239, 0.6573, 1.2011, 2.5586, 1.2312 }, new double[] { 0.3138, 2.1063, 10.4163, 34.4552, 98.5344 }, 26.982),
		entry("Si", new double[] { 0.2519, 0.6372, 1.3795, 2.5082, 1.05 }, new double[] { 0.3075, 2.0174, 9.6746, 29.3744, 80.4732 }, 28.085),
		entry("P", new double[] { 0.2548, 0.6106, 1.4541, 2.3204, 0.8477 }, new double[] { 0.2908, 1.874, 8.5176, 24.3434, 63.2996 }, 30.974),
		entry("S", new double[] { 0.2497, 0.5628, 1.3899, 2.1865, 0.7715 }, new double[] { 0.2681, 1.6711, 7.0267, 19.5377, 50.3888 }, 32.06),
		entry("Cl", new double[] { 0.2443, 0.5397, 1.3919, 2.0197, 0.6621 }, new double[] { 0.2468, 1.5242, 6.1537, 16.6687, 42.3086 }, 35.45),
		entry("K", new double[] { 0.4115, 1.4031, 2.2784, 2.6742, 2.2162 }, new double[] { 0.3703, 3.3874, 13.1029, 68.9592, 194.433 }, 39.098),
		entry("Ca", new double[] { 0.4054, 1.388, 2.1602, 3.7532, 2.2063 }, new double[] { 0.3499, 3.0991, 11.9608, 53.9353, 142.389 }, 40.078),
		entry("V", new double[] { 0.3876, 1.275, 1.9109, 2.8314, 1.8979 }, new double[] { 0.2967, 2.378, 8.7981, 35.9528, 101.72 }, 50.942),
		entry("Mn", new double[] { 0.3796, 1.2094, 1.7815, 2.542, 1.5937 }, new double[] { 0.2699, 2.0455, 7.4726, 31.0604, 91.5622 }, 54.938),
		entry("Fe", new double[] { 0.3946, 1.2725, 1.7031, 2.314, 1.4795 }, new double[] { 0.2717, 2.0443, 7.6007, 29.9714, 86.2265 }, 55.845),
		entry("Co", new double[] { 0.4118, 1.3161, 1.6493, 2.193, 1.283 }, new double[] { 0.2742, 2.0372, 7.7205, 29.968, 84.9383 }, 58.933),
		entry("Ni", new double[] { 0.386, 1.1765, 1.5451, 2.073, 1.3814 }, new double[] { 0.2478, 1.766, 6.3107, 25.2204, 74.3146 }, 58.693),
		entry("Cu", new double[] { 0.4314, 1.3208, 1.5236, 1.4671, 0.8562 }, new double[] { 0.2694, 1.9223, 7.3474, 28.9892, 90.6246 }, 63.546),
		entry("Zn", new double[] { 0.4288, 1.2646, 1.4472, 1.8294, 1.0934 }, new double[] { 0.2593, 1.7998, 6.75, 25.586, 73.5284 }, 65.38),
		entry("Se", new double[] { 0.4477, 1.1678, 1.5843, 2.8087, 1.1956 }, new double[] { 0.2405, 1.5442, 6.3231, 19.461, 52.0233 }, 78.971),
		entry("Br", new double[] { 0.4798, 1.1948, 1.8695, 2.6953, 0.8203 }, new double[] { 0.2504, 1.5963, 6.9653, 19.8492, 50.3233 }, 79.904),
		entry("Mo", new double[] { 0.6773, 1.4798, 3.1788, 3.0824, 1.8384 }, new double[] { 0.292, 2.0606, 8.1129, 30.5336, 100.066 }, 95.95),
		entry("Cd", new double[] { 0.6364, 1.4247, 2.7802, 2.5973, 1.7886 }, new double[] { 0.2407, 1.6823, 5.6588, 20.7219, 69.1409 }, 112.414),
		entry("I", new double[] { 0.7047, 1.9484, 2.594, 4.1526, 1.5057 }, new double[] { 0.2455, 1.8638, 6.7639, 21.8007, 56.4395 }, 126.904),
		entry("W", new double[] { 0.9853, 2.1167, 3.357, 3.7981, 2.2798 }, new double[] { 0.2569, 1.6745, 7.0098, 26.9234, 81.391 }, 183.84),
		entry("Pt", new double[] { 0.9148, 1.8096, 3.2134, 3.2953, 1.5754 }, new double[] { 0.2263, 1.3813, 5.3243, 17.5987, 60.0171 }, 195.084),
		entry("Au", new double[] { 0.9674, 1.8916, 3.3993, 3.0524, 1.2607 }, new double[] { 0.2358, 1.4712, 5.6758, 18.7119, 61.5286 }, 196.967),
		entry("Hg", new double[] { 1.0033, 1.9469, 3.4396, 3.1548, 1.418 }, new double[] { 0.2413, 1.5298, 5.8009, 19.452, 60.5753 }, 200.592),
		entry("U", new double[] { 1.3382, 3.2043, 5.4558, 5.4839, 3.6342 }, new double[] { 0.2838, 2.2452, 10.2519, 41.7251, 124.902 }, 238.029));

	private static Map.Entry<String, Entry> entry(final String element, final double[] a, final double[] b,
		final double mass)
	{
		return Map.entry(element, new Entry(a, b, mass));
	}

	private ScatteringFactors() {}

	public static boolean has(final String element) {
		return TABLE.containsKey(canonical(element));
	}

	/** The tabulated symbol an element is scattered as: deuterium and tritium scatter as hydrogen. */
	public static String canonical(final String element) {
		return element.equals("D") || element.equals("T") ? "H" : element;
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
		final Entry e = TABLE.get(canonical(element));
		if (e == null) throw new IllegalArgumentException("no electron scattering factor for element '" + element
			+ "' (tabulated: " + String.join(", ", new TreeSet<>(TABLE.keySet())) + ")");
		return e;
	}
}

package org.vitreous.classify;

import java.util.List;
import java.util.Random;

import org.vitreous.compute.Parallel;
import org.vitreous.fourier.Fft;
import org.vitreous.fourier.FourierFilters;
import org.vitreous.geometry.Euler;
import org.vitreous.image.Masks;

/**
 * The class-average half of 2D classification (the M-step): particles added to their classes' Fourier planes at
 * the in-plane poses and shifts that contribute, the classes finished from their sums with a per-shell Wiener
 * term, masked and centred, and empty classes re-seeded. 3D classification's references are updated the same way
 * in 3D.
 */
final class ClassAverages {

	/** A hypothesis that contributes to a class: class, ψ, shift (pixels) and posterior probability. */
	record Contribution(int k, double psi, double shiftX, double shiftY, double weight) {}


	private final int n, hx, classes, shells;
	private final float[] circle;

	ClassAverages(final int n, final int classes, final float[] circle) {
		this.n = n;
		this.hx = Fft.halfWidth(n);
		this.classes = classes;
		this.shells = n / 2 + 1;
		this.circle = circle;
	}

	/**
	 * Adds each particle's contributions to its classes' sums, up to {@code radius} Fourier pixels; classes in
	 * parallel, particles in order. Contributions at the same class and ψ are summed in the particle's frame
	 * first (Σ γ·X·e_t, Σ γ), so each (class, ψ) is rotated into the class once.
	 */
	void insert(final FourierPlane[] sums, final float[][] transforms, final float[][] ctfs,
		final List<List<Contribution>> contributions, final double radius)
	{
		final int reach = (int) Math.min(shells - 1, Math.ceil(radius));
		Parallel.forRange(classes, (ks, ke) -> {
			for (int i = 0; i < transforms.length; i++) {
				final List<Contribution> list = contributions.get(i);
				final boolean[] done = new boolean[list.size()];
				for (int first = 0; first < list.size(); first++) {
					final Contribution c = list.get(first);
					if (done[first] || c.k() < ks || c.k() >= ke) continue;
					final float[] x = transforms[i], ctf = ctfs[i];
					final float[] sum = new float[x.length];
					double weight = 0;
					for (int j = first; j < list.size(); j++) {
						final Contribution d = list.get(j);
						if (done[j] || d.k() != c.k() || d.psi() != c.psi()) continue;
						done[j] = true;
						weight += d.weight();
						addShifted(x, d.shiftX(), d.shiftY(), (float) d.weight(), sum, reach);
					}
					final double[] a = Euler.matrix(0, 0, c.psi());
					final FourierPlane plane = sums[c.k()];
					final float g = (float) weight;
					for (int y = 0; y < n; y++) {
						final int fy = Fft.frequency(y, n);
						if (Math.abs(fy) > reach) continue;
						for (int fx = 0; fx <= reach && fx < hx; fx++) {
							if (fx * fx + fy * fy > reach * reach) continue;
							final int e = y * hx + fx;
							final float cv = ctf[e];
							// the particle's frequency j sits at Aᵀ·j of the class
							plane.add(a[0] * fx + a[3] * fy, a[1] * fx + a[4] * fy, cv * sum[2 * e], cv * sum[2 * e + 1], g * cv
								* cv);
						}
					}
				}
			}
		});
	}

	/** Adds g·X·exp(−2πi j·s/N) to {@code out} within {@code reach} Fourier pixels (separable phase tables). */
	void addShifted(final float[] x, final double sx, final double sy, final float g, final float[] out,
		final int reach)
	{
		final double[] ex = FourierFilters.phases(hx, n, sx, true), ey = FourierFilters.phases(n, n, sy, false);
		for (int y = 0; y < n; y++) {
			final int fy = Fft.frequency(y, n);
			if (Math.abs(fy) > reach) continue;
			for (int fx = 0; fx <= reach && fx < hx; fx++) {
				final int e = y * hx + fx;
				final double c = ex[2 * fx] * ey[2 * y] - ex[2 * fx + 1] * ey[2 * y + 1], s = ex[2 * fx] * ey[2 * y + 1]
					+ ex[2 * fx + 1] * ey[2 * y];
				out[2 * e] += (float) (g * (x[2 * e] * c - x[2 * e + 1] * s));
				out[2 * e + 1] += (float) (g * (x[2 * e] * s + x[2 * e + 1] * c));
			}
		}
	}


	/**
	 * The class images from their sums: each element divided by its weight plus σ²/(T·τ²), τ² the class's own
	 * signal power per shell (its average's power less the noise the weights predict; with no signal left in a
	 * shell the class is zero there, so every class is low-passed where its data run out), masked by the particle
	 * circle and moved onto its centre of mass. {@code initial} regularises with a fiftieth of the mean class size
	 * instead (random classes have no signal to measure).
	 */
	float[][] finish(final FourierPlane[] sums, final boolean initial, final double[] noise, final int count,
		final double tauFudge)
	{
		final float[][] out = new float[classes][];
		Parallel.forRange(classes, (ks, ke) -> {
			for (int k = ks; k < ke; k++) {
				final double floor = 0.02 * Math.max(1, count / (double) classes);
				final double[] tau2 = initial ? null : sums[k].signalPower(noise);
				final float[] image = sums[k].average(s -> initial ? floor : noise[Math.min(s, shells - 1)]
					/ (tauFudge * Math.max(tau2[Math.min(s, shells - 1)], 1e-30)));
				out[k] = centre(Masks.apply(image, circle));
			}
		});
		return out;
	}

	/** The image moved so that the centre of mass of its positive part is at the centre. */
	float[] centre(final float[] image) {
		double sum = 0, sx = 0, sy = 0;
		for (int y = 0; y < n; y++)
			for (int x = 0; x < n; x++) {
				final double v = Math.max(0, image[y * n + x]);
				sum += v;
				sx += v * (x - n / 2);
				sy += v * (y - n / 2);
			}
		if (!(sum > 0)) return image;
		final float[] f = Fft.forward(image, n, n, 1);
		FourierFilters.shift(f, n, n, 1, -sx / sum, -sy / sum, 0);
		return Masks.apply(Fft.inverse(f, n, n, 1), circle);
	}


	/**
	 * Classes that lost (nearly) all their particles restart as a copy of the most populous class plus noise
	 * within {@code limit} Fourier pixels (the next iteration's) (a quarter of the class's RMS there, seeded): an exact copy
	 * would score every particle as the original does and never split from it, while the perturbed copy takes
	 * the particles it happens to fit better, and the two drift apart. K classes stay in use.
	 */
	void reseedEmpty(final float[][] averages, final double[] fraction, final double limit, final long seed) {
		final Random random = new Random(seed);
		for (int k = 0; k < classes; k++) {
			if (fraction[k] >= 0.2 / classes) continue;
			int largest = 0;
			for (int j = 1; j < classes; j++)
				if (fraction[j] > fraction[largest]) largest = j;
			final float[] source = Fft.forward(averages[largest], n, n, 1), noise = new float[source.length];
			double signal = 0, power = 0;
			for (int y = 0; y < n; y++) {
				final int fy = Fft.frequency(y, n);
				for (int fx = 0; fx < hx; fx++) {
					if (fx * fx + fy * fy > limit * limit) continue;
					final int e = 2 * (y * hx + fx);
					signal += source[e] * source[e] + source[e + 1] * source[e + 1];
					noise[e] = (float) random.nextGaussian();
					noise[e + 1] = (float) random.nextGaussian();
					power += noise[e] * noise[e] + noise[e + 1] * noise[e + 1];
				}
			}
			final float scale = (float) (power > 0 ? 0.25 * Math.sqrt(signal / power) : 0);
			for (int i = 0; i < source.length; i++)
				source[i] += scale * noise[i];
			averages[k] = Masks.apply(Fft.inverse(source, n, n, 1), circle);
			fraction[largest] /= 2;
			fraction[k] = fraction[largest];
		}
	}
}

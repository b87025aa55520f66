package org.vitreous.extract;

import java.util.Locale;
import java.util.Random;

import org.vitreous.ctf.Ctf;
import org.vitreous.fourier.Fft;
import org.vitreous.fourier.FourierFilters;

/**
 * Particle boxes cut from one micrograph as relion_preprocess --extract cuts them: the box of {@code box} pixels
 * whose centre pixel (index box/2) is the coordinate's integer part (RELION truncates, it does not round),
 * optionally phase-flipped or CTF-premultiplied in a box twice as large before it is cut, Fourier-rescaled to a
 * smaller box, then normalised (dust replaced by noise, a least-squares plane fitted to the background and
 * subtracted, the background outside a radius brought to mean 0 and standard deviation 1) and contrast-inverted, in
 * RELION's order. Pure: the micrograph is not changed, and the same inputs give the same boxes.
 */
public final class ParticleExtraction {

	/** What happens to a particle whose box leaves the micrograph. */
	public enum Edge {
		/** Left out and counted. */
		SKIP,
		/** Kept, the pixels outside filled with the nearest row or column inside, as RELION does. */
		FILL,
		/** As FILL, but a box wholly outside the micrograph stops the job, as relion_preprocess stops. */
		ABORT;

		/** The policy named by an option value ("skip", "fill", "abort"). */
		public static Edge of(final String name) {
			for (final Edge e : values())
				if (e.name().equalsIgnoreCase(name.trim())) return e;
			throw new IllegalArgumentException("edge policy '" + name + "' is none of skip, fill, abort");
		}
	}

	/** CTF applied to the micrograph's signal before cutting. */
	public enum CtfCorrection {
		NONE, PHASE_FLIP, PREMULTIPLY;

		/** The correction named by an option value ("none", "phase-flip", "premultiply"). */
		public static CtfCorrection of(final String name) {
			for (final CtfCorrection c : values())
				if (c.name().replace('_', '-').equalsIgnoreCase(name.trim())) return c;
			throw new IllegalArgumentException("CTF correction '" + name + "' is none of none, phase-flip, premultiply");
		}
	}

	/** Extraction settings: the names are the extract-particles command's options. */
	public static final class Settings {
		/** Box cut from the micrograph, px (even, as RELION requires). */
		public int box = 128;
		/** Box after Fourier rescaling, px (even; 0 or the box itself: no rescaling). */
		public int binTo = 0;
		/** Normalise the background to mean 0, standard deviation 1. */
		public boolean normalise = true;
		/** Radius (px of the final box) outside which is background; 0 or less: 0.375 × the final box, RELION's default. */
		public int backgroundRadius = -1;
		/** Subtract a plane fitted to the background (RELION's ramp) before normalising. */
		public boolean ramp = true;
		/** Multiply by −1 after normalising (dark protein on a light background becomes light on dark). */
		public boolean invertContrast = false;
		/** Pixels more than this many background standard deviations above the mean become noise; 0 or less: off. */
		public double whiteDust = -1;
		/** Pixels more than this many standard deviations below the mean become noise; 0 or less: off. */
		public double blackDust = -1;
		/** Edge policy: skip, fill or abort. */
		public String edge = "skip";
		/** CTF correction before cutting: none, phase-flip or premultiply. */
		public String ctfCorrection = "none";

		/** The box written: binTo where it rescales, else box. */
		public int outputBox() {
			return binTo > 0 ? binTo : box;
		}

		/** The background radius used, px of the written box. */
		public int radius() {
			return backgroundRadius > 0 ? backgroundRadius : (int) Math.round(0.375 * outputBox());
		}

		/** Refuses settings RELION would refuse, naming the option. */
		public void check() {
			if (box < 2 || box % 2 != 0) throw new IllegalArgumentException("--box " + box
				+ ": the box must be an even number of pixels (RELION extracts even boxes only)");
			if (binTo != 0 && (binTo < 2 || binTo % 2 != 0 || binTo > box)) throw new IllegalArgumentException(
				"--bin-to " + binTo + ": must be an even number of pixels no larger than the box (" + box + ")");
			if (normalise && 2 * radius() > outputBox()) throw new IllegalArgumentException(String.format(Locale.ROOT,
				"--background-radius %d: the background circle (diameter %d px) is larger than the %d px box", radius(),
				2 * radius(), outputBox()));
			Edge.of(edge);
			CtfCorrection.of(ctfCorrection);
		}
	}

	/** One micrograph in memory: x fastest, row y at {@code y·width}. */
	public record Micrograph(float[] pixels, int width, int height, double pixelSize) {
		public Micrograph {
			if (pixels.length != (long) width * height) throw new IllegalArgumentException(pixels.length
				+ " pixels do not make a " + width + " x " + height + " micrograph");
		}
	}

	private ParticleExtraction() {}

	/** Whether the box of a particle at (x, y) lies wholly inside the micrograph. */
	public static boolean inside(final Micrograph m, final double x, final double y, final int box) {
		final long x0 = (long) x - box / 2, y0 = (long) y - box / 2;
		return x0 >= 0 && y0 >= 0 && x0 + box <= m.width() && y0 + box <= m.height();
	}

	/** Whether the box of a particle at (x, y) touches the micrograph at all (RELION aborts where it does not). */
	public static boolean touches(final Micrograph m, final double x, final double y, final int box) {
		final long x0 = (long) x - box / 2, y0 = (long) y - box / 2;
		return x0 + box > 0 && y0 + box > 0 && x0 < m.width() && y0 < m.height();
	}

	/**
	 * The particle at (x, y), in pixels of the micrograph, as it is written: {@code outputBox²} values, x fastest.
	 * The caller has applied the edge policy (a box that leaves the micrograph is filled here).
	 *
	 * @param ctf the micrograph's CTF (used only for a CTF correction)
	 * @param seed the seed of the noise that replaces dust (the particle's own, so that order does not matter)
	 */
	public static float[] extract(final Micrograph m, final double x, final double y, final Settings s, final Ctf ctf,
		final long seed)
	{
		final CtfCorrection correction = CtfCorrection.of(s.ctfCorrection);
		float[] image;
		int n = s.box;
		if (correction == CtfCorrection.NONE) image = cut(m, (long) x, (long) y, n);
		else {
			// the CTF spreads signal by up to the defocus's delocalisation: correct it in twice the box, then cut
			final int large = 2 * n;
			final float[] f = Fft.forward(cut(m, (long) x, (long) y, large), large, large, 1);
			if (correction == CtfCorrection.PHASE_FLIP) ctf.phaseFlip(f, large, large, m.pixelSize());
			else ctf.apply(f, large, large, m.pixelSize());
			image = window(Fft.inverse(f, large, large, 1), large, n);
		}
		if (s.binTo > 0 && s.binTo != n) {
			final float[] f = FourierFilters.resize(Fft.forward(image, n, n, 1), n, n, 1, s.binTo, s.binTo, 1);
			image = Fft.inverse(f, s.binTo, s.binTo, 1);
			n = s.binTo;
		}
		if (s.normalise) normalise(image, n, s.radius(), s.whiteDust, s.blackDust, s.ramp, seed);
		if (s.invertContrast) for (int i = 0; i < image.length; i++)
			image[i] = -image[i];
		return image;
	}

	/**
	 * The n × n box whose pixel (n/2, n/2) is micrograph pixel (cx, cy); pixels outside the micrograph take the value
	 * of the nearest pixel inside along each axis (RELION's fill, which makes lines rather than zeros).
	 */
	static float[] cut(final Micrograph m, final long cx, final long cy, final int n) {
		final float[] box = new float[n * n];
		final int w = m.width(), h = m.height();
		final float[] p = m.pixels();
		for (int j = 0; j < n; j++) {
			final int y = (int) Math.min(h - 1, Math.max(0, cy - n / 2 + j));
			final long x0 = cx - n / 2;
			if (x0 >= 0 && x0 + n <= w) System.arraycopy(p, y * w + (int) x0, box, j * n, n);
			else for (int i = 0; i < n; i++)
				box[j * n + i] = p[y * w + (int) Math.min(w - 1, Math.max(0, x0 + i))];
		}
		return box;
	}

	/** The centred n × n window of a large × large image (both even: centre large/2 maps to n/2). */
	private static float[] window(final float[] image, final int large, final int n) {
		final float[] out = new float[n * n];
		final int off = large / 2 - n / 2;
		for (int j = 0; j < n; j++)
			System.arraycopy(image, (j + off) * large + off, out, j * n, n);
		return out;
	}

	/**
	 * RELION's normalisation of one n × n image, in place: background = pixels whose squared distance from the
	 * centre (n/2, n/2) exceeds radius²; dust against the background's mean and standard deviation replaced by
	 * Gaussian noise of those; the least-squares plane of the background subtracted; then (v − mean) / sd of the
	 * background (population standard deviation). A flat background is left unscaled, as RELION leaves it.
	 */
	public static void normalise(final float[] image, final int n, final int radius, final double whiteDust,
		final double blackDust, final boolean ramp, final long seed)
	{
		final int c = n / 2;
		final long r2 = (long) radius * radius;
		if (whiteDust > 0 || blackDust > 0) {
			final double[] st = background(image, n, r2);
			final Random random = new Random(seed);
			for (int i = 0; i < image.length; i++) {
				final double d = image[i] - st[0];
				if (whiteDust > 0 && d > whiteDust * st[1] || blackDust > 0 && d < -blackDust * st[1]) image[i] = (float) (st[0]
					+ st[1] * random.nextGaussian());
			}
		}
		if (ramp) {
			// normal equations of v = a·x + b·y + k over the background, x and y about the centre
			double sxx = 0, sxy = 0, syy = 0, sx = 0, sy = 0, count = 0, sxv = 0, syv = 0, sv = 0;
			for (int j = 0; j < n; j++)
				for (int i = 0; i < n; i++) {
					final long x = i - c, y = j - c;
					if (x * x + y * y <= r2) continue;
					final double v = image[j * n + i];
					sxx += x * x;
					sxy += x * y;
					syy += y * y;
					sx += x;
					sy += y;
					count++;
					sxv += x * v;
					syv += y * v;
					sv += v;
				}
			final double[] p = solve3(new double[][] { { sxx, sxy, sx }, { sxy, syy, sy }, { sx, sy, count } },
				new double[] { sxv, syv, sv });
			for (int j = 0; j < n; j++)
				for (int i = 0; i < n; i++)
					image[j * n + i] -= (float) (p[0] * (i - c) + p[1] * (j - c) + p[2]);
		}
		final double[] st = background(image, n, r2);
		if (st[1] < 1e-10) return;
		for (int i = 0; i < image.length; i++)
			image[i] = (float) ((image[i] - st[0]) / st[1]);
	}

	/** {mean, population standard deviation} of the pixels farther than √r2 from the centre. */
	static double[] background(final float[] image, final int n, final long r2) {
		final int c = n / 2;
		double sum = 0, sq = 0;
		long count = 0;
		for (int j = 0; j < n; j++)
			for (int i = 0; i < n; i++) {
				final long x = i - c, y = j - c;
				if (x * x + y * y <= r2) continue;
				final double v = image[j * n + i];
				sum += v;
				sq += v * v;
				count++;
			}
		if (count == 0) throw new IllegalArgumentException("no background pixels outside radius " + Math.sqrt(r2)
			+ " in a " + n + " px box");
		final double mean = sum / count;
		return new double[] { mean, Math.sqrt(Math.max(0, sq / count - mean * mean)) };
	}

	/** Solves a 3 × 3 system by Cramer's rule (the background's normal equations are well conditioned). */
	private static double[] solve3(final double[][] a, final double[] b) {
		final double d = det(a[0][0], a[0][1], a[0][2], a[1][0], a[1][1], a[1][2], a[2][0], a[2][1], a[2][2]);
		final double[] out = new double[3];
		for (int k = 0; k < 3; k++) {
			final double[][] m = { a[0].clone(), a[1].clone(), a[2].clone() };
			for (int r = 0; r < 3; r++)
				m[r][k] = b[r];
			out[k] = det(m[0][0], m[0][1], m[0][2], m[1][0], m[1][1], m[1][2], m[2][0], m[2][1], m[2][2]) / d;
		}
		return out;
	}

	private static double det(final double a, final double b, final double c, final double d, final double e,
		final double f, final double g, final double h, final double i)
	{
		return a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
	}
}

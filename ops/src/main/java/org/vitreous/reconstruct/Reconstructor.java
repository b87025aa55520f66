package org.vitreous.reconstruct;

import org.vitreous.compute.ComputeDevice;
import org.vitreous.compute.Parallel;
import org.vitreous.ctf.Ctf;
import org.vitreous.fourier.Fft;
import org.vitreous.fourier.FourierFilters;
import org.vitreous.projection.FourierAccumulator;
import org.vitreous.projection.FourierBackProjector;
import org.vitreous.projection.FourierProjector;

/**
 * CTF-weighted insertion of particle transforms into a Fourier accumulator, as relion_reconstruct inserts them:
 * each centred transform X is multiplied by its CTF C and inserted at its pose, and C² goes into the weights
 * (without CTF, X and weight 1). {@link FourierInversion} turns the sums into a map. Reconstructors of the same
 * box merge through their accumulators, so subsets can be inserted separately.
 */
public final class Reconstructor implements AutoCloseable {

	private final int n;
	private final double pixelSize;
	private final FourierBackProjector backProjector;

	/**
	 * @param n box size of the particles
	 * @param pixelSize Å/px of the particles (for the CTF)
	 * @param padding Fourier padding of the accumulator (RELION's --pad, 2 by default)
	 */
	public Reconstructor(final int n, final double pixelSize, final int padding, final ComputeDevice device) {
		this.n = n;
		this.pixelSize = pixelSize;
		this.backProjector = FourierBackProjector.create(n, padding, n / 2.0, device);
	}

	public int size() {
		return n;
	}

	/** Å/px of the particles. */
	public double pixelSize() {
		return pixelSize;
	}

	/**
	 * Inserts {@code rotations.length} transforms (slices of {@link FourierProjector#sliceLength}, as from
	 * {@link FourierFilters#centredTransform}) at their poses, multiplied by their CTFs; {@code ctfs} null
	 * inserts them unweighted.
	 */
	public void insert(final float[] transforms, final double[][] rotations, final Ctf[] ctfs) {
		insert(transforms, rotations, ctfs, null);
	}

	/**
	 * Inserts as {@link #insert(float[], double[][], Ctf[])}, with particle i's CTF multiplied by its intensity
	 * scale α_i (how much brighter it is than the reference): α·C·X goes into the data and α²·C² into the weights,
	 * the least-squares estimate when X = α·C·P + noise, as RELION applies its scale correction. {@code scales}
	 * null: all 1.
	 */
	public void insert(final float[] transforms, final double[][] rotations, final Ctf[] ctfs, final double[] scales) {
		final float[][] images = ctfs == null ? null : new float[rotations.length][];
		if (images != null) Parallel.forRange(images.length, (start, end) -> {
			for (int i = start; i < end; i++)
				images[i] = ctfs[i] == null ? null : ctfs[i].image(n, n, pixelSize);
		});
		insertCtfImages(transforms, rotations, images, scales);
	}

	/**
	 * {@link #insert(float[], double[][], Ctf[], double[])} with the CTFs given as images on the N × N half grid
	 * ({@link Ctf#image}), as alignment has them already; null, or a null image, for no CTF.
	 */
	public void insertCtfImages(final float[] transforms, final double[][] rotations, final float[][] ctfs,
		final double[] scales)
	{
		final int count = rotations.length, length = FourierProjector.sliceLength(n), hx = Fft.halfWidth(n);
		if (transforms.length < (long) count * length) throw new IllegalArgumentException(transforms.length / length
			+ " transforms for " + count + " poses");
		if (ctfs == null && scales == null) {
			backProjector.insert(rotations, transforms, null);
			return;
		}
		final float[] slices = new float[count * length], weightSlices = new float[count * hx * n];
		Parallel.forRange(count, (start, end) -> {
			for (int i = start; i < end; i++) {
				final float[] c = ctfs == null ? null : ctfs[i];
				final double alpha = scales == null ? 1 : scales[i];
				for (int e = 0, elements = hx * n; e < elements; e++) {
					final double ce = alpha * (c == null ? 1 : c[e]);
					final int s = i * length + 2 * e;
					slices[s] = (float) (transforms[s] * ce);
					slices[s + 1] = (float) (transforms[s + 1] * ce);
					weightSlices[i * elements + e] = (float) (ce * ce);
				}
			}
		});
		backProjector.insert(rotations, slices, weightSlices);
	}

	/** The sums so far. */
	public FourierAccumulator accumulator() {
		return backProjector.accumulator();
	}

	@Override
	public void close() {
		backProjector.close();
	}
}

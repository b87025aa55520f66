package org.vitreous.nn;

import java.util.Random;

import org.vitreous.compute.Parallel;

/**
 * Gaussian random Fourier features (Tancik et al. 2020): a point p in d dimensions becomes
 * [sin(2π·p·B), cos(2π·p·B)] with B a fixed d × m matrix of N(0, σ²) entries (seeded), so 2m outputs. σ sets the
 * frequencies the network can reach easily: with coordinates in [−1, 1], σ cycles per unit. Not trained; its
 * backward pass gives the gradient to the coordinates.
 */
public final class FourierFeatures implements Layer {

	private final int dimensions, features;
	private final float[] frequencies; // d × m, already times 2π
	private float[] input, sin, cos;

	public FourierFeatures(final int dimensions, final int features, final double sigma, final long seed) {
		if (dimensions < 1 || features < 1) throw new IllegalArgumentException("Fourier features " + dimensions + " -> "
			+ features);
		this.dimensions = dimensions;
		this.features = features;
		this.frequencies = new float[dimensions * features];
		final Random random = new Random(seed);
		for (int i = 0; i < frequencies.length; i++)
			frequencies[i] = (float) (2 * Math.PI * sigma * random.nextGaussian());
	}

	@Override
	public int inputs() {
		return dimensions;
	}

	@Override
	public int outputs() {
		return 2 * features;
	}

	@Override
	public float[] forward(final float[] x, final int batch) {
		input = x;
		sin = new float[batch * features];
		cos = new float[batch * features];
		final float[] y = new float[batch * 2 * features];
		Parallel.forRange(batch, (s, e) -> {
			for (int r = s; r < e; r++)
				for (int j = 0; j < features; j++) {
					float phase = 0;
					for (int d = 0; d < dimensions; d++)
						phase += x[r * dimensions + d] * frequencies[d * features + j];
					final float sv = FastSine.sin(phase), cv = FastSine.cos(phase);
					sin[r * features + j] = sv;
					cos[r * features + j] = cv;
					y[r * 2 * features + j] = sv;
					y[r * 2 * features + features + j] = cv;
				}
		});
		return y;
	}

	@Override
	public float[] backward(final float[] g, final int batch) {
		final float[] dx = new float[batch * dimensions];
		for (int r = 0; r < batch; r++)
			for (int j = 0; j < features; j++) {
				final float dPhase = g[r * 2 * features + j] * cos[r * features + j] - g[r * 2 * features + features + j]
					* sin[r * features + j];
				for (int d = 0; d < dimensions; d++)
					dx[r * dimensions + d] += dPhase * frequencies[d * features + j];
			}
		return dx;
	}
}

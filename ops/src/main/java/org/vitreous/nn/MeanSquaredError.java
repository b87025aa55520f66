package org.vitreous.nn;

/** The mean squared error over all values, mean((p − t)²), and its gradient 2(p − t)/n. */
public final class MeanSquaredError {

	private MeanSquaredError() {}

	/** The loss; writes the gradient to the predictions into {@code gradient} (which may be null). */
	public static double loss(final float[] prediction, final float[] target, final float[] gradient) {
		if (prediction.length != target.length) throw new IllegalArgumentException(prediction.length
			+ " predictions for " + target.length + " targets");
		final int n = prediction.length;
		double sum = 0;
		for (int i = 0; i < n; i++) {
			final double d = prediction[i] - target[i];
			sum += d * d;
			if (gradient != null) gradient[i] = (float) (2 * d / n);
		}
		return sum / n;
	}
}

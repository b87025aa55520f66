package org.vitreous.nn;

import org.vitreous.compute.Parallel;

/**
 * Element-wise activations: sine sin(ω·x) (SIREN; ω = 30 in the first layer of the paper), ReLU, and softplus
 * log(1 + eˣ) (a smooth positive output). Each keeps its input for the backward pass.
 */
public abstract class Activation implements Layer {

	private final int width;
	private float[] input;

	Activation(final int width) {
		this.width = width;
	}

	public static Activation sine(final int width, final double omega) {
		final float w = (float) omega;
		return new Activation(width) {
			@Override
			float value(final float x) {
				return FastSine.sin(w * x);
			}

			@Override
			float derivative(final float x) {
				return w * FastSine.cos(w * x);
			}
		};
	}

	public static Activation relu(final int width) {
		return new Activation(width) {
			@Override
			float value(final float x) {
				return x > 0 ? x : 0;
			}

			@Override
			float derivative(final float x) {
				return x > 0 ? 1 : 0;
			}
		};
	}

	public static Activation softplus(final int width) {
		return new Activation(width) {
			@Override
			float value(final float x) {
				return x > 20 ? x : (float) Math.log1p(Math.exp(x));
			}

			@Override
			float derivative(final float x) {
				return (float) (1 / (1 + Math.exp(-x)));
			}
		};
	}

	abstract float value(float x);

	abstract float derivative(float x);

	@Override
	public int inputs() {
		return width;
	}

	@Override
	public int outputs() {
		return width;
	}

	@Override
	public float[] forward(final float[] x, final int batch) {
		input = x;
		final float[] y = new float[batch * width];
		Parallel.forRange(y.length, (s, e) -> {
			for (int i = s; i < e; i++)
				y[i] = value(x[i]);
		});
		return y;
	}

	@Override
	public float[] backward(final float[] g, final int batch) {
		final float[] dx = new float[batch * width];
		Parallel.forRange(dx.length, (s, e) -> {
			for (int i = s; i < e; i++)
				dx[i] = g[i] * derivative(input[i]);
		});
		return dx;
	}
}

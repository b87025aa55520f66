package org.vitreous.nn;

import java.util.List;

/**
 * Adam (Kingma and Ba 2015): per value, m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², and a step of
 * lr·m̂/(√v̂ + ε) with the bias corrections m̂ = m/(1−β₁ᵗ), v̂ = v/(1−β₂ᵗ). Clears the gradients after each step.
 */
public final class Adam {

	private final List<Parameter> parameters;
	private final float[][] first, second;
	private final double beta1, beta2, epsilon;
	private double rate;
	private int steps;

	public Adam(final List<Parameter> parameters, final double rate) {
		this(parameters, rate, 0.9, 0.999, 1e-8);
	}

	public Adam(final List<Parameter> parameters, final double rate, final double beta1, final double beta2,
		final double epsilon)
	{
		this.parameters = List.copyOf(parameters);
		this.rate = rate;
		this.beta1 = beta1;
		this.beta2 = beta2;
		this.epsilon = epsilon;
		first = new float[parameters.size()][];
		second = new float[parameters.size()][];
		for (int i = 0; i < parameters.size(); i++) {
			first[i] = new float[parameters.get(i).value.length];
			second[i] = new float[parameters.get(i).value.length];
		}
	}

	public void setRate(final double rate) {
		this.rate = rate;
	}

	public int steps() {
		return steps;
	}

	public void step() {
		steps++;
		final double c1 = 1 - Math.pow(beta1, steps), c2 = 1 - Math.pow(beta2, steps);
		final float b1 = (float) beta1, b2 = (float) beta2, size = (float) (rate / c1), root = (float) (1 / Math.sqrt(c2));
		final float eps = (float) epsilon;
		for (int p = 0; p < parameters.size(); p++) {
			final float[] v = parameters.get(p).value, g = parameters.get(p).gradient, m = first[p], s = second[p];
			for (int i = 0; i < v.length; i++) {
				m[i] = b1 * m[i] + (1 - b1) * g[i];
				s[i] = b2 * s[i] + (1 - b2) * g[i] * g[i];
				v[i] -= size * m[i] / ((float) Math.sqrt(s[i]) * root + eps);
			}
			parameters.get(p).clearGradient();
		}
	}
}

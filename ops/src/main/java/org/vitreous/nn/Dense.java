package org.vitreous.nn;

import java.util.List;
import java.util.Random;

/** y = x·W + b with W inputs × outputs (row-major) and b per output. */
public final class Dense implements Layer {

	private final int inputs, outputs;
	private final Parameter weight, bias;
	private final MatrixProducts products;
	private float[] input;

	public Dense(final int inputs, final int outputs, final MatrixProducts products) {
		if (inputs < 1 || outputs < 1) throw new IllegalArgumentException("dense layer " + inputs + " -> " + outputs);
		this.inputs = inputs;
		this.outputs = outputs;
		this.products = products;
		this.weight = new Parameter("weight " + inputs + "x" + outputs, inputs * outputs);
		this.bias = new Parameter("bias " + outputs, outputs);
	}

	/** Weights and biases uniform in ±{@code bound} (biases in ±{@code biasBound}), from {@code random}. */
	public Dense initialiseUniform(final double bound, final double biasBound, final Random random) {
		for (int i = 0; i < weight.value.length; i++)
			weight.value[i] = (float) ((2 * random.nextDouble() - 1) * bound);
		for (int i = 0; i < bias.value.length; i++)
			bias.value[i] = (float) ((2 * random.nextDouble() - 1) * biasBound);
		return this;
	}

	@Override
	public int inputs() {
		return inputs;
	}

	@Override
	public int outputs() {
		return outputs;
	}

	public Parameter weight() {
		return weight;
	}

	public Parameter bias() {
		return bias;
	}

	@Override
	public float[] forward(final float[] x, final int batch) {
		input = x;
		final float[] y = new float[batch * outputs];
		products.ab(x, weight.value, batch, inputs, outputs, y);
		final float[] b = bias.value;
		for (int r = 0; r < batch; r++)
			for (int j = 0, o = r * outputs; j < outputs; j++)
				y[o + j] += b[j];
		return y;
	}

	@Override
	public float[] backward(final float[] g, final int batch) {
		final float[] dw = new float[inputs * outputs];
		products.atb(input, g, batch, inputs, outputs, dw);
		for (int i = 0; i < dw.length; i++)
			weight.gradient[i] += dw[i];
		final float[] db = bias.gradient;
		for (int r = 0; r < batch; r++)
			for (int j = 0, o = r * outputs; j < outputs; j++)
				db[j] += g[o + j];
		final float[] dx = new float[batch * inputs];
		products.abt(g, weight.value, batch, outputs, inputs, dx);
		return dx;
	}

	@Override
	public List<Parameter> parameters() {
		return List.of(weight, bias);
	}
}

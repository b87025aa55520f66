package org.vitreous.nn;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** Layers in sequence. */
public final class Network implements Layer {

	private final List<Layer> layers;

	public Network(final List<Layer> layers) {
		if (layers.isEmpty()) throw new IllegalArgumentException("a network needs at least one layer");
		for (int i = 1; i < layers.size(); i++)
			if (layers.get(i).inputs() != layers.get(i - 1).outputs()) throw new IllegalArgumentException("layer " + i
				+ " takes " + layers.get(i).inputs() + " inputs but layer " + (i - 1) + " gives " + layers.get(i - 1)
					.outputs());
		this.layers = List.copyOf(layers);
	}

	/**
	 * A SIREN (Sitzmann et al. 2020) behind an optional encoding: {@code hiddenLayers} dense layers of
	 * {@code width} with sine activations, then a linear output layer (and {@code output} if not null). Seeded
	 * initialisation as the paper: the first dense layer uniform in ±1/fan-in, the others in ±√(6/fan-in)/ω;
	 * sine frequency ω in every hidden layer (ω = 30 in the paper).
	 *
	 * @param encoding a fixed input encoding, or null for raw coordinates
	 * @param output a final activation (for example softplus for positive values), or null
	 */
	public static Network siren(final Layer encoding, final int inputs, final int width, final int hiddenLayers,
		final int outputs, final double omega, final Layer output, final long seed, final MatrixProducts products)
	{
		if (hiddenLayers < 1) throw new IllegalArgumentException("a SIREN needs at least one hidden layer");
		final Random random = new Random(seed);
		final List<Layer> layers = new ArrayList<>();
		int fan = inputs;
		if (encoding != null) {
			layers.add(encoding);
			fan = encoding.outputs();
		}
		for (int l = 0; l < hiddenLayers; l++) {
			final double bound = l == 0 ? 1.0 / fan : Math.sqrt(6.0 / fan) / omega;
			layers.add(new Dense(fan, width, products).initialiseUniform(bound, l == 0 ? 1.0 / Math.sqrt(fan) : bound,
				random));
			layers.add(Activation.sine(width, omega));
			fan = width;
		}
		final double bound = Math.sqrt(6.0 / fan) / omega;
		layers.add(new Dense(fan, outputs, products).initialiseUniform(bound, bound, random));
		if (output != null) layers.add(output);
		return new Network(layers);
	}

	public List<Layer> layers() {
		return Collections.unmodifiableList(layers);
	}

	@Override
	public int inputs() {
		return layers.get(0).inputs();
	}

	@Override
	public int outputs() {
		return layers.get(layers.size() - 1).outputs();
	}

	@Override
	public float[] forward(final float[] input, final int batch) {
		float[] x = input;
		for (final Layer l : layers)
			x = l.forward(x, batch);
		return x;
	}

	@Override
	public float[] backward(final float[] outputGradient, final int batch) {
		float[] g = outputGradient;
		for (int i = layers.size() - 1; i >= 0; i--)
			g = layers.get(i).backward(g, batch);
		return g;
	}

	@Override
	public List<Parameter> parameters() {
		final List<Parameter> all = new ArrayList<>();
		for (final Layer l : layers)
			all.addAll(l.parameters());
		return all;
	}

	/** Copies every parameter value from {@code other}, a network of the same shape. */
	public void copyFrom(final Network other) {
		final List<Parameter> mine = parameters(), theirs = other.parameters();
		if (mine.size() != theirs.size()) throw new IllegalArgumentException("networks of different shapes");
		for (int i = 0; i < mine.size(); i++)
			System.arraycopy(theirs.get(i).value, 0, mine.get(i).value, 0, mine.get(i).value.length);
	}
}

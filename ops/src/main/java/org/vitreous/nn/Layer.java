package org.vitreous.nn;

import java.util.List;

/**
 * One stage of a network, on a batch of rows: {@code forward} maps a batch × inputs matrix (row-major) to batch ×
 * outputs and keeps what {@code backward} needs; {@code backward} takes the loss gradient to the outputs, adds the
 * gradients to its parameters' {@link Parameter#gradient} and returns the gradient to the inputs. A layer serves
 * one forward/backward pair at a time.
 */
public interface Layer {

	int inputs();

	int outputs();

	float[] forward(float[] input, int batch);

	float[] backward(float[] outputGradient, int batch);

	/** The trainable parameters (none for activations and fixed encodings). */
	default List<Parameter> parameters() {
		return List.of();
	}
}

package org.vitreous.nn;

import java.util.Arrays;

/** Trainable values and the gradient of the loss to them, accumulated by backward passes until cleared. */
public final class Parameter {

	public final String name;
	public final float[] value, gradient;

	public Parameter(final String name, final int size) {
		this.name = name;
		this.value = new float[size];
		this.gradient = new float[size];
	}

	public void clearGradient() {
		Arrays.fill(gradient, 0);
	}
}

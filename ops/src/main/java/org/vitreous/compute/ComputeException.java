package org.vitreous.compute;

/** A compute device cannot be used; the message is one line for the user. */
public class ComputeException extends Exception {

	private static final long serialVersionUID = 1L;

	public ComputeException(final String message) {
		super(message);
	}

	public ComputeException(final String message, final Throwable cause) {
		super(message, cause);
	}
}

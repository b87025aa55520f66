package org.vitreous;

import java.util.concurrent.CancellationException;

/**
 * How a long operation reports progress and learns it should stop. The plugins module adapts it to SciJava's
 * status service (a progress bar in Fiji, on the terminal for the launcher); ops knows nothing of either.
 */
public interface Progress {

	/** Progress that reports nowhere and is never cancelled. */
	Progress NONE = new Progress() {
		@Override
		public void report(final long done, final long total, final String what) {}

		@Override
		public boolean isCancelled() {
			return false;
		}
	};

	/** {@code done} of {@code total} units of work are finished; {@code what} says what is being done. */
	void report(long done, long total, String what);

	boolean isCancelled();

	/** Throws {@link CancellationException} if the user asked to stop; call between units of work. */
	default void checkCancelled() {
		if (isCancelled()) throw new CancellationException("cancelled");
	}
}

package org.vitreous.testing;

import static org.junit.Assume.assumeTrue;

/**
 * What a test needs from outside the repository (files other programs wrote, a peer program, an OpenCL device).
 * Where it is missing the test is skipped with a one-line reason, so the README's test command passes on a clone
 * alone; with the system property {@code vitreous.requirePeers=true} (which .ci/run sets where ../shared exists) a
 * missing need fails the test instead, so a green CI means every interoperability test ran.
 */
public final class Needs {

	private Needs() {}

	/** Whether missing needs fail rather than skip. */
	public static boolean required() {
		return Boolean.getBoolean("vitreous.requirePeers");
	}

	/** Skips (or, when {@link #required}, fails) the test with {@code reason} unless {@code met}. */
	public static void need(final String reason, final boolean met) {
		if (met) return;
		if (required()) throw new AssertionError(reason + " (vitreous.requirePeers is set, so this is a failure: the "
			+ "interoperability tests must all run here)");
		assumeTrue(reason, false);
	}
}

package org.vitreous.plugins;

import org.scijava.Context;

/** A SciJava context as the launcher and Fiji give one, for tests. */
final class Contexts {

	private Contexts() {}

	static Context headless() {
		System.setProperty("java.awt.headless", "true");
		return new Context();
	}
}

package org.vitreous.compute;

/** Prints what {@link ComputeDevice#choose} gives for a setting, for tests that start a JVM of their own. */
public class DeviceProbe {

	public static void main(final String[] args) {
		try (ComputeDevice d = ComputeDevice.choose(args[0])) {
			System.out.println("device: " + d.describe());
		} catch (final ComputeException e) {
			System.out.println("refused: " + e.getMessage());
		}
	}
}

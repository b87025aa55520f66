package org.vitreous.plugins.ij1;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.plugin.MontageMaker;
import ij.process.ByteProcessor;
import org.vitreous.io.AtomicOutput;

/** Montages of image stacks (class averages), each image scaled to its own range and labelled. */
public final class Montages {

	private Montages() {}

	/**
	 * The {@code labels.size()} images of n × n in {@code stack} (x fastest, image after image) as one montage,
	 * as square as the count allows, each image stretched to its own minimum and maximum with its label beneath.
	 */
	public static ImagePlus of(final float[] stack, final int n, final List<String> labels, final String title) {
		final int count = labels.size();
		if (count == 0 || stack.length < (long) count * n * n) throw new IllegalArgumentException(stack.length
			+ " pixels do not hold " + count + " images of " + n + " x " + n);
		final ImageStack images = new ImageStack(n, n);
		for (int i = 0; i < count; i++) {
			float min = Float.MAX_VALUE, max = -Float.MAX_VALUE;
			for (int p = 0; p < n * n; p++) {
				min = Math.min(min, stack[i * n * n + p]);
				max = Math.max(max, stack[i * n * n + p]);
			}
			final byte[] pixels = new byte[n * n];
			final float range = max > min ? max - min : 1;
			for (int p = 0; p < n * n; p++)
				pixels[p] = (byte) Math.round(255 * (stack[i * n * n + p] - min) / range);
			images.addSlice(labels.get(i), new ByteProcessor(n, n, pixels));
		}
		final int columns = (int) Math.ceil(Math.sqrt(count)), rows = (int) Math.ceil(count / (double) columns);
		final double scale = Math.max(1, 96.0 / n); // small boxes are enlarged so the labels fit
		return new MontageMaker().makeMontage2(new ImagePlus(title, images), columns, rows, scale, 1, count, 1, 1,
			true);
	}

	/** Writes {@link #of} as PNG, whole or not at all. */
	public static void write(final float[] stack, final int n, final List<String> labels, final Path png,
		final Path... inputs) throws IOException
	{
		final ImagePlus montage = of(stack, n, labels, png.getFileName().toString());
		try (AtomicOutput image = AtomicOutput.create(png, inputs)) {
			if (!new FileSaver(montage).saveAsPng(image.path().toString())) throw new IOException(png
				+ ": the montage could not be written");
			image.commit();
		}
	}
}

package org.vitreous.plugins.ij1;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import ij.ImagePlus;
import ij.ImageStack;
import ij.io.FileSaver;
import ij.io.Opener;
import ij.process.FloatProcessor;
import org.vitreous.io.AtomicOutput;
import org.vitreous.io.SectionSink;
import org.vitreous.io.SectionSource;

/** TIFF stacks through ImageJ 1's reader and writer, as section sources and sinks (32-bit float on output). */
public final class TiffFiles {

	private TiffFiles() {}

	public static boolean isTiff(final Path p) {
		final String name = p.getFileName().toString().toLowerCase();
		return name.endsWith(".tif") || name.endsWith(".tiff");
	}

	/** Opens a TIFF (one image or a stack) for reading as sections. */
	public static SectionSource open(final Path path) throws IOException {
		if (!Files.isRegularFile(path)) throw new NoSuchFileException(path.toString(), null,
			"no such file");
		final ImagePlus imp = new Opener().openTiff(path.getParent() == null ? "" : path.getParent().toString()
			+ File.separator, path.getFileName().toString());
		if (imp == null) throw new IOException(path + ": not a TIFF that ImageJ can read");
		final ImageStack stack = imp.getStack();
		final double[] voxel = ImagePlusBridge.voxelSize(imp);
		return new SectionSource() {
			@Override
			public int width() {
				return imp.getWidth();
			}

			@Override
			public int height() {
				return imp.getHeight();
			}

			@Override
			public int sections() {
				return stack.getSize();
			}

			@Override
			public double[] voxelSize() {
				return voxel.clone();
			}

			@Override
			public boolean isVolume() {
				return stack.getSize() > 1;
			}

			@Override
			public float[] readSection(final int z) {
				return (float[]) stack.getProcessor(z + 1).convertToFloatProcessor().getPixels();
			}

			@Override
			public void close() {}
		};
	}

	/** A sink that collects 32-bit sections and writes one TIFF stack on commit. */
	public static SectionSink create(final Path target, final int width, final int height, final double[] voxelSize,
		final Path... inputs) throws IOException
	{
		AtomicOutput.refuseInputs(target, inputs);
		final ImageStack stack = new ImageStack(width, height);
		return new SectionSink() {
			private AtomicOutput output;

			@Override
			public void writeSection(final float[] values) {
				stack.addSlice(new FloatProcessor(width, height, values.clone()));
			}

			@Override
			public void commit() throws IOException {
				output = AtomicOutput.create(target, inputs);
				final ImagePlus imp = new ImagePlus(target.getFileName().toString(), stack);
				ImagePlusBridge.setVoxelSize(imp, voxelSize);
				final FileSaver saver = new FileSaver(imp);
				final String tmp = output.path().toString();
				final boolean ok = stack.getSize() > 1 ? saver.saveAsTiffStack(tmp) : saver.saveAsTiff(tmp);
				if (!ok) throw new IOException(target + ": ImageJ could not write the TIFF");
				output.commit();
			}

			@Override
			public void close() throws IOException {
				if (output != null) output.close();
			}
		};
	}
}

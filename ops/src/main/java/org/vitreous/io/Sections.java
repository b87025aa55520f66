package org.vitreous.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Locale;

import org.vitreous.Progress;

/** Streaming operations on section stacks (images of a stack, slices of a volume). */
public final class Sections {

	private Sections() {}

	/**
	 * Opens an image, stack, movie or map for reading section by section: a TIFF ({@link TiffFile}, known by its
	 * signature whatever it is called) or an MRC/MRCS/CCP4 file ({@link MrcFile}).
	 */
	public static SectionSource open(final Path path) throws IOException {
		final byte[] start = new byte[4];
		try (FileChannel c = FileChannel.open(path, StandardOpenOption.READ)) {
			c.read(ByteBuffer.wrap(start), 0);
		} catch (final NoSuchFileException e) {
			throw new NoSuchFileException(path.toString(), null, "no such file");
		}
		return Compressed.isTiff(start) ? TiffFile.open(path) : MrcFile.open(path);
	}

	/**
	 * Copies sections {@code first..last} (1-based, inclusive) from source to sink and commits the sink.
	 *
	 * @param last the last section, or 0 for the source's last
	 */
	public static int copy(final SectionSource source, final int first, final int last, final SectionSink sink,
		final Progress progress) throws IOException
	{
		final int end = last == 0 ? source.sections() : last;
		if (first < 1 || end > source.sections() || first > end)
			throw new IllegalArgumentException(String.format(Locale.ROOT,
				"images %d to %d were asked for, but the input has images 1 to %d", first, end, source.sections()));
		final int count = end - first + 1;
		for (int z = first - 1; z < end; z++) {
			progress.checkCancelled();
			sink.writeSection(source.readSection(z));
			progress.report(z - first + 2, count, "writing section " + (z + 1));
		}
		sink.commit();
		return count;
	}
}

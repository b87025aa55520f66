package org.vitreous.io;

import java.io.IOException;
import java.util.Locale;

import org.vitreous.Progress;

/** Streaming operations on section stacks (images of a stack, slices of a volume). */
public final class Sections {

	private Sections() {}

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

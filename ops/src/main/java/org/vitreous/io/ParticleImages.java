package org.vitreous.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads particle images named by a STAR file ({@code N@stack.mrcs}) one at a time, keeping each stack open, so a
 * stage can stream any number of particles in memory that does not grow with their count. Every image must be
 * N × N; an image that is not, or a reference beyond the end of its stack, is refused naming the stack.
 */
public final class ParticleImages implements AutoCloseable {

	private final int size;
	private final Map<Path, MrcFile> open = new HashMap<>();

	/** @param size the box size N every image must have */
	public ParticleImages(final int size) {
		this.size = size;
	}

	public int size() {
		return size;
	}

	/** The N × N image (x fastest). Thread-safe. */
	public synchronized float[] read(final ImageReference image) throws IOException {
		MrcFile f = open.get(image.stack());
		if (f == null) {
			f = MrcFile.open(image.stack());
			if (f.width() != size || f.height() != size) {
				final String shape = f.width() + " x " + f.height();
				f.close();
				throw new FormatException(image.stack(), "holds " + shape + " images; " + size + " x " + size
					+ " expected");
			}
			open.put(image.stack(), f);
		}
		if (image.section() >= f.sections()) throw new FormatException(image.stack(), "has " + f.sections()
			+ " images; image " + image.index() + " was asked for");
		return f.readSection(image.section());
	}

	@Override
	public synchronized void close() throws IOException {
		IOException first = null;
		for (final MrcFile f : open.values())
			try {
				f.close();
			} catch (final IOException e) {
				if (first == null) first = e;
			}
		open.clear();
		if (first != null) throw first;
	}
}

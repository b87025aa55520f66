package org.vitreous.io;

import java.io.IOException;

/** Receives 2D sections one after another and writes them as one file, whole or not at all. */
public interface SectionSink extends AutoCloseable {

	/** Appends one section of width·height values, x fastest. */
	void writeSection(float[] values) throws IOException;

	/** Finishes the file and moves it to its target. */
	void commit() throws IOException;

	/** Discards the output unless committed. */
	@Override
	void close() throws IOException;
}

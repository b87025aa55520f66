package org.vitreous.io;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Files as the archives distribute them: EMDB maps as .map.gz and PDB models as .pdb.gz / .cif.gz are gzip
 * streams, recognised by their first two bytes (1f 8b) whatever the file is called.
 */
public final class Compressed {

	private Compressed() {}

	/** Whether {@code start} (the first bytes of a file) opens a gzip stream. */
	public static boolean isGzip(final byte[] start) {
		return start.length >= 2 && (start[0] & 0xff) == 0x1f && (start[1] & 0xff) == 0x8b;
	}

	/** Whether {@code start} opens a TIFF file ("II*\0" or "MM\0*") or a BigTIFF file ("II+\0" or "MM\0+"). */
	public static boolean isTiff(final byte[] start) {
		return start.length >= 4 && (start[0] == 'I' && start[1] == 'I' && (start[2] == 42 || start[2] == 43)
			&& start[3] == 0 || start[0] == 'M' && start[1] == 'M' && start[2] == 0 && (start[3] == 42 || start[3] == 43));
	}

	/** The file's content, decompressed where it is gzipped. The caller closes the stream. */
	public static InputStream open(final Path path) throws IOException {
		final InputStream in;
		try {
			in = new BufferedInputStream(Files.newInputStream(path));
		} catch (final NoSuchFileException e) {
			throw new NoSuchFileException(path.toString(), null, "no such file");
		}
		in.mark(2);
		final byte[] start = in.readNBytes(2);
		in.reset();
		if (!isGzip(start)) return in;
		try {
			return new GZIPInputStream(in, 1 << 16);
		} catch (final ZipException e) {
			in.close();
			throw new FormatException(path, "is not a readable gzip stream: " + e.getMessage());
		}
	}

	/**
	 * A read channel on the decompressed content of a gzipped file, in a temporary file deleted when the channel
	 * closes.
	 */
	static FileChannel inflateToTemporary(final Path path) throws IOException {
		final Path base = Path.of(System.getProperty("java.io.tmpdir"));
		final Path temporary = Files.createTempFile(base, "vitreous-inflated-", ".mrc");
		try (InputStream in = open(path)) {
			Files.copy(in, temporary, StandardCopyOption.REPLACE_EXISTING);
		} catch (final EOFException | ZipException e) {
			Files.deleteIfExists(temporary);
			throw new FormatException(path, "is a truncated or damaged gzip stream: " + e.getMessage());
		} catch (final IOException | RuntimeException e) {
			Files.deleteIfExists(temporary);
			throw e;
		}
		return FileChannel.open(temporary, StandardOpenOption.READ, StandardOpenOption.DELETE_ON_CLOSE);
	}
}

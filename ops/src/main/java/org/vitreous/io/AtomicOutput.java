package org.vitreous.io;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * An output file written whole or not at all: data goes to a temporary file beside the target, which
 * {@link #commit()} renames onto the target; {@link #close()} without a commit deletes it. Refuses a target that
 * is one of the job's inputs, so no input is ever overwritten.
 */
public final class AtomicOutput implements AutoCloseable {

	private final Path target;
	private final Path temporary;
	private boolean committed;

	private AtomicOutput(final Path target, final Path temporary) {
		this.target = target;
		this.temporary = temporary;
	}

	/**
	 * Starts an output at {@code target}. The parent folder is created if missing.
	 *
	 * @param inputs the files the job reads; the target may be none of them
	 */
	public static AtomicOutput create(final Path target, final Path... inputs) throws IOException {
		refuseInputs(target, inputs);
		final Path absolute = target.toAbsolutePath();
		final Path folder = absolute.getParent();
		try {
			Files.createDirectories(folder);
		} catch (final IOException e) {
			throw new IOException(target + ": cannot create the folder " + folder + " (" + reason(e) + ")");
		}
		if (Files.isDirectory(absolute))
			throw new IOException(target + ": is a folder; expected a file name for the output");
		// One temporary name per target, so that a rerun finds and removes what a killed run left behind
		final Path temporary = temporaryOf(absolute);
		try {
			Files.deleteIfExists(temporary);
			Files.createFile(temporary); // the permissions of a plain new file (0644 under umask 022)
		} catch (final IOException e) {
			throw new IOException(target + ": cannot write in " + folder + " (" + reason(e) + ")");
		}
		return new AtomicOutput(absolute, temporary);
	}

	/** Writes {@code text} (UTF-8) to {@code target}, whole or not at all. */
	public static void writeString(final Path target, final CharSequence text, final Path... inputs)
		throws IOException
	{
		try (AtomicOutput out = create(target, inputs)) {
			Files.writeString(out.path(), text);
			out.commit();
		}
	}

	/** The temporary file beside {@code target} that its output is written to before the rename. */
	public static Path temporaryOf(final Path target) {
		final Path absolute = target.toAbsolutePath();
		return absolute.resolveSibling("." + absolute.getFileName() + ".vitreous-part");
	}

	/** What went wrong, in words: the exception's reason without the path it repeats. */
	static String reason(final IOException e) {
		if (e instanceof AccessDeniedException) return "permission denied";
		if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason();
		return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
	}

	/** Throws if {@code target} names the same file as one of {@code inputs}. */
	public static void refuseInputs(final Path target, final Path... inputs) throws IOException {
		final Path t = target.toAbsolutePath().normalize();
		for (final Path input : inputs) {
			if (input == null) continue;
			final Path in = input.toAbsolutePath().normalize();
			final boolean same = in.equals(t) || (Files.exists(in) && Files.exists(t) && Files.isSameFile(in, t));
			if (same)
				throw new IOException(target + ": is also an input of this job; refusing to overwrite an input, "
					+ "choose another output name");
		}
	}

	/** The temporary file to write to. */
	public Path path() {
		return temporary;
	}

	public Path target() {
		return target;
	}

	/** A channel that writes the temporary file; {@link #commit(FileChannel)} or {@link #close(FileChannel)} ends it. */
	public FileChannel openChannel() throws IOException {
		return FileChannel.open(temporary, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
	}

	/** Forces the channel's data to disk, closes it and commits. */
	public void commit(final FileChannel channel) throws IOException {
		channel.force(false);
		channel.close();
		commit();
	}

	/** Closes the channel if it is open, then discards the output unless it was committed. */
	public void close(final FileChannel channel) throws IOException {
		try {
			if (channel.isOpen()) channel.close();
		} finally {
			close();
		}
	}

	/** Renames the finished temporary file onto the target (atomically where the file system can). */
	public void commit() throws IOException {
		// an existing output keeps its mode (a facility's group-readable results stay readable)
		if (Files.exists(target)) try {
			Files.setPosixFilePermissions(temporary, Files.getPosixFilePermissions(target));
		} catch (final UnsupportedOperationException | IOException e) {
			// not a POSIX file system, or not ours to read: the new file keeps the default mode
		}
		try {
			Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		} catch (final AtomicMoveNotSupportedException e) {
			Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
		}
		committed = true;
	}

	/** Deletes the temporary file unless committed. */
	@Override
	public void close() throws IOException {
		if (!committed) Files.deleteIfExists(temporary);
	}
}

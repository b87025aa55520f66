package org.vitreous.plugins;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.NoSuchFileException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CancellationException;

import ij.Prefs;
import org.scijava.app.StatusService;
import org.scijava.command.ContextCommand;
import org.scijava.log.LogService;
import org.scijava.plugin.Parameter;
import org.scijava.thread.ThreadService;
import org.vitreous.Progress;
import org.vitreous.compute.ComputeDevice;
import org.vitreous.compute.ComputeException;
import org.vitreous.compute.Parallel;

/**
 * Base of every Vitreous command. A command fills its @Parameter fields, calls one thing in ops and shows or
 * writes the result; this class turns the errors a person can act on (a bad file, a bad value) into a one-line
 * cancel reason instead of a stack trace, and gives ops a {@link Progress} that reports through SciJava's status
 * service (Fiji's progress bar; the launcher's terminal bar) and honours cancellation. The work runs on the
 * threads of SciJava's thread service, as many as Fiji's thread setting allows ({@link Parallel#withExecutor}).
 */
public abstract class VitreousCommand extends ContextCommand {

	/**
	 * The compute-device choices and their help, for every command's {@code device} parameter (annotation
	 * constants, so the text is written once).
	 */
	protected static final String DEVICE_LABEL = "Compute device",
		DEVICE_HELP = "auto: a GPU, else Java (an OpenCL CPU device only on cpu or opencl)";
	protected static final String DEVICE_AUTO = "auto", DEVICE_JAVA = "java", DEVICE_OPENCL = "opencl",
		DEVICE_GPU = "gpu", DEVICE_CPU = "cpu";

	@Parameter
	private LogService log;

	@Parameter
	private StatusService status;

	@Parameter(required = false)
	private ThreadService threads;

	/** The command's work; throw IOException or IllegalArgumentException with a message for the user. */
	protected abstract void execute() throws IOException;

	@Override
	public final void run() {
		try {
			if (threads == null) execute();
			else Parallel.withExecutor(threads.getExecutorService(), threadCount(), () -> {
				execute();
				return null;
			});
		} catch (final CancellationException e) {
			if (!isCanceled()) cancel("cancelled");
		} catch (final NoSuchFileException e) {
			fail(e.getFile() + ": " + (e.getReason() == null ? "no such file" : e.getReason()));
		} catch (final IOException | IllegalArgumentException | IllegalStateException | ArithmeticException e) {
			// ArithmeticException: a result that would hold a non-finite value, refused rather than written
			fail(e.getMessage());
		} catch (final UncheckedIOException e) {
			fail(e.getCause().getMessage());
		} catch (final RuntimeException e) {
			throw e;
		} catch (final Exception e) {
			throw new IllegalStateException(e); // execute() throws no other checked exception
		} finally {
			if (status != null) status.clearStatus();
		}
	}

	/**
	 * The threads a command's work spreads over: Fiji's "Parallel threads" (Edit > Options > Memory & Threads),
	 * unless the launcher's {@code vitreous.threads} property sets them.
	 */
	private static int threadCount() {
		return System.getProperty("vitreous.threads") != null ? Parallel.threads() : Math.max(1, Prefs.getThreads());
	}

	private void fail(final String message) {
		if (log != null) log.error(message);
		cancel(message);
	}

	/** Progress for ops, reported through SciJava and cancelled with this command. */
	protected Progress progress() {
		return new Progress() {
			@Override
			public void report(final long done, final long total, final String what) {
				if (status == null) return;
				final int max = (int) Math.min(Integer.MAX_VALUE, total);
				final int value = (int) Math.min(max, done);
				status.showStatus(value, max, what);
			}

			@Override
			public boolean isCancelled() {
				return isCanceled();
			}
		};
	}

	/** Opens the device of a setting; a setting that cannot be met is the user's error, in one line. */
	protected ComputeDevice openDevice(final String setting) {
		try {
			final ComputeDevice d = ComputeDevice.choose(setting);
			if (log != null) log.info("computing on " + d.describe());
			return d;
		} catch (final ComputeException e) {
			throw new IllegalArgumentException("--device " + setting + ": " + e.getMessage());
		}
	}

	protected LogService log() {
		return log;
	}

	/**
	 * Warns the user of something done on their behalf that they did not ask for (a header dropped, atoms left
	 * out): in Fiji's log and status bar, and on the launcher's terminal.
	 */
	protected void warn(final String message) {
		if (log != null) log.warn(message);
		if (status != null) status.warn(message);
	}

	/**
	 * Copies each of this command's options onto the public field of the same name and type in {@code settings}, and
	 * returns it: the one place a command's options reach a stage's settings, so that neither can drift from the
	 * other (the names are the options' own; DefaultsAgreeTest checks the defaults).
	 */
	protected <T> T options(final T settings) {
		for (final Map.Entry<Field, Field> e : sharedOptions(getClass(), settings.getClass()).entrySet()) {
			try {
				e.getValue().set(settings, e.getKey().get(this));
			} catch (final IllegalAccessException x) {
				throw new IllegalStateException("option " + e.getKey().getName() + " of " + getClass().getSimpleName(), x);
			}
		}
		return settings;
	}

	/**
	 * The options of {@code command} (its {@code @Parameter} fields, made accessible) that {@code settings} has as
	 * public, non-static, non-final fields of the same name and type, each with that field, in declaration order.
	 */
	static Map<Field, Field> sharedOptions(final Class<?> command, final Class<?> settings) {
		final Map<Field, Field> shared = new LinkedHashMap<>();
		for (final Field option : command.getDeclaredFields()) {
			if (option.getAnnotation(Parameter.class) == null) continue;
			final Field target;
			try {
				target = settings.getField(option.getName());
			} catch (final NoSuchFieldException e) {
				continue;
			}
			if (target.getType() != option.getType() || Modifier.isStatic(target.getModifiers()) || Modifier.isFinal(target
				.getModifiers())) continue;
			option.setAccessible(true);
			shared.put(option, target);
		}
		return shared;
	}
}

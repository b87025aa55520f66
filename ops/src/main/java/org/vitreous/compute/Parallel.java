package org.vitreous.compute;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one thread pool of the library. Work is split into contiguous index ranges, one task per range; a range
 * runs on the calling thread when there is only one, so small jobs pay no hand-off. Nested calls (a task that
 * itself calls {@link #forRange}, on a pool thread or on the caller's own range) run their ranges inline, which
 * keeps the pool from deadlocking on itself and from serialising the outer ranges.
 * The number of threads is the number of processors, or the system property {@code vitreous.threads}.
 */
public final class Parallel {

	/** Work on the indices {@code start} (inclusive) to {@code end} (exclusive). */
	@FunctionalInterface
	public interface Range {
		void run(int start, int end);
	}

	private static final int THREADS = Math.max(1, Integer.getInteger("vitreous.threads", Runtime.getRuntime()
		.availableProcessors()));

	private static final ThreadLocal<Boolean> INSIDE = ThreadLocal.withInitial(() -> false);

	private static final ExecutorService POOL = Executors.newFixedThreadPool(THREADS, new ThreadFactory() {
		private final AtomicInteger count = new AtomicInteger();

		@Override
		public Thread newThread(final Runnable r) {
			final Thread t = new Thread(() -> {
				INSIDE.set(true);
				r.run();
			}, "vitreous-worker-" + count.incrementAndGet());
			t.setDaemon(true);
			return t;
		}
	});

	private Parallel() {}

	/** How many threads the pool has. */
	public static int threads() {
		return THREADS;
	}

	/** Runs {@code body} over [0, n) split into at most {@link #threads()} contiguous ranges, and waits. */
	public static void forRange(final int n, final Range body) {
		forRange(n, THREADS, body);
	}

	/** Runs {@code body} over [0, n) split into at most {@code parts} contiguous ranges, and waits. */
	public static void forRange(final int n, final int parts, final Range body) {
		if (n <= 0) return;
		final int p = Math.max(1, Math.min(Math.min(parts, n), THREADS));
		if (p == 1 || INSIDE.get()) {
			body.run(0, n);
			return;
		}
		final List<Future<?>> futures = new ArrayList<>(p);
		for (int i = 1; i < p; i++) {
			final int start = (int) ((long) n * i / p), end = (int) ((long) n * (i + 1) / p);
			futures.add(POOL.submit(() -> body.run(start, end)));
		}
		Throwable failure = null;
		// The caller works its own range as a pool thread would: calls nested in it run inline too. Handed to the
		// pool, they would wait behind the other ranges, which are this call's, and the job would run one range
		// at a time.
		INSIDE.set(true);
		try {
			body.run(0, (int) ((long) n / p));
		} catch (final Throwable t) {
			failure = t;
		} finally {
			INSIDE.set(false);
		}
		for (final Future<?> f : futures) {
			try {
				f.get();
			} catch (final ExecutionException e) {
				if (failure == null) failure = e.getCause();
			} catch (final InterruptedException e) {
				Thread.currentThread().interrupt();
				if (failure == null) failure = e;
			}
		}
		if (failure instanceof RuntimeException r) throw r;
		if (failure instanceof Error e) throw e;
		if (failure != null) throw new RuntimeException(failure);
	}
}

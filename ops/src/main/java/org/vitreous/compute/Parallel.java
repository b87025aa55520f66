package org.vitreous.compute;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
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
 * <p>
 * A caller that owns the threads (Fiji's thread service, a Spark task that must use one core) runs its work
 * through {@link #withExecutor} or {@link #singleThreaded}: every {@code forRange} that the work calls on that
 * thread then uses the caller's executor and thread count instead of the pool, as ImgLib2's Parallelization
 * does. The frame belongs to the calling thread and ends when the work returns.
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

	/** The executor and thread count a caller set for this thread; null for the pool. */
	private record Frame(ExecutorService executor, int threads) {}

	private static final ThreadLocal<Frame> FRAME = new ThreadLocal<>();

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

	/** How many threads work on this thread's calls: the caller's count inside {@link #withExecutor}, else the pool's. */
	public static int threads() {
		final Frame f = FRAME.get();
		return f == null ? THREADS : f.threads();
	}

	/**
	 * Runs {@code work} on this thread with every {@code forRange} it calls split into at most {@code threads} ranges
	 * on {@code executor} (the calling thread works one of them), and returns what it returns.
	 */
	public static <T> T withExecutor(final ExecutorService executor, final int threads, final Callable<T> work)
		throws Exception
	{
		if (threads < 1) throw new IllegalArgumentException(threads + " threads");
		if (executor == null && threads > 1) throw new IllegalArgumentException("no executor for " + threads
			+ " threads");
		final Frame before = FRAME.get();
		FRAME.set(new Frame(executor, threads));
		try {
			return work.call();
		} finally {
			if (before == null) FRAME.remove();
			else FRAME.set(before);
		}
	}

	/** Runs {@code work} with every {@code forRange} it calls on this thread alone. */
	public static <T> T singleThreaded(final Callable<T> work) throws Exception {
		return withExecutor(null, 1, work);
	}

	/** Runs {@code body} over [0, n) split into at most {@link #threads()} contiguous ranges, and waits. */
	public static void forRange(final int n, final Range body) {
		forRange(n, threads(), body);
	}

	/** Runs {@code body} over [0, n) split into at most {@code parts} contiguous ranges, and waits. */
	public static void forRange(final int n, final int parts, final Range body) {
		if (n <= 0) return;
		final Frame frame = FRAME.get();
		final ExecutorService executor = frame == null ? POOL : frame.executor();
		final int p = Math.max(1, Math.min(Math.min(parts, n), frame == null ? THREADS : frame.threads()));
		if (p == 1 || INSIDE.get()) {
			body.run(0, n);
			return;
		}
		final List<Future<?>> futures = new ArrayList<>(p);
		for (int i = 1; i < p; i++) {
			final int start = (int) ((long) n * i / p), end = (int) ((long) n * (i + 1) / p);
			futures.add(executor.submit(() -> {
				// on a caller's thread, nested calls run inline as on the pool's own
				final boolean inside = INSIDE.get();
				INSIDE.set(true);
				try {
					body.run(start, end);
				} finally {
					INSIDE.set(inside);
				}
			}));
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

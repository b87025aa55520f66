package org.vitreous.compute;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.Test;

/** The pool, and the caller's own threads (issue 16, item 8). */
public class ParallelTest {

	/** The threads that ran any part of a job over [0, 10,000), and the sum of its indices (each counted once). */
	private static Set<String> run(final AtomicLong sum) {
		final Set<String> threads = ConcurrentHashMap.newKeySet();
		Parallel.forRange(10_000, (start, end) -> {
			threads.add(Thread.currentThread().getName());
			// a nested call runs inline on the thread that made it
			Parallel.forRange(end - start, (a, b) -> {
				assertTrue(threads.contains(Thread.currentThread().getName()));
				for (int i = a; i < b; i++)
					sum.addAndGet(start + i);
			});
		});
		return threads;
	}

	@Test
	public void everyIndexOnceOnThePoolAndOnACallersThreads() throws Exception {
		final long expected = 10_000L * 9_999 / 2;
		final AtomicLong pool = new AtomicLong();
		run(pool);
		assertEquals(expected, pool.get());

		final AtomicLong single = new AtomicLong();
		final String me = Thread.currentThread().getName();
		final Set<String> alone = Parallel.singleThreaded(() -> {
			assertEquals(1, Parallel.threads());
			return run(single);
		});
		assertEquals(expected, single.get());
		assertEquals(Set.of(me), alone);

		final ExecutorService mine = Executors.newFixedThreadPool(3, r -> new Thread(r, "caller-thread"));
		try {
			final AtomicLong sum = new AtomicLong();
			final Set<String> used = Parallel.withExecutor(mine, 4, () -> run(sum));
			assertEquals(expected, sum.get());
			for (final String t : used)
				assertTrue(t, t.equals(me) || t.equals("caller-thread"));
			assertTrue("the caller's executor took part: " + used, used.contains("caller-thread"));
		} finally {
			mine.shutdown();
		}
		// the frame ended with the work
		assertEquals(Math.max(1, Integer.getInteger("vitreous.threads", Runtime.getRuntime().availableProcessors())),
			Parallel.threads());
	}
}

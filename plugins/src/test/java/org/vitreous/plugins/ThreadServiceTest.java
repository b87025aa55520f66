package org.vitreous.plugins;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import ij.Prefs;
import org.junit.Test;
import org.scijava.Context;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandModule;
import org.scijava.module.Module;
import org.scijava.module.ModuleService;
import org.scijava.thread.ThreadService;
import org.vitreous.compute.Parallel;

/**
 * A command's parallel work runs on the threads of SciJava's thread service (Fiji's), as many as Fiji's thread
 * setting allows, not on the library's own pool (issue 16).
 */
public class ThreadServiceTest {

	/** Records the threads its parallel loop ran on (no @Plugin: the menus and the command table never see it). */
	public static class ThreadProbe extends VitreousCommand {

		static final Set<String> NAMES = ConcurrentHashMap.newKeySet();
		static volatile int threads;

		@Override
		protected void execute() {
			threads = Parallel.threads();
			Parallel.forRange(64, 64, (start, end) -> {
				NAMES.add(Thread.currentThread().getName());
				try {
					Thread.sleep(20); // so that every range is handed out before any finishes
				} catch (final InterruptedException e) {
					Thread.currentThread().interrupt();
				}
			});
		}
	}

	@Test
	public void parallelWorkUsesTheThreadServiceExecutor() throws Exception {
		final int before = Prefs.getThreads();
		final Context context = Contexts.headless();
		try {
			final AtomicInteger made = new AtomicInteger();
			final ExecutorService fiji = Executors.newCachedThreadPool(r -> new Thread(r, "fiji-" + made.incrementAndGet()));
			context.service(ThreadService.class).setExecutorService(fiji);
			Prefs.setThreads(3);
			final Module m = context.service(ModuleService.class).run(new CommandInfo(ThreadProbe.class), true).get();
			assertTrue(((CommandModule) m).getCancelReason(), !((CommandModule) m).isCanceled());
			assertEquals(3, ThreadProbe.threads);
			// the command ran on a thread of Fiji's executor and handed its other two ranges to it, none to the
			// library's pool (vitreous-worker-N)
			for (final String name : ThreadProbe.NAMES)
				assertTrue(ThreadProbe.NAMES.toString(), name.startsWith("fiji-"));
			assertEquals(ThreadProbe.NAMES.toString(), 3, ThreadProbe.NAMES.size());
			fiji.shutdown();
		} finally {
			Prefs.setThreads(before);
			context.dispose();
		}
	}
}

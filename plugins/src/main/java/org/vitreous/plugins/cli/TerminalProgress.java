package org.vitreous.plugins.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import org.scijava.app.event.StatusEvent;
import org.scijava.event.EventHandler;

/** Draws SciJava status events as a progress bar on the terminal (only when stderr is one). */
final class TerminalProgress {

	private static final int WIDTH = 30;
	/** Warnings the command raised, in order (SciJava also raises a cancelled command's reason as one). */
	final List<String> warnings = new ArrayList<>();
	private final PrintStream err;
	private final boolean terminal;
	private boolean drawn;
	private long lastDraw;

	TerminalProgress(final PrintStream err) {
		this.err = err;
		this.terminal = System.console() != null && System.getenv("CI") == null;
	}

	@EventHandler
	public void onStatus(final StatusEvent e) {
		if (e.isWarning() && e.getStatusMessage() != null) { // a command's warning: the launcher prints it after
			warnings.add(e.getStatusMessage());
			return;
		}
		if (!terminal || e.getProgressMaximum() <= 0) return;
		final long now = System.nanoTime();
		final boolean done = e.getProgressValue() >= e.getProgressMaximum();
		if (!done && now - lastDraw < 100_000_000L) return; // at most ten redraws a second
		lastDraw = now;
		final double f = Math.min(1, Math.max(0, (double) e.getProgressValue() / e.getProgressMaximum()));
		final int filled = (int) Math.round(f * WIDTH);
		final String message = e.getStatusMessage() == null ? "" : e.getStatusMessage();
		err.print(String.format("\r[%s%s] %3d%% %-40.40s", "#".repeat(filled), " ".repeat(WIDTH - filled), Math.round(
			f * 100), message));
		err.flush();
		drawn = true;
	}

	void finish() {
		if (drawn) err.println();
		drawn = false;
	}
}

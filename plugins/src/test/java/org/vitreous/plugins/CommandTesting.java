package org.vitreous.plugins;

import java.util.Map;

import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.scijava.Context;
import org.scijava.command.Command;
import org.scijava.command.CommandModule;
import org.scijava.command.CommandService;

/** Base of tests that run commands through one headless SciJava context per test class, as Fiji runs them. */
public abstract class CommandTesting {

	protected static Context context;
	protected static CommandService commands;

	@BeforeClass
	public static void startContext() {
		context = Contexts.headless();
		commands = context.service(CommandService.class);
	}

	@AfterClass
	public static void stopContext() {
		context.dispose();
	}

	/** Runs a command with pre- and postprocessing and waits for it. */
	protected static CommandModule run(final Class<? extends Command> command, final Map<String, Object> inputs)
		throws Exception
	{
		return (CommandModule) commands.run(command, true, inputs).get();
	}
}

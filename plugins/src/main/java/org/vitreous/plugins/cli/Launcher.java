package org.vitreous.plugins.cli;

import java.io.File;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.scijava.Cancelable;
import org.scijava.Context;
import org.scijava.MenuEntry;
import org.scijava.command.CommandInfo;
import org.scijava.command.CommandService;
import org.scijava.convert.ConvertService;
import org.scijava.event.EventService;
import org.scijava.event.EventSubscriber;
import org.scijava.log.LogLevel;
import org.scijava.log.LogListener;
import org.scijava.log.LogService;
import org.scijava.module.Module;
import org.scijava.module.ModuleException;
import org.scijava.module.ModuleItem;
import org.scijava.module.ModuleService;
import org.scijava.script.ScriptInfo;
import org.scijava.script.ScriptService;

/**
 * The headless launcher behind {@code ./vitreous}: every Vitreous SciJava command is a subcommand whose options
 * come from its @Parameter fields, and {@code run SCRIPT 'key=value,...'} runs a SciJava script (Jython, ...).
 * Exit codes: 0 done, 1 the command refused its input (one-line message on stderr), 2 a usage mistake,
 * 3 an internal error.
 */
public final class Launcher {

	public static final int OK = 0, BAD_INPUT = 1, USAGE = 2, INTERNAL = 3;
	private static final String PACKAGE = "org.vitreous.";

	private final Context context;
	private final PrintStream out, err;

	public Launcher(final Context context, final PrintStream out, final PrintStream err) {
		this.context = context;
		this.out = out;
		this.err = err;
		// Commands log their errors for Fiji's console; here the launcher prints them once itself.
		context.service(LogService.class).setLevel("org.vitreous.plugins", LogLevel.NONE);
	}

	/**
	 * java.util.prefs announces at INFO that it created the user's preferences folder (SciJava keeps command
	 * defaults there) on a first run: JVM noise on a user's terminal. Held here so the setting is not collected.
	 */
	private static final Logger PREFS_LOG = Logger.getLogger("java.util.prefs");

	public static void main(final String[] args) {
		System.setProperty("java.awt.headless", "true");
		PREFS_LOG.setLevel(Level.WARNING);
		final int code;
		final Context context = new Context();
		try {
			code = new Launcher(context, System.out, System.err).run(args);
		} finally {
			context.dispose();
		}
		System.exit(code);
	}

	/** Vitreous commands by subcommand name. */
	public Map<String, CommandInfo> commands() {
		final Map<String, CommandInfo> byName = new TreeMap<>();
		for (final CommandInfo info : context.service(CommandService.class).getCommands())
			if (info.getClassName().startsWith(PACKAGE) && info.getName() != null && !info.getName().isEmpty())
				byName.put(info.getName(), info);
		return byName;
	}

	public int run(final String[] args) {
		if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
			printCommands();
			return args.length == 0 ? USAGE : OK;
		}
		final String name = args[0];
		final List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
		try {
			if (name.equals("run")) return runScript(rest);
			final CommandInfo info = commands().get(name);
			if (info == null) throw new Options.UsageException("unknown command '" + name
				+ "'; ./vitreous --help lists the commands");
			if (rest.contains("--help") || rest.contains("-h")) {
				printHelp(info);
				return OK;
			}
			return runCommand(name, info, rest);
		} catch (final Options.UsageException e) {
			err.println("vitreous " + name + ": " + e.getMessage());
			return USAGE;
		}
	}

	private int runCommand(final String name, final CommandInfo info, final List<String> args)
		throws Options.UsageException
	{
		final ModuleService modules = context.service(ModuleService.class);
		final Module module = modules.createModule(info);
		final Map<String, Object> inputs = Options.parse(module, args, context.service(ConvertService.class));
		// process=false: no input harvesting and no remembered values from earlier runs, so a command line
		// means the same thing every time; services are injected when the module is created.
		return execute(name, modules, module, inputs, false);
	}

	private int execute(final String name, final ModuleService modules, final Module module,
		final Map<String, Object> inputs, final boolean process)
	{
		// A script's exception is logged by SciJava's ScriptModule rather than thrown: collect logged errors.
		final List<String> errors = new ArrayList<>();
		final LogListener listener = message -> {
			if (message.level() != LogLevel.ERROR) return;
			final Throwable t = message.throwable();
			final String text = t != null ? String.valueOf(t.getMessage()) : message.text();
			errors.add(text == null ? "error" : text.strip().split("\n")[0]);
		};
		final LogService log = context.service(LogService.class);
		log.addLogListener(listener);
		final TerminalProgress progress = new TerminalProgress(err);
		final List<EventSubscriber<?>> subscribers = context.service(EventService.class).subscribe(
			progress);
		try {
			modules.run(module, process, inputs).get();
		} catch (final InterruptedException e) {
			Thread.currentThread().interrupt();
			err.println("vitreous " + name + ": interrupted");
			return INTERNAL;
		} catch (final ExecutionException e) {
			Throwable cause = e.getCause() == null ? e : e.getCause();
			// SciJava wraps a command's exception as "Module threw exception": report what was thrown
			while (cause.getCause() != null && cause.getCause() != cause && (cause instanceof ModuleException
				|| cause.getMessage() == null || cause.getMessage().startsWith("Module threw exception")))
				cause = cause.getCause();
			err.println("vitreous " + name + ": internal error: " + cause.getClass().getSimpleName() + (cause
				.getMessage() == null ? "" : ": " + cause.getMessage().strip().split("\n")[0]) + inputsOf(module));
			if (Boolean.getBoolean("vitreous.debug")) cause.printStackTrace(err);
			else err.println("(run with VITREOUS_DEBUG=1 for the stack trace)");
			return INTERNAL;
		} finally {
			progress.finish();
			context.service(EventService.class).unsubscribe(subscribers);
			log.removeLogListener(listener);
		}
		final String reason = module instanceof Cancelable c ? c.getCancelReason() : null;
		for (final String w : progress.warnings)
			if (!w.equals(reason) && !errors.contains(w)) err.println("vitreous " + name + ": warning: " + w);
		if (module instanceof Cancelable && ((Cancelable) module).isCanceled()) {
			err.println("vitreous " + name + ": " + (reason == null ? "cancelled" : reason));
			return BAD_INPUT;
		}
		if (!errors.isEmpty()) {
			err.println("vitreous " + name + ": " + errors.get(0));
			return BAD_INPUT;
		}
		for (final ModuleItem<?> item : Options.outputs(module.getInfo())) {
			final Object value = module.getOutput(item.getName());
			if (value == null) continue;
			if (value instanceof String && ((String) value).strip().startsWith("{")) out.println(value);
			else out.println(Options.label(item) + ": " + value);
		}
		return OK;
	}

	/** " (inputs: a, b)": the files among a module's inputs, for a message about what failed on what. */
	private static String inputsOf(final Module module) {
		final List<String> files = new ArrayList<>();
		for (final ModuleItem<?> item : module.getInfo().inputs()) {
			final Object v = module.getInput(item.getName());
			if (v instanceof File f && f.exists()) files.add(f.getPath());
		}
		return files.isEmpty() ? "" : " (inputs: " + String.join(", ", files) + ")";
	}

	private int runScript(final List<String> args) throws Options.UsageException {
		if (args.isEmpty()) throw new Options.UsageException("usage: ./vitreous run SCRIPT ['key=value,...']");
		final File file = new File(args.get(0));
		if (!file.isFile()) throw new Options.UsageException(file + ": no such script");
		final ScriptService scripts = context.service(ScriptService.class);
		if (scripts.getLanguageByExtension(extension(file)) == null)
			throw new Options.UsageException(file + ": no script language for '." + extension(file) + "' files");
		final ScriptInfo info = scripts.getScript(file);
		final Map<String, String> pairs = parsePairs(args.size() > 1 ? String.join(",", args.subList(1, args.size()))
			: "");
		final ModuleService modules = context.service(ModuleService.class);
		final Module module = modules.createModule(info);
		final List<String> optionArgs = new ArrayList<>();
		for (final Map.Entry<String, String> p : pairs.entrySet()) {
			optionArgs.add("--" + Options.kebab(p.getKey()));
			optionArgs.add(p.getValue());
		}
		// Script parameters are named as in the script (key=value); the same typed parser checks them.
		final Map<String, Object> inputs = Options.parse(module, optionArgs, context.service(ConvertService.class));
		// process=true: scripts get their #@ services from SciJava's preprocessors
		return execute("run " + file.getName(), modules, module, inputs, true);
	}

	private static String extension(final File f) {
		final String n = f.getName();
		final int dot = n.lastIndexOf('.');
		return dot < 0 ? "" : n.substring(dot + 1);
	}

	/** Fiji's parameter syntax: {@code key=value,key2='value, with comma'}. */
	public static Map<String, String> parsePairs(final String text) throws Options.UsageException {
		final Map<String, String> pairs = new LinkedHashMap<>();
		int i = 0;
		final int n = text.length();
		while (i < n) {
			while (i < n && (text.charAt(i) == ',' || Character.isWhitespace(text.charAt(i))))
				i++;
			if (i >= n) break;
			final int eq = text.indexOf('=', i);
			if (eq < 0) throw new Options.UsageException("'" + text.substring(i) + "' is not key=value");
			final String key = text.substring(i, eq).strip();
			i = eq + 1;
			final StringBuilder value = new StringBuilder();
			if (i < n && (text.charAt(i) == '\'' || text.charAt(i) == '"')) {
				final char q = text.charAt(i++);
				final int close = text.indexOf(q, i);
				if (close < 0) throw new Options.UsageException("unterminated quote in the value of " + key);
				value.append(text, i, close);
				i = close + 1;
			} else {
				while (i < n && text.charAt(i) != ',')
					value.append(text.charAt(i++));
			}
			pairs.put(key, value.toString().strip());
		}
		return pairs;
	}

	private void printCommands() {
		out.println("Vitreous: cryo-EM single-particle analysis and cryo-electron tomography.");
		out.println("usage: ./vitreous COMMAND [--option value ...]    ./vitreous COMMAND --help");
		out.println("       ./vitreous run SCRIPT ['key=value,...']");
		final Map<String, List<CommandInfo>> groups = new TreeMap<>();
		for (final CommandInfo info : commands().values())
			groups.computeIfAbsent(group(info), g -> new ArrayList<>()).add(info);
		groups.computeIfAbsent("Workflows", g -> new ArrayList<>());
		for (final Map.Entry<String, List<CommandInfo>> g : groups.entrySet()) {
			out.println();
			out.println(g.getKey() + ":");
			for (final CommandInfo info : g.getValue())
				out.printf("  %-24s %s%n", info.getName(), info.getDescription() == null ? "" : info.getDescription());
			if (g.getKey().equals("Workflows")) out.printf("  %-24s %s%n", "run",
				"run a SciJava script (Jython .py, ...) headless with key=value inputs");
		}
	}

	/** The menu group under Plugins>Vitreous (SPA, Tomography, Tools), or Workflows for commands without one. */
	private static String group(final CommandInfo info) {
		final List<MenuEntry> path = info.getMenuPath();
		if (path == null || path.size() < 3) return "Workflows";
		return path.get(2).getName();
	}

	private void printHelp(final CommandInfo info) {
		out.println("./vitreous " + info.getName() + " — " + (info.getDescription() == null ? info.getLabel() : info
			.getDescription()));
		final List<MenuEntry> path = info.getMenuPath();
		if (path != null && !path.isEmpty()) {
			final StringBuilder m = new StringBuilder();
			for (final MenuEntry e : path)
				m.append(m.length() == 0 ? "" : " > ").append(e.getName());
			out.println("Fiji menu: " + m);
		}
		out.println();
		out.println("Options:");
		final Module module = context.service(ModuleService.class).createModule(info);
		for (final ModuleItem<?> item : Options.userInputs(info)) {
			final String unit = Options.unit(item);
			final Object def = Options.defaultValue(module, item);
			final StringBuilder line = new StringBuilder(String.format("  --%-18s %-8s %s", Options.kebab(item
				.getName()), Options.typeWord(item), Options.label(item)));
			if (unit != null) line.append(" (").append(unit).append(')');
			line.append(def == null ? (item.isRequired() ? " [required]" : "") : " [default " + def + "]");
			if (item.getChoices() != null && !item.getChoices().isEmpty()) line.append(" one of ").append(item
				.getChoices());
			if (item.getDescription() != null && !item.getDescription().isEmpty()) line.append(": ").append(item
				.getDescription());
			out.println(line);
		}
		final List<ModuleItem<?>> outputs = Options.outputs(info);
		if (!outputs.isEmpty()) {
			out.println();
			out.println("Prints:");
			for (final ModuleItem<?> item : outputs)
				out.println("  " + Options.label(item));
		}
	}
}

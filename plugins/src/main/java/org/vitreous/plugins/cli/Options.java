package org.vitreous.plugins.cli;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.scijava.Context;
import org.scijava.ItemIO;
import org.scijava.ItemVisibility;
import org.scijava.convert.ConvertService;
import org.scijava.module.Module;
import org.scijava.module.ModuleInfo;
import org.scijava.module.ModuleItem;
import org.scijava.service.Service;

/**
 * The command-line options of a SciJava module, generated from its @Parameter items: field {@code pixelSize}
 * becomes {@code --pixel-size}. Nothing here lists a command's options by hand.
 */
public final class Options {

	/** A mistake in the command line: printed as one line, exit code 2. */
	public static final class UsageException extends Exception {
		private static final long serialVersionUID = 1L;

		public UsageException(final String message) {
			super(message);
		}
	}

	private Options() {}

	/** {@code pixelSize} → {@code pixel-size}. */
	public static String kebab(final String name) {
		final StringBuilder s = new StringBuilder();
		for (int i = 0; i < name.length(); i++) {
			final char c = name.charAt(i);
			if (Character.isUpperCase(c)) {
				if (i > 0) s.append('-');
				s.append(Character.toLowerCase(c));
			} else s.append(c);
		}
		return s.toString();
	}

	/** The inputs a user sets: not services, not the context, not messages. */
	public static List<ModuleItem<?>> userInputs(final ModuleInfo info) {
		final List<ModuleItem<?>> items = new ArrayList<>();
		for (final ModuleItem<?> item : info.inputs()) {
			final Class<?> type = item.getType();
			if (Service.class.isAssignableFrom(type) || Context.class.isAssignableFrom(type)) continue;
			if (item.getVisibility() == ItemVisibility.MESSAGE) continue;
			items.add(item);
		}
		return items;
	}

	public static List<ModuleItem<?>> outputs(final ModuleInfo info) {
		final List<ModuleItem<?>> items = new ArrayList<>();
		for (final ModuleItem<?> item : info.outputs())
			if (item.getIOType() == ItemIO.OUTPUT) items.add(item);
		return items;
	}

	/** The unit of an item (its {@code unit} attribute), or null. */
	public static String unit(final ModuleItem<?> item) {
		final String u = item.get("unit");
		return u == null || u.isEmpty() ? null : u;
	}

	/** A short type word for help: FILE, NUMBER, INTEGER, TEXT, CHOICE, FLAG. */
	public static String typeWord(final ModuleItem<?> item) {
		final Class<?> t = item.getType();
		if (item.getChoices() != null && !item.getChoices().isEmpty()) return "CHOICE";
		if (File.class.isAssignableFrom(t)) return "FILE";
		if (t == boolean.class || t == Boolean.class) return "FLAG";
		if (t == int.class || t == long.class || t == Integer.class || t == Long.class) return "INTEGER";
		if (t == double.class || t == float.class || Number.class.isAssignableFrom(t)) return "NUMBER";
		return "TEXT";
	}

	/**
	 * Parses {@code --name value}, {@code --name=value} and bare {@code --flag} arguments into typed values for
	 * every user input; inputs not given keep the module's defaults. Refuses unknown options, missing required
	 * inputs, values of the wrong type, values outside min/max and values not among the choices.
	 */
	public static Map<String, Object> parse(final Module module, final List<String> args,
		final ConvertService convert) throws UsageException
	{
		final ModuleInfo info = module.getInfo();
		final Map<String, ModuleItem<?>> byOption = new LinkedHashMap<>();
		for (final ModuleItem<?> item : userInputs(info))
			byOption.put(kebab(item.getName()), item);
		final Map<String, Object> values = new LinkedHashMap<>();
		for (int i = 0; i < args.size(); i++) {
			final String arg = args.get(i);
			if (!arg.startsWith("--"))
				throw new UsageException("unexpected argument '" + arg + "'; options look like --name value");
			String name = arg.substring(2), text = null;
			final int eq = name.indexOf('=');
			if (eq >= 0) {
				text = name.substring(eq + 1);
				name = name.substring(0, eq);
			}
			final ModuleItem<?> item = byOption.get(name);
			if (item == null)
				throw new UsageException("unknown option --" + name + "; options are --" + String.join(", --", byOption
					.keySet()));
			final boolean flag = "FLAG".equals(typeWord(item));
			if (text == null) {
				if (flag && (i + 1 >= args.size() || args.get(i + 1).startsWith("--"))) text = "true";
				else if (i + 1 >= args.size()) throw new UsageException("--" + name + " needs a value");
				else text = args.get(++i);
			}
			values.put(item.getName(), convert(item, name, text, convert));
		}
		for (final ModuleItem<?> item : userInputs(info)) {
			if (values.containsKey(item.getName())) continue;
			final Object current = defaultValue(module, item);
			if (current == null && item.isRequired())
				throw new UsageException("missing --" + kebab(item.getName()) + " (" + label(item) + ")");
			values.put(item.getName(), current);
		}
		return values;
	}

	/** The value an input has when not given: the field's initial value, or a script's declared default. */
	public static Object defaultValue(final Module module, final ModuleItem<?> item) {
		final Object current = module.getInput(item.getName());
		return current != null ? current : item.getDefaultValue();
	}

	static String label(final ModuleItem<?> item) {
		final String l = item.getLabel();
		return l == null || l.isEmpty() ? item.getName() : l;
	}

	private static Object convert(final ModuleItem<?> item, final String option, final String text,
		final ConvertService convert) throws UsageException
	{
		final List<?> choices = item.getChoices();
		if (choices != null && !choices.isEmpty() && !choices.contains(text))
			throw new UsageException("--" + option + " is '" + text + "'; expected one of " + choices);
		final Class<?> type = item.getType();
		final String word = typeWord(item);
		Object value;
		if (word.equals("FLAG")) {
			if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false"))
				throw new UsageException("--" + option + " is '" + text + "'; expected true or false");
			value = Boolean.parseBoolean(text);
		} else if (File.class.isAssignableFrom(type)) {
			value = new File(text);
		} else {
			try {
				value = convert.convert(text, type);
			} catch (final RuntimeException e) {
				value = null;
			}
			if (value == null || ((word.equals("NUMBER") || word.equals("INTEGER")) && !isNumber(text)))
				throw new UsageException("--" + option + " is '" + text + "'; expected " + (word.equals("INTEGER")
					? "a whole number" : word.equals("NUMBER") ? "a number" : "a " + type.getSimpleName()));
		}
		if (value instanceof Number) checkRange(item, option, ((Number) value).doubleValue());
		return value;
	}

	private static boolean isNumber(final String text) {
		try {
			return Double.isFinite(Double.parseDouble(text));
		} catch (final NumberFormatException e) {
			return false;
		}
	}

	private static void checkRange(final ModuleItem<?> item, final String option, final double v)
		throws UsageException
	{
		final Object min = item.getMinimumValue(), max = item.getMaximumValue();
		if (min instanceof Number && v < ((Number) min).doubleValue())
			throw new UsageException(String.format(Locale.ROOT, "--%s is %s; the minimum is %s", option, fmt(v), min));
		if (max instanceof Number && v > ((Number) max).doubleValue())
			throw new UsageException(String.format(Locale.ROOT, "--%s is %s; the maximum is %s", option, fmt(v), max));
	}

	private static String fmt(final double v) {
		return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
	}
}

package org.vitreous.plugins.script;

import org.scijava.Priority;
import org.scijava.plugin.Plugin;
import org.scijava.script.AdaptedScriptLanguage;
import org.scijava.script.ScriptLanguage;

/**
 * Python scripts (.py) through Jython's JSR-223 engine, for the headless launcher. scijava-common indexes only
 * ScriptLanguage plugins, not JSR-223 engines; Fiji ships its own Jython language, which outranks this one.
 */
@Plugin(type = ScriptLanguage.class, name = "Python (Jython)", priority = Priority.VERY_LOW)
public class JythonLanguage extends AdaptedScriptLanguage {

	public JythonLanguage() {
		super("jython");
	}
}

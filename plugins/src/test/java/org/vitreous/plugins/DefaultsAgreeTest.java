package org.vitreous.plugins;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.Test;
import org.vitreous.classify.Classify2d;
import org.vitreous.extract.ParticleExtraction;
import org.vitreous.picking.LogPicker;
import org.vitreous.plugins.spa.AbInitioCommand;
import org.vitreous.plugins.spa.Classify2dCommand;
import org.vitreous.plugins.spa.ExtractParticlesCommand;
import org.vitreous.plugins.spa.PickParticlesCommand;
import org.vitreous.plugins.spa.PostprocessCommand;
import org.vitreous.plugins.spa.ReconstructCommand;
import org.vitreous.plugins.spa.Refine3dCommand;
import org.vitreous.plugins.spa.SimulateParticlesCommand;
import org.vitreous.plugins.tomo.ReconstructTomogramCommand;
import org.vitreous.reconstruct.AbInitio;
import org.vitreous.reconstruct.ParticleReconstruction;
import org.vitreous.reconstruct.Postprocess;
import org.vitreous.reconstruct.Refine3d;
import org.vitreous.simulate.ParticleSimulation;
import org.vitreous.tomo.CoordinateNetwork;

/**
 * A command's option and the stage's setting of the same name start from the same value: the default a user sees
 * in Fiji's dialog or {@code --help} is the one a script calling the library gets (issue 16, item 7).
 */
public class DefaultsAgreeTest {

	@Test
	public void commandDefaultsAreTheStagesDefaults() throws Exception {
		final Object[][] pairs = { { new Classify2dCommand(), new Classify2d.Settings() }, { new AbInitioCommand(),
			new AbInitio.Settings() }, { new Refine3dCommand(), new Refine3d.Settings() }, { new ReconstructCommand(),
				new ParticleReconstruction.Settings() }, { new PostprocessCommand(), new Postprocess.Settings() }, {
					new SimulateParticlesCommand(), new ParticleSimulation.Settings() }, { new ReconstructTomogramCommand(),
						new CoordinateNetwork.Settings() }, { new ExtractParticlesCommand(),
							new ParticleExtraction.Settings() }, { new PickParticlesCommand(), new LogPicker.Settings() } };
		final List<String> differ = new ArrayList<>();
		for (final Object[] pair : pairs) {
			int compared = 0;
			for (final Map.Entry<Field, Field> e : VitreousCommand.sharedOptions(pair[0].getClass(), pair[1].getClass())
				.entrySet())
			{
				final Field option = e.getKey(), setting = e.getValue();
				if (!comparable(option.getType())) continue;
				final Object a = option.get(pair[0]), b = setting.get(pair[1]);
				compared++;
				if (!a.equals(b)) differ.add(pair[0].getClass().getSimpleName() + "." + option.getName() + " = " + a + ", "
					+ pair[1].getClass().getName() + "." + setting.getName() + " = " + b);
			}
			assertTrue(pair[0].getClass().getSimpleName() + " shares " + compared + " options with its settings",
				compared >= 2);
		}
		assertEquals(String.join("\n", differ), 0, differ.size());
	}

	private static boolean comparable(final Class<?> type) {
		return type.isPrimitive() || type == String.class;
	}
}

package org.vitreous.io;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;

import org.junit.Test;
import org.vitreous.simulate.AtomicModel;
import org.vitreous.testing.TestData;

/**
 * Every file of ../shared/data/real that a Vitreous reader takes, read, and checked against the facts its README
 * gives (the SerialEM .mdoc and IMOD .xf/.xtilt files wait for their readers, which the cryo-ET issue builds).
 */
public class RealFilesInteropTest {

	private static Path real(final String path) {
		return TestData.shared("real/" + path);
	}

	private static StarTable block(final String path, final String name) throws Exception {
		final StarTable t = StarFile.read(real(path)).block(name);
		assertTrue(path + " has data_" + name, t != null);
		return t;
	}

	@Test
	public void relionProjectAndPipelineStarsRead() throws Exception {
		assertEquals(31, block("star/starfile/default_pipeline.star", "pipeline_processes").rowCount());
		assertEquals(74, block("star/starfile/default_pipeline.star", "pipeline_nodes").rowCount());
		final StarTable fsc = block("star/starfile/postprocess.star", "fsc");
		assertEquals(49, fsc.rowCount());
		assertEquals(7, fsc.columns().size());
		assertEquals(49, block("star/starfile/postprocess.star", "guinier").rowCount());
		assertEquals(16.363636, block("star/starfile/postprocess.star", "general").getDouble(0, "rlnFinalResolution"),
			1e-6);
		assertEquals(84, block("star/starfile/run_it025_optimiser_3D.star", "optimiser_general").columns().size());
		assertEquals(192, block("star/starfile/run_it025_sampling_3D.star", "sampling_directions").rowCount());
		assertEquals(0, StarFile.read(real("star/starfile/empty_loop.star")).blocks().get(0).rowCount());
		assertTrue(StarFile.read(real("star/starfile/loop_double_quote.star")).blocks().get(0).rowCount() > 0);
	}

	private static void particles(final String path, final int count, final double pixelSize, final int box)
		throws Exception
	{
		final RelionStar s = RelionStar.read(real(path));
		assertEquals(path, count, s.size());
		final RelionStar.OpticsGroup g = s.opticsGroup(s.particle(0).opticsGroup());
		assertEquals(path, pixelSize, g.imagePixelSize(), 1e-4);
		if (box > 0) assertEquals(path, box, g.imageSize());
		for (int i = 0; i < s.size(); i++)
			s.particle(i);
	}

	@Test
	public void particleStarsOfEveryRelionVersionRead() throws Exception {
		particles("spa/cryodrgn/relion31.star", 5, 2.806, 256);
		particles("spa/cryodrgn/relion31.v2.star", 5, 2.806, 256);
		particles("spa/cryodrgn/relion5.star", 17, 0.89, 448);
		particles("spa/cryodrgn/FinalRefinement-OriginalParticles-PfCRT.star", 5, 1.035, 0);
		particles("spa/cryodrgn/empiar_10076_7.star", 7, 5e4 / 38168, 0);
		particles("spa/cryodrgn/sta_testing_bin8.star", 219, 1.96, 0);
		particles("spa/aspire/sample_particles_relion30.star", 17, 1.338, 0);
		particles("spa/aspire/rln_proj_65_centered.star", 4, 1.0, 65);
		particles("star/starfile/one_loop.star", 16, 5.0, 0);
		final RelionStar two = RelionStar.read(real("spa/aspire/sample_particles_relion31.star"));
		assertEquals(17, two.size());
		assertEquals(2, two.opticsGroups().size());
		assertEquals(300, two.opticsGroups().get(0).voltage(), 0);
		assertEquals(200, two.opticsGroups().get(1).voltage(), 0);
		// the pre-3.0 file gives origins in pixels of 1.035 Å
		final RelionStar pf = RelionStar.read(real("spa/cryodrgn/FinalRefinement-OriginalParticles-PfCRT.star"));
		assertTrue(pf.items().has(RelionStar.ORIGIN_X_ANGST));
	}

	@Test
	public void realParticleStacksRead() throws Exception {
		try (MrcFile f = MrcFile.open(real("spa/cryodrgn/empiar_10076_7.mrc"))) {
			assertEquals(320, f.width());
			assertEquals(7, f.sections());
			assertEquals(0, f.voxelSize()[0], 0); // cella 0: no pixel size in the header
		}
		try (MrcFile f = MrcFile.open(real("spa/cryodrgn/relion31.mrcs"))) { // no MAP word, machine stamp 0
			assertEquals(256, f.width());
			assertEquals(5, f.sections());
		}
		try (MrcFile f = MrcFile.open(real("spa/cryodrgn/ay19102021_L3_position6_ribo_it09_bin8_1.82A.mrcs"))) {
			assertEquals(64, f.width());
			assertEquals(220, f.sections());
		}
		final RelionStar s = RelionStar.read(real("spa/cryodrgn/empiar_10076_7.star"));
		try (ParticleImages images = new ParticleImages(320)) {
			final float[] last = images.read(s.particle(6).image());
			assertEquals(320 * 320, last.length);
		}
	}

	@Test
	public void realMapsRead() throws Exception {
		try (MrcFile f = MrcFile.open(real("maps/cryodrgn/50S-vol.mrc"))) {
			assertEquals(32, f.width());
			assertEquals(32, f.height());
			assertEquals(128, f.sections());
			assertEquals(4.0, f.voxelSize()[0], 1e-6);
		}
		try (MrcFile f = MrcFile.open(real("maps/mrcfile/EMD-3197.map"))) {
			assertEquals(20, f.width());
			assertEquals(11.4, f.voxelSize()[0], 1e-3);
			assertEquals(-2, f.header().nxStart);
		}
		try (MrcFile f = MrcFile.open(real("maps/aspire/clean70SRibosome_vol_65p.mrc"))) {
			assertEquals(65, f.width());
			assertEquals(65, f.sections());
		}
	}

	@Test
	public void realModelsRead() throws Exception {
		assertEquals(1855, AtomicModel.read(real("models/biopython/2BEG.cif")).atoms().size()); // model 1 of 10
		assertEquals(50, AtomicModel.read(real("models/biopython/disordered.pdb")).atoms().size());
		assertEquals(98 + 83, AtomicModel.read(real("models/gemmi/4oz7.pdb")).atoms().size());
		assertEquals(75, AtomicModel.read(real("models/gemmi/HEM.pdb")).atoms().size());
		assertEquals(258, AtomicModel.read(real("models/gemmi/1lzh.pdb.gz")).atoms().size());
	}

	@Test
	public void imodTiltAnglesRead() throws Exception {
		final double[] ts017 = TiltAngles.read(real("tomo/cryocat/TS_017/017.tlt"));
		assertEquals(60, ts017.length);
		assertEquals(-52.01, ts017[0], 1e-9);
		final double[] ts001 = TiltAngles.read(real("tomo/etomofiles/TS_001/TS_001.tlt"));
		assertEquals(40, ts001.length);
		assertEquals(-57.12, ts001[0], 1e-9);
		assertEquals(40, TiltAngles.read(real("tomo/etomofiles/TS_001/TS_001.rawtlt")).length);
	}
}

package org.vitreous.simulate;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.Test;
import org.vitreous.Progress;
import org.vitreous.compute.ComputeDevice;
import org.vitreous.io.FormatException;
import org.vitreous.io.MrcFile;
import org.vitreous.io.MrcWriter;
import org.vitreous.io.RelionStar;
import org.vitreous.testing.TestData;

/** Maps from atomic models and simulated particle stacks against analytic truth. */
public class SimulationTest {

	@Test
	public void errorFunctionMatchesTabulatedValues() {
		assertEquals(0.5204998778, ModelMap.erf(0.5), 2e-7);
		assertEquals(0.8427007929, ModelMap.erf(1), 2e-7);
		assertEquals(0.9953222650, ModelMap.erf(2), 2e-7);
		assertEquals(-0.8427007929, ModelMap.erf(-1), 2e-7);
		assertEquals(0, ModelMap.erf(0), 2e-7);
	}

	@Test
	public void oneAtomHasTheMassCentreAndWidthOfItsScatteringFactor() {
		final double px = 0.8, b = 30;
		final AtomicModel model = new AtomicModel(null, List.of(new AtomicModel.Atom("C", 12.3, 11.1, 13.7, 1, 0)));
		final ModelMap.Result r = ModelMap.compute(model, px, 32, b, false, false);
		double sum = 0, mx = 0, my = 0, mz = 0, vx = 0;
		for (int z = 0; z < 32; z++)
			for (int y = 0; y < 32; y++)
				for (int x = 0; x < 32; x++) {
					final double v = r.map()[(z * 32 + y) * 32 + x];
					sum += v;
					mx += v * x * px;
					my += v * y * px;
					mz += v * z * px;
					vx += v * (x * px - 12.3) * (x * px - 12.3);
				}
		final double[] a = ScatteringFactors.a("C"), bb = ScatteringFactors.b("C");
		double f0 = 0, second = 0;
		for (int i = 0; i < 5; i++) {
			f0 += a[i];
			second += a[i] * ((bb[i] + b) / (8 * Math.PI * Math.PI) + px * px / 12);
		}
		assertEquals("f(0) = Σa", f0, sum * px * px * px, 1e-5 * f0);
		assertEquals(12.3, mx / sum, 1e-4);
		assertEquals(11.1, my / sum, 1e-4);
		assertEquals(13.7, mz / sum, 1e-4);
		assertEquals("variance along x", second / f0, vx / sum, 1e-3 * second / f0);
		// the real-space form is the transform of f: at k the scattering factor is f0·exp(−Bk²/4)-weighted sum
		assertEquals(ScatteringFactors.at("C", 0), f0, 1e-12);
	}

	@Test
	public void ubiquitinMapIsCentredOnItsScatteringCentroid() throws Exception {
		final AtomicModel model = AtomicModel.read(TestData.shared("models/1ubq.pdb"));
		assertEquals(602 + 58, model.atoms().size());
		assertEquals(new AtomicModel.Atom("N", 27.340, 24.430, 2.614, 1, 9.67), model.atoms().get(0));
		final double px = 1.5;
		final int box = 48;
		final ModelMap.Result r = ModelMap.compute(model, px, box, 20, false, true);
		assertTrue(r.skipped().isEmpty());
		double sum = 0, mx = 0, my = 0, mz = 0;
		for (int z = 0; z < box; z++)
			for (int y = 0; y < box; y++)
				for (int x = 0; x < box; x++) {
					final double v = r.map()[(z * box + y) * box + x];
					sum += v;
					mx += v * x;
					my += v * y;
					mz += v * z;
				}
		// expected: the f(0)-weighted centroid of the shifted atoms, in voxels
		double f = 0, ex = 0, ey = 0, ez = 0, massX = 0, mass = 0;
		for (final AtomicModel.Atom a : model.atoms()) {
			final double w = ScatteringFactors.at(a.element(), 0) * a.occupancy();
			f += w;
			ex += w * (a.x() + r.shift()[0]) / px;
			ey += w * (a.y() + r.shift()[1]) / px;
			ez += w * (a.z() + r.shift()[2]) / px;
			mass += ScatteringFactors.mass(a.element()) * a.occupancy();
			massX += ScatteringFactors.mass(a.element()) * a.occupancy() * (a.x() + r.shift()[0]) / px;
		}
		assertEquals("centre of mass at the box centre", box / 2, massX / mass, 1e-9);
		assertEquals("mass", f, sum * px * px * px, 1e-4 * f);
		assertEquals(ex / f, mx / sum, 0.01);
		assertEquals(ey / f, my / sum, 0.01);
		assertEquals(ez / f, mz / sum, 0.01);
	}

	@Test
	public void mmcifAndPdbGiveTheSameAtoms() throws Exception {
		final Path dir = TestData.scratch("models");
		final Path pdb = dir.resolve("three.pdb"), cif = dir.resolve("three.cif");
		Files.writeString(pdb, String.join("\n",
			"ATOM      1  N   MET A   1      27.340  24.430   2.614  1.00  9.67           N  ",
			"ATOM      2  CA  MET A   1      26.266  25.413   2.842  0.50 10.38           C  ",
			"HETATM    3  SD  MET A   1      24.000  -1.250 -12.500  1.00 30.00           S  ", "END", ""));
		Files.writeString(cif, String.join("\n", "data_three", "loop_", "_atom_site.group_PDB", "_atom_site.id",
			"_atom_site.type_symbol", "_atom_site.label_atom_id", "_atom_site.Cartn_x", "_atom_site.Cartn_y",
			"_atom_site.Cartn_z", "_atom_site.occupancy", "_atom_site.B_iso_or_equiv", "_atom_site.pdbx_PDB_model_num",
			"ATOM 1 N N 27.340 24.430 2.614 1.00 9.67 1", "ATOM 2 C CA 26.266 25.413 2.842 0.50 10.38 1",
			"HETATM 3 S \"SD\" 24.000 -1.250 -12.500 1.00 30.00 1", "ATOM 4 C CA 0 0 0 1 1 2", "#", ""));
		assertEquals(AtomicModel.read(pdb).atoms(), AtomicModel.read(cif).atoms());
		assertEquals(3, AtomicModel.read(cif).atoms().size());
		final Path bad = dir.resolve("bad.pdb");
		Files.writeString(bad, "ATOM      1  N   MET A   1      27.34x  24.430   2.614  1.00  9.67           N  \n");
		try {
			AtomicModel.read(bad);
			throw new AssertionError("a bad coordinate was accepted");
		} catch (final FormatException e) {
			assertTrue(e.getMessage(), e.getMessage().contains("bad.pdb") && e.getMessage().contains("1"));
		}
	}

	private static float[] readAll(final Path p) throws Exception {
		try (MrcFile f = MrcFile.open(p)) {
			return f.readAll();
		}
	}

	@Test
	public void simulatedStackHasTheRequestedSnrAndItsStarReproducesTheImages() throws Exception {
		final int n = 48;
		final float[] map = Phantoms.gaussianBlobs(n, 12, 4).update(null).getCurrentStorageArray();
		final Path dir = TestData.scratch("simulate");
		final Path mapPath = dir.resolve("map.mrc");
		MrcWriter.write(mapPath, Phantoms.gaussianBlobs(n, 12, 4), new MrcWriter.Settings().pixelSize(3));
		final ParticleSimulation.Settings s = new ParticleSimulation.Settings();
		s.count = 120;
		s.snr = 0.2;
		s.shiftSigma = 6;
		s.seed = 17;
		final Path noisy = dir.resolve("noisy");
		final double measured = ParticleSimulation.run(map, n, 3, s, noisy, ComputeDevice.JAVA, Progress.NONE);
		assertEquals(0.2, measured, 0.01 * 0.2);
		// independent check: project the map at the STAR's poses and CTFs, then measure signal and noise variance
		final RelionStar star = RelionStar.read(noisy.resolve("particles.star"));
		assertEquals(120, star.size());
		assertEquals(noisy.resolve("particles.mrcs").toAbsolutePath(), star.image(7).stack().toAbsolutePath());
		final Path clean = dir.resolve("clean.mrcs");
		StarProjection.run(mapPath, noisy.resolve("particles.star"), clean, true, ComputeDevice.JAVA, Progress.NONE);
		final float[] signal = readAll(clean), data = readAll(noisy.resolve("particles.mrcs"));
		double ss = 0, s2 = 0, ns = 0, n2 = 0;
		for (int i = 0; i < data.length; i++) {
			final double e = data[i] - signal[i];
			ss += signal[i];
			s2 += signal[i] * (double) signal[i];
			ns += e;
			n2 += e * e;
		}
		final double snr = (s2 / data.length - ss * ss / data.length / data.length) / (n2 / data.length - ns * ns
			/ data.length / data.length);
		assertEquals("SNR measured from the STAR's truth", 0.2, snr, 0.05 * 0.2);
		// noise-free: the STAR reproduces the images exactly; the same seed gives the same bytes
		s.snr = 0;
		final Path free = dir.resolve("free"), again = dir.resolve("again");
		ParticleSimulation.run(map, n, 3, s, free, ComputeDevice.JAVA, Progress.NONE);
		ParticleSimulation.run(map, n, 3, s, again, ComputeDevice.JAVA, Progress.NONE);
		final float[] f = readAll(free.resolve("particles.mrcs"));
		StarProjection.run(mapPath, free.resolve("particles.star"), dir.resolve("free_projected.mrcs"), true,
			ComputeDevice.JAVA, Progress.NONE);
		final float[] p = readAll(dir.resolve("free_projected.mrcs"));
		double d = 0, norm = 0;
		for (int i = 0; i < f.length; i++) {
			d += (f[i] - p[i]) * (double) (f[i] - p[i]);
			norm += f[i] * (double) f[i];
		}
		assertTrue("noise-free images against their STAR: " + Math.sqrt(d / norm), Math.sqrt(d / norm) < 1e-5);
		assertArrayEquals(Files.readAllBytes(free.resolve("particles.mrcs")), Files.readAllBytes(again.resolve(
			"particles.mrcs")));
		assertArrayEquals(Files.readAllBytes(free.resolve("particles.star")), Files.readAllBytes(again.resolve(
			"particles.star")));
	}
}

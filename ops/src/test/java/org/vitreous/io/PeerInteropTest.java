package org.vitreous.io;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.Test;
import org.vitreous.testing.Peers;
import org.vitreous.testing.TestData;

/**
 * Files written by Vitreous, read by the programs users pair it with: Python's mrcfile (its validator and its
 * reader) and RELION's relion_star_handler. Each skips with a message where the peer is not installed.
 */
public class PeerInteropTest {

	private static final String MRCFILE_CHECK = String.join("\n", "import sys, mrcfile, numpy as np",
		"for path in sys.argv[1:]:",
		"    ok = mrcfile.validate(path, print_file=sys.stderr)",
		"    with mrcfile.open(path, permissive=False) as m:",
		"        d = m.data.astype(np.float64)",
		"        print(path, ok, ','.join(str(s) for s in m.data.shape), repr(float(d.sum())),",
		"              repr(float(d.flat[0])), repr(float(d.flat[-1])), repr(float(m.voxel_size.x)))");

	@Test
	public void mrcfileValidatesAndReadsWhatVitreousWrites() throws IOException {
		final String python = Peers.python("mrcfile", "python3-mrcfile");
		final Path dir = TestData.scratch("mrcfile-interop");
		final Map<String, float[]> written = new HashMap<>();
		final Map<String, int[]> shapes = new HashMap<>();
		final List<String> args = new ArrayList<>();
		final int[][] sizes = { { 13, 11, 7 }, { 19, 17, 5 } };
		for (final MrcMode mode : new MrcMode[] { MrcMode.INT8, MrcMode.INT16, MrcMode.FLOAT32, MrcMode.UINT16,
			MrcMode.FLOAT16 })
			for (final ByteOrder order : new ByteOrder[] { ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN })
				for (final int[] size : sizes) {
					final boolean volume = size == sizes[0];
					final Path file = dir.resolve("mode" + mode.code + "_" + (order == ByteOrder.BIG_ENDIAN ? "be" : "le")
						+ (volume ? ".mrc" : ".mrcs"));
					final float[] v = MrcRoundTripTest.valuesFor(mode, size[0] * size[1] * size[2], file.hashCode());
					if (mode == MrcMode.FLOAT16) // mrcfile sums float16 data in float16: keep it from overflowing
						for (int i = 0; i < v.length; i++)
							v[i] = Float16.toFloat(Float16.fromFloat(v[i] / 4096f));
					final MrcWriter.Settings s = new MrcWriter.Settings().mode(mode).byteOrder(order).pixelSize(1.5)
						.label("written by Vitreous");
					s.volume = volume;
					MrcWriter.write(file, net.imglib2.img.array.ArrayImgs.floats(v, size[0], size[1], size[2]), s);
					written.put(file.toString(), v);
					shapes.put(file.toString(), size);
					args.add(file.toString());
				}
		final List<String> cmd = new ArrayList<>(List.of(python, "-c", MRCFILE_CHECK));
		cmd.addAll(args);
		final Peers.Result r = Peers.run(cmd, null);
		assertEquals(r.output(), 0, r.exitCode());
		int checked = 0;
		for (final String line : r.output().split("\n")) {
			final String[] w = line.trim().split(" ");
			if (w.length != 7 || !written.containsKey(w[0])) continue;
			final float[] v = written.get(w[0]);
			final int[] size = shapes.get(w[0]);
			assertEquals(line + "\n" + r.output(), "True", w[1]);
			assertEquals(line, size[2] + "," + size[1] + "," + size[0], w[2]);
			double sum = 0;
			for (final float x : v)
				sum += x;
			assertEquals(line, sum, Double.parseDouble(w[3]), Math.abs(sum) * 1e-12 + 1e-9);
			assertEquals(line, v[0], Double.parseDouble(w[4]), 0);
			assertEquals(line, v[v.length - 1], Double.parseDouble(w[5]), 0);
			assertEquals(line, 1.5, Double.parseDouble(w[6]), 1e-6);
			checked++;
		}
		assertEquals(r.output(), written.size(), checked);
	}

	@Test
	public void relionStarHandlerReadsEveryColumnVitreousWrites() throws IOException {
		final String relion = Peers.program("relion_star_handler", "relion");
		final Path dir = TestData.scratch("relion-star");
		final RelionStar star = RelionStar.createParticles(List.of(new RelionStar.OpticsGroup("opticsGroup1", 1, 300,
			2.7, 0.1, 1.34, 128, 2), new RelionStar.OpticsGroup("opticsGroup2", 2, 200, 2.0, 0.07, 0.885, 200, 2)));
		final Random random = new Random(7);
		for (int i = 1; i <= 50; i++) {
			final int row = star.add(new RelionStar.Particle(new ImageReference(i, dir.resolve("stack.mrcs")), random
				.nextDouble() * 360 - 180, random.nextDouble() * 180, random.nextDouble() * 360 - 180, random
					.nextGaussian() * 5, random.nextGaussian() * 5, 15000 + random.nextDouble() * 10000, 14000 + random
						.nextDouble() * 10000, random.nextDouble() * 180, 1 + i % 2, 1 + (i / 2) % 2, 1 + i % 3), dir);
			star.items().set(row, RelionStar.MICROGRAPH_NAME, "Micrographs/mic" + (i % 4) + ".mrc");
			star.items().set(row, RelionStar.COORDINATE_X, random.nextDouble() * 4000);
			star.items().set(row, RelionStar.COORDINATE_Y, random.nextDouble() * 4000);
			star.items().set(row, RelionStar.PHASE_SHIFT, 0.0);
			star.items().set(row, RelionStar.CTF_BFACTOR, 0.0);
		}
		final Path ours = dir.resolve("vitreous.star"), theirs = dir.resolve("relion.star");
		star.write(ours);
		final Peers.Result r = Peers.run(List.of(relion, "--i", ours.toString(), "--o", theirs.toString(), "--operate",
			"rlnAngleRot", "--multiply_by", "1"), dir);
		assertEquals(r.output(), 0, r.exitCode());
		final RelionStar back = RelionStar.read(theirs);
		for (final StarTable[] pair : new StarTable[][] { { star.optics(), back.optics() }, { star.items(), back
			.items() } })
		{
			final StarTable a = pair[0], b = pair[1];
			assertEquals(new java.util.TreeSet<>(a.columns()), new java.util.TreeSet<>(b.columns()));
			assertEquals(a.rowCount(), b.rowCount());
			for (int row = 0; row < a.rowCount(); row++)
				for (final String column : a.columns()) {
					final String va = a.get(row, column), vb = b.get(row, column);
					final String where = a.name() + " row " + (row + 1) + " _" + column + ": " + va + " vs " + vb;
					// RELION prints some columns with five decimals: equal to half a unit in the fifth
					if (isNumber(va)) assertEquals(where, Double.parseDouble(va), Double.parseDouble(vb), 5.01e-6);
					else assertEquals(where, va, vb);
				}
		}
		assertTrue(back.particle(0).image().stack().endsWith("stack.mrcs"));
	}

	private static boolean isNumber(final String s) {
		try {
			Double.parseDouble(s);
			return true;
		} catch (final NumberFormatException e) {
			return false;
		}
	}
}

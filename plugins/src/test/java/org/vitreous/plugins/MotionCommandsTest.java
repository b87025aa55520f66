package org.vitreous.plugins;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

import org.junit.Test;
import org.scijava.command.CommandModule;
import org.vitreous.io.MrcFile;
import org.vitreous.io.MrcWriter;
import org.vitreous.io.RelionStar;
import org.vitreous.io.TiffFile;
import org.vitreous.io.TiffWriter;
import org.vitreous.motion.MotionStar;
import org.vitreous.plugins.spa.EstimateCtfCommand;
import org.vitreous.plugins.spa.ExtractParticlesCommand;
import org.vitreous.plugins.spa.MotionCorrectCommand;
import org.vitreous.plugins.spa.PickParticlesCommand;
import org.vitreous.plugins.spa.SimulateMoviesCommand;
import org.vitreous.testing.TestData;

/**
 * simulate-movies → motion-correct → estimate-ctf through a SciJava context: the files RELION's motion correction writes, the
 * trajectory plots, a rerun that skips what is done, a truncated movie skipped and counted while the rest are
 * corrected, and a gain reference of the wrong size refused in one line.
 */
public class MotionCommandsTest extends CommandTesting {

	@Test
	public void simulateCorrectResumeAndBadInput() throws Exception {
		final Path dir = TestData.scratch("motion-commands");
		final Path sim = dir.resolve("sim");
		final Map<String, Object> simulation = new HashMap<>(Map.of("map", TestData.shared("relion/ribosome_b64.mrc")
			.toFile(), "output", sim.toFile(), "movies", 2, "width", 512, "height", 512, "frames", 8, "pixelSize", 2.0,
			"particles", 4, "gainSpread", 0.05));
		simulation.put("hotPixels", 3);
		simulation.put("device", "java");
		simulation.put("model", null); // not what the other test's run left in the persisted inputs
		simulation.put("tiff", false);
		CommandModule m = run(SimulateMoviesCommand.class, simulation);
		assertFalse(m.getCancelReason(), m.isCanceled());
		assertEquals(2, RelionStar.read(sim.resolve("movies.star")).size());
		final Path out = dir.resolve("mc");
		final Map<String, Object> inputs = new HashMap<>(Map.of("movies", sim.resolve("movies.star").toString(),
			"output", out.toFile(), "patches", 1, "doseWeighting", true, "gain", sim.resolve("gain.mrc").toFile()));
		// not what the other test's run left in the persisted inputs
		inputs.put("defects", null);
		inputs.put("gainRotation", "0");
		inputs.put("gainFlip", "0");
		m = run(MotionCorrectCommand.class, inputs);
		assertFalse(m.getCancelReason(), m.isCanceled());
		assertTrue((String) m.getOutput("summary"), ((String) m.getOutput("summary")).startsWith("2 movies corrected"));
		for (final String f : new String[] { "movie_0001.mrc", "movie_0001_noDW.mrc", "movie_0001.star",
			"movie_0001_shifts.png", "movie_0002.mrc" })
			assertTrue(f, Files.exists(out.resolve("Movies").resolve(f)));
		final MotionStar.Motion motion = MotionStar.read(out.resolve("Movies/movie_0001.star"));
		assertEquals(8, motion.frames());
		assertEquals(3, motion.hotPixels().length);
		final RelionStar micrographs = RelionStar.read(out.resolve("corrected_micrographs.star"));
		assertEquals(2, micrographs.size());
		assertEquals("Movies/movie_0002.mrc", micrographs.items().get(1, RelionStar.MICROGRAPH_NAME));
		// estimate-ctf on the sums: CTFFIND's files, a radial plot per micrograph, micrographs_ctf.star
		final Path ctf = dir.resolve("ctf");
		m = run(EstimateCtfCommand.class, Map.of("micrographs", out.resolve("corrected_micrographs.star").toString(),
			"output", ctf.toFile()));
		assertFalse(m.getCancelReason(), m.isCanceled());
		final String estimated = (String) m.getOutput("summary");
		assertTrue(estimated, estimated.startsWith("2 micrographs estimated, 0 done before, 0 failed"));
		for (final String f : new String[] { "movie_0001.ctf", "movie_0001.txt", "movie_0001_avrot.txt",
			"movie_0001_avrot.png" })
			assertTrue(f, Files.exists(ctf.resolve("Movies").resolve(f)));
		assertTrue(Files.exists(ctf.resolve("micrographs_ctf.star")));
		// pick-particles and extract-particles on what estimate-ctf wrote: no hand editing between the stages
		final Path picks = dir.resolve("picks");
		// simulate-movies' particles are lighter than the background (see MovieSimulation): picked inverted
		m = run(PickParticlesCommand.class, Map.of("micrographs", ctf.resolve("micrographs_ctf.star").toFile(),
			"output", picks.toFile(), "diameterMin", 200.0, "diameterMax", 300.0, "invert", true));
		assertFalse(m.getCancelReason(), m.isCanceled());
		final String picked = (String) m.getOutput("summary");
		assertTrue(picked, picked.contains("on 2 micrographs (0 done before), 0 failed"));
		final int pickedCount = Integer.parseInt(picked.substring(0, picked.indexOf(' ')));
		assertTrue(picked, pickedCount >= 2);
		assertTrue(Files.exists(picks.resolve("mc/Movies/movie_0001_autopick.star")));
		assertTrue(Files.exists(picks.resolve("mc/Movies/movie_0001_autopick.png")));
		final Path particles = dir.resolve("particles");
		final Map<String, Object> extraction = new HashMap<>(Map.of("micrographs", ctf.resolve("micrographs_ctf.star")
			.toFile(), "coordinates", picks.resolve("coordinates.star").toFile(), "output", particles.toFile(), "box", 160,
			"binTo", 80, "invertContrast", true, "edge", "fill"));
		m = run(ExtractParticlesCommand.class, extraction);
		assertFalse(m.getCancelReason(), m.isCanceled());
		final String extracted = (String) m.getOutput("summary");
		assertTrue(extracted, extracted.startsWith(pickedCount + " particles from 2 micrographs"));
		final RelionStar cut = RelionStar.read(particles.resolve("particles.star"));
		assertEquals(pickedCount, cut.size());
		assertEquals(4.0, cut.optics().getDouble(0, RelionStar.IMAGE_PIXEL_SIZE), 1e-9);
		assertTrue(cut.items().has(RelionStar.DEFOCUS_U));
		// a rerun skips both; a truncated third movie is reported and skipped, the others stay listed
		final Path third = sim.resolve("Movies/movie_0003.mrcs");
		Files.write(third, Files.readAllBytes(sim.resolve("Movies/movie_0001.mrcs")));
		try (SeekableByteChannel channel = Files.newByteChannel(third, StandardOpenOption.WRITE)) {
			channel.truncate(100_000);
		}
		Files.writeString(sim.resolve("three.star"), Files.readString(sim.resolve("movies.star")).stripTrailing()
			+ "\nMovies/movie_0003.mrcs 1\n");
		inputs.put("movies", sim.resolve("three.star").toString());
		m = run(MotionCorrectCommand.class, inputs);
		final String summary = (String) m.getOutput("summary");
		assertTrue(summary, summary.startsWith("0 movies corrected, 2 done before, 1 failed"));
		assertTrue(summary, summary.contains("movie_0003.mrcs") && summary.contains("truncated"));
		assertEquals(2, RelionStar.read(out.resolve("corrected_micrographs.star")).size());
		// a gain reference of the wrong size: every movie refused, naming the gain file
		final Path small = dir.resolve("small_gain.mrc");
		try (MrcWriter w = MrcWriter.open(small, 256, 256, new MrcWriter.Settings().pixelSize(2))) {
			w.writeSection(new float[256 * 256]);
			w.commit();
		}
		inputs.put("movies", sim.resolve("movies.star").toString());
		inputs.put("output", dir.resolve("mc2").toFile());
		inputs.put("gain", small.toFile());
		m = run(MotionCorrectCommand.class, inputs);
		final String refused = (String) m.getOutput("summary");
		assertTrue(refused, refused.contains("2 failed") && refused.contains("small_gain.mrc: is 256 x 256, but"));
		try (MrcFile f = MrcFile.open(out.resolve("Movies/movie_0001.mrc"))) {
			assertEquals(512, f.width());
		}
	}

	/**
	 * simulate-movies from an atomic model, as TIFF movies; motion-correct reads them with a defect file and a gain
	 * stored turned (gain rotation and flip options).
	 */
	@Test
	public void modelToTiffMoviesWithDetectorOptions() throws Exception {
		final Path dir = TestData.scratch("motion-commands-tiff");
		final Path sim = dir.resolve("sim");
		final Map<String, Object> simulation = new HashMap<>(Map.of("model", TestData.shared("models/1ubq.pdb").toFile(),
			"output", sim.toFile(), "movies", 1, "width", 256, "height", 256, "frames", 4, "pixelSize", 1.5, "particles",
			4, "tiff", true));
		simulation.put("device", "java");
		simulation.put("map", null); // not the one the other test's run left in the persisted inputs
		CommandModule m = run(SimulateMoviesCommand.class, simulation);
		assertFalse(m.getCancelReason(), m.isCanceled());
		assertEquals("Movies/movie_0001.tif", RelionStar.read(sim.resolve("movies.star")).items().get(0,
			RelionStar.MICROGRAPH_MOVIE_NAME));
		try (TiffFile t = TiffFile.open(sim.resolve("Movies/movie_0001.tif"))) {
			assertEquals(4, t.sections());
			assertEquals(16, t.bitsPerSample());
		}
		// an even gain stored as a TIFF, and a dead column in the defect file
		final Path gain = dir.resolve("gain.tif");
		try (TiffWriter w = TiffWriter.open(gain, 256, 256, TiffWriter.Type.FLOAT32, false, "gain")) {
			final float[] ones = new float[256 * 256];
			Arrays.fill(ones, 1);
			w.writeSection(ones);
			w.commit();
		}
		final Path defects = dir.resolve("defects.txt");
		Files.writeString(defects, "17 0 1 256\n");
		final Path out = dir.resolve("mc");
		m = run(MotionCorrectCommand.class, new HashMap<>(Map.of("movies", sim.resolve("movies.star").toString(),
			"output", out.toFile(), "gain", gain.toFile(), "gainRotation", "1", "gainFlip", "2", "defects", defects
				.toFile())));
		assertFalse(m.getCancelReason(), m.isCanceled());
		assertTrue((String) m.getOutput("summary"), ((String) m.getOutput("summary")).startsWith("1 movies corrected"));
		assertTrue("the dead column among the pixels replaced", MotionStar.read(out.resolve("Movies/movie_0001.star"))
			.hotPixels().length >= 256);
	}
}

package org.vitreous.motion;

import static org.junit.Assert.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.Test;
import org.vitreous.Progress;
import org.vitreous.compute.ComputeDevice;
import org.vitreous.io.CubicMap;
import org.vitreous.io.RelionStar;
import org.vitreous.io.StarTable;
import org.vitreous.simulate.MovieSimulation;
import org.vitreous.testing.TestData;

/** motion-correct over a movies STAR: each optics group's optics are its own. */
public class MotionCorrectionJobTest {

	@Test
	public void eachOpticsGroupKeepsItsOwnVoltage() throws Exception {
		final CubicMap map = MotionCorrectionTest.ribosome();
		final MovieSimulation.Settings s = new MovieSimulation.Settings();
		s.width = s.height = 256;
		s.frames = 4;
		s.pixelSize = 1.5;
		s.particles = 2;
		final Path folder = TestData.scratch("movies-optics");
		MovieSimulation.run(map.values(), map.size(), map.pixelSize(), s, folder, ComputeDevice.JAVA, Progress.NONE);
		Files.copy(folder.resolve("Movies/movie_0001.mrcs"), folder.resolve("Movies/movie_0002.mrcs"));
		// two optics groups: the second at 200 kV (the same pixel size, which the movie's header states)
		final Path star = folder.resolve("movies2.star");
		Files.writeString(star, "data_optics\nloop_\n_rlnOpticsGroupName\n_rlnOpticsGroup\n"
			+ "_rlnMicrographOriginalPixelSize\n_rlnVoltage\n_rlnSphericalAberration\n_rlnAmplitudeContrast\n"
			+ "opticsGroup1 1 1.5 300 2.7 0.1\nopticsGroup2 2 1.5 200 2.7 0.1\n\ndata_movies\nloop_\n"
			+ "_rlnMicrographMovieName\n_rlnOpticsGroup\nMovies/movie_0001.mrcs 1\nMovies/movie_0002.mrcs 2\n");
		final MotionCorrection.Settings c = new MotionCorrection.Settings();
		c.doseWeighting = true;
		final MotionCorrectionJob.Summary r = MotionCorrectionJob.run(star.toString(), folder.resolve("mc"), c,
			DetectorCorrection.NONE, Progress.NONE, line -> {});
		assertEquals(r.failures().toString(), 2, r.corrected());
		assertEquals(300, MotionStar.read(folder.resolve("mc/Movies/movie_0001.star")).voltage(), 0);
		assertEquals(200, MotionStar.read(folder.resolve("mc/Movies/movie_0002.star")).voltage(), 0);
		assertEquals("the caller's settings are left as they were", 300, c.voltage, 0);
		final StarTable mics = RelionStar.read(r.micrographs()).items();
		assertEquals(2, mics.getInt(1, RelionStar.OPTICS_GROUP, 0));
	}
}

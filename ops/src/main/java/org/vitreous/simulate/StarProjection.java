package org.vitreous.simulate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.vitreous.Progress;
import org.vitreous.compute.ComputeDevice;
import org.vitreous.ctf.Ctf;
import org.vitreous.ctf.CtfStar;
import org.vitreous.geometry.Euler;
import org.vitreous.io.CubicMap;
import org.vitreous.io.FormatException;
import org.vitreous.io.MrcWriter;
import org.vitreous.io.RelionStar;

/** Projects a map at the poses (and optionally the CTFs) of a particle STAR file, as relion_project does. */
public final class StarProjection {

	private StarProjection() {}

	/**
	 * Writes one image per STAR row, in row order, to {@code output} (an .mrcs stack, written whole or not at all).
	 *
	 * @return the number of images written
	 */
	public static int run(final Path mapPath, final Path starPath, final Path output, final boolean ctf,
		final ComputeDevice device, final Progress progress) throws IOException
	{
		final RelionStar star = RelionStar.readPoses(starPath);
		star.requireColumns("projection", RelionStar.ANGLE_ROT, RelionStar.ANGLE_TILT, RelionStar.ANGLE_PSI);
		if (ctf) CtfStar.requireColumns(star);
		final CubicMap cube = CubicMap.read(mapPath, "projection");
		final float[] map = cube.values();
		final int n = cube.size();
		final double pixelSize = cube.pixelSize();
		final int count = star.size();
		if (count == 0) throw new FormatException(starPath, "has no particles to project");
		final double starPixel = star.opticsGroup(star.particle(0).opticsGroup()).imagePixelSize();
		final double angpix = starPixel > 0 ? starPixel : pixelSize;
		if (!(angpix > 0)) throw new FormatException(mapPath, "has no voxel size and " + starPath.getFileName()
			+ " no rlnImagePixelSize; the origin offsets in Å cannot be converted");
		if (pixelSize > 0 && Math.abs(pixelSize - angpix) > 0.01 * angpix) throw new FormatException(starPath,
			"rlnImagePixelSize " + angpix + " Å differs from the map's voxel size " + pixelSize + " Å");
		final MrcWriter.Settings ms = new MrcWriter.Settings().pixelSize(angpix).stack().label("Vitreous project: "
			+ mapPath.getFileName() + " at " + starPath.getFileName() + (ctf ? " with CTF" : ""));
		try (ParticleRenderer r = new ParticleRenderer(map, n, angpix, 2, device); MrcWriter w = MrcWriter.open(output, n,
			n, ms, inputs(mapPath, star)))
		{
			final float[] images = new float[ParticleRenderer.BATCH * n * n];
			final float[] one = new float[n * n];
			for (int start = 0; start < count; start += ParticleRenderer.BATCH) {
				progress.checkCancelled();
				final int m = Math.min(ParticleRenderer.BATCH, count - start);
				final double[][] rot = new double[m][], origins = new double[m][];
				final Ctf[] ctfs = ctf ? new Ctf[m] : null;
				for (int i = 0; i < m; i++) {
					final RelionStar.Particle p = star.particle(start + i);
					rot[i] = Euler.matrix(p.angleRot(), p.angleTilt(), p.anglePsi());
					origins[i] = new double[] { p.originXAngst(), p.originYAngst() };
					if (ctf) ctfs[i] = CtfStar.of(star, start + i, p);
				}
				r.render(rot, origins, ctfs, images);
				for (int i = 0; i < m; i++) {
					System.arraycopy(images, i * n * n, one, 0, n * n);
					w.writeSection(one);
				}
				progress.report(start + m, count, "projecting");
			}
			w.commit();
		}
		return count;
	}

	/** The map, the STAR and every stack the STAR names: none may be the output. */
	static Path[] inputs(final Path mapPath, final RelionStar star) throws IOException {
		final List<Path> inputs = new ArrayList<>(star.inputs());
		inputs.add(0, mapPath);
		return inputs.toArray(Path[]::new);
	}
}

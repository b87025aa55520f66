package org.vitreous.motion;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.vitreous.Finite;
import org.vitreous.io.FormatException;
import org.vitreous.io.SectionSource;
import org.vitreous.io.Sections;

/**
 * What the detector needs corrected before motion correction: the gain reference (MRC or TIFF), turned to the
 * movies' orientation as RELION's --gain_rot and --gain_flip (MotionCor2's -RotGain, -FlipGain) turn it, and the
 * defects (MotionCor2's defect file: a line {@code x y width height} per bad region, or a defect map, MRC or TIFF,
 * non-zero where a pixel is bad), in the movie's own pixel coordinates.
 *
 * <p>Rotation: {@code gainRotation} quarter turns clockwise as relion_display shows the image (first row at the
 * top), so pixel (x, y) of a w × h gain lands at (h − 1 − y, x); then the flip, 1 upside down (y to h − 1 − y), 2
 * left to right (x to w − 1 − x).
 *
 * @param gain the gain reference multiplied into every frame, or null
 * @param defects the defect file or map, or null
 */
public record DetectorCorrection(Path gain, int gainRotation, int gainFlip, Path defects) {

	/** No gain reference, no defects. */
	public static final DetectorCorrection NONE = new DetectorCorrection(null, 0, 0, null);

	public DetectorCorrection {
		if (gainRotation < 0 || gainRotation > 3) throw new IllegalArgumentException("gain rotation " + gainRotation
			+ ": use 0, 1, 2 or 3 quarter turns");
		if (gainFlip < 0 || gainFlip > 2) throw new IllegalArgumentException("gain flip " + gainFlip
			+ ": use 0 (none), 1 (upside down) or 2 (left to right)");
	}

	/** Just a gain reference (null for none), neither turned nor flipped. */
	public static DetectorCorrection ofGain(final Path gain) {
		return new DetectorCorrection(gain, 0, 0, null);
	}

	/** The files read, which no output may overwrite. */
	List<Path> files() {
		final List<Path> files = new ArrayList<>();
		if (gain != null) files.add(gain);
		if (defects != null) files.add(defects);
		return files;
	}

	/** A gain reference read and turned: width × height values, all finite and positive. */
	record Gain(int width, int height, float[] values) {}

	/** Reads the gain reference and turns it to the movies' orientation; null without one. */
	Gain readGain() throws IOException {
		if (gain == null) return null;
		final int w, h;
		final float[] g;
		try (SectionSource f = Sections.open(gain)) {
			w = f.width();
			h = f.height();
			g = f.readSection(0);
		}
		final long bad = Finite.firstNonFinite(g);
		if (bad >= 0) throw new FormatException(gain, "holds a value that is not finite at pixel " + bad);
		int negative = 0;
		for (final float v : g)
			if (v < 0) negative++;
		if (negative > 0) throw new FormatException(gain, negative + " pixels are negative; a gain reference multiplies "
			+ "counts by a factor of 0 or more");
		return turn(g, w, h, gainRotation, gainFlip);
	}

	/** {@code g} (w × h) turned {@code rotation} quarter turns clockwise (first row at the top), then flipped. */
	static Gain turn(final float[] g, final int w, final int h, final int rotation, final int flip) {
		float[] a = g;
		int aw = w, ah = h;
		for (int q = 0; q < rotation; q++) {
			final float[] b = new float[a.length];
			// clockwise with the first row at the top: (x, y) of aw × ah goes to (ah − 1 − y, x) of ah × aw
			for (int y = 0; y < ah; y++)
				for (int x = 0; x < aw; x++)
					b[x * ah + ah - 1 - y] = a[y * aw + x];
			a = b;
			final int t = aw;
			aw = ah;
			ah = t;
		}
		if (flip != 0) {
			final float[] b = new float[a.length];
			for (int y = 0; y < ah; y++)
				for (int x = 0; x < aw; x++)
					b[y * aw + x] = flip == 1 ? a[(ah - 1 - y) * aw + x] : a[y * aw + aw - 1 - x];
			a = b;
		}
		return new Gain(aw, ah, a);
	}

	/** The defect pixels of frames nx × ny (indices y·nx + x, ascending); empty without a defect file. */
	int[] readDefects(final int nx, final int ny) throws IOException {
		if (defects == null) return new int[0];
		final boolean[] bad = new boolean[nx * ny];
		if (isText(defects)) {
			final List<String> lines = Files.readAllLines(defects);
			for (int i = 0; i < lines.size(); i++) {
				final String line = lines.get(i).trim();
				if (line.isEmpty() || line.startsWith("#")) continue;
				final String[] f = line.split("\\s+");
				final int[] v = new int[4];
				try {
					if (f.length < 4) throw new NumberFormatException();
					for (int k = 0; k < 4; k++)
						v[k] = (int) Math.round(Double.parseDouble(f[k]));
				} catch (final NumberFormatException e) {
					throw new FormatException(defects, i + 1, "expected x y width height, found \"" + line + "\"");
				}
				if (v[0] < 0 || v[1] < 0 || v[2] < 1 || v[3] < 1 || v[0] + v[2] > nx || v[1] + v[3] > ny)
					throw new FormatException(defects, i + 1, String.format(Locale.ROOT,
						"the region %d %d %d %d does not lie within frames of %d x %d", v[0], v[1], v[2], v[3], nx, ny));
				for (int y = v[1]; y < v[1] + v[3]; y++)
					for (int x = v[0]; x < v[0] + v[2]; x++)
						bad[y * nx + x] = true;
			}
		} else {
			try (SectionSource f = Sections.open(defects)) {
				if (f.width() != nx || f.height() != ny) throw new FormatException(defects, "is a defect map of " + f.width()
					+ " x " + f.height() + " for frames of " + nx + " x " + ny);
				final float[] map = f.readSection(0);
				for (int i = 0; i < map.length; i++)
					bad[i] = map[i] != 0;
			}
		}
		int n = 0;
		for (final boolean b : bad)
			if (b) n++;
		if (n > nx * ny / 2) throw new FormatException(defects, "marks " + n + " of " + nx * ny
			+ " pixels bad; over half the detector is not a defect list");
		final int[] out = new int[n];
		for (int i = 0, k = 0; i < bad.length; i++)
			if (bad[i]) out[k++] = i;
		return out;
	}

	/** A defect file is text unless it is an image (MRC, MRCS, TIFF by name). */
	private static boolean isText(final Path p) {
		final String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
		return !(name.endsWith(".mrc") || name.endsWith(".mrcs") || name.endsWith(".tif") || name.endsWith(".tiff"));
	}
}

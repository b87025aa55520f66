package org.vitreous.plugins.ij1;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;

import ij.gui.Plot;
import ij.io.FileSaver;
import org.vitreous.io.AtomicOutput;
import org.vitreous.metrics.Fsc;
import org.vitreous.metrics.VolumeComparison;
import org.vitreous.motion.MotionStar;
import org.vitreous.reconstruct.Postprocess;

/** Plots of the curves commands show and write: FSC (with the half-bit curve and 0.143) and Guinier. */
public final class CurvePlots {

	private CurvePlots() {}

	/** The FSC against spatial frequency, with the half-bit threshold and the 0.143 line. */
	public static Plot fsc(final Fsc.Curve curve, final String title) {
		final int shells = curve.shells();
		final double[] x = new double[shells], y = new double[shells], half = new double[shells];
		for (int s = 0; s < shells; s++) {
			x[s] = curve.frequency(s);
			y[s] = curve.fsc()[s];
			half[s] = Fsc.halfBit(curve.counts()[s]);
		}
		final Plot p = new Plot(title, "Spatial frequency (1/Å)", "FSC");
		p.setLimits(0, x[shells - 1], Math.min(-0.05, Arrays.stream(y).min().orElse(0)), 1.05);
		p.setColor(Color.BLUE);
		p.addPoints(x, y, Plot.LINE);
		p.setColor(Color.GRAY);
		p.addPoints(x, half, Plot.LINE);
		p.drawLine(0, 0.143, x[shells - 1], 0.143);
		p.setColor(Color.BLACK);
		p.addLegend("FSC\nhalf-bit");
		return p;
	}

	/** A volume's FSC against its reference, and over the measured and missing regions where the comparison has them. */
	public static Plot comparison(final VolumeComparison c, final String title) {
		final Fsc.Curve curve = c.fsc();
		final int shells = curve.shells();
		final double[] x = new double[shells];
		for (int s = 0; s < shells; s++)
			x[s] = curve.frequency(s);
		final Plot p = new Plot(title, "Spatial frequency (1/Å)", "FSC against the reference");
		p.setLimits(0, x[shells - 1], -0.1, 1.05);
		p.setColor(Color.BLUE);
		p.addPoints(x, curve.fsc(), Plot.LINE);
		String legend = "all of Fourier space";
		if (c.directional() != null) {
			p.setColor(new Color(0, 140, 0));
			p.addPoints(x, c.directional().measured().fsc(), Plot.LINE);
			p.setColor(Color.RED);
			p.addPoints(x, c.directional().missing().fsc(), Plot.LINE);
			legend += "\nmeasured region\nmissing region";
		}
		p.setColor(Color.GRAY);
		p.drawLine(0, 0.5, x[shells - 1], 0.5);
		p.setColor(Color.BLACK);
		p.addLegend(legend);
		return p;
	}

	/**
	 * A micrograph's CTF fit along the radius: the spectrum averaged along the fitted rings (background out) and the
	 * fitted CTF², scaled to the same range, against spatial frequency.
	 */
	public static Plot ctfProfile(final double[][] radial, final double fitResolution, final String title) {
		final double[] f = radial[0], spectrum = radial[1].clone();
		double lo = Double.MAX_VALUE, hi = -Double.MAX_VALUE;
		for (int i = 1; i < f.length; i++) {
			lo = Math.min(lo, spectrum[i]);
			hi = Math.max(hi, spectrum[i]);
		}
		for (int i = 0; i < f.length; i++)
			spectrum[i] = hi > lo ? (spectrum[i] - lo) / (hi - lo) : 0;
		final Plot p = new Plot(title, "Spatial frequency (1/Å)", "Thon rings (scaled)");
		p.setLimits(0, f[f.length - 1], -0.05, 1.05);
		p.setColor(Color.GRAY);
		p.addPoints(f, spectrum, Plot.LINE);
		p.setColor(Color.RED);
		p.addPoints(f, radial[2], Plot.LINE);
		p.setColor(new Color(0, 140, 0));
		p.drawLine(1 / fitResolution, -0.05, 1 / fitResolution, 1.05);
		p.setColor(Color.BLACK);
		p.addLegend("spectrum\nfitted CTF²\nfit resolution");
		return p;
	}

	/** Writes {@link #fsc} as PNG, whole or not at all. */
	public static void writeFsc(final Fsc.Curve curve, final String title, final Path png, final Path... inputs)
		throws IOException
	{
		write(fsc(curve, title), png, inputs);
	}

	/** The PNG beside {@code file}: its name with the extension replaced by .png. */
	public static Path pngBeside(final Path file) {
		final String name = file.getFileName().toString();
		return file.resolveSibling((name.contains(".") ? name.substring(0, name.lastIndexOf('.')) : name) + ".png");
	}

	/**
	 * A movie's whole-frame trajectory (px, RELION's shifts: minus the content's displacement), frame 1 marked, and
	 * where there is a local model the trajectories (whole-frame plus local) at a 3 × 3 grid of places.
	 */
	public static Plot trajectory(final MotionStar.Motion m, final String title) {
		final int n = m.frames();
		final Plot p = new Plot(title, "shift x (px)", "shift y (px)");
		p.setColor(Color.BLUE);
		p.addPoints(m.shiftX(), m.shiftY(), Plot.LINE);
		p.setColor(Color.RED);
		p.addPoints(new double[] { m.shiftX()[0] }, new double[] { m.shiftY()[0] }, Plot.CIRCLE);
		if (m.local() != null) {
			p.setColor(Color.GRAY);
			for (int j = 0; j < 3; j++)
				for (int i = 0; i < 3; i++) {
					final double x = (i - 1) / 3.0, y = (j - 1) / 3.0;
					final double[] tx = new double[n], ty = new double[n];
					for (int k = 0; k < n; k++) {
						final double[] l = m.local().shiftAt(k, x, y);
						tx[k] = m.shiftX()[k] + l[0];
						ty[k] = m.shiftY()[k] + l[1];
					}
					p.addPoints(tx, ty, Plot.LINE);
				}
		}
		p.setColor(Color.BLACK);
		p.addLegend(m.local() == null ? "whole frame\nframe 1" : "whole frame\nframe 1\nlocal (3 x 3 places)");
		return p;
	}

	/** Writes a plot as PNG, whole or not at all. */
	public static void write(final Plot plot, final Path png, final Path... inputs) throws IOException {
		try (AtomicOutput image = AtomicOutput.create(png, inputs)) {
			if (!new FileSaver(plot.getImagePlus()).saveAsPng(image.path().toString())) throw new IOException(png
				+ ": the plot could not be written");
			image.commit();
		}
	}

	/**
	 * post-processing's plots, written into {@code dir}: fsc.png (masked, half-bit, corrected and unmasked FSC) and
	 * guinier.png (the signal's Guinier plot with the fitted line where there is one).
	 */
	public static void postprocess(final Postprocess.Result r, final String title, final Path dir, final Path... inputs)
		throws IOException
	{
		final int shells = r.corrected().length;
		final double[] x = new double[shells];
		for (int i = 0; i < shells; i++)
			x[i] = r.masked().frequency(i);
		final Plot p = fsc(r.masked(), title);
		p.setColor(Color.RED);
		p.addPoints(x, r.corrected(), Plot.LINE);
		p.setColor(Color.GREEN);
		p.addPoints(x, r.unmasked().fsc(), Plot.LINE);
		p.setColor(Color.BLACK);
		p.addLegend("masked\nhalf-bit\ncorrected\nunmasked");
		write(p, dir.resolve("fsc.png"), inputs);
		final double[] gx = Arrays.copyOfRange(r.guinierS2(), 1, shells), gy = Arrays.copyOfRange(r
			.guinierLnAmplitude(), 1, shells);
		final Plot g = new Plot("Guinier plot", "s² (1/Å²)", "ln amplitude");
		g.setColor(Color.BLUE);
		g.addPoints(gx, gy, Plot.LINE);
		if (!Double.isNaN(r.bFactor())) {
			final double s2a = 1 / (r.fitLow() * r.fitLow()), s2b = 1 / (r.fitHigh() * r.fitHigh());
			g.setColor(Color.RED);
			g.drawLine(s2a, r.fitIntercept() - r.bFactor() / 4 * s2a, s2b, r.fitIntercept() - r.bFactor() / 4 * s2b);
		}
		write(g, dir.resolve("guinier.png"), inputs);
	}
}

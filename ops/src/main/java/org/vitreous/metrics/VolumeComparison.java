package org.vitreous.metrics;

import org.vitreous.io.Json;
import org.vitreous.io.Volume;

/**
 * A volume against its reference (a ground truth): PSNR and SSIM (scikit-image's definitions, data range of the
 * reference), pixel-domain VIF, Pearson correlation, the FSC and its 0.5 and 0.143 resolutions, and, when the tilt
 * angles are known, the directional FSC over the measured and the missing regions of Fourier space
 * ({@link WedgeFsc}).
 */
public record VolumeComparison(double psnr, double ssim, double vif, double correlation, Fsc.Curve fsc,
	WedgeFsc.Result directional)
{

	/** @param tilts the tilt angles in degrees, or null for no directional FSC */
	public static VolumeComparison of(final Volume reference, final Volume volume, final double[] tilts) {
		if (reference.nx() != volume.nx() || reference.ny() != volume.ny() || reference.nz() != volume.nz())
			throw new IllegalArgumentException("volumes of " + reference.nx() + " x " + reference.ny() + " x " + reference
				.nz() + " and " + volume.nx() + " x " + volume.ny() + " x " + volume.nz() + " cannot be compared");
		final float[] r = reference.values(), v = volume.values();
		final int nx = reference.nx(), ny = reference.ny(), nz = reference.nz();
		final double px = reference.pixelSize() > 0 ? reference.pixelSize() : volume.pixelSize() > 0 ? volume.pixelSize()
			: 1;
		final Fsc.Curve whole;
		WedgeFsc.Result directional = null;
		if (tilts == null) whole = Fsc.compute(r, v, nx, ny, nz, null, px);
		else { // one pass over the transforms for all three curves
			final Fsc.Curve[] c = WedgeFsc.compute(r, v, nx, ny, nz, tilts, px, true);
			directional = new WedgeFsc.Result(c[0], c[1]);
			whole = c[2];
		}
		return new VolumeComparison(ImageMetrics.psnr(r, v), ImageMetrics.ssim(r, v, nx, ny, nz), ImageMetrics.vif(r, v,
			nx, ny, nz), ImageMetrics.correlation(r, v), whole, directional);
	}

	/** The figures and curves as one JSON object. */
	public String json() {
		final Json j = new Json().field("psnr", psnr).field("ssim", ssim).field("vif", vif).field("correlation",
			correlation).field("fsc_0.5_angstrom", fsc.resolutionAt(0.5)).field("fsc_0.143_angstrom", fsc.resolutionAt(
				0.143)).field("pixel_size", fsc.pixelSize());
		if (directional != null) j.field("fsc_measured_mean", directional.measuredMean()).field("fsc_missing_mean",
			directional.missingMean());
		final double[] freq = new double[fsc.shells()];
		for (int s = 0; s < freq.length; s++)
			freq[s] = fsc.frequency(s);
		j.field("frequency", freq).field("fsc", fsc.fsc());
		if (directional != null) j.field("fsc_measured", directional.measured().fsc()).field("fsc_missing", directional
			.missing().fsc());
		return j.toString();
	}
}

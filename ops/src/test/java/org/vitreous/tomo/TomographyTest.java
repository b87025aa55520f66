package org.vitreous.tomo;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;
import org.vitreous.Progress;
import org.vitreous.compute.ComputeDevice;
import org.vitreous.io.MrcFile;
import org.vitreous.io.TiltSeries;
import org.vitreous.metrics.ImageMetrics;
import org.vitreous.simulate.Phantoms;
import org.vitreous.simulate.TiltSeriesSimulation;
import org.vitreous.testing.Peers;

/** The classical tomogram reconstructions on the phantoms, against the truth and against scikit-image. */
public class TomographyTest {

	static final int NX = 96, NY = 40, NZ = 48;

	@Rule
	public TemporaryFolder folder = new TemporaryFolder();

	static float[] phantom(final Phantoms.Tomogram kind) {
		return Phantoms.tomogram(kind, NX, NY, NZ, 11).update(null).getCurrentStorageArray();
	}

	static TiltSeries series(final float[] truth, final double snr) {
		return TiltSeriesSimulation.project(truth, NX, NY, NZ, TiltSeriesSimulation.tilts(-60, 60, 2), snr, 3, 10,
			ComputeDevice.JAVA);
	}

	@Test
	public void weightedBackProjectionMatchesScikitImage() throws Exception {
		final String python = Peers.python("skimage", "python3-skimage");
		for (final Phantoms.Tomogram kind : Phantoms.Tomogram.values()) {
			final float[] truth = phantom(kind);
			final Path dir = folder.newFolder(kind.name()).toPath();
			final TiltSeries series = TiltSeriesSimulation.write(truth, NX, NY, NZ, TiltSeriesSimulation.tilts(-60, 60, 2),
				0, 3, 10, ComputeDevice.JAVA, dir);
			final float[] ours = TomogramReconstruction.weightedBackProjection(series, NZ, 0.5, ComputeDevice.JAVA);
			// scikit-image's iradon slice by slice (rows z, columns x: its t = x·cos θ − z·sin θ is our u); its
			// normalisation π/(2·angles) assumes the angles span 180°, so the output is scaled by the covered range
			// (angles × step) over 180° to give the same quadrature as ours
			Peers.runPython(python, String.join("\n", "import sys, numpy as np, mrcfile",
				"from skimage.transform import iradon", "d = sys.argv[1]", "nz = int(sys.argv[2])",
				"s = mrcfile.read(d + '/tilt_series.mrc').astype(np.float64)",
				"theta = np.loadtxt(d + '/tilt_series.tlt')", "nt, ny, nx = s.shape",
				"scale = len(theta) * (theta[1] - theta[0]) / 180.0", "out = np.zeros((nz, ny, nx), np.float32)",
				"for y in range(ny):", "    r = iradon(s[:, y, :].T, theta=theta, filter_name='ramp', circle=True, output_size=nx)",
				"    out[:, y, :] = scale * r[nx // 2 - nz // 2: nx // 2 - nz // 2 + nz, :]",
				"mrcfile.new(d + '/skimage_wbp.mrc', out, overwrite=True).close()"), dir.toString(), Integer.toString(NZ));
			final float[] peer;
			try (MrcFile f = MrcFile.open(dir.resolve("skimage_wbp.mrc"))) {
				peer = f.readAll();
			}
			final double psnr = ImageMetrics.psnr(truth, ours), peerPsnr = ImageMetrics.psnr(truth, peer);
			System.out.printf("WBP %s: PSNR %.2f dB (scikit-image %.2f dB), SSIM %.3f (%.3f), correlation with peer %.4f%n",
				kind, psnr, peerPsnr, ImageMetrics.ssim(truth, ours, NX, NY, NZ), ImageMetrics.ssim(truth, peer, NX, NY, NZ),
				ImageMetrics.correlation(ours, peer));
			assertEquals(kind + " PSNR", peerPsnr, psnr, 0.3);
			assertTrue(Files.exists(dir.resolve("ground_truth.mrc")));
		}
	}

	@Test
	public void sirtBeatsWeightedBackProjectionOnNoisyData() {
		final float[] truth = phantom(Phantoms.Tomogram.SPHERES);
		final TiltSeries noisy = series(truth, 10);
		final float[] wbp = TomogramReconstruction.weightedBackProjection(noisy, NZ, 0.5, ComputeDevice.JAVA);
		final float[] sirt = TomogramReconstruction.sirt(noisy, NZ, 50, 1, true, ComputeDevice.JAVA, Progress.NONE);
		final float[] fourier = TomogramReconstruction.fourierInversion(noisy, NZ);
		final double pw = ImageMetrics.psnr(truth, wbp), ps = ImageMetrics.psnr(truth, sirt), pf = ImageMetrics.psnr(truth,
			fourier);
		System.out.printf("SNR 10 spheres: PSNR WBP %.2f, SIRT+ %.2f, Fourier %.2f; SSIM %.3f %.3f %.3f%n", pw, ps, pf,
			ImageMetrics.ssim(truth, wbp, NX, NY, NZ), ImageMetrics.ssim(truth, sirt, NX, NY, NZ), ImageMetrics.ssim(truth,
				fourier, NX, NY, NZ));
		assertTrue("SIRT " + ps + " dB against WBP " + pw, ps > pw + 1);
	}

	@Test
	public void fourierInversionAgreesWithBackProjectionWithoutNoise() {
		final float[] truth = phantom(Phantoms.Tomogram.SHAPES);
		final TiltSeries clean = series(truth, 0);
		final float[] wbp = TomogramReconstruction.weightedBackProjection(clean, NZ, 0.5, ComputeDevice.JAVA);
		final float[] fourier = TomogramReconstruction.fourierInversion(clean, NZ);
		final double cw = ImageMetrics.correlation(truth, wbp), cf = ImageMetrics.correlation(truth, fourier);
		System.out.printf("shapes, no noise: correlation with truth WBP %.3f, Fourier %.3f; PSNR %.2f %.2f%n", cw, cf,
			ImageMetrics.psnr(truth, wbp), ImageMetrics.psnr(truth, fourier));
		assertTrue(cf > 0.8 && cf > cw - 0.05);
	}
}

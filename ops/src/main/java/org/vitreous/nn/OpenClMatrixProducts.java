package org.vitreous.nn;

import org.vitreous.compute.OpenClDevice;
import org.vitreous.compute.OpenClDevice.Buffer;
import org.vitreous.compute.OpenClDevice.Kernel;

/** {@link MatrixProducts} on an OpenCL device (kernels in matrix.cl, one work item per element of C). */
final class OpenClMatrixProducts implements MatrixProducts {

	private final OpenClDevice device;

	OpenClMatrixProducts(final OpenClDevice device) {
		this.device = device;
	}

	@Override
	public void ab(final float[] a, final float[] b, final int m, final int k, final int n, final float[] c) {
		JavaMatrixProducts.check(a, (long) m * k, b, (long) k * n, c, (long) m * n);
		run("matrix_ab", a, b, m, k, n, c, (long) m * n, n, m);
	}

	@Override
	public void abt(final float[] a, final float[] b, final int m, final int k, final int n, final float[] c) {
		JavaMatrixProducts.check(a, (long) m * k, b, (long) n * k, c, (long) m * n);
		run("matrix_abt", a, b, m, k, n, c, (long) m * n, n, m);
	}

	@Override
	public void atb(final float[] a, final float[] b, final int m, final int k, final int n, final float[] c) {
		JavaMatrixProducts.check(a, (long) m * k, b, (long) m * n, c, (long) k * n);
		run("matrix_atb", a, b, m, k, n, c, (long) k * n, n, k);
	}

	private void run(final String name, final float[] a, final float[] b, final int m, final int k, final int n,
		final float[] c, final long size, final int columns, final int rows)
	{
		try (Buffer ba = device.buffer(a); Buffer bb = device.buffer(b); Buffer bc = device.buffer(size); Kernel kernel =
			device.kernel(getClass(), "matrix.cl", name))
		{
			kernel.arg(0, ba).arg(1, bb).arg(2, m).arg(3, k).arg(4, n).arg(5, bc);
			device.run(kernel, columns, rows);
			final float[] out = new float[(int) size];
			device.read(bc, out);
			System.arraycopy(out, 0, c, 0, (int) size);
		}
	}
}

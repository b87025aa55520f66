package org.vitreous.compute;

import static org.jocl.CL.*;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_context_properties;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_platform_id;
import org.jocl.cl_program;

/**
 * An OpenCL device through JOCL: one context and one in-order command queue. Kernels are {@code .cl} resources
 * beside the Java class that uses them, compiled once per device and looked up by name. Buffers and kernels are
 * {@link AutoCloseable} so try-with-resources releases them on every path, errors included. Calls are
 * serialised on the device.
 */
public final class OpenClDevice extends ComputeDevice {

	/** Which device types {@link #open} accepts. */
	public enum Kind {
		ANY, GPU, CPU
	}

	private final cl_context context;
	private final cl_device_id device;
	private final cl_command_queue queue;
	private final String name;
	private final boolean gpu;
	private final Map<String, cl_program> programs = new HashMap<>();
	private boolean closed;

	private OpenClDevice(final cl_platform_id platform, final cl_device_id device, final boolean gpu) {
		final cl_context_properties properties = new cl_context_properties();
		properties.addProperty(CL_CONTEXT_PLATFORM, platform);
		this.device = device;
		this.gpu = gpu;
		this.context = clCreateContext(properties, 1, new cl_device_id[] { device }, null, null, null);
		cl_command_queue q = null;
		try {
			q = clCreateCommandQueue(context, device, 0, null);
		} catch (final RuntimeException e) {
			clReleaseContext(context);
			throw e;
		}
		this.queue = q;
		this.name = deviceString(device, CL_DEVICE_NAME) + " (" + deviceString(device, CL_DEVICE_VERSION).trim()
			+ ", " + (gpu ? "GPU" : "CPU") + ")";
	}

	/**
	 * Opens the first device of the wanted kind; for {@link Kind#ANY} a GPU on any platform is preferred to a CPU.
	 *
	 * @throws ComputeException with a one-line reason when there is no OpenCL runtime, platform or device
	 */
	public static OpenClDevice open(final Kind kind) throws ComputeException {
		if (poclInstalled() && !signalChaining()) throw new ComputeException(
			"the OpenCL runtime pocl is installed, and it crashes a JVM started without signal chaining: start Java with "
				+ "LD_PRELOAD=" + Path.of(System.getProperty("java.home"), "lib", "libjsig.so")
				+ " (the ./vitreous launcher does)");
		final cl_platform_id[] platforms;
		try {
			CL.setExceptionsEnabled(true);
			final int[] count = new int[1];
			clGetPlatformIDs(0, null, count);
			if (count[0] == 0) throw new ComputeException(noPlatform());
			platforms = new cl_platform_id[count[0]];
			clGetPlatformIDs(count[0], platforms, null);
		} catch (final LinkageError e) {
			throw new ComputeException("no OpenCL runtime (" + e.getMessage()
				+ "): install an OpenCL driver, e.g. apt-get install pocl-opencl-icd");
		} catch (final CLException e) {
			throw new ComputeException(noPlatform() + " [" + e.getMessage() + "]");
		}
		for (final long type : kind == Kind.CPU ? new long[] { CL_DEVICE_TYPE_CPU } : kind == Kind.GPU
			? new long[] { CL_DEVICE_TYPE_GPU } : new long[] { CL_DEVICE_TYPE_GPU, CL_DEVICE_TYPE_CPU, CL_DEVICE_TYPE_ALL })
		{
			for (final cl_platform_id p : platforms) {
				final cl_device_id[] devices = devices(p, type);
				if (devices.length > 0) {
					final long actual = deviceType(devices[0]);
					try {
						return new OpenClDevice(p, devices[0], (actual & CL_DEVICE_TYPE_GPU) != 0);
					} catch (final CLException e) {
						throw new ComputeException("cannot open OpenCL device " + deviceString(devices[0], CL_DEVICE_NAME)
							+ ": " + e.getMessage());
					}
				}
			}
		}
		throw new ComputeException("no OpenCL " + (kind == Kind.ANY ? "" : kind.name() + " ") + "device on "
			+ platforms.length + " platform(s)");
	}

	/**
	 * Whether the JVM chains signal handlers (libjsig preloaded), so that a native library installing its own
	 * SIGSEGV handler (pocl's LLVM does) does not take the JVM's own safepoint and null-check signals. Assumed true
	 * off Linux.
	 */
	public static boolean signalChaining() {
		final Path maps = Path.of("/proc/self/maps");
		if (!Files.isReadable(maps)) return true;
		try {
			return Files.readString(maps).contains("libjsig");
		} catch (final IOException e) {
			return true;
		}
	}

	/** Whether an installed OpenCL driver (an ICD file) is pocl, which the ICD loader loads with every platform query. */
	public static boolean poclInstalled() {
		final String configured = System.getenv("OCL_ICD_VENDORS");
		final Path vendors = Path.of(configured != null && !configured.isBlank() ? configured : "/etc/OpenCL/vendors");
		if (Files.isRegularFile(vendors)) return vendors.toString().contains("pocl");
		if (!Files.isDirectory(vendors)) return false;
		try (var files = Files.list(vendors)) {
			return files.anyMatch(f -> {
				try {
					return f.getFileName().toString().contains("pocl") || Files.readString(f).contains("pocl");
				} catch (final IOException e) {
					return false;
				}
			});
		} catch (final IOException e) {
			return false;
		}
	}

	private static String noPlatform() {
		return "no OpenCL platform found: install an OpenCL driver, e.g. apt-get install pocl-opencl-icd";
	}

	private static cl_device_id[] devices(final cl_platform_id platform, final long type) {
		try {
			final int[] count = new int[1];
			clGetDeviceIDs(platform, type, 0, null, count);
			final cl_device_id[] d = new cl_device_id[count[0]];
			if (count[0] > 0) clGetDeviceIDs(platform, type, count[0], d, null);
			return d;
		} catch (final CLException e) {
			return new cl_device_id[0]; // CL_DEVICE_NOT_FOUND
		}
	}

	private static long deviceType(final cl_device_id d) {
		final long[] t = new long[1];
		clGetDeviceInfo(d, CL_DEVICE_TYPE, Sizeof.cl_long, Pointer.to(t), null);
		return t[0];
	}

	private static String deviceString(final cl_device_id d, final int what) {
		final long[] size = new long[1];
		clGetDeviceInfo(d, what, 0, null, size);
		final byte[] bytes = new byte[(int) size[0]];
		clGetDeviceInfo(d, what, bytes.length, Pointer.to(bytes), null);
		return new String(bytes, 0, Math.max(0, bytes.length - 1), StandardCharsets.UTF_8);
	}

	@Override
	public String describe() {
		return "OpenCL " + name;
	}

	@Override
	public OpenClDevice openCl() {
		return this;
	}

	public boolean isGpu() {
		return gpu;
	}

	/** A kernel from the program in resource {@code resource} beside {@code owner}, compiled on first use. */
	public synchronized Kernel kernel(final Class<?> owner, final String resource, final String kernelName) {
		checkOpen();
		final String key = owner.getPackageName() + "/" + resource;
		cl_program program = programs.get(key);
		if (program == null) {
			program = build(owner, resource);
			programs.put(key, program);
		}
		return new Kernel(clCreateKernel(program, kernelName, null), kernelName);
	}

	private cl_program build(final Class<?> owner, final String resource) {
		final String source;
		try (InputStream in = owner.getResourceAsStream(resource)) {
			if (in == null) throw new IllegalStateException("kernel source " + resource + " is missing beside "
				+ owner.getName());
			source = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		} catch (final IOException e) {
			throw new IllegalStateException("cannot read kernel source " + resource, e);
		}
		final cl_program program = clCreateProgramWithSource(context, 1, new String[] { source }, null, null);
		try {
			clBuildProgram(program, 0, null, "-cl-mad-enable", null, null);
		} catch (final CLException e) {
			final long[] size = new long[1];
			clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, null, size);
			final byte[] log = new byte[(int) size[0]];
			clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, log.length, Pointer.to(log), null);
			clReleaseProgram(program);
			throw new IllegalStateException("OpenCL build of " + resource + " failed:\n" + new String(log,
				StandardCharsets.UTF_8), e);
		}
		return program;
	}

	/** A device buffer holding a copy of {@code values}. */
	public synchronized Buffer buffer(final float[] values) {
		checkOpen();
		return new Buffer(clCreateBuffer(context, CL_MEM_READ_WRITE | CL_MEM_COPY_HOST_PTR, (long) Sizeof.cl_float
			* Math.max(1, values.length), Pointer.to(values.length == 0 ? new float[1] : values), null), values.length);
	}

	/** A zero-filled device buffer of {@code floats} floats. */
	public synchronized Buffer buffer(final long floats) {
		checkOpen();
		final cl_mem m = clCreateBuffer(context, CL_MEM_READ_WRITE, Sizeof.cl_float * Math.max(1, floats), null, null);
		final Buffer b = new Buffer(m, floats);
		try {
			clEnqueueFillBuffer(queue, m, Pointer.to(new float[] { 0 }), Sizeof.cl_float, 0, Sizeof.cl_float * Math.max(
				1, floats), 0, null, null);
		} catch (final RuntimeException e) {
			b.close();
			throw e;
		}
		return b;
	}

	/** Copies the start of {@code buffer} into {@code values} (waits for queued work). */
	public synchronized void read(final Buffer buffer, final float[] values) {
		checkOpen();
		clEnqueueReadBuffer(queue, buffer.mem, CL_TRUE, 0, (long) Sizeof.cl_float * values.length, Pointer.to(values),
			0, null, null);
	}

	/** Copies {@code count} floats at {@code offset} in the buffer into {@code values} from {@code to}. */
	public synchronized void read(final Buffer buffer, final long offset, final float[] values, final int to,
		final int count)
	{
		checkOpen();
		clEnqueueReadBuffer(queue, buffer.mem, CL_TRUE, Sizeof.cl_float * offset, (long) Sizeof.cl_float * count,
			Pointer.to(values).withByteOffset((long) Sizeof.cl_float * to), 0, null, null);
	}

	/** Runs {@code kernel} over a 1D, 2D or 3D global range and waits for it. */
	public synchronized void run(final Kernel kernel, final long... global) {
		checkOpen();
		clEnqueueNDRangeKernel(queue, kernel.kernel, global.length, null, global, null, 0, null, null);
		clFinish(queue);
	}

	private void checkOpen() {
		if (closed) throw new IllegalStateException("OpenCL device " + name + " is closed");
	}

	@Override
	public synchronized void close() {
		if (closed) return;
		closed = true;
		for (final cl_program p : programs.values())
			clReleaseProgram(p);
		programs.clear();
		clReleaseCommandQueue(queue);
		clReleaseContext(context);
	}

	/** A device buffer of floats; close to release. */
	public static final class Buffer implements AutoCloseable {
		private cl_mem mem;
		private final long floats;

		private Buffer(final cl_mem mem, final long floats) {
			this.mem = mem;
			this.floats = floats;
		}

		public long floats() {
			return floats;
		}

		@Override
		public void close() {
			if (mem != null) clReleaseMemObject(mem);
			mem = null;
		}
	}

	/** A kernel with its arguments; close to release. */
	public static final class Kernel implements AutoCloseable {
		private cl_kernel kernel;
		private final String name;

		private Kernel(final cl_kernel kernel, final String name) {
			this.kernel = kernel;
			this.name = name;
		}

		public Kernel arg(final int index, final Buffer b) {
			clSetKernelArg(kernel, index, Sizeof.cl_mem, Pointer.to(b.mem));
			return this;
		}

		public Kernel arg(final int index, final int value) {
			clSetKernelArg(kernel, index, Sizeof.cl_int, Pointer.to(new int[] { value }));
			return this;
		}

		public Kernel arg(final int index, final float value) {
			clSetKernelArg(kernel, index, Sizeof.cl_float, Pointer.to(new float[] { value }));
			return this;
		}

		@Override
		public void close() {
			if (kernel != null) clReleaseKernel(kernel);
			kernel = null;
		}

		@Override
		public String toString() {
			return name;
		}
	}
}

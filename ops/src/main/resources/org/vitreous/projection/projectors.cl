// Projectors of org.vitreous.projection; each kernel mirrors its Java reference line by line.
// Layout: half-complex as in org.vitreous.fourier.Fft (float2 per element, x fastest, origin at index 0).

inline int wrap(int i, int n) {
    int m = i % n;
    return m < 0 ? m + n : m;
}

inline void atomic_add_float(volatile __global float *address, float value) {
    union { unsigned int u; float f; } expected, next, current;
    current.f = *address;
    do {
        expected.f = current.f;
        next.f = expected.f + value;
        current.u = atomic_cmpxchg((volatile __global unsigned int *) address, expected.u, next.u);
    } while (current.u != expected.u);
}

// The trilinear corners of pad * A^T (x, ky, 0) on the padded half-complex grid (as in JavaFourierProjector):
// their element indices and weights; corners beyond x = p/2 are left out. Returns how many; sets *mirrored when the
// point was reflected to x >= 0 (its value is then conjugated).
inline int locate(__global const float *a, const int x, const int ky, const int pad, const int p,
                  long *element, float *weight, int *mirrored)
{
    const int hp = p / 2 + 1;
    float xp = (a[0] * x + a[3] * ky) * pad, yp = (a[1] * x + a[4] * ky) * pad, zp = (a[2] * x + a[5] * ky) * pad;
    *mirrored = xp < 0.0f;
    if (*mirrored) { xp = -xp; yp = -yp; zp = -zp; }
    // Indices stay in the grid whatever the inputs: a point that is not finite or lies outside the padded box
    // (a NaN or infinite rotation) touches nothing, where casting it to int would address memory anywhere.
    if (!(isfinite(xp) && isfinite(yp) && isfinite(zp)) || xp >= (float) hp || fabs(yp) > (float) p
        || fabs(zp) > (float) p) return 0;
    const int x0 = (int) floor(xp), y0 = (int) floor(yp), z0 = (int) floor(zp);
    const float fx = xp - x0, fy = yp - y0, fz = zp - z0;
    int count = 0;
    for (int dz = 0; dz < 2; dz++) {
        const int zi = wrap(z0 + dz, p);
        const float wz = dz == 0 ? 1.0f - fz : fz;
        for (int dy = 0; dy < 2; dy++) {
            const int yi = wrap(y0 + dy, p);
            const float wyz = wz * (dy == 0 ? 1.0f - fy : fy);
            for (int dx = 0; dx < 2; dx++) {
                const int xi = x0 + dx;
                if (xi >= hp) continue;
                element[count] = ((long) zi * p + yi) * hp + xi;
                weight[count] = wyz * (dx == 0 ? 1.0f - fx : fx);
                count++;
            }
        }
    }
    return count;
}

// Central slice at rotation i: element (x, y) of the N x N slice reads the padded volume at pad * A^T (x, ky, 0).
__kernel void fourier_project(__global const float2 *volume, const int p, const int pad,
                              __global const float *rotations, const int n, const float r2max,
                              __global float2 *slices)
{
    const int x = get_global_id(0), y = get_global_id(1), i = get_global_id(2);
    const int hx = n / 2 + 1;
    if (x >= hx || y >= n) return;
    const int ky = y <= n / 2 ? y : y - n;
    float2 v = (float2) (0.0f, 0.0f);
    if ((float) (x * x + ky * ky) <= r2max) {
        long element[8];
        float weight[8];
        int mirrored;
        const int count = locate(rotations + 9 * i, x, ky, pad, p, element, weight, &mirrored);
        for (int c = 0; c < count; c++) v += weight[c] * volume[element[c]];
        if (mirrored) v.y = -v.y;
    }
    slices[(long) i * n * hx + y * hx + x] = v;
}

// Adjoint of fourier_project: scatter with the same weights; weights get w * sliceWeight (1 if useWeights is 0).
__kernel void fourier_backproject(__global float *data, __global float *weights, const int p, const int pad,
                                  __global const float *rotations, const int n, const float r2max,
                                  __global const float2 *slices, __global const float *sliceWeights,
                                  const int useWeights)
{
    const int x = get_global_id(0), y = get_global_id(1), i = get_global_id(2);
    const int hx = n / 2 + 1;
    if (x >= hx || y >= n) return;
    const int ky = y <= n / 2 ? y : y - n;
    if ((float) (x * x + ky * ky) > r2max) return;
    const long s = (long) i * n * hx + y * hx + x;
    long element[8];
    float weight[8];
    int mirrored;
    const int count = locate(rotations + 9 * i, x, ky, pad, p, element, weight, &mirrored);
    float2 v = slices[s];
    if (mirrored) v.y = -v.y;
    const float sw = useWeights ? sliceWeights[s] : 1.0f;
    for (int c = 0; c < count; c++) {
        atomic_add_float(data + 2 * element[c], weight[c] * v.x);
        atomic_add_float(data + 2 * element[c] + 1, weight[c] * v.y);
        atomic_add_float(weights + element[c], weight[c] * sw);
    }
}

// Ray sums of a volume tilted about y: voxel (x, z) spreads over detector bins by the hat of
// u(x, z) = (x - nx/2) cos t - (z - nz/2) sin t + nu/2; each bin gathers the voxels within 1 of it.
__kernel void tilt_project(__global const float *volume, const int nx, const int ny, const int nz,
                           __global const float *cosSin, const int nu, __global float *series)
{
    const int u = get_global_id(0), y = get_global_id(1), t = get_global_id(2);
    if (u >= nu || y >= ny) return;
    const float c = cosSin[2 * t], s = cosSin[2 * t + 1];
    const int cx = nx / 2, cz = nz / 2, cu = nu / 2;
    float sum = 0.0f;
    if (fabs(c) >= fabs(s)) {
        const float hw = 1.0f / fabs(c);
        for (int z = 0; z < nz; z++) {
            const float zs = (z - cz) * s;
            const float xm = cx + (u - cu + zs) / c;
            const int first = max(0, (int) ceil(xm - hw)), last = min(nx - 1, (int) floor(xm + hw));
            for (int x = first; x <= last; x++) {
                const float d = fabs((x - cx) * c - zs + cu - u);
                if (d < 1.0f) sum += (1.0f - d) * volume[((long) z * ny + y) * nx + x];
            }
        }
    } else {
        const float hw = 1.0f / fabs(s);
        for (int x = 0; x < nx; x++) {
            const float xc = (x - cx) * c;
            const float zm = cz + (xc + cu - u) / s;
            const int first = max(0, (int) ceil(zm - hw)), last = min(nz - 1, (int) floor(zm + hw));
            for (int z = first; z <= last; z++) {
                const float d = fabs(xc - (z - cz) * s + cu - u);
                if (d < 1.0f) sum += (1.0f - d) * volume[((long) z * ny + y) * nx + x];
            }
        }
    }
    series[((long) t * ny + y) * nu + u] = sum;
}

// Adjoint of tilt_project: each voxel gathers the linear interpolation of every tilt at u(x, z).
__kernel void tilt_backproject(__global const float *series, const int nu, const int ny, const int nt,
                               __global const float *cosSin, const int nx, const int nz, __global float *volume)
{
    const int x = get_global_id(0), y = get_global_id(1), z = get_global_id(2);
    if (x >= nx || y >= ny) return;
    const int cx = nx / 2, cz = nz / 2, cu = nu / 2;
    float sum = 0.0f;
    for (int t = 0; t < nt; t++) {
        const float uc = (x - cx) * cosSin[2 * t] - (z - cz) * cosSin[2 * t + 1] + cu;
        if (!isfinite(uc)) continue; // bounds below hold only for finite positions
        const int u0 = (int) floor(uc);
        const float f = uc - u0;
        __global const float *row = series + ((long) t * ny + y) * nu;
        if (u0 >= 0 && u0 < nu) sum += (1.0f - f) * row[u0];
        if (u0 + 1 >= 0 && u0 + 1 < nu) sum += f * row[u0 + 1];
    }
    volume[((long) z * ny + y) * nx + x] = sum;
}

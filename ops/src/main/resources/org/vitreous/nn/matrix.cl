// Matrix products of org.vitreous.nn.MatrixProducts on row-major matrices; one work item per element of C,
// global size (columns of C, rows of C). Each sums in the order of its Java reference.

__kernel void matrix_ab(__global const float *a, __global const float *b, const int m, const int k, const int n,
                        __global float *c)
{
    const int j = get_global_id(0), i = get_global_id(1);
    float s = 0.0f;
    for (int l = 0; l < k; l++) s += a[i * k + l] * b[l * n + j];
    c[i * n + j] = s;
}

__kernel void matrix_abt(__global const float *a, __global const float *b, const int m, const int k, const int n,
                         __global float *c)
{
    const int j = get_global_id(0), i = get_global_id(1);
    float s = 0.0f;
    for (int l = 0; l < k; l++) s += a[i * k + l] * b[j * k + l];
    c[i * n + j] = s;
}

__kernel void matrix_atb(__global const float *a, __global const float *b, const int m, const int k, const int n,
                         __global float *c)
{
    const int j = get_global_id(0), l = get_global_id(1);
    float s = 0.0f;
    for (int i = 0; i < m; i++) s += a[i * k + l] * b[i * n + j];
    c[l * n + j] = s;
}

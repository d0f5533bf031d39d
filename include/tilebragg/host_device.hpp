#pragma once
// Marks functions that the CPU kernel, the pixel trace and the CUDA kernel all call: the
// pixel model is written once and compiled for both sides. Outside nvcc the marker is
// empty, so host builds need no CUDA headers.
#if defined(__CUDACC__)
#define TB_HD __host__ __device__
#else
#define TB_HD
#endif

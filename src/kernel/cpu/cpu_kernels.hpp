#pragma once
// The copies of the CPU kernel (render_tile.cpp), one per instruction set, each in its
// own namespace: "baseline" (compiled for the build's TILEBRAGG_ISA, always there),
// "avx2" (x86-64-v3) and "avx512" (x86-64-v4), the last two in portable x86-64 builds.
#include <tilebragg/kernel_view.hpp>
#include <tilebragg/tile.hpp>

namespace tilebragg::cpu_kernel {

#define TILEBRAGG_DECLARE_CPU_KERNEL(isa)                                                          \
    namespace isa {                                                                                \
    double render_row_float(const KernelView<float>& k, const Tile& tile, int row, float* line);   \
    double render_row_double(const KernelView<double>& k, const Tile& tile, int row, float* line); \
    }
TILEBRAGG_DECLARE_CPU_KERNEL(baseline)
TILEBRAGG_DECLARE_CPU_KERNEL(avx2)
TILEBRAGG_DECLARE_CPU_KERNEL(avx512)
#undef TILEBRAGG_DECLARE_CPU_KERNEL

}  // namespace tilebragg::cpu_kernel

// Chooses the copy of the CPU kernel (cpu_kernels.hpp) once per process: the widest
// instruction set this build has and this CPU runs. All copies compute the same bits
// (tests/unit/test_cpu_kernels.cpp), so the choice changes the speed only.
#include <tilebragg/render_tile.hpp>

#include <stdexcept>

#include "kernel/cpu/cpu_kernels.hpp"

namespace tilebragg {
namespace {

struct CpuKernel {
    const char* isa;
    double (*row_float)(const KernelView<float>&, const Tile&, int, float*);
    double (*row_double)(const KernelView<double>&, const Tile&, int, float*);
    bool (*runs_here)();
};

bool always() { return true; }
#if defined(TILEBRAGG_KERNEL_AVX2)
// x86-64-v3: AVX, AVX2, FMA, BMI1/2, F16C, LZCNT, MOVBE (the compiler may use any of them).
bool has_x86_64_v3() {
    __builtin_cpu_init();
#if defined(__clang__)
    // Clang 14 knows no "f16c", "lzcnt" or "movbe" here; every CPU with AVX2, FMA and
    // BMI2 has them (Haswell and Zen on).
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("bmi") &&
           __builtin_cpu_supports("bmi2");
#else
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma") && __builtin_cpu_supports("bmi") &&
           __builtin_cpu_supports("bmi2") && __builtin_cpu_supports("f16c") && __builtin_cpu_supports("lzcnt") &&
           __builtin_cpu_supports("movbe");
#endif
}
#endif
#if defined(TILEBRAGG_KERNEL_AVX512)
// x86-64-v4: x86-64-v3 and AVX-512 F, BW, CD, DQ, VL (the CPU check covers the OS's
// saving of the AVX-512 registers too).
bool has_x86_64_v4() {
    return has_x86_64_v3() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") &&
           __builtin_cpu_supports("avx512cd") && __builtin_cpu_supports("avx512dq") &&
           __builtin_cpu_supports("avx512vl");
}
#endif

// Narrowest first.
const CpuKernel kKernels[] = {
    {"baseline", cpu_kernel::baseline::render_row_float, cpu_kernel::baseline::render_row_double, always},
#if defined(TILEBRAGG_KERNEL_AVX2)
    {"avx2", cpu_kernel::avx2::render_row_float, cpu_kernel::avx2::render_row_double, has_x86_64_v3},
#endif
#if defined(TILEBRAGG_KERNEL_AVX512)
    {"avx512", cpu_kernel::avx512::render_row_float, cpu_kernel::avx512::render_row_double, has_x86_64_v4},
#endif
};

const CpuKernel& widest() {
    static const CpuKernel* chosen = [] {
        const CpuKernel* k = &kKernels[0];
        for (const CpuKernel& c : kKernels)
            if (c.runs_here()) k = &c;
        return k;
    }();
    return *chosen;
}

const CpuKernel& kernel_named(const std::string& isa) {
    for (const CpuKernel& c : kKernels)
        if (isa == c.isa && c.runs_here()) return c;
    throw std::invalid_argument("no CPU kernel '" + isa + "' in this build that this CPU runs");
}

double render_row_with(const CpuKernel& c, const KernelView<float>& k, const Tile& t, int row, float* line) {
    return c.row_float(k, t, row, line);
}
double render_row_with(const CpuKernel& c, const KernelView<double>& k, const Tile& t, int row, float* line) {
    return c.row_double(k, t, row, line);
}

template <typename T>
TileSideSums render_tile_on(const CpuKernel& c, const KernelView<T>& k, const Tile& tile, float* out) {
    TileSideSums sums;
    for (int row = 0; row < tile.height(); ++row)
        sums.omega_sum += render_row_with(c, k, tile, row, out + static_cast<std::size_t>(row) * tile.width());
    return sums;
}

}  // namespace

std::vector<std::string> cpu_kernel_isas() {
    std::vector<std::string> names;
    for (const CpuKernel& c : kKernels)
        if (c.runs_here()) names.emplace_back(c.isa);
    return names;
}

std::string cpu_kernel_isa() { return widest().isa; }

template <typename T>
double render_tile_row(const KernelView<T>& k, const Tile& tile, int row, float* line) {
    return render_row_with(widest(), k, tile, row, line);
}

template <typename T>
TileSideSums render_tile(const KernelView<T>& k, const Tile& tile, float* out) {
    return render_tile_on(widest(), k, tile, out);
}

template <typename T>
TileSideSums render_tile_with(const std::string& isa, const KernelView<T>& k, const Tile& tile, float* out) {
    return render_tile_on(kernel_named(isa), k, tile, out);
}

template double render_tile_row<float>(const KernelView<float>&, const Tile&, int, float*);
template double render_tile_row<double>(const KernelView<double>&, const Tile&, int, float*);
template TileSideSums render_tile<float>(const KernelView<float>&, const Tile&, float*);
template TileSideSums render_tile<double>(const KernelView<double>&, const Tile&, float*);
template TileSideSums render_tile_with<float>(const std::string&, const KernelView<float>&, const Tile&, float*);
template TileSideSums render_tile_with<double>(const std::string&, const KernelView<double>&, const Tile&, float*);

}  // namespace tilebragg

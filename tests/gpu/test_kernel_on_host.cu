// The CUDA kernel's per-pixel function (render_pixels.cuh), compiled for the host and run
// on the CPU, against the CPU kernel (render_tile) on every kernel path. No GPU needed:
// this is how CI checks the CUDA kernel's loops and per-pixel rules.
//
// On the host both are built with the same compiler and flags (no contraction), call the
// same pixel model in the same order, so they must agree to the bit, except on the
// square-crystal path with sines (N > 10 or unequal N), where the CPU evaluates
// sin(pi x) by its own polynomials and the CUDA kernel by the pixel model's sincg. On the
// GPU itself fused multiply-adds change the last bits; tests/gpu checks that within
// thresholds.
#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include <tilebragg/kernel_data.hpp>
#include <tilebragg/render_tile.hpp>

#include "image_compare.hpp"
#include "kernel/cuda/render_pixels.cuh"
#include "kernel_cases.hpp"

namespace tilebragg::gpu_test {
namespace {

// Every pixel through the CUDA kernel's per-pixel function, the orientations read from
// their rows (orientation_rows.hpp) as on the GPU.
template <typename T>
std::vector<float> render_on_host(const KernelView<T>& k, double& omega_sum) {
    const std::vector<T> rows = cuda::orientation_rows(k.crystal);
    const int nf = k.detector.fpixels, ns = k.detector.spixels;
    std::vector<float> image(static_cast<std::size_t>(nf) * ns, 0.0f);
    const OrientationPath path = choose_path(k);
    for (int s = 0; s < ns; ++s)
        for (int f = 0; f < nf; ++f) {
            if (!cuda::renders(k.detector, f, s)) continue;
            float& pixel = image[static_cast<std::size_t>(s) * nf + f];
            cuda::with_step_path(path, [&](auto step, auto N) {
                pixel =
                    cuda::render_pixel<T, decltype(step)::value, decltype(N)::value>(k, rows.data(), f, s, omega_sum);
            });
        }
    return image;
}

template <typename T>
void check_case(const KernelCase& c) {
    SCOPED_TRACE(std::string(c.name) + (sizeof(T) == 4 ? " float" : " double"));
    const Experiment e = experiment_for(c);
    const KernelData<T> data(e);
    const KernelView<T>& k = data.view();
    const Tile whole{0, k.detector.fpixels, 0, k.detector.spixels};
    std::vector<float> cpu(whole.pixels(), 0.0f);
    const double cpu_omega = render_tile(k, whole, cpu.data()).omega_sum;

    double omega = 0;
    const std::vector<float> host = render_on_host<T>(k, omega);
    EXPECT_NEAR(omega / cpu_omega, 1.0, 1e-12) << "solid-angle side sums";

    const OrientationPath path = choose_path(k);
    if (path.general || path.N > 0) {
        EXPECT_TRUE(same_bytes(host, cpu)) << "the CUDA kernel's pixels on the host vs the CPU kernel";
    } else {
        const golden::ImageComparison cmp = golden::compare_images(host, cpu);
        EXPECT_GE(cmp.correlation, 0.99999999);
        EXPECT_NEAR(cmp.sum / cmp.reference_sum, 1.0, sizeof(T) == 4 ? 1e-6 : 1e-12);
    }
}

TEST(CudaKernelOnHost, MatchesTheCpuKernelFloat) {
    for (const KernelCase& c : kCases) check_case<float>(c);
}

TEST(CudaKernelOnHost, MatchesTheCpuKernelDouble) {
    for (const KernelCase& c : kCases) check_case<double>(c);
}

}  // namespace
}  // namespace tilebragg::gpu_test

// The copies of the CPU kernel (one per instruction set, chosen at start) compute the
// same bits: every copy this CPU runs renders every kernel path to the same bytes as the
// baseline copy, in float and double. And a portable build really has the wider copies
// and uses the widest one the CPU runs.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include <tilebragg/command_line.hpp>
#include <tilebragg/experiment.hpp>
#include <tilebragg/kernel_data.hpp>
#include <tilebragg/render_tile.hpp>

#include "test_formats_support.hpp"

using namespace tilebragg;

namespace {

// One per vector path of the kernel, and the scalar ones (which run inside the same
// chunks): recurrence and sines, default_F and the HKL box (lanes inside and outside
// it), the dmin cut, polarization, oversampling, masks and ROIs.
const char* const kCases[] = {
    "-cell 100 100 100 90 90 90 -default_F 100 -N 5 -lambda 6.2 -distance 100 -detpixels 70",
    "-cell 70 80 90 75 85 95 -default_F 100 -Na 3 -Nb 4 -Nc 12 -lambda 1 -distance 100 -detpixels 70 -mosaic 0.5 "
    "-mosaic_dom 3 -mosaic_seed 4",
    "-cell 100 100 100 90 90 90 -default_F 100 -N 12 -lambda 1 -distance 80 -detpixels 67 -oversample 3 -polar 0.7",
    "-cell 100 100 100 90 90 90 -default_F 100 -N 15 -gauss_xtal -detpixels 50 -oversample_omega -oversample 2 "
    "-mosaic 5 -mosaic_dom 3 -mosaic_seed 11",
    "-cell 100 100 100 90 90 90 -default_F 100 -N 6 -round_xtal -detpixels 50 -detector_thick 100 -thicksteps 2 "
    "-oversample_thick -oversample_polar",
    "-cell 100 100 100 90 90 90 -default_F 100 -N 5 -lambda 1 -curved_det -distance 50 -detpixels 60 -oversample 2 "
    "-point_pixel",
    "-cell 100 100 100 90 90 90 -default_F 100 -N 4 -lambda 2 -distance 60 -detpixels_f 90 -detpixels_s 40 "
    "-roi 3 80 5 33 -dmin 4 -water 0.1 -nopolar",
};

// The HKL box cases need the golden inputs: spots inside and outside cubic100.hkl's box
// (indices -12..12), on the recurrence and on the sines.
const char* const kBoxCases[] = {
    "-hkl @inputs/cubic100.hkl -cell 100 100 100 90 90 90 -N 5 -lambda 1 -distance 50 -pixel 0.3 -detpixels 70",
    "-hkl @inputs/cubic100.hkl -cell 100 100 100 90 90 90 -Na 3 -Nb 5 -Nc 7 -lambda 1 -distance 50 -pixel 0.3 "
    "-detpixels 70 -mosaic 1 -mosaic_dom 2 -mosaic_seed 3 -dmin 3",
};

Experiment experiment_of(const std::string& args, const std::string& inputs) {
    std::vector<std::string> v{"tilebragg"};
    std::istringstream words(args);
    for (std::string w; words >> w;) v.push_back(w.rfind("@inputs/", 0) == 0 ? inputs + w.substr(7) : w);
    Params p = parse_command_line(v).params;
    p.fdump_file = "/nonexistent/tilebragg-test/Fdump.bin";
    return setup_experiment(p);
}

template <typename T>
void check_copies_agree(const std::string& args, const std::string& inputs) {
    SCOPED_TRACE(args + (sizeof(T) == 4 ? " (float)" : " (double)"));
    const Experiment e = experiment_of(args, inputs);
    const KernelData<T> data(e);
    const KernelView<T>& k = data.view();
    const Tile whole{0, k.detector.fpixels, 0, k.detector.spixels};
    std::vector<float> baseline(whole.pixels(), 0.0f);
    const double omega = render_tile_with("baseline", k, whole, baseline.data()).omega_sum;
    double sum = 0;
    for (float v : baseline) sum += v;
    ASSERT_GT(sum, 0.0) << "the case renders nothing";
    for (const std::string& isa : cpu_kernel_isas()) {
        std::vector<float> image(whole.pixels(), 0.0f);
        const double o = render_tile_with(isa, k, whole, image.data()).omega_sum;
        EXPECT_EQ(std::memcmp(image.data(), baseline.data(), image.size() * sizeof(float)), 0)
            << "the " << isa << " copy differs from the baseline copy";
        EXPECT_EQ(std::memcmp(&o, &omega, sizeof o), 0) << "solid-angle sum of the " << isa << " copy";
    }
}

}  // namespace

TEST(CpuKernels, EveryCopyRendersTheSameBits) {
    for (const char* args : kCases) {
        check_copies_agree<float>(args, "");
        check_copies_agree<double>(args, "");
    }
    const auto golden = formats_test::golden_dir();
    if (golden.empty()) GTEST_SKIP() << "golden inputs not found (set TILEBRAGG_GOLDEN_DIR): HKL box cases skipped";
    for (const char* args : kBoxCases) {
        check_copies_agree<float>(args, (golden / "inputs").string());
        check_copies_agree<double>(args, (golden / "inputs").string());
    }
}

TEST(CpuKernels, TheWidestCopyThisCpuRunsIsUsed) {
    const std::vector<std::string> isas = cpu_kernel_isas();
    ASSERT_FALSE(isas.empty());
    EXPECT_EQ(isas.front(), "baseline");
    EXPECT_EQ(cpu_kernel_isa(), isas.back());
#if defined(__x86_64__) && defined(TILEBRAGG_KERNEL_COPIES_AVX512)
    // A portable build on a CPU with AVX-512 (F, BW, CD, DQ, VL) must use that copy.
    __builtin_cpu_init();
    if (__builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
        __builtin_cpu_supports("avx512vl") && __builtin_cpu_supports("avx512cd") && __builtin_cpu_supports("avx2"))
        EXPECT_EQ(cpu_kernel_isa(), "avx512");
#endif
    EXPECT_THROW(render_tile_with<float>("no-such-isa", KernelView<float>{}, Tile{}, nullptr), std::invalid_argument);
}

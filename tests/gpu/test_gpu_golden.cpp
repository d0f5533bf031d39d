// Every golden case rendered on the GPU, in float and double, against the reference
// image: the manifest's correlation and sum thresholds (tighter ones in double, as for the
// CPU: golden_set.hpp). Rendered in process through the CUDA renderer, one whole-image
// tile, so these test the kernel and the renderer, not the driver.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <string>
#include <vector>

#include <tilebragg/cuda_renderer.hpp>

#include "golden_set.hpp"
#include "gpu_support.hpp"
#include "image_compare.hpp"

namespace tilebragg::gpu_test {
namespace {

using golden::golden_set;
using golden::GoldenCase;

struct GoldenParam {
    GoldenCase golden;
    Precision precision = Precision::Float;
    bool placeholder = false;  // no golden set found: one test that says so
};

void PrintTo(const GoldenParam& p, std::ostream* os) {
    *os << p.golden.name << (p.precision == Precision::Double ? " double" : " float");
}

std::vector<GoldenParam> golden_params() {
    if (golden_set().cases.empty()) return {GoldenParam{{}, Precision::Float, true}};
    std::vector<GoldenParam> out;
    for (const GoldenCase& c : golden_set().cases)
        for (Precision p : {Precision::Float, Precision::Double}) out.push_back({c, p});
    return out;
}

std::string param_name(const ::testing::TestParamInfo<GoldenParam>& info) {
    if (info.param.placeholder) return "golden_set_missing";
    return golden::test_name_of(info.param.golden.name, info.param.precision == Precision::Double ? "double" : "float");
}

class GpuGolden : public ::testing::TestWithParam<GoldenParam> {
protected:
    void SetUp() override { TB_SKIP_WITHOUT_GPU(); }
};

TEST_P(GpuGolden, MatchesReference) {
    const GoldenParam& p = GetParam();
    if (p.placeholder) {
        if (!golden_set().found()) GTEST_SKIP() << golden_set().problem;
        FAIL() << golden_set().problem;
    }
    const GoldenCase& c = p.golden;
    const bool is_double = p.precision == Precision::Double;
    const auto [corr_min, sum_tol] = golden::parity_thresholds(c, is_double);

    const Experiment e = experiment_of(c.args);
    std::unique_ptr<CudaRenderer> gpu = make_cuda_renderer(p.precision, 0);
    const std::vector<float> image = render_image(*gpu, e);
    const std::vector<float> reference =
        golden::read_float_image((golden_set().case_dir(c.name) / "float.bin").string());
    ASSERT_EQ(image.size(), reference.size()) << "image size vs the golden float.bin";

    const golden::ImageComparison cmp = golden::compare_images(image, reference);
    const double sum_ratio = cmp.sum / cmp.reference_sum;
    std::cout << "[ gpu gold ] " << c.name << (is_double ? " double" : " float") << ": correlation "
              << golden::formatted("%.10f", cmp.correlation) << " (min " << golden::formatted("%.10g", corr_min)
              << "), sum ratio " << golden::formatted("%.8f", sum_ratio) << " (tol "
              << golden::formatted("%.3g", sum_tol) << "), kernel " << golden::formatted("%.3f", gpu->last_kernel_ms())
              << " ms" << std::endl;
    RecordProperty("correlation", golden::formatted("%.10f", cmp.correlation));
    RecordProperty("sum_ratio", golden::formatted("%.10f", sum_ratio));
    EXPECT_EQ(cmp.non_finite, 0u) << "NaN or inf pixels";
    EXPECT_GE(cmp.correlation, corr_min);
    EXPECT_LE(std::fabs(sum_ratio - 1.0), sum_tol) << "sum " << cmp.sum << " vs reference " << cmp.reference_sum;
}

INSTANTIATE_TEST_SUITE_P(Cases, GpuGolden, ::testing::ValuesIn(golden_params()), param_name);

}  // namespace
}  // namespace tilebragg::gpu_test

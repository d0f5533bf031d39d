// The CUDA renderer as the driver sees it: what it says about itself, the factory, and a
// renderer kept across loads (the images of a series, a changed mask) giving the same
// bytes as a fresh one, so what it keeps on the device between loads is only what may
// be kept.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <tilebragg/command_line.hpp>
#include <tilebragg/cuda_renderer.hpp>

#include "golden_set.hpp"
#include "gpu_support.hpp"
#include "manifest.hpp"

namespace tilebragg::gpu_test {
namespace {

class GpuRenderer : public ::testing::TestWithParam<Precision> {
protected:
    void SetUp() override { TB_SKIP_WITHOUT_GPU(); }
};

const char* kSeries =
    "-hkl @inputs/P1.hkl -matrix @inputs/A.mat -lambda 6.2 -N 5 -distance 100 -detpixels 96 "
    "-mosaic 0.2 -mosaic_dom 4 -mosaic_seed 7 -osc 0.1";

// Image `image` of a rotation series as the driver makes it: phi moves by osc, the
// structure-factor grid of the first image is shared.
Experiment series_image(int image, const Experiment* first) {
    const golden::GoldenSet& set = golden::golden_set();
    std::vector<std::string> args = golden::expand_args(kSeries, set.inputs_dir().string());
    args.insert(args.begin(), "tilebragg");
    args.insert(args.end(), {"-phi", std::to_string(0.1 * image)});
    Params p = parse_command_line(args).params;
    p.fdump_file = "/nonexistent/tilebragg-gpu-test/Fdump.bin";
    return setup_experiment(p, first ? first->structure_factors : nullptr);
}

TEST_P(GpuRenderer, DescribesItself) {
    std::unique_ptr<CudaRenderer> r = make_cuda_renderer(GetParam(), 0);
    EXPECT_EQ(r->backend(), "cuda");
    EXPECT_NE(r->device().find("(GPU 0)"), std::string::npos) << r->device();
    for (const auto& [nf, ns] : {std::pair{4096, 4096}, std::pair{100, 300}, std::pair{1, 7}}) {
        const TileSize t = r->preferred_tile(nf, ns, 16);
        EXPECT_EQ(t.fast, nf);
        EXPECT_EQ(t.slow, ns);
    }
}

TEST_P(GpuRenderer, FactoryGivesTheGpuForCudaAndAuto) {
    EXPECT_EQ(make_renderer(Backend::Cuda, GetParam())->backend(), "cuda");
    EXPECT_EQ(make_renderer(Backend::Auto, GetParam())->backend(), "cuda");
    EXPECT_EQ(make_renderer(Backend::Cpu, GetParam())->backend(), "cpu");
}

TEST_P(GpuRenderer, SeriesImagesEqualFreshRenders) {
    const Experiment first = series_image(0, nullptr);
    const Experiment second = series_image(3, &first);
    ASSERT_EQ(first.structure_factors, second.structure_factors) << "a series shares one grid";
    std::unique_ptr<CudaRenderer> kept = make_cuda_renderer(GetParam(), 0);
    const std::vector<float> image0 = render_image(*kept, first);
    const std::size_t bytes_after_first = kept->device_bytes();
    const std::vector<float> image3 = render_image(*kept, second);
    EXPECT_EQ(kept->device_bytes(), bytes_after_first) << "the second image allocated more device memory";
    EXPECT_FALSE(same_bytes(image0, image3)) << "the orientations of the second image did not reach the GPU";

    std::unique_ptr<CudaRenderer> fresh = make_cuda_renderer(GetParam(), 0);
    EXPECT_TRUE(same_bytes(image3, render_image(*fresh, second)));
    // Back to the first image on the kept renderer.
    EXPECT_TRUE(same_bytes(image0, render_image(*kept, first)));
}

TEST_P(GpuRenderer, ChangedMaskReachesTheGpu) {
    const std::string args = "-cell 100 100 100 90 90 90 -default_F 100 -N 5 -lambda 6.2 -distance 100 -detpixels 48";
    Experiment a = experiment_of(args), b = experiment_of(args);
    const std::size_t n = static_cast<std::size_t>(a.detector.fpixels) * a.detector.spixels;
    a.mask.assign(n, 1);
    b.mask.assign(n, 1);
    for (std::size_t i = 0; i < n; i += 3) a.mask[i] = 0;
    for (std::size_t i = 1; i < n; i += 4) b.mask[i] = 0;
    std::unique_ptr<CudaRenderer> kept = make_cuda_renderer(GetParam(), 0);
    render_image(*kept, a, {}, -1.0f);
    const std::vector<float> with_b = render_image(*kept, b, {}, -1.0f);
    std::unique_ptr<CudaRenderer> fresh = make_cuda_renderer(GetParam(), 0);
    EXPECT_TRUE(same_bytes(with_b, render_image(*fresh, b, {}, -1.0f)));
    std::size_t left = 0;
    for (float v : with_b) left += v == -1.0f;
    EXPECT_EQ(left, n / 4) << "pixels left alone under the second mask";
}

INSTANTIATE_TEST_SUITE_P(Precisions, GpuRenderer, ::testing::Values(Precision::Float, Precision::Double),
                         [](const ::testing::TestParamInfo<Precision>& info) {
                             return std::string(info.param == Precision::Double ? "double" : "float");
                         });

}  // namespace
}  // namespace tilebragg::gpu_test

// The four legacy files as write_legacy_outputs writes them (two threads, bands of rows,
// the noise image drawn by the whole team) against the whole-image conversions of
// int_image.hpp and noise.hpp, with one thread and with several.
#include <tilebragg/errors.hpp>
#include <tilebragg/experiment.hpp>
#include <tilebragg/image_products.hpp>
#include <tilebragg/image_statistics.hpp>
#include <tilebragg/int_image.hpp>
#include <tilebragg/legacy_outputs.hpp>
#include <tilebragg/noise.hpp>
#include <tilebragg/smv_writer.hpp>

#include "test_formats_support.hpp"

#include <gtest/gtest.h>
#include <omp.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

namespace tilebragg {
namespace {

using formats_test::file_bytes;
using formats_test::ScratchDir;

// 640 x 513: above the size where the files are written by two threads, and not a whole
// number of bands; a ROI that cuts rows and columns.
constexpr int kFast = 640, kSlow = 513;

Experiment experiment_in(const ScratchDir& dir) {
    Experiment e;
    e.detector.fpixels = kFast;
    e.detector.spixels = kSlow;
    e.detector.pixel_size = 1e-4;
    e.detector.distance = 0.1;
    e.params.lambda0 = 1e-10;
    e.params.floatfile = dir.path("float.bin");
    e.params.intfile = dir.path("int.img");
    e.params.pgmfile = dir.path("image.pgm");
    e.params.noisefile = dir.path("noise.img");
    e.params.seed = -17;
    e.roi = Roi{3, kFast - 10, 2, kSlow - 5};
    return e;
}

std::vector<float> test_image() {
    std::vector<float> image(static_cast<std::size_t>(kFast) * kSlow);
    for (std::size_t i = 0; i < image.size(); ++i)
        image[i] = 0.01f * static_cast<float>((i * 7919) % 5003) + (i % 9973 == 0 ? 2.0e6f : 0.0f);
    return image;
}

template <typename T>
std::string bytes_of(const std::vector<T>& v) {
    return std::string(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
}

std::string written_log(const Experiment& e, const std::vector<float>& image, int threads) {
    const int before = omp_get_max_threads();
    omp_set_num_threads(threads);
    std::FILE* log = std::tmpfile();
    // Without the HDF5 file's counts: the files are converted and drawn as they are written.
    write_legacy_outputs(e, image, image_products(e, image, false), log);
    omp_set_num_threads(before);
    std::string text(static_cast<std::size_t>(std::ftell(log)), '\0');
    std::rewind(log);
    const std::size_t got = std::fread(&text[0], 1, text.size(), log);
    std::fclose(log);
    text.resize(got);
    return text;
}

}  // namespace

TEST(LegacyOutputs, FilesMatchTheWholeImageConversionsWithAnyThreadCount) {
    const std::vector<float> image = test_image();
    const PixelRoi roi{3, kFast - 10, 2, kSlow - 5};
    std::string first[4];
    for (const int threads : {1, 2, 3}) {
        ScratchDir dir;
        const Experiment e = experiment_in(dir);
        const std::string log = written_log(e, image, threads);

        const ImageStatistics stats = image_statistics(image, kFast, kSlow, e.roi, e.mask);
        const double int_scale = resolve_intfile_scale(0.0, stats.max_I);
        const double pgm_scale = resolve_pgm_scale(0.0, int_scale, stats.rmsd);
        const std::string files[4] = {file_bytes(e.params.floatfile), file_bytes(e.params.intfile),
                                      file_bytes(e.params.pgmfile), file_bytes(e.params.noisefile)};
        EXPECT_TRUE(files[0] == bytes_of(image));
        const std::string int_pixels = bytes_of(make_int_image(image, kFast, kSlow, roi, int_scale, 40.0));
        ASSERT_EQ(files[1].size(), smv_header_bytes + int_pixels.size());
        EXPECT_TRUE(files[1].substr(smv_header_bytes) == int_pixels);
        const std::string pgm_pixels = bytes_of(make_pgm_image(image, kFast, kSlow, roi, pgm_scale));
        ASSERT_GT(files[2].size(), pgm_pixels.size());
        EXPECT_TRUE(files[2].substr(files[2].size() - pgm_pixels.size()) == pgm_pixels);
        EXPECT_EQ(files[2].rfind("P5\n640 513\n", 0), 0u);

        NoiseSettings settings;
        settings.seed = 17;
        const NoiseImage noise = make_noise_image(image, kFast, kSlow, roi, settings);
        ASSERT_EQ(files[3].size(), smv_header_bytes + noise.counts.size() * 2);
        EXPECT_TRUE(files[3].substr(smv_header_bytes) == bytes_of(noise.counts));
        char tally[128];
        std::snprintf(tally, sizeof tally, "%.0f photons on noise image (%lld overloads)\n", noise.tally.photons,
                      static_cast<long long>(noise.tally.overloads));
        EXPECT_NE(log.find(tally), std::string::npos) << log;
        EXPECT_GT(noise.tally.overloads, 0);

        for (int f = 0; f < 4; ++f) {
            if (threads == 1) first[f] = files[f];
            EXPECT_TRUE(files[f] == first[f]) << "file " << f << " differs with " << threads << " threads";
        }
    }
}

TEST(LegacyOutputs, ANonFinitePixelWritesNoFileAtAll) {
    std::vector<float> image = test_image();
    image[kFast * 100 + 50] = NAN;
    ScratchDir dir;
    const Experiment e = experiment_in(dir);
    try {
        written_log(e, image, 2);
        ADD_FAILURE() << "no InputError";
    } catch (const InputError& error) {
        EXPECT_NE(std::string(error.what()).find("has 1 of 328320 pixels NaN or infinite"), std::string::npos)
            << error.what();
    }
    EXPECT_TRUE(std::filesystem::is_empty(dir.dir()));
}

}  // namespace tilebragg

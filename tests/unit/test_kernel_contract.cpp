// The kernel's contract, in process: a pixel's value depends on the KernelView and its
// own index only. The whole detector rendered as one tile equals the same detector
// rendered as many tiles of any shape, and the CPU renderer's threads, bit for bit; and
// -printout_pixel's trace, which walks the same pixel model, reports the rendered pixel
// and the sub-pixel's true position (on the sphere for -curved_det).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include <tilebragg/command_line.hpp>
#include <tilebragg/experiment.hpp>
#include <tilebragg/kernel_data.hpp>
#include <tilebragg/pixel_trace.hpp>
#include <tilebragg/render_tile.hpp>
#include <tilebragg/renderer.hpp>

using namespace tilebragg;

namespace {

struct ContractCase {
    const char* name;
    const char* args;
};

// One per path through the kernel: square crystals on the recurrence and on the sine
// polynomials, spot shapes, -oversample_* switches, curved and thick detectors, masks
// and ROIs, interpolated and nearest F_cell.
const ContractCase kCases[] = {
    {"square_recurrence", "-cell 100 100 100 90 90 90 -default_F 100 -N 5 -lambda 6.2 -distance 100 -detpixels 70"},
    {"square_sines_mosaic",
     "-cell 70 80 90 75 85 95 -default_F 100 -Na 3 -Nb 4 -Nc 12 -lambda 1 -distance 100 "
     "-detpixels 70 -mosaic 0.5 -mosaic_dom 3 -mosaic_seed 4"},
    {"gauss_oversample_omega",
     "-cell 100 100 100 90 90 90 -default_F 100 -N 15 -gauss_xtal -detpixels 50 "
     "-oversample_omega -oversample 2 -mosaic 5 -mosaic_dom 3 -mosaic_seed 11"},
    {"round_thick",
     "-cell 100 100 100 90 90 90 -default_F 100 -N 6 -round_xtal -detpixels 50 -detector_thick 100 "
     "-thicksteps 2 -oversample_thick -oversample_polar"},
    {"tophat_divergence",
     "-cell 100 100 100 90 90 90 -default_F 100 -N 6 -tophat_spots -detpixels 50 "
     "-divergence 0.2 -divsteps 2 -lambda 6.2"},
    {"curved_point",
     "-cell 100 100 100 90 90 90 -default_F 100 -N 5 -lambda 1 -curved_det -distance 50 "
     "-detpixels 60 -oversample 2 -point_pixel"},
    {"curved_thick_rotated",
     "-cell 100 100 100 90 90 90 -default_F 100 -N 5 -lambda 1 -curved_det -distance 60 "
     "-detpixels 60 -detector_thick 50 -thicksteps 2 -detector_rotx 4 -twotheta 6"},
    {"roi_dmin_water",
     "-cell 100 100 100 90 90 90 -default_F 100 -N 4 -lambda 2 -distance 60 -detpixels_f 90 "
     "-detpixels_s 40 -roi 3 80 5 33 -dmin 4 -water 0.1"},
};

Experiment experiment_of(const std::string& args) {
    std::vector<std::string> v{"tilebragg"};
    std::istringstream words(args);
    for (std::string w; words >> w;) v.push_back(w);
    Params p = parse_command_line(v).params;
    p.fdump_file = "/nonexistent/tilebragg-test/Fdump.bin";
    return setup_experiment(p);
}

template <typename T>
std::vector<float> render_whole(const KernelView<T>& k) {
    const Tile whole{0, k.detector.fpixels, 0, k.detector.spixels};
    std::vector<float> image(whole.pixels(), 0.0f);
    render_tile(k, whole, image.data());
    return image;
}

template <typename T>
std::vector<float> render_tiled(const KernelView<T>& k, int tile_fast, int tile_slow) {
    const int nf = k.detector.fpixels, ns = k.detector.spixels;
    std::vector<float> image(static_cast<std::size_t>(nf) * ns, 0.0f);
    for (int s0 = 0; s0 < ns; s0 += tile_slow)
        for (int f0 = 0; f0 < nf; f0 += tile_fast) {
            const Tile t{f0, std::min(nf, f0 + tile_fast), s0, std::min(ns, s0 + tile_slow)};
            std::vector<float> out(t.pixels(), 0.0f);
            render_tile(k, t, out.data());
            for (int s = t.slow_begin; s < t.slow_end; ++s)
                std::memcpy(&image[static_cast<std::size_t>(s) * nf + t.fast_begin],
                            &out[static_cast<std::size_t>(s - t.slow_begin) * t.width()], sizeof(float) * t.width());
        }
    return image;
}

// Rotation by `angle` about the unit `axis`, as a matrix (I cos + [k]x sin + k k^T (1 - cos)):
// written apart from the pixel model's vector form, so the test does not reuse it.
Vec3 rotated(const Vec3& v, const Vec3& k, double angle) {
    const double c = std::cos(angle), s = std::sin(angle), t = 1 - c;
    const double m[3][3] = {{c + k.x * k.x * t, k.x * k.y * t - k.z * s, k.x * k.z * t + k.y * s},
                            {k.y * k.x * t + k.z * s, c + k.y * k.y * t, k.y * k.z * t - k.x * s},
                            {k.z * k.x * t - k.y * s, k.z * k.y * t + k.x * s, c + k.z * k.z * t}};
    return {m[0][0] * v.x + m[0][1] * v.y + m[0][2] * v.z, m[1][0] * v.x + m[1][1] * v.y + m[1][2] * v.z,
            m[2][0] * v.x + m[2][1] * v.y + m[2][2] * v.z};
}

bool same_bytes(const std::vector<float>& a, const std::vector<float>& b) {
    return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * sizeof(float)) == 0;
}

template <typename T>
void check_case(const ContractCase& c) {
    SCOPED_TRACE(std::string(c.name) + (sizeof(T) == 4 ? " float" : " double"));
    const Experiment e = experiment_of(c.args);
    const KernelData<T> data(e);
    const KernelView<T>& k = data.view();
    const std::vector<float> whole = render_whole(k);
    double sum = 0;
    for (float v : whole) sum += v;
    ASSERT_GT(sum, 0.0) << "the case renders nothing";
    ASSERT_TRUE(std::isfinite(sum));

    for (const auto& shape : {std::pair{1, 1}, std::pair{7, 5}, std::pair{64, 3}, std::pair{13, 40}})
        EXPECT_TRUE(same_bytes(whole, render_tiled(k, shape.first, shape.second)))
            << "tiles " << shape.first << "x" << shape.second;

    // The CPU renderer (OpenMP threads over rows) on one tile covering everything.
    std::unique_ptr<Renderer> r = make_cpu_renderer(sizeof(T) == 4 ? Precision::Float : Precision::Double);
    r->load(e);
    std::vector<float> threaded(whole.size(), 0.0f);
    r->render(Tile{0, k.detector.fpixels, 0, k.detector.spixels}, threaded.data());
    EXPECT_TRUE(same_bytes(whole, threaded)) << "CPU renderer";

    const int nf = k.detector.fpixels, ns = k.detector.spixels;
    for (const auto& px :
         {std::pair{0, 0}, std::pair{nf / 2, ns / 2}, std::pair{nf - 1, ns - 1}, std::pair{nf / 3, 7}}) {
        const PixelTrace t = trace_pixel(k, px.first, px.second);
        const float rendered = whole[static_cast<std::size_t>(px.second) * nf + px.first];
        EXPECT_EQ(std::memcmp(&t.value, &rendered, sizeof(float)), 0)
            << "trace of pixel " << px.first << "," << px.second << ": " << t.value << " vs " << rendered;
        // The traced sub-pixel, rebuilt from the Experiment in double.
        const DetectorGeometry& d = e.detector;
        const double sub = d.pixel_size / e.oversample;
        const double F = sub * (px.first * e.oversample + e.oversample - 1) + sub / 2;
        const double S = sub * (px.second * e.oversample + e.oversample - 1) + sub / 2;
        const double O = (e.sensor.layers - 1) * e.sensor.layer_step;
        const Vec3 flat = d.fdet * F + d.sdet * S + d.odet * O + d.pix0;
        const double tol = sizeof(T) == 4 ? 1e-6 : 1e-12;
        if (d.curved) {
            EXPECT_NEAR(norm(t.position), d.distance, tol * d.distance) << "a curved detector's pixel is at distance";
            // The direct-beam spot turned about sdet, then fdet, by the flat point's lab y
            // and z read as arc lengths (the reference's definition of -curved_det).
            const Vec3 spot = d.beam * d.distance;
            const Vec3 expected = rotated(rotated(spot, d.sdet, flat.y / d.distance), d.fdet, flat.z / d.distance);
            EXPECT_NEAR(norm(t.position - expected), 0.0, tol * d.distance)
                << "curved pixel " << px.first << "," << px.second;
            EXPECT_GT(norm(expected - flat), 1e-9) << "the sphere differs from the plane here";
        } else {
            EXPECT_NEAR(norm(t.position - flat), 0.0, tol * norm(flat)) << "flat pixel position";
        }
    }
}

}  // namespace

TEST(KernelContract, TilesThreadsAndTraceAgreeBitwiseFloat) {
    for (const ContractCase& c : kCases) check_case<float>(c);
}

TEST(KernelContract, TilesThreadsAndTraceAgreeBitwiseDouble) {
    for (const ContractCase& c : kCases) check_case<double>(c);
}

// F_cell from an HKL box, with chunks of pixels near the direct beam, whose reflections
// are all inside the box (looked up without a bounds test), beside chunks that reach
// past it: the trace takes the pixel model's own lookup for both.
TEST(KernelContract, StructureFactorBoxInsideAndOutside) {
    const std::string args =
        std::string("-hkl ") + TILEBRAGG_DEFAULT_GOLDEN_DIR +
        "/inputs/P1.hkl -cell 281 281 165.2 90 90 120 -misset 10 20 30 -lambda 1.5 -N 5 "
        "-distance 100 -detpixels 70 -pixel 0.2 -mosaic 0.3 -mosaic_dom 2 -mosaic_seed 3 -oversample 1";
    const ContractCase c{"hkl_box_inside_and_outside", args.c_str()};
    check_case<float>(c);
    check_case<double>(c);
}

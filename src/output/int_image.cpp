// value * scale + offset must round twice, like the reference binary (built without FMA):
// a fused multiply-add moves pixels that sit within an ulp of a half-integer.
#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

#include <tilebragg/int_image.hpp>
#include <tilebragg/pixel_counts.hpp>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

// Portable builds (cmake/KernelCopies.cmake) compile the row conversions for x86-64-v3 and
// x86-64-v4 as well and choose at run time, as for the pixel kernel: they run over every
// pixel of every image. Each pixel's value is one formula, so every copy gives the same.
#if defined(TILEBRAGG_RUNTIME_ISA_CLONES)
#define TILEBRAGG_ISA_CLONES [[gnu::target_clones("default", "arch=x86-64-v3", "arch=x86-64-v4")]]
#else
#define TILEBRAGG_ISA_CLONES
#endif

namespace tilebragg {
namespace {

void check_size(const std::vector<float>& photons, int fpixels, int spixels, const char* what) {
    if (fpixels < 0 || spixels < 0 ||
        photons.size() != static_cast<std::size_t>(fpixels) * static_cast<std::size_t>(spixels)) {
        throw std::invalid_argument(std::string(what) + ": image of " + std::to_string(photons.size()) +
                                    " pixels does not match " + std::to_string(fpixels) + "x" +
                                    std::to_string(spixels));
    }
}

// Converts rows [slow_begin, slow_end) into `out` (those rows only); pixels outside the
// ROI become 0. One thread, in vector registers (CMakeLists.txt gives this file the flags
// that let GCC vectorise floor and the clipping): the conversion runs while another
// thread writes the float image, and it is bound by memory, not by arithmetic.
// Always inlined: into each instruction-set copy of the functions below.
// `rows`: the pixels of row slow_begin and those after it.
template <typename Pixel, typename Convert>
[[gnu::always_inline]] inline void convert_rows(const float* rows, int fpixels, int slow_begin, int slow_end,
                                                const PixelRoi& roi, Convert convert, Pixel* out) {
    const int fast_lo = std::max(roi.fast_min, 0), fast_hi = std::min(roi.fast_max + 1, fpixels);
    for (int slow = slow_begin; slow < slow_end; ++slow) {
        const float* in = rows + static_cast<std::size_t>(slow - slow_begin) * static_cast<std::size_t>(fpixels);
        Pixel* line = out + static_cast<std::size_t>(slow - slow_begin) * static_cast<std::size_t>(fpixels);
        const bool row_in = slow >= roi.slow_min && slow <= roi.slow_max;
        const int lo = row_in ? fast_lo : 0, hi = row_in ? std::max(fast_hi, lo) : 0;
        for (int fast = 0; fast < lo; ++fast) line[fast] = Pixel{0};
#pragma omp simd
        for (int fast = lo; fast < hi; ++fast) line[fast] = convert(in[fast]);
        for (int fast = hi; fast < fpixels; ++fast) line[fast] = Pixel{0};
    }
}

template <typename Pixel, typename Convert>
std::vector<Pixel> convert_roi(const std::vector<float>& photons, int fpixels, int spixels, const PixelRoi& roi,
                               Convert convert) {
    std::vector<Pixel> out(photons.size(), Pixel{0});
    convert_rows(photons.data(), fpixels, 0, spixels, roi, convert, out.data());
    return out;
}

}  // namespace

std::vector<std::uint16_t> make_int_image(const std::vector<float>& photons, int fpixels, int spixels,
                                          const PixelRoi& roi, double scale, double adc_offset) {
    check_size(photons, fpixels, spixels, "int image");
    return convert_roi<std::uint16_t>(photons, fpixels, spixels, roi,
                                      [&](float v) { return int_pixel(v, scale, adc_offset); });
}

TILEBRAGG_ISA_CLONES void make_int_rows(const float* rows, int fpixels, int slow_begin, int slow_end,
                                        const PixelRoi& roi, double scale, double adc_offset, std::uint16_t* out) {
    convert_rows<std::uint16_t>(
        rows, fpixels, slow_begin, slow_end, roi, [&](float v) { return int_pixel(v, scale, adc_offset); }, out);
}

void make_int_rows(const std::vector<float>& photons, int fpixels, int slow_begin, int slow_end, const PixelRoi& roi,
                   double scale, double adc_offset, std::uint16_t* out) {
    make_int_rows(photons.data() + static_cast<std::size_t>(slow_begin) * static_cast<std::size_t>(fpixels), fpixels,
                  slow_begin, slow_end, roi, scale, adc_offset, out);
}

double resolve_pgm_scale(double requested_scale, double intfile_scale, double rmsd) {
    if (requested_scale > 0.0) return requested_scale;
    return rmsd > 0.0 ? 250.0 / (5.0 * rmsd) : intfile_scale;
}

std::uint8_t pgm_pixel(float value, double pgm_scale) {
    const double level = value * pgm_scale;
    if (level > 255.0) return 255;
    if (!(level > 0.0)) return 0;  // negative or NaN
    return static_cast<std::uint8_t>(level);
}

std::vector<std::uint8_t> make_pgm_image(const std::vector<float>& photons, int fpixels, int spixels,
                                         const PixelRoi& roi, double pgm_scale) {
    check_size(photons, fpixels, spixels, "PGM image");
    return convert_roi<std::uint8_t>(photons, fpixels, spixels, roi, [&](float v) { return pgm_pixel(v, pgm_scale); });
}

TILEBRAGG_ISA_CLONES void make_pgm_rows(const std::vector<float>& photons, int fpixels, int slow_begin, int slow_end,
                                        const PixelRoi& roi, double pgm_scale, std::uint8_t* out) {
    convert_rows<std::uint8_t>(
        photons.data() + static_cast<std::size_t>(slow_begin) * static_cast<std::size_t>(fpixels), fpixels, slow_begin,
        slow_end, roi, [&](float v) { return pgm_pixel(v, pgm_scale); }, out);
}

}  // namespace tilebragg

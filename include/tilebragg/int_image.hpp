#pragma once
// Conversions of the float image (photons per pixel) into the reference's integer
// products: the noiseless 16-bit `-intfile` image and the 8-bit `-pgmfile` preview.
// Images are row-major with fast varying fastest: index = slow * fpixels + fast.
// Pixels outside the region of interest stay 0, as in the reference.
#include <cstdint>
#include <vector>

#include <tilebragg/pixel_counts.hpp>

namespace tilebragg {

// Region of interest in pixel indices, bounds INCLUSIVE at both ends (the reference's
// `-roi xmin xmax ymin ymax`). Its default upper bounds are fpixels and spixels (one past
// the last pixel), which is harmless because nothing lies there.
struct PixelRoi {
    int fast_min = 0;
    int fast_max = 0;
    int slow_min = 0;
    int slow_max = 0;

    static PixelRoi whole(int fpixels, int spixels) { return {0, fpixels - 1, 0, spixels - 1}; }

    bool contains(int fast, int slow) const {
        return fast >= fast_min && fast <= fast_max && slow >= slow_min && slow <= slow_max;
    }
};

// resolve_intfile_scale and int_pixel (one pixel) are in pixel_counts.hpp, shared with the GPU.

std::vector<std::uint16_t> make_int_image(const std::vector<float>& photons, int fpixels, int spixels,
                                          const PixelRoi& roi, double scale, double adc_offset);

// The same conversion for rows [slow_begin, slow_end) only, into `out` (that many rows),
// so that a large image can be converted and written a band at a time.
void make_int_rows(const std::vector<float>& photons, int fpixels, int slow_begin, int slow_end, const PixelRoi& roi,
                   double scale, double adc_offset, std::uint16_t* out);
// The same where only those rows are at hand: `rows` holds row slow_begin and the ones after.
void make_int_rows(const float* rows, int fpixels, int slow_begin, int slow_end, const PixelRoi& roi, double scale,
                   double adc_offset, std::uint16_t* out);

// `-pgmscale`: a requested scale <= 0 means automatic, 250 / (5 * rmsd) when rmsd > 0,
// else the (already resolved) intfile scale. rmsd is the rms deviation from the mean over
// the ROI pixels.
double resolve_pgm_scale(double requested_scale, double intfile_scale, double rmsd);

// One pixel of the PGM: value * scale, capped at 255, truncated (no rounding, no ADC
// offset). Negative products give 0 here (the reference's cast is undefined there).
std::uint8_t pgm_pixel(float value, double pgm_scale);

std::vector<std::uint8_t> make_pgm_image(const std::vector<float>& photons, int fpixels, int spixels,
                                         const PixelRoi& roi, double pgm_scale);

// The same for rows [slow_begin, slow_end) only, into `out` (that many rows).
void make_pgm_rows(const std::vector<float>& photons, int fpixels, int slow_begin, int slow_end, const PixelRoi& roi,
                   double pgm_scale, std::uint8_t* out);

}  // namespace tilebragg

#pragma once
// The images of a batch (-images N) as Params, one per image (docs/batch.md):
//  - rotation series (the default): image i starts at phi0 + i * osc and sweeps the
//    same oscillation with the same -phisteps, so it is the single run `-phi phi0+i*osc`;
//  - serial orientations (-misset random): image i takes the i-th orientation of the
//    misset random stream, at phi0, so image 0 is the single run.
// Nothing else differs between the images of a batch.
#include <string>

#include <tilebragg/params.hpp>

namespace tilebragg {

enum class SeriesKind { Rotation, Serial };

SeriesKind series_kind(const Params& p);
const char* series_name(SeriesKind kind);

// Start of image `image`'s oscillation in degrees, as the value of a -phi flag would
// give it: phi0 + image * osc rounded to 15 significant digits, so that 0.1 * 3 is the
// 0.3 a person types (image 0 keeps phi0 exactly).
double series_phi_degrees(const Params& p, int image);

// The Params of image `image` (0-based); `p` as parsed, seeds already fixed.
Params params_for_image(const Params& p, int image);

// "floatimage.bin" -> "floatimage_00003.bin": the legacy file of image 3 of a batch.
// An existing device or FIFO (/dev/null) keeps its name: every image is written to it.
std::string indexed_file_name(const std::string& path, int image);

}  // namespace tilebragg

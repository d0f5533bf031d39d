#pragma once
// -img and -mask: an SMV header supplies detector defaults (size, pixel, distance, beam
// centre, wavelength, phi, oscillation, two-theta) that later flags may override.
#include <string>

#include <tilebragg/params.hpp>

namespace tilebragg {

enum class ImageRole { Img, Mask };

void apply_image_header_defaults(Params& params, const std::string& path, ImageRole role);

}  // namespace tilebragg

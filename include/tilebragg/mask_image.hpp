#pragma once
// -mask pixels: zero means "do not render this pixel".
#include <cstdint>
#include <string>
#include <vector>

namespace tilebragg {

// Throws InputError when the file cannot be read or its size is not fpixels x spixels.
std::vector<std::uint16_t> read_mask_pixels(const std::string& path, int fpixels, int spixels);

}  // namespace tilebragg

#include <tilebragg/mask_image.hpp>

#include <tilebragg/errors.hpp>
#include <tilebragg/smv_image.hpp>

namespace tilebragg {

std::vector<std::uint16_t> read_mask_pixels(const std::string& path, int fpixels, int spixels) {
    SmvImage image = read_smv_image(path);
    if (image.fast_pixels != fpixels || image.slow_pixels != spixels)
        throw InputError("mask " + path + ": " + std::to_string(image.fast_pixels) + "x" +
                         std::to_string(image.slow_pixels) + " pixels, but the detector is " + std::to_string(fpixels) +
                         "x" + std::to_string(spixels));
    return std::move(image.pixels);
}

}  // namespace tilebragg

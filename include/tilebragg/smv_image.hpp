#pragma once
// Reading SMV images (-img, -mask): header plus unsigned 16-bit pixels, fast index
// varying fastest (pixel index = slow * fast_pixels + fast), as nanoBragg writes them.
// See smv_header.hpp for which header keys the reference applies, and how.
#include <tilebragg/smv_header.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace tilebragg {

struct SmvImage {
    SmvHeader header;
    int fast_pixels = 0;                // SIZE1
    int slow_pixels = 0;                // SIZE2
    bool swapped = false;               // the file's BYTE_ORDER differed from the host's
    std::vector<std::uint16_t> pixels;  // in host byte order
};

// Reads the header only. Throws InputError if the file cannot be read, does not start
// with '{', or has no usable HEADER_BYTES.
SmvHeader read_smv_header(const std::string& path);

// Reads header and pixels, swapping bytes when BYTE_ORDER is not the host's. Throws
// InputError (naming the path) when: the header is unreadable; SIZE1/SIZE2 are missing
// or not positive integers (DETECTOR_DIMENSIONS stands in for both when SIZE1 is absent
// or 0, as in the reference); TYPE is given and is not unsigned_short; BYTE_ORDER is
// missing or neither little_endian nor big_endian; or the file size is not exactly
// HEADER_BYTES + 2 * SIZE1 * SIZE2.
SmvImage read_smv_image(const std::string& path);

}  // namespace tilebragg

#pragma once
// Raw float32 images (-floatfile): no header, fast index fastest
// (pixel index = slow * fast_pixels + fast), little-endian. The reference writes host
// order, which is little-endian on every machine it is used on; writing little-endian
// explicitly keeps the files identical there and portable elsewhere.
#include <cstddef>
#include <string>
#include <vector>

namespace tilebragg {

class AtomicFileWriter;

// Writes atomically (<path>.tmp, then rename). Throws InputError if the file cannot be written.
void write_float_image(const std::string& path, const float* pixels, std::size_t count);
// The same bytes into an open writer, left for the caller to commit (several outputs
// that must appear together).
void write_float_image(AtomicFileWriter& out, const float* pixels, std::size_t count);

inline void write_float_image(const std::string& path, const std::vector<float>& pixels) {
    write_float_image(path, pixels.data(), pixels.size());
}

// Reads every float of the file. Throws InputError if it cannot be read, its size is not
// a multiple of 4 bytes, or expected_count is non-zero and differs from the count found.
std::vector<float> read_float_image(const std::string& path, std::size_t expected_count = 0);

}  // namespace tilebragg

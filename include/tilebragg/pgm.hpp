#pragma once
// 8-bit binary greymap (PGM "P5") as nanoBragg writes -pgmfile: the text
//   "P5\n<fast> <slow>\n# pixels scaled by <scale %g>\n255\n"
// then one byte per pixel, fast index fastest. Converting intensities to bytes is the
// caller's job; the reference uses byte = (unsigned char) min(I * scale, 255), i.e.
// truncation, where scale is -pgmscale or, if not given, 250 / (5 * rmsd) (falling back
// to the -intfile scale when rmsd is 0). Pixels outside the -roi keep 0.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tilebragg {

// Writes atomically (<path>.tmp, then rename). Throws InputError if count is not
// fast_pixels * slow_pixels or the file cannot be written.
void write_pgm(const std::string& path, int fast_pixels, int slow_pixels, const std::uint8_t* pixels, std::size_t count,
               double scale);

class AtomicFileWriter;
// The same bytes into an open writer, left for the caller to commit.
void write_pgm(AtomicFileWriter& out, int fast_pixels, int slow_pixels, const std::uint8_t* pixels, std::size_t count,
               double scale);

// The header alone, for a caller that writes the pixels a band of rows at a time.
// Throws InputError if a size is not positive or the file cannot be written.
void write_pgm_header(AtomicFileWriter& out, int fast_pixels, int slow_pixels, double scale);

inline void write_pgm(const std::string& path, int fast_pixels, int slow_pixels,
                      const std::vector<std::uint8_t>& pixels, double scale) {
    write_pgm(path, fast_pixels, slow_pixels, pixels.data(), pixels.size(), scale);
}

}  // namespace tilebragg

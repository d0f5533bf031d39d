#include <tilebragg/pgm.hpp>

#include <tilebragg/atomic_file.hpp>
#include <tilebragg/errors.hpp>

#include <cstdio>

namespace tilebragg {

void write_pgm(const std::string& path, int fast_pixels, int slow_pixels, const std::uint8_t* pixels, std::size_t count,
               double scale) {
    AtomicFileWriter out(path);
    write_pgm(out, fast_pixels, slow_pixels, pixels, count, scale);
    out.commit();
}

void write_pgm_header(AtomicFileWriter& out, int fast_pixels, int slow_pixels, double scale) {
    if (fast_pixels <= 0 || slow_pixels <= 0) {
        throw InputError("cannot write '" + out.path() + "': a " + std::to_string(fast_pixels) + "x" +
                         std::to_string(slow_pixels) + " PGM image");
    }
    char header[160];
    const int length = std::snprintf(header, sizeof header, "P5\n%d %d\n# pixels scaled by %g\n255\n", fast_pixels,
                                     slow_pixels, scale);
    out.write(header, static_cast<std::size_t>(length));
}

void write_pgm(AtomicFileWriter& out, int fast_pixels, int slow_pixels, const std::uint8_t* pixels, std::size_t count,
               double scale) {
    const std::string& path = out.path();
    const std::size_t expected = static_cast<std::size_t>(fast_pixels) * static_cast<std::size_t>(slow_pixels);
    if (fast_pixels <= 0 || slow_pixels <= 0 || count != expected) {
        throw InputError("cannot write '" + path + "': " + std::to_string(count) + " pixels for a " +
                         std::to_string(fast_pixels) + "x" + std::to_string(slow_pixels) + " PGM image");
    }
    write_pgm_header(out, fast_pixels, slow_pixels, scale);
    out.write(pixels, count);
}

}  // namespace tilebragg

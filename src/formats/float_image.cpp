#include <tilebragg/float_image.hpp>

#include "byte_order.hpp"

#include <tilebragg/atomic_file.hpp>
#include <tilebragg/errors.hpp>
#include <tilebragg/text_columns.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>

namespace tilebragg {

void write_float_image(const std::string& path, const float* pixels, std::size_t count) {
    AtomicFileWriter out(path);
    write_float_image(out, pixels, count);
    out.commit();
}

void write_float_image(AtomicFileWriter& out, const float* pixels, std::size_t count) {
    if (formats_detail::host_is_little_endian()) {
        out.write(pixels, count * sizeof(float));
    } else {
        // Swap through a bounded buffer so a large image is not copied whole.
        std::vector<std::uint32_t> chunk;
        for (std::size_t done = 0; done < count; done += chunk.size()) {
            chunk.resize(std::min<std::size_t>(count - done, 1 << 16));
            std::memcpy(chunk.data(), pixels + done, chunk.size() * sizeof(float));
            for (std::uint32_t& word : chunk) word = formats_detail::swap_bytes(word);
            out.write(chunk.data(), chunk.size() * sizeof(float));
        }
    }
}

std::vector<float> read_float_image(const std::string& path, std::size_t expected_count) {
    const std::string bytes = read_whole_file(path);
    if (bytes.size() % sizeof(float) != 0) {
        throw InputError(path + ": " + std::to_string(bytes.size()) + " bytes is not a whole number of 4-byte floats");
    }
    const std::size_t count = bytes.size() / sizeof(float);
    if (expected_count != 0 && count != expected_count) {
        throw InputError(path + ": expected " + std::to_string(expected_count) + " floats, found " +
                         std::to_string(count));
    }
    std::vector<float> pixels(count);
    std::memcpy(pixels.data(), bytes.data(), bytes.size());
    if (!formats_detail::host_is_little_endian()) {
        for (float& pixel : pixels) {
            std::uint32_t word;
            std::memcpy(&word, &pixel, sizeof word);
            word = formats_detail::swap_bytes(word);
            std::memcpy(&pixel, &word, sizeof word);
        }
    }
    return pixels;
}

}  // namespace tilebragg

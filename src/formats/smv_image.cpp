#include <tilebragg/smv_image.hpp>

#include "byte_order.hpp"

#include <tilebragg/errors.hpp>
#include <tilebragg/text_columns.hpp>

#include <cstring>

namespace tilebragg {

namespace {

// Files rarely carry headers larger than this; it only bounds a corrupt HEADER_BYTES.
constexpr long long max_header_bytes = 1 << 20;

SmvHeader header_from_bytes(const std::string& bytes, const std::string& path) {
    // Every SMV header announces its own size within its first 512 bytes.
    SmvHeader first = parse_smv_header(bytes.substr(0, 512), path);
    const auto header_bytes = first.integer("HEADER_BYTES");
    if (!header_bytes || *header_bytes <= 0 || *header_bytes > max_header_bytes) {
        throw InputError(path + ": not an SMV image (no usable HEADER_BYTES in its header)");
    }
    const std::size_t size = static_cast<std::size_t>(*header_bytes);
    if (bytes.size() < size) {
        throw InputError(path + ": header says HEADER_BYTES=" + std::to_string(size) + " but the file has only " +
                         std::to_string(bytes.size()) + " bytes");
    }
    SmvHeader header = size == 512 ? std::move(first) : parse_smv_header(bytes.substr(0, size), path);
    header.header_bytes = size;
    return header;
}

// Pixels along one edge: beyond a million the image alone would be terabytes.
constexpr long long max_edge_pixels = 1000000;

int positive_size(const SmvHeader& header, const std::string& key) {
    const auto value = header.integer(key);
    if (!value) throw InputError(header.source + ": SMV header " + key + " is missing");
    if (*value <= 0) {
        throw InputError(header.source + ": SMV header " + key + "=" + *header.get(key) + " is not a positive size");
    }
    if (*value > max_edge_pixels) {
        throw InputError(header.source + ": SMV header " + key + "=" + *header.get(key) + " is too large (more than " +
                         std::to_string(max_edge_pixels) + " pixels)");
    }
    return static_cast<int>(*value);
}

}  // namespace

SmvHeader read_smv_header(const std::string& path) {
    // A header saved by a text editor may start with a byte-order mark; its sizes then
    // count from after the mark.
    return header_from_bytes(read_text_file(path), path);
}

SmvImage read_smv_image(const std::string& path) {
    const std::string bytes = read_text_file(path);
    SmvImage image;
    image.header = header_from_bytes(bytes, path);
    const SmvHeader& header = image.header;

    const auto size1 = header.integer("SIZE1");
    if (size1 && *size1 != 0) {
        image.fast_pixels = positive_size(header, "SIZE1");
        image.slow_pixels = positive_size(header, "SIZE2");
    } else {
        // The reference's fallback for square detectors that only give one dimension.
        if (!header.has("DETECTOR_DIMENSIONS"))
            throw InputError(path + ": SMV header SIZE1 is missing (and no DETECTOR_DIMENSIONS either)");
        image.fast_pixels = image.slow_pixels = positive_size(header, "DETECTOR_DIMENSIONS");
    }

    const auto type = header.get("TYPE");
    if (type && *type != "unsigned_short") {
        throw InputError(path + ": SMV pixel TYPE=" + *type + " is not supported (only unsigned_short)");
    }
    const auto order = header.get("BYTE_ORDER");
    if (!order || (*order != "little_endian" && *order != "big_endian")) {
        throw InputError(path + ": SMV header BYTE_ORDER is missing or not little_endian/big_endian");
    }
    image.swapped = (*order == "little_endian") != formats_detail::host_is_little_endian();

    const std::size_t count = static_cast<std::size_t>(image.fast_pixels) * static_cast<std::size_t>(image.slow_pixels);
    const std::size_t expected = header.header_bytes + 2 * count;
    if (bytes.size() != expected) {
        throw InputError(path + ": header says " + std::to_string(image.fast_pixels) + "x" +
                         std::to_string(image.slow_pixels) + " unsigned shorts after " +
                         std::to_string(header.header_bytes) + " header bytes (" + std::to_string(expected) +
                         " bytes) but the file has " + std::to_string(bytes.size()));
    }

    image.pixels.resize(count);
    std::memcpy(image.pixels.data(), bytes.data() + header.header_bytes, 2 * count);
    if (image.swapped) {
        for (std::uint16_t& pixel : image.pixels) pixel = formats_detail::swap_bytes(pixel);
    }
    return image;
}

}  // namespace tilebragg

#pragma once
// Host byte order and swapping, for the binary formats (SMV, float images, Fdump).
// Private to src/formats.
#include <cstdint>
#include <cstring>

namespace tilebragg::formats_detail {

inline bool host_is_little_endian() {
    const std::uint16_t probe = 1;
    unsigned char first_byte = 0;
    std::memcpy(&first_byte, &probe, 1);
    return first_byte == 1;
}

// The spelling SMV headers use in BYTE_ORDER=.
inline const char* host_byte_order_name() { return host_is_little_endian() ? "little_endian" : "big_endian"; }

inline std::uint16_t swap_bytes(std::uint16_t v) { return static_cast<std::uint16_t>((v >> 8) | (v << 8)); }

inline std::uint32_t swap_bytes(std::uint32_t v) {
    return (v >> 24) | ((v >> 8) & 0x0000FF00u) | ((v << 8) & 0x00FF0000u) | (v << 24);
}

}  // namespace tilebragg::formats_detail

#pragma once
// Counter-based random numbers: Philox4x32-10 (Salmon, Moraes, Dror & Shaw, SC'11).
// A random block is a pure function of (key, counter), so the numbers a pixel gets depend
// only on (seed, image, pixel, draw) and never on which rank, thread or tile computes it,
// or in which order. Header-only so the calls inline into per-pixel loops.
//
// Layout used throughout tilebragg:
//   key     = the 64-bit seed, split into two 32-bit words (low, high)
//   counter = {draw block, pixel low word, pixel high word, image}
// One block yields four 32-bit words = two uniform doubles (52 random bits each).
// Host-and-device (TB_HD): the GPU draws the same numbers for the same pixel.
#include <cstdint>

#include <tilebragg/host_device.hpp>

namespace tilebragg {

// Plain arrays rather than std::array, whose members device code cannot call.
struct PhiloxBlock {
    std::uint32_t word[4];
    TB_HD std::uint32_t operator[](int i) const { return word[i]; }
    friend bool operator==(const PhiloxBlock& a, const PhiloxBlock& b) {
        return a.word[0] == b.word[0] && a.word[1] == b.word[1] && a.word[2] == b.word[2] && a.word[3] == b.word[3];
    }
};
struct PhiloxKey {
    std::uint32_t word[2];
};

namespace philox_detail {

inline constexpr std::uint32_t kMultiplier0 = 0xD2511F53u;
inline constexpr std::uint32_t kMultiplier1 = 0xCD9E8D57u;
inline constexpr std::uint32_t kKeyBump0 = 0x9E3779B9u;  // golden ratio
inline constexpr std::uint32_t kKeyBump1 = 0xBB67AE85u;  // sqrt(3) - 1

TB_HD inline PhiloxBlock round(const PhiloxBlock& x, const PhiloxKey& key) {
    const std::uint64_t p0 = static_cast<std::uint64_t>(kMultiplier0) * x[0];
    const std::uint64_t p1 = static_cast<std::uint64_t>(kMultiplier1) * x[2];
    const auto hi0 = static_cast<std::uint32_t>(p0 >> 32), lo0 = static_cast<std::uint32_t>(p0);
    const auto hi1 = static_cast<std::uint32_t>(p1 >> 32), lo1 = static_cast<std::uint32_t>(p1);
    return {{hi1 ^ x[1] ^ key.word[0], lo1, hi0 ^ x[3] ^ key.word[1], lo0}};
}

}  // namespace philox_detail

// The Philox4x32 bijection with 10 rounds (the Random123 default).
TB_HD inline PhiloxBlock philox4x32_10(PhiloxBlock counter, PhiloxKey key) {
    counter = philox_detail::round(counter, key);
    for (int r = 1; r < 10; ++r) {
        key.word[0] += philox_detail::kKeyBump0;
        key.word[1] += philox_detail::kKeyBump1;
        counter = philox_detail::round(counter, key);
    }
    return counter;
}

// 64 random bits -> double strictly inside (0, 1): the top 52 bits, centred in their cell,
// so that log(u), 1/u and log(1-u) are always finite. (With 53 bits the top cell's centre,
// 1 - 2^-54, is not a double and would round to 1.)
TB_HD inline double open_unit_double(std::uint32_t high, std::uint32_t low) {
    const std::uint64_t bits = (static_cast<std::uint64_t>(high) << 32) | low;
    return (static_cast<double>(bits >> 12) + 0.5) * 0x1.0p-52;
}

// The random numbers of one pixel of one image: an unbounded, reproducible sequence of
// uniforms indexed by draw number. Cheap to construct; holds one cached block.
class PixelRandom {
public:
    TB_HD PixelRandom(std::uint64_t seed, std::uint64_t image, std::uint64_t pixel)
        : key_{{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32)}},
          pixel_lo_(static_cast<std::uint32_t>(pixel)),
          pixel_hi_(static_cast<std::uint32_t>(pixel >> 32)),
          image_(static_cast<std::uint32_t>(image)) {}

    // The block that holds draws 2*block and 2*block+1.
    TB_HD PhiloxBlock block(std::uint32_t block_index) const {
        return philox4x32_10({{block_index, pixel_lo_, pixel_hi_, image_}}, key_);
    }

    // Uniform number `draw` of this pixel, in (0, 1); the same draw always gives the same
    // number.
    TB_HD double uniform_at(std::uint32_t draw) const {
        const PhiloxBlock b = block(draw / 2);
        return (draw % 2 == 0) ? open_unit_double(b[0], b[1]) : open_unit_double(b[2], b[3]);
    }

    // Sequential convenience: the next uniform of this pixel's sequence (draw 0, 1, 2...).
    double next_uniform() {
        if (next_draw_ % 2 == 0) cached_ = block(next_draw_ / 2);
        const bool first_half = (next_draw_ % 2 == 0);
        ++next_draw_;
        return first_half ? open_unit_double(cached_[0], cached_[1]) : open_unit_double(cached_[2], cached_[3]);
    }

    std::uint32_t draws_used() const { return next_draw_; }

private:
    PhiloxKey key_;
    std::uint32_t pixel_lo_;
    std::uint32_t pixel_hi_;
    std::uint32_t image_;
    std::uint32_t next_draw_ = 0;
    PhiloxBlock cached_{};
};

}  // namespace tilebragg

#include <tilebragg/checksum.hpp>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include <tilebragg/errors.hpp>

namespace tilebragg {
namespace {

constexpr std::uint64_t kPrime1 = 0x9E3779B185EBCA87ULL;
constexpr std::uint64_t kPrime2 = 0xC2B2AE3D27D4EB4FULL;
constexpr std::uint64_t kPrime3 = 0x165667B19E3779F9ULL;

inline std::uint64_t rotl(std::uint64_t x, int r) { return (x << r) | (x >> (64 - r)); }

inline std::uint64_t mix(std::uint64_t lane, std::uint64_t word) { return rotl(lane + word * kPrime2, 31) * kPrime1; }

inline std::uint64_t load64(const unsigned char* p) {
    std::uint64_t w;
    std::memcpy(&w, p, sizeof w);
    return w;
}

// Bits of every input word reach every output bit.
inline std::uint64_t avalanche(std::uint64_t h) {
    h ^= h >> 33;
    h *= kPrime2;
    h ^= h >> 29;
    h *= kPrime3;
    h ^= h >> 32;
    return h;
}

}  // namespace

std::uint64_t content_hash(const void* data, std::size_t bytes) {
    const auto* p = static_cast<const unsigned char*>(data);
    // Four independent lanes keep the multipliers busy; they are folded at the end.
    std::uint64_t lane[4] = {kPrime1 + kPrime2, kPrime2, 0, 0 - kPrime1};
    std::size_t i = 0;
    for (; i + 32 <= bytes; i += 32)
        for (int k = 0; k < 4; ++k) lane[k] = mix(lane[k], load64(p + i + 8 * k));
    std::uint64_t h = rotl(lane[0], 1) + rotl(lane[1], 7) + rotl(lane[2], 12) + rotl(lane[3], 18);
    h += static_cast<std::uint64_t>(bytes);
    for (; i + 8 <= bytes; i += 8) h = rotl(h ^ mix(0, load64(p + i)), 27) * kPrime1 + kPrime3;
    for (; i < bytes; ++i) h = rotl(h ^ (p[i] * kPrime3), 11) * kPrime1;
    return avalanche(h);
}

std::string hash_text(std::uint64_t hash) {
    char text[17];
    std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(hash));
    return text;
}

std::uint64_t file_content_hash(const std::string& path) {
    std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!f) throw InputError("cannot read " + path + ": " + std::strerror(errno));
    // Hashed block by block: the blocks' hashes are hashed in turn, so the file never has
    // to fit in memory.
    std::vector<unsigned char> block(1 << 20);
    std::vector<std::uint64_t> hashes;
    for (;;) {
        const std::size_t n = std::fread(block.data(), 1, block.size(), f.get());
        if (n > 0) hashes.push_back(content_hash(block.data(), n));
        if (n < block.size()) break;
    }
    if (std::ferror(f.get())) throw InputError("cannot read " + path + ": " + std::strerror(errno));
    return content_hash(hashes.data(), hashes.size() * sizeof(std::uint64_t));
}

}  // namespace tilebragg

#include <tilebragg/fdump.hpp>

#include <tilebragg/atomic_file.hpp>
#include <tilebragg/errors.hpp>
#include <tilebragg/text_columns.hpp>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

namespace tilebragg {

namespace {

// The header is six integers; anything longer than this without a '\f' is not a cache.
constexpr std::size_t max_header_bytes = 256;

}  // namespace

void write_fdump(const std::string& path, const HklGrid& grid) {
    if (grid.empty()) {
        throw InputError("cannot write '" + path + "': no structure factors to cache");
    }
    char header[max_header_bytes];
    const int header_length = std::snprintf(header, sizeof header, "%d %d %d %d %d %d\n\f", grid.h_min, grid.h_max,
                                            grid.k_min, grid.k_max, grid.l_min, grid.l_max);

    AtomicFileWriter out(path);
    out.write(header, static_cast<std::size_t>(header_length));

    // Every axis carries one spare slot past its end (see fdump.hpp), written as zeros.
    // The padded layout is assembled in whole h planes, about 128 KiB at a time, and each
    // batch is written with one call (row by row, a 1 MB cache took 300 small writes).
    const std::size_t hc = static_cast<std::size_t>(grid.h_count());
    const std::size_t kc = static_cast<std::size_t>(grid.k_count());
    const std::size_t lc = static_cast<std::size_t>(grid.l_count());
    const std::size_t plane = (kc + 1) * (lc + 1);
    const std::size_t planes_per_batch = std::max<std::size_t>(1, (std::size_t(1) << 14) / plane);
    std::vector<double> batch;
    for (std::size_t h0 = 0; h0 <= hc; h0 += planes_per_batch) {
        const std::size_t h1 = std::min(hc + 1, h0 + planes_per_batch);
        batch.assign((h1 - h0) * plane, 0.0);
        for (std::size_t h = h0; h < std::min(h1, hc); ++h)
            for (std::size_t k = 0; k < kc; ++k)
                std::memcpy(batch.data() + (h - h0) * plane + k * (lc + 1), grid.F.data() + (h * kc + k) * lc,
                            lc * sizeof(double));
        out.write(batch.data(), batch.size() * sizeof(double));
    }
    out.commit();
}

HklGrid read_fdump(const std::string& path, double default_F) {
    const std::string bytes = read_whole_file(path);

    const std::size_t form_feed = bytes.find('\f');
    if (form_feed == std::string::npos || form_feed > max_header_bytes) {
        throw InputError(path +
                         ": not a structure-factor cache (no \"h_min h_max k_min k_max "
                         "l_min l_max\" header ending in a form feed)");
    }
    const std::string header = bytes.substr(0, form_feed);
    int limits[6];
    const char* cursor = header.c_str();
    for (int& limit : limits) {
        char* end = nullptr;
        errno = 0;
        const long value = std::strtol(cursor, &end, 10);
        if (end == cursor || errno == ERANGE || value < -2147483647L || value > 2147483647L) {
            throw InputError(path + ": cache header '" + header +
                             "' is not six integers h_min h_max k_min k_max l_min l_max");
        }
        limit = static_cast<int>(value);
        cursor = end;
    }
    if (std::strspn(cursor, " \t\r\n") != std::strlen(cursor)) {
        throw InputError(path + ": cache header '" + header + "' has more than six numbers");
    }

    HklGrid grid;
    try {
        grid = HklGrid::filled(limits[0], limits[1], limits[2], limits[3], limits[4], limits[5], default_F);
    } catch (const InputError& e) {
        throw InputError(path + ": " + e.what());
    }

    const std::size_t hc = static_cast<std::size_t>(grid.h_count());
    const std::size_t kc = static_cast<std::size_t>(grid.k_count());
    const std::size_t lc = static_cast<std::size_t>(grid.l_count());
    const std::size_t data_begin = form_feed + 1;
    const std::size_t expected = (hc + 1) * (kc + 1) * (lc + 1) * sizeof(double);
    if (bytes.size() - data_begin != expected) {
        throw InputError(path + ": cache header promises " + std::to_string(expected) +
                         " bytes of structure factors but the file holds " + std::to_string(bytes.size() - data_begin));
    }

    const char* data = bytes.data() + data_begin;
    const std::size_t row_bytes = (lc + 1) * sizeof(double);
    for (std::size_t h = 0; h < hc; ++h) {
        for (std::size_t k = 0; k < kc; ++k) {
            const char* row = data + (h * (kc + 1) + k) * row_bytes;
            std::memcpy(grid.F.data() + (h * kc + k) * lc, row, lc * sizeof(double));
        }
    }
    grid.hkls = static_cast<long long>(hc) * static_cast<long long>(kc) * static_cast<long long>(lc);
    grid.default_F = default_F;
    return grid;
}

}  // namespace tilebragg

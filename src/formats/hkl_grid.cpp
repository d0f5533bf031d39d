#include <tilebragg/hkl_grid.hpp>

#include <tilebragg/errors.hpp>
#include <tilebragg/memory_budget.hpp>

#include <cstdio>
#include <string>

namespace tilebragg {

namespace {

// Far more than any real data set needs (a 500 A cell to 1 A is ~1e9), but it stops a
// stray index of 1e6 from asking for petabytes before anything else can complain.
constexpr long long max_grid_cells = 1LL << 31;

std::string range_text(const char* name, int lo, int hi) {
    return std::string(name) + " " + std::to_string(lo) + ".." + std::to_string(hi);
}

}  // namespace

HklGrid HklGrid::filled(int h_min, int h_max, int k_min, int k_max, int l_min, int l_max,
                        double fill) {
    const std::string box = range_text("h", h_min, h_max) + ", " + range_text("k", k_min, k_max) +
                            ", " + range_text("l", l_min, l_max);
    if (h_max < h_min || k_max < k_min || l_max < l_min) {
        throw InputError("empty Miller index range (" + box + ")");
    }
    // Each edge fits in 33 bits, so their product can pass 2^63: judge it in double
    // (exact enough to compare with 2^31) before forming it as an integer.
    const double edges = (static_cast<double>(h_max) - h_min + 1) * (static_cast<double>(k_max) - k_min + 1) *
                         (static_cast<double>(l_max) - l_min + 1);
    if (edges > static_cast<double>(max_grid_cells)) {
        char count[32];
        std::snprintf(count, sizeof count, "%.0f", edges);
        throw InputError("Miller index box too large (" + box + ": " + count + " structure factors)");
    }
    const long long cells = (static_cast<long long>(h_max) - h_min + 1) *
                            (static_cast<long long>(k_max) - k_min + 1) *
                            (static_cast<long long>(l_max) - l_min + 1);
    require_memory(static_cast<std::size_t>(cells) * sizeof(double), "structure-factor box (" + box + ")");
    HklGrid grid;
    grid.h_min = h_min;
    grid.h_max = h_max;
    grid.k_min = k_min;
    grid.k_max = k_max;
    grid.l_min = l_min;
    grid.l_max = l_max;
    grid.F.assign(static_cast<std::size_t>(cells), fill);
    grid.default_F = fill;
    return grid;
}

}  // namespace tilebragg

#include <tilebragg/hkl_grid.hpp>

#include <tilebragg/errors.hpp>
#include <tilebragg/memory_budget.hpp>

#include <cmath>
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

// The longest index range a box may have: 16 times the edge of the largest cube of
// structure factors (doubles) that the memory budget holds. Every box whose longest
// edge is at most 64 times its shortest fits under it as long as the box itself fits the
// budget (L <= cbrt(budget) * ratio^(2/3)); a long cell axis or a fibre stays allowed.
// What it stops is one stray index (a typo, a corrupt line) stretching a thin box to a
// size that fits in memory yet is absurd: h 0..1e8 is 800 MB of default_F in memory and
// a 3.2 GB Fdump cache (its spare slots quadruple a box one index thick).
long long longest_index_range() {
    return static_cast<long long>(16.0 * std::cbrt(static_cast<double>(memory_budget_bytes()) / sizeof(double)));
}

std::string size_text(double bytes) {
    if (bytes >= (1 << 20)) return std::to_string(static_cast<long long>(bytes / (1 << 20))) + " MiB";
    return std::to_string(static_cast<long long>(std::ceil(bytes / 1024))) + " KiB";
}

void check_index_range(const char* name, int lo, int hi, const std::string& box, double cells) {
    const long long length = static_cast<long long>(hi) - lo + 1;
    const long long longest = longest_index_range();
    if (length <= longest) return;
    throw InputError("Miller index range " + range_text(name, lo, hi) + " too long: " + std::to_string(length) +
                     " indices, more than the " + std::to_string(longest) + " per index that the memory budget of " +
                     size_text(static_cast<double>(memory_budget_bytes())) + " allows (the box " + box +
                     " would need " + size_text(cells * sizeof(double)) + ")");
}

}  // namespace

HklGrid HklGrid::filled(int h_min, int h_max, int k_min, int k_max, int l_min, int l_max, double fill) {
    const std::string box =
        range_text("h", h_min, h_max) + ", " + range_text("k", k_min, k_max) + ", " + range_text("l", l_min, l_max);
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
    check_index_range("h", h_min, h_max, box, edges);
    check_index_range("k", k_min, k_max, box, edges);
    check_index_range("l", l_min, l_max, box, edges);
    const long long cells = (static_cast<long long>(h_max) - h_min + 1) * (static_cast<long long>(k_max) - k_min + 1) *
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

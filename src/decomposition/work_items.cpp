#include <tilebragg/work_items.hpp>

#include <algorithm>

namespace tilebragg {

const char* schedule_name(Schedule s) { return s == Schedule::Static ? "static" : "dynamic"; }

std::vector<long> block_cyclic_items(long items, int ranks, int rank, int block) {
    std::vector<long> mine;
    if (ranks <= 0 || rank < 0 || rank >= ranks || block <= 0) return mine;
    const long stride = static_cast<long>(block) * ranks;
    for (long first = static_cast<long>(rank) * block; first < items; first += stride)
        for (long i = first; i < std::min(items, first + block); ++i) mine.push_back(i);
    return mine;
}

int default_block(long items, int ranks) {
    constexpr long kRounds = 4;
    const long per_round = std::max(1L, ranks * kRounds);
    return static_cast<int>(std::max(1L, items / per_round));
}

}  // namespace tilebragg

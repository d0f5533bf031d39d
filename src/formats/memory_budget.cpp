#include <tilebragg/memory_budget.hpp>

#include <unistd.h>

#include <cstdlib>

#include <tilebragg/errors.hpp>

namespace tilebragg {

std::size_t memory_budget_bytes() {
    if (const char* limit = std::getenv("TILEBRAGG_MEMORY_LIMIT_MB")) {
        char* end = nullptr;
        const unsigned long long mb = std::strtoull(limit, &end, 10);
        if (end != limit && *end == '\0' && mb > 0) return static_cast<std::size_t>(mb) << 20;
    }
    const long pages = sysconf(_SC_PHYS_PAGES);
    const long page_size = sysconf(_SC_PAGE_SIZE);
    if (pages <= 0 || page_size <= 0) return static_cast<std::size_t>(-1);
    return static_cast<std::size_t>(pages) * static_cast<std::size_t>(page_size);
}

void require_memory(std::size_t bytes, const std::string& what) {
    const std::size_t budget = memory_budget_bytes();
    if (bytes > budget)
        throw InputError(what + " needs " + std::to_string(bytes >> 20) + " MiB, more than the " +
                         std::to_string(budget >> 20) + " MiB this machine has");
}

}  // namespace tilebragg

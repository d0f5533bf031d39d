#pragma once
// How much memory one allocation of input-sized data may take before tilebragg refuses
// with a message instead of being killed: the machine's physical memory, or
// TILEBRAGG_MEMORY_LIMIT_MB when set (tests and fuzzers set it low).
#include <cstddef>
#include <string>

namespace tilebragg {

std::size_t memory_budget_bytes();

// Throws InputError "<what> needs N MiB, more than the M MiB this machine allows" when
// `bytes` exceeds the budget.
void require_memory(std::size_t bytes, const std::string& what);

}  // namespace tilebragg

// Inputs that would need more memory than allowed are refused with a message that says
// how much, instead of the process being killed. The HKL case was found by the fuzzer.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include <tilebragg/errors.hpp>
#include <tilebragg/hkl_file.hpp>
#include <tilebragg/memory_budget.hpp>

namespace {

struct ScopedLimit {
    explicit ScopedLimit(const char* mb) { setenv("TILEBRAGG_MEMORY_LIMIT_MB", mb, 1); }
    ~ScopedLimit() { unsetenv("TILEBRAGG_MEMORY_LIMIT_MB"); }
};

TEST(MemoryBudget, EnvironmentLimitIsInMebibytes) {
    ScopedLimit limit("64");
    EXPECT_EQ(tilebragg::memory_budget_bytes(), std::size_t(64) << 20);
    EXPECT_NO_THROW(tilebragg::require_memory(std::size_t(63) << 20, "small"));
    EXPECT_THROW(tilebragg::require_memory(std::size_t(65) << 20, "big"), tilebragg::InputError);
}

TEST(MemoryBudget, WithoutLimitTheBudgetIsPhysicalMemory) {
    unsetenv("TILEBRAGG_MEMORY_LIMIT_MB");
    EXPECT_GT(tilebragg::memory_budget_bytes(), std::size_t(256) << 20);
}

TEST(MemoryBudget, HugeMillerIndexIsRefusedWithSizes) {
    ScopedLimit limit("64");
    // One stray index stretches the box to 22125 x 25 x 25 doubles = 105 MiB.
    const std::string text = "22112 -12 -11 1.0\n-12 -12 12 1.3\n12 12 -12 1.1\n";
    try {
        tilebragg::parse_hkl_text(text, "stray.hkl", 0.0);
        FAIL() << "expected an InputError";
    } catch (const tilebragg::InputError& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("MiB"), std::string::npos) << msg;
        EXPECT_NE(msg.find("105 MiB"), std::string::npos) << msg;
        EXPECT_NE(msg.find("64 MiB"), std::string::npos) << msg;
    }
}

}  // namespace

// Inputs the fuzzers (tests/fuzz, scripts/fuzz.sh) found to crash a reader, kept so the
// fix stays fixed. Each must now be refused with an InputError, nothing worse.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include <tilebragg/errors.hpp>
#include <tilebragg/hkl_file.hpp>

using namespace tilebragg;

// 120 s fuzzing run, issue 5: the Miller index box -122..169212 x -12..3136120 x
// -7..36136120 overflowed the signed 64-bit cell count before the size check (UBSan).
TEST(FuzzRegressions, HklBoxWhoseCellCountOverflows64Bits) {
    const std::string text =
        "-122 -12  -7      1.067\n -12 212   2  1.\n 169212  -1    5 1.2031200\n3120 3136120 36136120 2";
    try {
        parse_hkl_text(text, "crash.hkl", 0.0);
        FAIL() << "no InputError";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "crash.hkl: Miller index box too large (h -122..169212, k -12..3136120, l -7..36136120: "
                  "19190346674377920512 structure factors)");
    }
}

// 15 s fuzzing run, issue 13: the fast decimal reader of the HKL parser multiplied its
// digit accumulator past 2^63 on an F of 19 or more digits (UBSan) before noticing that
// the number was too long for it. Such an F must be read exactly as strtod reads it.
TEST(FuzzRegressions, HklStructureFactorWithManyDigits) {
    const std::string F = "1111111111111111111111111.4";
    const HklGrid grid = parse_hkl_text(" -12 -12 -11 " + F + "\n", "long.hkl", 0.0);
    EXPECT_EQ(grid.at(-12, -12, -11), std::strtod(F.c_str(), nullptr));
    const HklGrid fraction = parse_hkl_text("0 0 0 0.11111111111111111111111\n", "long.hkl", 0.0);
    EXPECT_EQ(fraction.at(0, 0, 0), std::strtod("0.11111111111111111111111", nullptr));
}

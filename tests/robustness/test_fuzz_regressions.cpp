// Inputs the fuzzers (tests/fuzz, scripts/fuzz.sh) found to crash a reader, kept so the
// fix stays fixed. Each must now be refused with an InputError, nothing worse.
#include <gtest/gtest.h>

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

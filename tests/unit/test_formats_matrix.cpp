#include <tilebragg/errors.hpp>
#include <tilebragg/matrix_file.hpp>

#include "test_formats_support.hpp"

#include <gtest/gtest.h>

using namespace tilebragg;
using tilebragg::formats_test::ScratchDir;
using tilebragg::formats_test::write_file;

namespace {

void expect_error(const std::string& text, const std::string& message) {
    try {
        parse_mosflm_matrix(text, "A.mat");
        ADD_FAILURE() << "no InputError for:\n" << text;
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()), message);
    }
}

}  // namespace

TEST(FormatsMatrix, FirstNineNumbersInFileOrderRestIgnored) {
    const std::string text =
        "  0.01214963  0.02546154 -0.00087968\n"
        " -0.01451536  0.00000807  0.02825911\n"
        "  0.01705250  0.00089825  0.02468136\n"
        "       0.000       0.000       0.000\n"
        "   0.4768789   0.8786564  -0.0234393\n"
        "    281.0000    281.0000    165.2000     90.0000     90.0000    120.0000\n";
    const auto m = parse_mosflm_matrix(text, "A.mat");
    EXPECT_DOUBLE_EQ(m[0], 0.01214963);   // a*_x
    EXPECT_DOUBLE_EQ(m[1], 0.02546154);   // b*_x
    EXPECT_DOUBLE_EQ(m[2], -0.00087968);  // c*_x
    EXPECT_DOUBLE_EQ(m[3], -0.01451536);  // a*_y
    EXPECT_DOUBLE_EQ(m[5], 0.02825911);   // c*_y
    EXPECT_DOUBLE_EQ(m[6], 0.01705250);   // a*_z
    EXPECT_DOUBLE_EQ(m[8], 0.02468136);   // c*_z
}

TEST(FormatsMatrix, LineBreaksDoNotMatterAndGluedFortranColumnsSplit) {
    const auto m = parse_mosflm_matrix("1\n2\n3 4\n\n5 6 7\n8 9\n", "A.mat");
    for (int i = 0; i < 9; ++i) EXPECT_DOUBLE_EQ(m[i], i + 1.0);

    const auto glued = parse_mosflm_matrix("0.5-0.25-1.0\n1 2 3\n4 5 6\n", "A.mat");
    EXPECT_DOUBLE_EQ(glued[0], 0.5);
    EXPECT_DOUBLE_EQ(glued[1], -0.25);
    EXPECT_DOUBLE_EQ(glued[2], -1.0);
    EXPECT_DOUBLE_EQ(glued[3], 1.0);
}

TEST(FormatsMatrix, ShortOrNonNumericFilesAreErrors) {
    expect_error("1 2 3\n4 5 6\n7 8\n", "A.mat: found only 8 of the 9 numbers of the A matrix");
    expect_error("", "A.mat: found only 0 of the 9 numbers of the A matrix");
    expect_error("1 2 3\n4 five 6\n7 8 9\n", "A.mat:2: A matrix element 5 'five' is not a number");
    expect_error("1 2 3\n4 5 6\n7 8 nan\n", "A.mat:3: A matrix element 9 'nan' is not finite");
}

TEST(FormatsMatrix, ReadsGoldenMatrixFromDisk) {
    ScratchDir scratch;
    EXPECT_THROW(read_mosflm_matrix(scratch.path("none.mat")), InputError);

    const auto golden = formats_test::golden_dir();
    if (golden.empty()) GTEST_SKIP() << "golden reference set not found (set TILEBRAGG_GOLDEN_DIR)";
    const auto m = read_mosflm_matrix((golden / "inputs" / "A.mat").string());
    EXPECT_DOUBLE_EQ(m[0], 0.01214963);
    EXPECT_DOUBLE_EQ(m[4], 0.00000807);
    EXPECT_DOUBLE_EQ(m[8], 0.02468136);
}

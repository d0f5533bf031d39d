#include <tilebragg/errors.hpp>
#include <tilebragg/source_file.hpp>

#include "test_formats_support.hpp"

#include <gtest/gtest.h>

using namespace tilebragg;
using tilebragg::formats_test::ScratchDir;
using tilebragg::formats_test::write_file;

TEST(FormatsSourceFile, ReadsAllFiveColumns) {
    const auto rows = parse_source_text(
        "-10.0  0.0     0.0    1.0 1.0e-10\n"
        "-10.0 -0.0007 -0.0007 2.5 0.99e-10\n",
        "sources.txt");
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[0].line, 1u);
    EXPECT_DOUBLE_EQ(*rows[0].x, -10.0);
    EXPECT_DOUBLE_EQ(*rows[0].y, 0.0);
    EXPECT_DOUBLE_EQ(*rows[0].z, 0.0);
    EXPECT_DOUBLE_EQ(*rows[0].weight, 1.0);
    EXPECT_DOUBLE_EQ(*rows[0].lambda, 1.0e-10);
    EXPECT_DOUBLE_EQ(*rows[1].y, -0.0007);
    EXPECT_DOUBLE_EQ(*rows[1].weight, 2.5);
    EXPECT_DOUBLE_EQ(*rows[1].lambda, 0.99e-10);
}

TEST(FormatsSourceFile, MissingTrailingColumnsStayMissingWhateverTheLineEnding) {
    // The reference fills these with 0 on CRLF lines and on a last line without a
    // newline; here they stay missing so that the defaults apply everywhere.
    for (const std::string& text : {std::string("-10 1\n"), std::string("-10 1\r\n"), std::string("-10 1")}) {
        const auto rows = parse_source_text(text, "s.txt");
        ASSERT_EQ(rows.size(), 1u);
        EXPECT_DOUBLE_EQ(*rows[0].x, -10.0);
        EXPECT_DOUBLE_EQ(*rows[0].y, 1.0);
        EXPECT_FALSE(rows[0].z.has_value());
        EXPECT_FALSE(rows[0].weight.has_value());
        EXPECT_FALSE(rows[0].lambda.has_value());
    }
}

TEST(FormatsSourceFile, AcceptsTheReferenceSeparatorsAndIgnoresExtraColumns) {
    const auto rows = parse_source_text("  -10, 0.5; 0 : 3 ! 2e-10 7 8\n", "s.txt");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_DOUBLE_EQ(*rows[0].x, -10.0);
    EXPECT_DOUBLE_EQ(*rows[0].y, 0.5);
    EXPECT_DOUBLE_EQ(*rows[0].z, 0.0);
    EXPECT_DOUBLE_EQ(*rows[0].weight, 3.0);
    EXPECT_DOUBLE_EQ(*rows[0].lambda, 2e-10);
}

TEST(FormatsSourceFile, SkipsBlankAndCommentLinesAndTreatsNanAsMissing) {
    const auto rows = parse_source_text("# X Y Z I lambda\n\n \t\n-10 0 0 nan 1e-10\n", "s.txt");
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].line, 4u);
    EXPECT_FALSE(rows[0].weight.has_value());
    EXPECT_DOUBLE_EQ(*rows[0].lambda, 1e-10);
}

TEST(FormatsSourceFile, ErrorsNameFileAndLine) {
    try {
        parse_source_text("-10 0 0 1 1e-10\n-10 abc 0\n", "s.txt");
        FAIL() << "no InputError for a non-numeric field";
    } catch (const InputError& e) {
        EXPECT_STREQ(e.what(), "s.txt:2: source Y 'abc' is not a number");
    }
    try {
        parse_source_text("-10 0 0 1 inf\n", "s.txt");
        FAIL() << "no InputError for an infinite wavelength";
    } catch (const InputError& e) {
        EXPECT_STREQ(e.what(), "s.txt:1: source lambda 'inf' is not finite");
    }
    EXPECT_THROW(parse_source_text("\n\n# nothing\n", "s.txt"), InputError);
}

TEST(FormatsSourceFile, ReadsGoldenSourceList) {
    ScratchDir scratch;
    EXPECT_THROW(read_source_file(scratch.path("none.txt")), InputError);

    const auto golden = formats_test::golden_dir();
    if (golden.empty()) GTEST_SKIP() << "golden reference set not found (set TILEBRAGG_GOLDEN_DIR)";
    const auto rows = read_source_file((golden / "inputs" / "sources.txt").string());
    // The reference's report for this file (cases/sourcefile/stdout.txt):
    //   -10 0 0 1 1e-10 | -10 0.001 0 1 1e-10 | -10 0 0.001 1 1.01e-10 | -10 -0.0007 -0.0007 1 9.9e-11
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_DOUBLE_EQ(*rows[1].y, 0.001);
    EXPECT_DOUBLE_EQ(*rows[2].z, 0.001);
    EXPECT_DOUBLE_EQ(*rows[2].lambda, 1.01e-10);
    EXPECT_DOUBLE_EQ(*rows[3].lambda, 9.9e-11);
    for (const auto& row : rows) {
        EXPECT_DOUBLE_EQ(*row.x, -10.0);
        EXPECT_DOUBLE_EQ(*row.weight, 1.0);
    }
}

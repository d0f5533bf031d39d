#include <tilebragg/errors.hpp>
#include <tilebragg/text_columns.hpp>

#include "test_formats_support.hpp"

#include <gtest/gtest.h>

using namespace tilebragg;
using tilebragg::formats_test::ScratchDir;
using tilebragg::formats_test::write_file;

TEST(FormatsTextColumns, SplitsFieldsOnRunsOfSeparators) {
    TextTableOptions options;
    options.separators = " \t,;";
    const auto rows = split_text_rows("  1,2 ;;3\t\t4  \n", options);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].line, 1u);
    EXPECT_EQ(rows[0].fields, (std::vector<std::string>{"1", "2", "3", "4"}));
}

TEST(FormatsTextColumns, SkipsBlankAndCommentLinesButKeepsLineNumbers) {
    const auto rows = split_text_rows("# header\n\n   \n1 2\r\n3 4 # trailing note\n\t\n5");
    ASSERT_EQ(rows.size(), 3u);
    EXPECT_EQ(rows[0].line, 4u);
    EXPECT_EQ(rows[0].fields, (std::vector<std::string>{"1", "2"}));  // no '\r' left over
    EXPECT_EQ(rows[1].line, 5u);
    EXPECT_EQ(rows[1].fields, (std::vector<std::string>{"3", "4"}));
    EXPECT_EQ(rows[2].line, 7u);  // last line without a newline still counts
    EXPECT_EQ(rows[2].fields, (std::vector<std::string>{"5"}));
}

TEST(FormatsTextColumns, HashIsDataWhenCommentsAreOff) {
    TextTableOptions options;
    options.hash_comments = false;
    const auto rows = split_text_rows("#1 2\n", options);
    ASSERT_EQ(rows.size(), 1u);
    EXPECT_EQ(rows[0].fields[0], "#1");
}

TEST(FormatsTextColumns, ParsesNumbersAndNamesFileAndLineOnJunk) {
    EXPECT_DOUBLE_EQ(parse_number_field("-1.5e-10", "f.txt", 3, "lambda"), -1.5e-10);
    EXPECT_DOUBLE_EQ(parse_number_field("42", "f.txt", 3, "lambda"), 42.0);
    try {
        parse_number_field("1.5x", "f.txt", 7, "lambda");
        FAIL() << "no InputError for a field with trailing junk";
    } catch (const InputError& e) {
        EXPECT_STREQ(e.what(), "f.txt:7: lambda '1.5x' is not a number");
    }
    EXPECT_THROW(parse_number_field("abc", "f.txt", 1, "x"), InputError);
    try {
        parse_number_field("1e309", "f.txt", 2, "F");
        FAIL() << "no InputError for 1e309";
    } catch (const InputError& e) {
        EXPECT_STREQ(e.what(), "f.txt:2: F '1e309' is out of range (beyond 1.8e+308)");
    }
    try {
        parse_number_field("1e-320", "f.txt", 2, "F");
        FAIL() << "no InputError for 1e-320";
    } catch (const InputError& e) {
        EXPECT_STREQ(e.what(), "f.txt:2: F '1e-320' is out of range (closer to zero than 2.2e-308)");
    }
    EXPECT_EQ(parse_number_field("0", "f.txt", 1, "x"), 0.0);
}

TEST(FormatsTextColumns, TextFilesLoseAByteOrderMarkBinaryReadsKeepIt) {
    ScratchDir scratch;
    const std::string path = scratch.path("bom.txt");
    write_file(path,
               "\xEF\xBB\xBF"
               "1 2\n");
    EXPECT_EQ(read_text_file(path), "1 2\n");
    EXPECT_EQ(read_whole_file(path).size(), 7u);
    EXPECT_EQ(read_text_rows(path).at(0).fields, (std::vector<std::string>{"1", "2"}));
    std::string only_mark = "\xEF\xBB";
    strip_byte_order_mark(only_mark);  // not a whole mark: left alone
    EXPECT_EQ(only_mark.size(), 2u);
}

TEST(FormatsTextColumns, OnlyRegularFilesAreRead) {
    try {
        read_whole_file("/dev/zero");
        FAIL() << "no InputError for /dev/zero";
    } catch (const InputError& e) {
        EXPECT_STREQ(e.what(), "cannot read '/dev/zero': it is a character device, not a regular file");
    }
}

TEST(FormatsTextColumns, ReadsFilesAndReportsMissingOnes) {
    ScratchDir scratch;
    const std::string path = scratch.path("table.txt");
    write_file(path, "a b\nc\n");
    const auto rows = read_text_rows(path);
    ASSERT_EQ(rows.size(), 2u);
    EXPECT_EQ(rows[1].fields, (std::vector<std::string>{"c"}));

    const std::string missing = scratch.path("nope.txt");
    try {
        read_text_rows(missing);
        FAIL() << "no InputError for a missing file";
    } catch (const InputError& e) {
        EXPECT_NE(std::string(e.what()).find(missing), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("No such file"), std::string::npos);
    }
}

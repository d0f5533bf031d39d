#include <tilebragg/atomic_file.hpp>
#include <tilebragg/errors.hpp>

#include "test_formats_support.hpp"

#include <gtest/gtest.h>

#include <filesystem>

using namespace tilebragg;
using tilebragg::formats_test::file_bytes;
using tilebragg::formats_test::ScratchDir;
using tilebragg::formats_test::write_file;

namespace fs = std::filesystem;

TEST(FormatsAtomicFile, FinalFileAppearsOnlyAtCommit) {
    ScratchDir scratch;
    const std::string path = scratch.path("out.bin");
    {
        AtomicFileWriter out(path);
        EXPECT_EQ(out.temporary_path(), path + ".tmp");
        out.write("abc");
        EXPECT_FALSE(fs::exists(path));
        EXPECT_TRUE(fs::exists(path + ".tmp"));
        out.commit();
    }
    EXPECT_EQ(file_bytes(path), "abc");
    EXPECT_FALSE(fs::exists(path + ".tmp"));
}

TEST(FormatsAtomicFile, AbandonedWriteLeavesTheOldFileAlone) {
    ScratchDir scratch;
    const std::string path = scratch.path("out.bin");
    write_file(path, "old");
    {
        AtomicFileWriter out(path);
        out.write("new but unfinished");
    }
    EXPECT_EQ(file_bytes(path), "old");
    EXPECT_FALSE(fs::exists(path + ".tmp"));
}

TEST(FormatsAtomicFile, OpenFailureNamesPathAndReason) {
    ScratchDir scratch;
    const std::string path = scratch.path("missing/out.bin");
    try {
        AtomicFileWriter out(path);
        FAIL() << "no InputError";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()), "cannot open '" + path + ".tmp' for writing: No such file or directory");
    }
}

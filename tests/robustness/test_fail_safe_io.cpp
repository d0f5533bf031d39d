// The pieces that keep a failed run from leaving output behind: staged writes that are
// finished before any is committed, devices written in place, output names checked
// before anything is read, and input paths that are directories refused by name.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

#include <tilebragg/atomic_file.hpp>
#include <tilebragg/errors.hpp>
#include <tilebragg/memory_budget.hpp>
#include <tilebragg/output_paths.hpp>
#include <tilebragg/params.hpp>
#include <tilebragg/text_columns.hpp>

namespace fs = std::filesystem;
using namespace tilebragg;

namespace {

class Scratch {
public:
    Scratch() {
        const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
        dir_ = fs::temp_directory_path() /
               ("tilebragg_robust_" + std::string(info->name()) + "_" + std::to_string(::getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_);
    }
    ~Scratch() {
        std::error_code ignored;
        fs::remove_all(dir_, ignored);
    }
    std::string path(const std::string& name) const { return (dir_ / name).string(); }

private:
    fs::path dir_;
};

std::string contents(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

std::string message_of(void (*f)(const Params&), const Params& p) {
    try {
        f(p);
    } catch (const InputError& e) {
        return e.what();
    }
    return "";
}

Params outputs_in(const Scratch& s) {
    Params p;
    p.floatfile = s.path("f.bin");
    p.intfile = s.path("i.img");
    p.pgmfile = s.path("p.pgm");
    p.noisefile = s.path("n.img");
    return p;
}

}  // namespace

TEST(StagedOutputs, FinishedFilesStayHiddenUntilCommitted) {
    Scratch s;
    AtomicFileWriter a(s.path("a.bin")), b(s.path("b.bin"));
    a.write("first");
    b.write("second");
    a.finish();
    b.finish();
    EXPECT_FALSE(fs::exists(s.path("a.bin")));
    EXPECT_TRUE(fs::exists(s.path("a.bin.tmp")));
    a.commit();
    b.commit();
    EXPECT_EQ(contents(s.path("a.bin")), "first");
    EXPECT_EQ(contents(s.path("b.bin")), "second");
    EXPECT_FALSE(fs::exists(s.path("b.bin.tmp")));
}

TEST(StagedOutputs, AFinishedButUncommittedFileIsRemoved) {
    Scratch s;
    {
        AtomicFileWriter a(s.path("a.bin"));
        a.write("complete but abandoned");
        a.finish();
    }
    EXPECT_FALSE(fs::exists(s.path("a.bin")));
    EXPECT_FALSE(fs::exists(s.path("a.bin.tmp")));
}

TEST(StagedOutputs, CommittingTwiceIsRefused) {
    Scratch s;
    AtomicFileWriter a(s.path("a.bin"));
    a.commit();
    EXPECT_THROW(a.commit(), InputError);
}

TEST(StagedOutputs, ADeviceIsWrittenInPlaceAndNotReplaced) {
    {
        AtomicFileWriter out("/dev/null");
        EXPECT_EQ(out.temporary_path(), "/dev/null");
        out.write("discarded");
        out.commit();
    }
    struct stat info {};
    ASSERT_EQ(::stat("/dev/null", &info), 0);
    EXPECT_TRUE(S_ISCHR(info.st_mode));
    EXPECT_FALSE(fs::exists("/dev/null.tmp"));
}

TEST(StagedOutputs, AFullDeviceIsReportedAtFinish) {
    if (!fs::exists("/dev/full")) GTEST_SKIP() << "no /dev/full";
    AtomicFileWriter out("/dev/full");
    out.write("x");  // buffered: the error shows up when the buffer is flushed
    try {
        out.finish();
        FAIL() << "no InputError";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()), "cannot write '/dev/full': No space left on device");
    }
}

TEST(OutputPaths, DistinctNewFilesInAnExistingDirectoryPass) {
    Scratch s;
    EXPECT_EQ(message_of(check_output_paths, outputs_in(s)), "");
}

TEST(OutputPaths, AMissingDirectoryIsNamedWithTheFlag) {
    Scratch s;
    Params p = outputs_in(s);
    p.noisefile = s.path("nowhere/n.img");
    EXPECT_EQ(message_of(check_output_paths, p),
              "cannot write output " + p.noisefile + " (-noisefile): No such file or directory");
}

TEST(OutputPaths, ADirectoryIsNotAnOutputFile) {
    Scratch s;
    Params p = outputs_in(s);
    p.floatfile = s.path("");
    EXPECT_EQ(message_of(check_output_paths, p),
              "cannot write output " + p.floatfile + " (-floatfile): it is a directory");
}

TEST(OutputPaths, TwoOutputsCannotShareAFile) {
    Scratch s;
    Params p = outputs_in(s);
    p.noisefile = p.intfile;
    EXPECT_EQ(message_of(check_output_paths, p), "flags -intfile and -noisefile both name " + p.intfile);
}

TEST(OutputPaths, OutputsSkippedByTheUserMayShareANameWithAnother) {
    Scratch s;
    Params p = outputs_in(s);
    p.noisefile = p.intfile;
    p.write_noise = false;
    EXPECT_EQ(message_of(check_output_paths, p), "");
}

TEST(OutputPaths, AnOutputMayNotOverwriteAnInputEvenUnderAnotherName) {
    Scratch s;
    Params p = outputs_in(s);
    std::ofstream(s.path("P1.hkl")) << "1 2 3 4\n";
    p.hkl_file = s.path("P1.hkl");
    p.pgmfile = s.path("./P1.hkl");
    EXPECT_EQ(message_of(check_output_paths, p), "flag -pgmfile " + p.pgmfile + " would overwrite the -hkl file");
}

// Outputs in `s` with the input `field` set to a new file `name` of a few bytes.
Params with_input(const Scratch& s, std::string Params::*field, const std::string& name) {
    Params p = outputs_in(s);
    std::ofstream(s.path(name)) << "1 2 3 4\n";
    p.*field = s.path(name);
    return p;
}

TEST(OutputPaths, TheStructureFactorCacheMayNotOverwriteTheHklFile) {
    Scratch s;
    Params p = with_input(s, &Params::hkl_file, "x.hkl");
    p.fdump_file = p.hkl_file;
    EXPECT_EQ(message_of(check_output_paths, p), "flag -dump " + p.hkl_file + " would overwrite the -hkl file");
    p = with_input(s, &Params::job_file, "j.ini");
    p.floatfile = p.job_file;
    EXPECT_EQ(message_of(check_output_paths, p), "flag -floatfile " + p.floatfile + " would overwrite the -job file");
}

TEST(OutputPaths, AStructureFactorCacheThatCannotBeWrittenIsNoRefusal) {
    // The reference only warns when it cannot write the cache; so does setup.
    Scratch s;
    Params p = with_input(s, &Params::hkl_file, "x.hkl");
    p.fdump_file = s.path("nowhere/Fdump.bin");
    EXPECT_EQ(message_of(check_output_paths, p), "");
}

TEST(OutputPaths, SymbolicAndHardLinksToAnInputAreThatInput) {
    Scratch s;
    Params p = with_input(s, &Params::hkl_file, "P1.hkl");
    fs::create_symlink(p.hkl_file, s.path("soft.hkl"));
    fs::create_hard_link(p.hkl_file, s.path("hard.hkl"));
    p.intfile = s.path("soft.hkl");
    EXPECT_EQ(message_of(check_output_paths, p), "flag -intfile " + p.intfile + " would overwrite the -hkl file");
    p.intfile = s.path("i.img");
    p.noisefile = s.path("hard.hkl");
    EXPECT_EQ(message_of(check_output_paths, p), "flag -noisefile " + p.noisefile + " would overwrite the -hkl file");
    p = with_input(s, &Params::hkl_file, "x.hkl.tmp");
    p.floatfile = s.path("x.hkl");
    EXPECT_EQ(message_of(check_output_paths, p), "flag -floatfile " + p.floatfile + " is written as " + p.hkl_file +
                                                     " while it runs, which would overwrite the -hkl file");
}

TEST(OutputPaths, AnOutputOnAnotherOutputsTemporaryNameIsRefused) {
    Scratch s;
    Params p = outputs_in(s);
    p.h5file = s.path("o.h5");
    p.floatfile = s.path("o.h5.tmp");
    EXPECT_EQ(message_of(check_output_paths, p), "flag -floatfile " + p.floatfile +
                                                     " is the temporary name of -h5file " + p.h5file + " (written as " +
                                                     p.h5file + ".tmp while it runs)");
    p.floatfile = s.path("f.bin");
    p.intfile = s.path("./f.bin.tmp");
    EXPECT_EQ(message_of(check_output_paths, p), "flag -intfile " + p.intfile +
                                                     " is the temporary name of -floatfile " + p.floatfile +
                                                     " (written as " + p.floatfile + ".tmp while it runs)");
}

TEST(OutputPaths, AnHdf5FileIsNeverADeviceOrAFifo) {
    Scratch s;
    Params p = outputs_in(s);
    p.h5file = "/dev/null";
    EXPECT_EQ(message_of(check_output_paths, p),
              "cannot write output /dev/null (-h5file): it is a character device; an HDF5 file must be a regular file");
    ASSERT_EQ(::mkfifo(s.path("pipe").c_str(), 0600), 0);
    p.h5file = s.path("pipe");
    EXPECT_EQ(message_of(check_output_paths, p),
              "cannot write output " + p.h5file + " (-h5file): it is a FIFO; an HDF5 file must be a regular file");
    p.h5file = s.path("o.h5");
    fs::create_directories(s.path("o.h5.tmp"));
    EXPECT_EQ(message_of(check_output_paths, p),
              "cannot write output " + p.h5file + " (-h5file): its temporary name " + p.h5file + ".tmp is a directory");
}

TEST(OutputPaths, ANameTooLongOnlyBecauseOfTheTemporarySuffixSaysSo) {
    Scratch s;
    Params p = outputs_in(s);
    p.floatfile = s.path(std::string(253, 'a'));
    EXPECT_EQ(message_of(check_output_paths, p),
              "cannot write output " + p.floatfile +
                  " (-floatfile): the name is 253 bytes long, and the '.tmp' it "
                  "carries while being written would make it 257, more than the 255 this file system allows");
    p.floatfile = s.path(std::string(251, 'a'));
    EXPECT_EQ(message_of(check_output_paths, p), "");
}

TEST(InputFiles, ADirectoryIsRefusedByName) {
    Scratch s;
    fs::create_directories(s.path("sub"));
    try {
        read_whole_file(s.path("sub"));
        FAIL() << "no InputError";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()), "cannot read '" + s.path("sub") + "': Is a directory");
    }
}

TEST(InputFiles, AFileLargerThanTheMemoryBudgetIsRefusedBeforeReading) {
    Scratch s;
    {
        std::ofstream big(s.path("big.hkl"), std::ios::binary);
        big.seekp((3 << 20) - 1);
        big.put('\n');
    }
    ::setenv("TILEBRAGG_MEMORY_LIMIT_MB", "2", 1);
    try {
        read_whole_file(s.path("big.hkl"));
        ::unsetenv("TILEBRAGG_MEMORY_LIMIT_MB");
        FAIL() << "no InputError";
    } catch (const InputError& e) {
        ::unsetenv("TILEBRAGG_MEMORY_LIMIT_MB");
        EXPECT_EQ(std::string(e.what()),
                  "reading '" + s.path("big.hkl") + "' needs 3 MiB, more than the 2 MiB this machine has");
    }
}

// Job files (-job FILE): the INI reader, and that a job file and the command line it
// stands for give the same Params, with the command line overriding the file and
// every mistake reported as "FILE:LINE: ...".
#include <tilebragg/command_line.hpp>
#include <tilebragg/errors.hpp>
#include <tilebragg/job_file.hpp>

#include <gtest/gtest.h>

#include <unistd.h>
#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

using namespace tilebragg;

namespace {

// A job file in the temporary folder, removed at the end of the test.
class JobFile {
public:
    explicit JobFile(const std::string& text)
        : path_("/tmp/tilebragg-test-job-" + std::to_string(getpid()) + "-" + std::to_string(counter_++) + ".ini") {
        std::ofstream(path_) << text;
    }
    ~JobFile() { std::remove(path_.c_str()); }
    const std::string& path() const { return path_; }

private:
    static inline int counter_ = 0;
    std::string path_;
};

Params parse(std::vector<std::string> args) {
    args.insert(args.begin(), "tilebragg");
    return parse_command_line(args).params;
}

std::string error_of(std::vector<std::string> args) {
    try {
        parse(std::move(args));
    } catch (const InputError& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST(JobFileReader, SplitsKeysAndValuesAndSkipsComments) {
    const auto entries =
        parse_job_text("# a comment\n\n  cell = 100 100 100 90 90 90  # trailing\nnonoise=1\r\nh5file =\n", "x.ini");
    ASSERT_EQ(entries.size(), 3u);
    EXPECT_EQ(entries[0].line, 3);
    EXPECT_EQ(entries[0].key, "cell");
    EXPECT_EQ(entries[0].values, (std::vector<std::string>{"100", "100", "100", "90", "90", "90"}));
    EXPECT_EQ(entries[1].key, "nonoise");
    EXPECT_EQ(entries[1].values, std::vector<std::string>{"1"});
    EXPECT_EQ(entries[2].line, 5);
    EXPECT_TRUE(entries[2].values.empty());
}

TEST(JobFileReader, RejectsLinesThatAreNotKeyValue) {
    EXPECT_THROW(parse_job_text("cell 100\n", "x.ini"), InputError);
    EXPECT_THROW(parse_job_text("[section]\n", "x.ini"), InputError);
    EXPECT_THROW(parse_job_text("= 3\n", "x.ini"), InputError);
    EXPECT_THROW(parse_job_text("-cell = 3\n", "x.ini"), InputError);
    try {
        parse_job_text("N = 3\n\nnonoise\n", "jobs/x.ini");
        FAIL() << "no error";
    } catch (const InputError& e) {
        EXPECT_EQ(std::string(e.what()).rfind("jobs/x.ini:3: ", 0), 0u) << e.what();
    }
}

TEST(JobFile, EqualsTheCommandLineItStandsFor) {
    const JobFile job(
        "cell = 70 80 90 85 95 105\ndefault_F = 100\nN = 4\nlambda = 1.5\ndistance = 80\ndetpixels = 96\n"
        "misset = random\nmisset_seed = 7\nmosaic = 0.3\nmosaic_dom = 5\nnonoise = 1\nnopgm = true\n"
        "phi = -12.5\nosc = 0.25\nphisteps = 3\nimages = 4\nroi = 1 90 2 80\nbeam_vector = 1 0 0\n");
    const Params a = parse({"-job", job.path()});
    const Params b =
        parse({"-cell",      "70",         "80",          "90",        "85",       "95",           "105",
               "-default_F", "100",        "-N",          "4",         "-lambda",  "1.5",          "-distance",
               "80",         "-detpixels", "96",          "-misset",   "random",   "-misset_seed", "7",
               "-mosaic",    "0.3",        "-mosaic_dom", "5",         "-nonoise", "-nopgm",       "-phi",
               "-12.5",      "-osc",       "0.25",        "-phisteps", "3",        "-images",      "4",
               "-roi",       "1",          "90",          "2",         "80",       "-beam_vector", "1",
               "0",          "0"});
    EXPECT_EQ(a.fingerprint, b.fingerprint);
    EXPECT_EQ(a.cell_a, b.cell_a);
    EXPECT_EQ(a.cell_gamma, b.cell_gamma);
    EXPECT_EQ(a.misset_random, b.misset_random);
    EXPECT_EQ(a.misset_seed, b.misset_seed);
    EXPECT_EQ(a.mosaic_spread, b.mosaic_spread);
    EXPECT_EQ(a.phi0, b.phi0);
    EXPECT_EQ(a.osc, b.osc);
    EXPECT_EQ(a.images, 4);
    EXPECT_EQ(a.roi.slow_max, 80);
    EXPECT_FALSE(a.write_noise);
    EXPECT_FALSE(a.write_pgm);
    EXPECT_EQ(a.job_file, job.path());
}

TEST(JobFile, CommandLineOverridesTheFileWhereverJobStands) {
    const JobFile job("distance = 80\ndetpixels = 96\nimages = 4\nnonoise = 0\n");
    const Params before = parse({"-distance", "120", "-job", job.path()});
    const Params after = parse({"-job", job.path(), "-distance", "120"});
    EXPECT_EQ(before.distance, 0.12);
    EXPECT_EQ(after.distance, 0.12);
    EXPECT_EQ(after.fpixels, 96);
    EXPECT_TRUE(after.write_noise);  // "nonoise = 0": not given
}

TEST(JobFile, MistakesNameTheFileAndLine) {
    const JobFile unknown("N = 3\nbogus = 1\n");
    EXPECT_EQ(error_of({"-job", unknown.path()}), unknown.path() + ":2: unknown option 'bogus' (see -h)");
    const JobFile bad_value("detpixels = 96\nN = three\n");
    EXPECT_EQ(error_of({"-job", bad_value.path()}), bad_value.path() + ":2: flag -N: 'three' is not an integer");
    const JobFile bad_flag("nonoise = maybe\n");
    EXPECT_EQ(error_of({"-job", bad_flag.path()}).rfind(bad_flag.path() + ":1: ", 0), 0u);
    const JobFile count("cell = 1 2 3 4 5 6 7\n");
    EXPECT_EQ(error_of({"-job", count.path()}).rfind(count.path() + ":1: option 'cell' needs 1 to 6", 0), 0u);
    const JobFile nested("job = other.ini\n");
    EXPECT_EQ(error_of({"-job", nested.path()}).rfind(nested.path() + ":1: ", 0), 0u);
    EXPECT_EQ(error_of({"-job", "/nonexistent/job.ini"}),
              "cannot open '/nonexistent/job.ini': No such file or directory");
    const JobFile open_quote("cell = 100\nhkl = \"my file.hkl\n");
    EXPECT_EQ(error_of({"-job", open_quote.path()}), open_quote.path() + ":2: the quote \" is not closed");
    EXPECT_EQ(error_of({"-job"}), "flag -job needs 1 value(s) (file), got 0");
}

TEST(JobFileReader, QuotesKeepSpacesAndHashesInOneValue) {
    const auto entries =
        parse_job_text("hkl = \"my file#1.hkl\"  # the file\nh5file='a b'.h5\nmisset = 1 \"2\" 3\n", "q.ini");
    ASSERT_EQ(entries.size(), 3u);
    EXPECT_EQ(entries[0].values, std::vector<std::string>{"my file#1.hkl"});
    EXPECT_EQ(entries[1].values, std::vector<std::string>{"a b.h5"});
    EXPECT_EQ(entries[2].values, (std::vector<std::string>{"1", "2", "3"}));
    const JobFile quoted("cell = 100\nhkl = \"my file.hkl\"\n");
    EXPECT_EQ(parse({"-job", quoted.path()}).hkl_file, "my file.hkl");
}

TEST(JobFileReader, AByteOrderMarkAtTheStartIsIgnored) {
    const JobFile marked(
        "\xEF\xBB\xBF"
        "cell = 100\ndetpixels = 32\n");
    EXPECT_EQ(parse({"-job", marked.path()}).fpixels, 32);
}

TEST(JobFile, ShippedJobFilesParse) {
    for (const char* name : {"b1_256", "b1_512", "b1_1024", "b1_2048", "b1_4096", "rotation_series", "serial_dataset",
                             "strong_scaling", "strong_scaling_compute", "weak_scaling"}) {
        const std::string path = std::string(TILEBRAGG_SOURCE_DIR) + "/jobs/" + name + ".ini";
        EXPECT_NO_THROW(parse({"-job", path})) << path;
    }
}

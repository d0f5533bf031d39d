#pragma once
// Helpers for the setup tests that check tilebragg's resolved geometry, crystal and
// sampling against what the reference printed for each golden case (stdout.txt).
//
// The printed numbers are honest expectations: each case's args.txt is parsed with
// parse_command_line, setup_experiment runs on it, and the result must agree with the
// printed value to the precision it was printed with (%g: six significant digits;
// %.8f for the cell vectors).
#include <tilebragg/command_line.hpp>
#include <tilebragg/experiment.hpp>

#include "test_formats_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string>
#include <vector>

namespace tilebragg::setup_test {

// The parameters of a command line (the program name is added).
inline Params parse(std::initializer_list<std::string> args) {
    std::vector<std::string> v{"tilebragg"};
    v.insert(v.end(), args.begin(), args.end());
    return parse_command_line(v).params;
}

struct GoldenCase {
    std::string name;
    std::vector<std::string> argv;   // program name first, @inputs resolved
    std::vector<std::string> lines;  // the reference's stdout
};

// Every case of the golden set, sorted by name; empty when the set is not there.
inline std::vector<GoldenCase> golden_cases() {
    std::vector<GoldenCase> cases;
    const std::filesystem::path golden = formats_test::golden_dir();
    if (golden.empty()) return cases;
    for (const auto& entry : std::filesystem::directory_iterator(golden / "cases")) {
        const auto args_path = entry.path() / "args.txt";
        const auto stdout_path = entry.path() / "stdout.txt";
        if (!std::filesystem::is_regular_file(args_path) || !std::filesystem::is_regular_file(stdout_path)) continue;
        GoldenCase c;
        c.name = entry.path().filename().string();
        c.argv.push_back("tilebragg");
        std::istringstream args(formats_test::file_bytes(args_path.string()));
        const std::string inputs = (golden / "inputs").string();
        for (std::string word; args >> word;) {
            if (word.rfind("@inputs", 0) == 0) word = inputs + word.substr(7);
            c.argv.push_back(word);
        }
        std::ifstream out(stdout_path);
        for (std::string line; std::getline(out, line);) c.lines.push_back(line);
        cases.push_back(std::move(c));
    }
    std::sort(cases.begin(), cases.end(), [](const GoldenCase& a, const GoldenCase& b) { return a.name < b.name; });
    return cases;
}

// setup_experiment on the case's command line. The structure-factor cache goes to (and
// is only looked for in) `scratch`, never the working directory.
inline Experiment setup_case(const GoldenCase& c, const formats_test::ScratchDir& scratch) {
    Params p = parse_command_line(c.argv).params;
    p.fdump_file = scratch.path(c.name + ".Fdump.bin");
    return setup_experiment(p);
}

// Sets up every golden case (in one scratch folder, so no Fdump lands in the working
// folder) and calls check(case, experiment) with the case named in any failure.
// False when the golden set is not there: the caller skips.
template <typename Check>
bool for_each_golden_setup(Check check) {
    const std::vector<GoldenCase> cases = golden_cases();
    if (cases.empty()) return false;
    formats_test::ScratchDir scratch;
    for (const GoldenCase& c : cases) {
        SCOPED_TRACE("golden case " + c.name);
        check(c, setup_case(c, scratch));
    }
    return true;
}

// One number as printed, and half a unit of its last printed digit.
struct Printed {
    double value = 0;
    double half_digit = 0;
    std::string text;
};

inline bool parse_printed(std::string token, Printed& out) {
    if (!token.empty() && token.back() == '%') token.pop_back();  // "0.5%"
    char* end = nullptr;
    const double v = std::strtod(token.c_str(), &end);
    if (end == token.c_str() || *end != '\0') return false;
    const std::size_t e = token.find_first_of("eE");
    const std::string mantissa = token.substr(0, e);
    const int exponent = e == std::string::npos ? 0 : std::atoi(token.c_str() + e + 1);
    const std::size_t dot = mantissa.find('.');
    const int decimals = dot == std::string::npos ? 0 : static_cast<int>(mantissa.size() - dot - 1);
    out.value = v;
    out.half_digit = v == 0.0 ? 0.0 : 0.5 * std::pow(10.0, exponent - decimals);
    out.text = token;
    return true;
}

// Whitespace-separated numbers right after the first occurrence of `label`, up to the
// first word that is not a number. Empty when the label is not printed.
inline std::vector<Printed> numbers_after(const std::vector<std::string>& lines, const std::string& label) {
    std::vector<Printed> numbers;
    for (const auto& line : lines) {
        const std::size_t at = line.find(label);
        if (at == std::string::npos) continue;
        std::istringstream rest(line.substr(at + label.size()));
        Printed p;
        for (std::string word; rest >> word && parse_printed(word, p);) numbers.push_back(p);
        break;
    }
    return numbers;
}

// Index of the first line containing `text`, or -1.
inline int line_index(const std::vector<std::string>& lines, const std::string& text) {
    for (std::size_t i = 0; i < lines.size(); ++i)
        if (lines[i].find(text) != std::string::npos) return static_cast<int>(i);
    return -1;
}

// The 3x3 table printed two lines below `title` (rows X, Y, Z; columns a, b, c).
inline std::vector<std::vector<Printed>> table_after(const std::vector<std::string>& lines, const std::string& title) {
    std::vector<std::vector<Printed>> rows;
    const int at = line_index(lines, title);
    if (at < 0) return rows;
    for (int r = 0; r < 3 && at + 2 + r < static_cast<int>(lines.size()); ++r) {
        const std::string& line = lines[static_cast<std::size_t>(at + 2 + r)];
        rows.push_back(numbers_after({line}, ":"));
    }
    return rows;
}

// `actual` agrees with the printed number to its printed precision; `floor` is the
// absolute tolerance used where the printed number is 0 (or finer than that).
inline ::testing::AssertionResult agrees(double actual, const Printed& printed, double floor) {
    const double tol = std::max(printed.half_digit * (1.0 + 1e-9) + 1e-12 * std::fabs(printed.value), floor);
    if (std::fabs(actual - printed.value) <= tol) return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "tilebragg " << actual << " vs printed " << printed.text << " (tolerance "
                                         << tol << ")";
}

// Compare a vector of values with the numbers printed after `label`.
inline void expect_printed(const std::vector<std::string>& lines, const std::string& label,
                           const std::vector<double>& actual, double floor) {
    const auto printed = numbers_after(lines, label);
    ASSERT_GE(printed.size(), actual.size()) << "'" << label << "' not printed with " << actual.size() << " numbers";
    for (std::size_t i = 0; i < actual.size(); ++i)
        EXPECT_TRUE(agrees(actual[i], printed[i], floor)) << label << " [" << i << "]";
}

}  // namespace tilebragg::setup_test

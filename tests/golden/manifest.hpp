#pragma once
// The golden case list (cases/manifest.json), read with a small JSON reader of our own:
// the test harness should not depend on a JSON library the engine does not use.
#include <cstddef>
#include <string>
#include <vector>

namespace tilebragg::golden {

struct GoldenCase {
    std::string name;
    std::string args;  // one line of flags; "@inputs" stands for <golden>/inputs
    std::size_t fpixels = 0;
    std::size_t spixels = 0;
    double corr_min = 0.0;     // minimum Pearson correlation with the reference image
    double sum_rel_tol = 0.0;  // maximum |sum/reference_sum - 1|
    double sum = 0.0;          // the reference image's sum
};

// Throws std::runtime_error naming the offset and the problem on malformed text or a
// case without one of the fields above.
std::vector<GoldenCase> parse_manifest(const std::string& json_text);

std::vector<GoldenCase> read_manifest(const std::string& path);

// Splits the args line on blanks and puts inputs_dir in place of "@inputs".
std::vector<std::string> expand_args(const std::string& args, const std::string& inputs_dir);

}  // namespace tilebragg::golden

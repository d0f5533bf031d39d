#pragma once
// The text header of an SMV image: "{", then KEY=VALUE; lines, then "}", padded to
// HEADER_BYTES. Read here independently of the engine's writer so the test checks it.
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tilebragg::golden {

using SmvHeader = std::map<std::string, std::string>;

// One entry per line; a trailing ';' is optional (some writers omit it on a line).
// Throws std::runtime_error if there is no "{ ... }" block at the start.
SmvHeader parse_smv_header(const std::string& text);

SmvHeader read_smv_header(const std::string& path);

// A value as numbers: "51.25" -> {51.25}, "-51.3,51.3,-100" -> {-51.3, 51.3, -100};
// nothing if any element is not a number.
std::optional<std::vector<double>> numeric_values(const std::string& value);

}  // namespace tilebragg::golden

#include <tilebragg/hkl_file.hpp>

#include <tilebragg/errors.hpp>
#include <tilebragg/text_columns.hpp>

#include <algorithm>
#include <climits>
#include <cmath>
#include <string>
#include <vector>

namespace tilebragg {

namespace {

struct Reflection {
    int h, k, l;
    double F;
};

std::string where(const std::string& path, std::size_t line) {
    return path + ":" + std::to_string(line) + ": ";
}

int parse_index(const std::string& field, const std::string& path, std::size_t line,
                const char* name) {
    const double value = parse_number_field(field, path, line, std::string("index ") + name);
    if (!std::isfinite(value) || value != std::floor(value)) {
        throw InputError(where(path, line) + "index " + name + " '" + field +
                         "' is not an integer");
    }
    if (value < INT_MIN || value > INT_MAX) {
        throw InputError(where(path, line) + "index " + name + " '" + field + "' is out of range");
    }
    return static_cast<int>(value);
}

}  // namespace

HklGrid parse_hkl_text(const std::string& text, const std::string& path, double default_F) {
    TextTableOptions options;
    options.separators = " \t";
    const std::vector<TextRow> rows = split_text_rows(text, options);

    std::vector<Reflection> reflections;
    reflections.reserve(rows.size());
    for (const TextRow& row : rows) {
        if (row.fields.size() != 4) {
            throw InputError(where(path, row.line) + "expected 4 columns 'h k l F', found " +
                             std::to_string(row.fields.size()));
        }
        Reflection r;
        r.h = parse_index(row.fields[0], path, row.line, "h");
        r.k = parse_index(row.fields[1], path, row.line, "k");
        r.l = parse_index(row.fields[2], path, row.line, "l");
        r.F = parse_number_field(row.fields[3], path, row.line, "structure factor F");
        if (!std::isfinite(r.F)) {
            throw InputError(where(path, row.line) + "structure factor F '" + row.fields[3] +
                             "' is not finite");
        }
        reflections.push_back(r);
    }
    if (reflections.empty()) {
        throw InputError(path + ": no reflections (expected lines 'h k l F')");
    }

    int h_min = INT_MAX, h_max = INT_MIN, k_min = INT_MAX, k_max = INT_MIN;
    int l_min = INT_MAX, l_max = INT_MIN;
    for (const Reflection& r : reflections) {
        h_min = std::min(h_min, r.h);
        h_max = std::max(h_max, r.h);
        k_min = std::min(k_min, r.k);
        k_max = std::max(k_max, r.k);
        l_min = std::min(l_min, r.l);
        l_max = std::max(l_max, r.l);
    }

    HklGrid grid;
    try {
        grid = HklGrid::filled(h_min, h_max, k_min, k_max, l_min, l_max, default_F);
    } catch (const InputError& e) {
        throw InputError(path + ": " + e.what());
    }
    // File order, so a repeated hkl keeps its last F, as in the reference.
    for (const Reflection& r : reflections) grid.at(r.h, r.k, r.l) = r.F;
    grid.hkls = static_cast<long long>(reflections.size());
    return grid;
}

HklGrid read_hkl_file(const std::string& path, double default_F) {
    return parse_hkl_text(read_whole_file(path), path, default_F);
}

}  // namespace tilebragg

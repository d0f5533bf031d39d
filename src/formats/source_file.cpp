#include <tilebragg/source_file.hpp>

#include <tilebragg/errors.hpp>
#include <tilebragg/text_columns.hpp>

#include <cmath>

namespace tilebragg {

namespace {

constexpr const char* column_names[5] = {"X", "Y", "Z", "weight", "lambda"};

}  // namespace

std::vector<SourceRow> parse_source_text(const std::string& text, const std::string& path) {
    TextTableOptions options;
    options.separators = " \t,;:!";
    std::vector<SourceRow> sources;
    for (const TextRow& row : split_text_rows(text, options)) {
        SourceRow source;
        source.line = row.line;
        std::optional<double>* columns[5] = {&source.x, &source.y, &source.z, &source.weight, &source.lambda};
        const std::size_t used = row.fields.size() < 5 ? row.fields.size() : 5;
        for (std::size_t c = 0; c < used; ++c) {
            const double value =
                parse_number_field(row.fields[c], path, row.line, std::string("source ") + column_names[c]);
            // The reference marks missing values with NaN, so a literal "nan" means missing.
            if (std::isnan(value)) continue;
            if (!std::isfinite(value)) {
                throw InputError(path + ":" + std::to_string(row.line) + ": source " + column_names[c] + " '" +
                                 row.fields[c] + "' is not finite");
            }
            *columns[c] = value;
        }
        sources.push_back(source);
    }
    if (sources.empty()) {
        throw InputError(path + ": no sources (expected lines 'X Y Z weight lambda')");
    }
    return sources;
}

std::vector<SourceRow> read_source_file(const std::string& path) {
    return parse_source_text(read_text_file(path), path);
}

}  // namespace tilebragg

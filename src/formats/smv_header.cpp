#include <tilebragg/smv_header.hpp>

#include <tilebragg/errors.hpp>
#include <tilebragg/text_columns.hpp>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>

namespace tilebragg {

namespace {

std::string trim(const std::string& s) {
    const char* blanks = " \t\r\n\f\v";
    const std::size_t first = s.find_first_not_of(blanks);
    if (first == std::string::npos) return std::string();
    const std::size_t last = s.find_last_not_of(blanks);
    return s.substr(first, last - first + 1);
}

}  // namespace

std::optional<std::string> SmvHeader::get(const std::string& key) const {
    const auto found = values.find(key);
    if (found == values.end()) return std::nullopt;
    return found->second;
}

std::optional<double> SmvHeader::number(const std::string& key) const {
    const auto value = get(key);
    if (!value) return std::nullopt;
    const char* begin = value->c_str();
    char* end = nullptr;
    errno = 0;
    const double parsed = std::strtod(begin, &end);
    if (end == begin || *end != '\0') {
        throw InputError(source + ": SMV header " + key + "=" + *value + " is not a number");
    }
    if (errno == ERANGE) {
        throw InputError(source + ": SMV header " + key + "=" + *value + " is out of range" + range_hint(parsed));
    }
    return parsed;
}

std::optional<long long> SmvHeader::integer(const std::string& key) const {
    const auto value = number(key);
    if (!value) return std::nullopt;
    if (!std::isfinite(*value) || *value != std::floor(*value) || std::fabs(*value) > 9.0e15) {
        throw InputError(source + ": SMV header " + key + "=" + *get(key) + " is not an integer");
    }
    return static_cast<long long>(*value);
}

double SmvHeader::reference_value_of(const std::string& keyword) const {
    const std::string searched = text.substr(0, text.find('\0'));
    if (keyword.empty()) return std::numeric_limits<double>::quiet_NaN();
    std::size_t after_match = std::string::npos;
    std::size_t from = 0;
    for (std::size_t hit; (hit = searched.find(keyword, from)) != std::string::npos;) {
        after_match = hit + keyword.size();
        from = after_match;
    }
    if (after_match == std::string::npos) return std::numeric_limits<double>::quiet_NaN();
    const std::size_t equals = searched.find('=', after_match);
    if (equals == std::string::npos) return 0.0;
    return std::atof(searched.c_str() + equals + 1);
}

SmvHeader parse_smv_header(const std::string& text, const std::string& source) {
    if (text.empty() || text[0] != '{') {
        throw InputError(source + ": not an SMV image (the header does not start with '{')");
    }
    SmvHeader header;
    header.text = text;
    header.source = source;

    std::size_t close = text.find('}', 1);
    if (close == std::string::npos) close = text.size();
    std::size_t start = 1;
    while (start < close) {
        std::size_t end = text.find_first_of(";\n", start);
        if (end == std::string::npos || end > close) end = close;
        const std::string entry = text.substr(start, end - start);
        start = end + 1;
        const std::size_t equals = entry.find('=');
        if (equals == std::string::npos) continue;
        std::string key = trim(entry.substr(0, equals));
        std::string value = trim(entry.substr(equals + 1));
        if (key.empty()) continue;
        header.values[key] = value;
        header.entries.emplace_back(std::move(key), std::move(value));
    }
    return header;
}

}  // namespace tilebragg

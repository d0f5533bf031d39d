#include "smv_header.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace tilebragg::golden {

namespace {

std::string trim(const std::string& s) {
    const char* blanks = " \t\r\n";
    const auto first = s.find_first_not_of(blanks);
    if (first == std::string::npos) return {};
    const auto last = s.find_last_not_of(blanks);
    return s.substr(first, last - first + 1);
}

}  // namespace

SmvHeader parse_smv_header(const std::string& text) {
    const auto open = text.find('{');
    const auto close = text.find('}');
    if (open != 0 || close == std::string::npos)
        throw std::runtime_error("no SMV header block { ... } at the start of the file");

    SmvHeader header;
    std::istringstream lines(text.substr(open + 1, close - open - 1));
    std::string line;
    while (std::getline(lines, line)) {
        line = trim(line);
        while (!line.empty() && line.back() == ';') line.pop_back();
        if (line.empty()) continue;
        const auto eq = line.find('=');
        if (eq == std::string::npos) throw std::runtime_error("SMV header line without '=': " + line);
        header[trim(line.substr(0, eq))] = trim(line.substr(eq + 1));
    }
    return header;
}

SmvHeader read_smv_header(const std::string& path) {
    std::ifstream in(path, std::ios::binary);
    if (!in) throw std::runtime_error("cannot open " + path);
    // Headers are 512 bytes in practice; HEADER_BYTES may claim more, so read generously.
    std::string text(65536, '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    text.resize(static_cast<std::size_t>(in.gcount()));
    try {
        return parse_smv_header(text);
    } catch (const std::runtime_error& e) {
        throw std::runtime_error(path + ": " + e.what());
    }
}

std::optional<std::vector<double>> numeric_values(const std::string& value) {
    std::vector<double> numbers;
    std::istringstream parts(value);
    std::string part;
    while (std::getline(parts, part, ',')) {
        part = trim(part);
        char* end = nullptr;
        const double x = std::strtod(part.c_str(), &end);
        if (part.empty() || *end != '\0') return std::nullopt;
        numbers.push_back(x);
    }
    if (numbers.empty()) return std::nullopt;
    return numbers;
}

}  // namespace tilebragg::golden

#include <tilebragg/matrix_file.hpp>

#include <tilebragg/errors.hpp>
#include <tilebragg/text_columns.hpp>

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <string>

namespace tilebragg {

std::array<double, 9> parse_mosflm_matrix(const std::string& text, const std::string& path) {
    std::array<double, 9> matrix{};
    std::size_t found = 0;
    std::size_t line = 1;
    const char* cursor = text.c_str();
    const char* const end_of_text = cursor + text.size();

    while (found < matrix.size()) {
        while (cursor < end_of_text && std::isspace(static_cast<unsigned char>(*cursor))) {
            if (*cursor == '\n') ++line;
            ++cursor;
        }
        if (cursor >= end_of_text) {
            throw InputError(path + ": found only " + std::to_string(found) + " of the 9 numbers of the A matrix");
        }
        char* stop = nullptr;
        errno = 0;
        const double value = std::strtod(cursor, &stop);
        const char* token_end = cursor;
        while (token_end < end_of_text && !std::isspace(static_cast<unsigned char>(*token_end))) {
            ++token_end;
        }
        const std::string token(cursor, token_end);
        if (stop == cursor) {
            throw InputError(path + ":" + std::to_string(line) + ": A matrix element " + std::to_string(found + 1) +
                             " '" + token + "' is not a number");
        }
        if (errno == ERANGE) {
            throw InputError(path + ":" + std::to_string(line) + ": A matrix element " + std::to_string(found + 1) +
                             " '" + token + "' is out of range" + range_hint(value));
        }
        if (!std::isfinite(value)) {
            throw InputError(path + ":" + std::to_string(line) + ": A matrix element " + std::to_string(found + 1) +
                             " '" + token + "' is not finite");
        }
        matrix[found++] = value;
        cursor = stop;
    }
    return matrix;
}

std::array<double, 9> read_mosflm_matrix(const std::string& path) {
    return parse_mosflm_matrix(read_text_file(path), path);
}

}  // namespace tilebragg

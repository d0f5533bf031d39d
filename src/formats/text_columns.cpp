#include <tilebragg/text_columns.hpp>

#include <tilebragg/errors.hpp>
#include <tilebragg/memory_budget.hpp>

#include <sys/stat.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace tilebragg {

std::string read_whole_file(const std::string& path) {
    // Asked before opening: opening a FIFO would wait for a writer, a directory opens and
    // then reads as empty (a baffling "no reflections" later), /dev/zero never ends, and
    // a huge file would be read whole into memory.
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0) throw InputError("cannot open '" + path + "': " + std::strerror(errno));
    if (S_ISDIR(info.st_mode)) throw InputError("cannot read '" + path + "': " + std::strerror(EISDIR));
    if (!S_ISREG(info.st_mode)) {
        const char* kind = S_ISCHR(info.st_mode)    ? "a character device"
                           : S_ISBLK(info.st_mode)  ? "a block device"
                           : S_ISFIFO(info.st_mode) ? "a FIFO"
                           : S_ISSOCK(info.st_mode) ? "a socket"
                                                    : "a special file";
        throw InputError("cannot read '" + path + "': it is " + kind + ", not a regular file");
    }
    require_memory(static_cast<std::size_t>(info.st_size), "reading '" + path + "'");
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        throw InputError("cannot open '" + path + "': " + std::strerror(errno));
    }
    // Read in one go into a string of its size (a stream copy grows the string step by
    // step and copies it once more at the end: 4 ms for a 1.7 MB HKL file).
    std::string contents;
    if (info.st_size > 0) {
        contents.resize(static_cast<std::size_t>(info.st_size));
        in.read(&contents[0], static_cast<std::streamsize>(contents.size()));
        contents.resize(static_cast<std::size_t>(in.gcount()));
        if (in.bad()) throw InputError("cannot read '" + path + "': " + std::strerror(errno));
        if (in.eof()) return contents;  // shorter than stat said (truncated meanwhile)
    }
    // Whatever is left: a file that grew since stat.
    std::ostringstream rest;
    rest << in.rdbuf();
    if (in.bad()) {
        throw InputError("cannot read '" + path + "': " + std::strerror(errno));
    }
    contents += rest.str();
    return contents;
}

void strip_byte_order_mark(std::string& text) {
    if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) text.erase(0, 3);
}

std::string read_text_file(const std::string& path) {
    std::string text = read_whole_file(path);
    strip_byte_order_mark(text);
    return text;
}

std::vector<TextRow> split_text_rows(const std::string& text, const TextTableOptions& options) {
    std::vector<TextRow> rows;
    std::size_t line_number = 0;
    std::size_t start = 0;
    while (start < text.size()) {
        std::size_t end = text.find('\n', start);
        if (end == std::string::npos) end = text.size();
        ++line_number;

        std::string line = text.substr(start, end - start);
        start = end + 1;
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (options.hash_comments) {
            const std::size_t hash = line.find('#');
            if (hash != std::string::npos) line.erase(hash);
        }

        TextRow row;
        row.line = line_number;
        std::size_t pos = line.find_first_not_of(options.separators);
        while (pos != std::string::npos) {
            const std::size_t stop = line.find_first_of(options.separators, pos);
            row.fields.push_back(line.substr(pos, stop == std::string::npos ? std::string::npos : stop - pos));
            pos = stop == std::string::npos ? stop : line.find_first_not_of(options.separators, stop);
        }
        if (!row.fields.empty()) rows.push_back(std::move(row));
    }
    return rows;
}

std::vector<TextRow> read_text_rows(const std::string& path, const TextTableOptions& options) {
    return split_text_rows(read_text_file(path), options);
}

double parse_number_field(const std::string& field, const std::string& path, std::size_t line,
                          const std::string& what) {
    const char* begin = field.c_str();
    char* end = nullptr;
    errno = 0;
    const double value = std::strtod(begin, &end);
    if (end == begin || *end != '\0') {
        throw InputError(path + ":" + std::to_string(line) + ": " + what + " '" + field + "' is not a number");
    }
    if (errno == ERANGE) {
        throw InputError(path + ":" + std::to_string(line) + ": " + what + " '" + field + "' is out of range" +
                         range_hint(value));
    }
    return value;
}

std::string range_hint(double parsed) {
    return std::fabs(parsed) > 1.0 ? " (beyond 1.8e+308)" : " (closer to zero than 2.2e-308)";
}

}  // namespace tilebragg

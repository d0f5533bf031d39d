#pragma once
// Plain-text tables: one record per line, fields separated by runs of chosen characters.
// Shared by the HKL, source-list and similar readers so that they all treat CRLF line
// ends, a missing final newline, blank lines and '#' comments the same way.
#include <cstddef>
#include <string>
#include <vector>

namespace tilebragg {

struct TextRow {
    std::size_t line = 0;  // 1-based line number in the file, for error messages
    std::vector<std::string> fields;
};

struct TextTableOptions {
    // Any run of these characters separates two fields. nanoBragg's own column reader
    // (sources, stol tables) splits on " \t,;:!"; the HKL reader only on blanks.
    std::string separators = " \t";
    // Everything from a '#' to the end of its line is ignored. nanoBragg knows no
    // comments (it turns a '#' line into numbers or stops reading), so this is an
    // extension: any file the reference reads correctly has no '#' in it.
    bool hash_comments = true;
};

// The file's whole contents. Throws InputError naming the path and the system's reason,
// and, before opening it, when it is not a regular file (a directory, a device such as
// /dev/zero, a FIFO, a socket) or larger than the memory budget. Every input reader
// comes through here.
std::string read_whole_file(const std::string& path);

// Text inputs: the same, without a UTF-8 byte-order mark at the start (editors on
// Windows write one; it would otherwise be part of the first field or key).
std::string read_text_file(const std::string& path);
// Removes a UTF-8 byte-order mark (EF BB BF) at the start of `text`, if there is one.
void strip_byte_order_mark(std::string& text);

// Every line of `path` that holds at least one field, in file order.
// Throws InputError if the file cannot be read.
std::vector<TextRow> read_text_rows(const std::string& path, const TextTableOptions& options = {});

// The same, on text already in memory.
std::vector<TextRow> split_text_rows(const std::string& text, const TextTableOptions& options = {});

// A whole field as a number in strtod syntax (12, -0.5, 1.0e-10, nan, inf).
// Throws InputError "path:line: <what> 'field' is not a number" when any of it is left
// over, and "... is out of range (...)" when it is beyond a double (1e309) or too close
// to zero to be held in full (1e-320).
// Why strtod said ERANGE for a text that gave `parsed`: " (beyond 1.8e+308)" or
// " (closer to zero than 2.2e-308)", for messages that say "out of range".
std::string range_hint(double parsed);

double parse_number_field(const std::string& field, const std::string& path, std::size_t line, const std::string& what);

}  // namespace tilebragg

#include <tilebragg/hkl_file.hpp>

#include <tilebragg/errors.hpp>
#include <tilebragg/page_buffer.hpp>
#include <tilebragg/text_columns.hpp>

#include <algorithm>
#include <charconv>
#include <climits>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <new>
#include <string>
#include <string_view>

namespace tilebragg {

namespace {

// One pass over the text, straight from the file's bytes, without an allocation per
// line. A line in the plain form "h k l F" (integer indices, a finite F that from_chars
// reads whole) is read by read_plain_line; any other line (blank, a comment, "3.0",
// "+3", a hexadecimal F, an error) is read again by the general path, which splits it
// into fields, accepts exactly what the reader always accepted and words the errors.

struct Reflection {
    int h, k, l;
    double F;
};

std::string where(const std::string& path, std::size_t line) { return path + ":" + std::to_string(line) + ": "; }

// An index written as a real ("3.0", "1e2") or not a number at all.
int parse_index_slowly(std::string_view text, const std::string& path, std::size_t line, const char* name) {
    const std::string field(text);
    const double value = parse_number_field(field, path, line, std::string("index ") + name);
    if (!std::isfinite(value) || value != std::floor(value)) {
        throw InputError(where(path, line) + "index " + name + " '" + field + "' is not an integer");
    }
    if (value < INT_MIN || value > INT_MAX) {
        throw InputError(where(path, line) + "index " + name + " '" + field + "' is out of range");
    }
    return static_cast<int>(value);
}

int parse_index(std::string_view text, const std::string& path, std::size_t line, const char* name) {
    int value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (error == std::errc() && end == text.data() + text.size()) return value;
    return parse_index_slowly(text, path, line, name);
}

double parse_F(std::string_view text, const std::string& path, std::size_t line) {
    double value = 0;
    const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
    // from_chars and strtod both round correctly, so the fast path gives the same double.
    if (error != std::errc() || end != text.data() + text.size())
        value = parse_number_field(std::string(text), path, line, "structure factor F");
    if (!std::isfinite(value)) {
        throw InputError(where(path, line) + "structure factor F '" + std::string(text) + "' is not finite");
    }
    return value;
}

bool is_blank(char c) { return c == ' ' || c == '\t'; }

bool is_digit(char c) { return static_cast<unsigned>(c - '0') < 10; }

// An optional '-' and 1 to 9 digits (so no overflow), followed by a blank.
bool read_plain_index(const char*& p, const char* end, int& value) {
    const char* q = p;
    const bool negative = q != end && *q == '-';
    if (negative) ++q;
    const char* const digits = q;
    int v = 0;
    while (q != end && is_digit(*q) && q - digits < 9) v = v * 10 + (*q++ - '0');
    if (q == digits || q == end || !is_blank(*q)) return false;
    value = negative ? -v : v;
    p = q;
    return true;
}

// F written "[-]digits[.digits]" with at most 15 digits in all, as HKL files are: the
// digits form an integer m < 2^53 and the value is m / 10^k with k <= 15, one correctly
// rounded division of two exact doubles, so it equals what strtod and from_chars return.
// Anything else (an exponent, more digits, "nan") is left to from_chars.
bool read_plain_decimal(const char*& p, const char* end, double& value) {
    static constexpr double powers_of_ten[] = {1e0, 1e1, 1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                               1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    const char* q = p;
    const bool negative = q != end && *q == '-';
    if (negative) ++q;
    std::int64_t m = 0;
    int digits = 0, fraction_digits = 0;
    for (; q != end && is_digit(*q); ++q, ++digits) {
        if (digits == 15) return false;
        m = m * 10 + (*q - '0');
    }
    if (digits == 0) return false;
    if (q != end && *q == '.') {
        for (++q; q != end && is_digit(*q); ++q, ++digits, ++fraction_digits) {
            if (digits == 15) return false;
            m = m * 10 + (*q - '0');
        }
    }
    if (q != end && (*q == 'e' || *q == 'E')) return false;
    const double magnitude = static_cast<double>(m) / powers_of_ten[fraction_digits];
    value = negative ? -magnitude : magnitude;
    p = q;
    return true;
}

void skip_blanks(const char*& p, const char* end) {
    while (p != end && is_blank(*p)) ++p;
}

// The line starting at p in the plain form, up to and including its '\n'; on success p
// moves past it. Returns false, leaving p, for anything the general path must judge.
bool read_plain_line(const char*& p, const char* end, Reflection& r) {
    const char* q = p;
    skip_blanks(q, end);
    if (!read_plain_index(q, end, r.h)) return false;
    skip_blanks(q, end);
    if (!read_plain_index(q, end, r.k)) return false;
    skip_blanks(q, end);
    if (!read_plain_index(q, end, r.l)) return false;
    skip_blanks(q, end);
    if (!read_plain_decimal(q, end, r.F)) {
        const auto [after, error] = std::from_chars(q, end, r.F);
        if (error != std::errc() || after == q || !std::isfinite(r.F)) return false;
        q = after;
    }
    skip_blanks(q, end);
    if (q != end && *q == '#') {
        q = static_cast<const char*>(std::memchr(q, '\n', static_cast<std::size_t>(end - q)));
        if (q == nullptr) q = end;
    }
    if (q != end && *q == '\r' && (q + 1 == end || q[1] == '\n')) ++q;
    if (q != end && *q != '\n') return false;
    p = q == end ? end : q + 1;
    return true;
}

// Splits [begin, end) at runs of blanks into at most `capacity` views; returns the number
// of fields found (which may exceed `capacity`).
std::size_t split_fields(const char* begin, const char* end, std::string_view* fields, std::size_t capacity) {
    std::size_t n = 0;
    const char* p = begin;
    for (;;) {
        while (p != end && is_blank(*p)) ++p;
        if (p == end) return n;
        const char* start = p;
        while (p != end && !is_blank(*p)) ++p;
        if (n < capacity) fields[n] = std::string_view(start, static_cast<std::size_t>(p - start));
        ++n;
    }
}

// The line starting at p by the general rules; p moves past it. Returns false for a line
// without fields (blank, or only a comment); throws InputError "path:line: ..." for a
// malformed one.
bool read_general_line(const char*& p, const char* end, const std::string& path, std::size_t line, Reflection& r) {
    const char* eol = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    if (eol == nullptr) eol = end;
    const char* stop = eol;
    if (stop != p && stop[-1] == '\r') --stop;
    // '#' starts a comment (an extension: the reference has none).
    if (const void* hash = std::memchr(p, '#', static_cast<std::size_t>(stop - p)))
        stop = static_cast<const char*>(hash);
    std::string_view fields[4];
    const std::size_t n = split_fields(p, stop, fields, 4);
    p = eol == end ? end : eol + 1;
    if (n == 0) return false;
    if (n != 4) throw InputError(where(path, line) + "expected 4 columns 'h k l F', found " + std::to_string(n));
    r.h = parse_index(fields[0], path, line, "h");
    r.k = parse_index(fields[1], path, line, "k");
    r.l = parse_index(fields[2], path, line, "l");
    r.F = parse_F(fields[3], path, line);
    return true;
}

}  // namespace

HklGrid parse_hkl_text(const std::string& text, const std::string& path, double default_F) {
    const char* p = text.data();
    const char* const end = p + text.size();
    // A byte-order mark, as some Windows editors write at the start of a UTF-8 file.
    if (text.compare(0, 3, "\xEF\xBB\xBF") == 0) p += 3;

    // At most one reflection per line; blank and comment lines leave pages unwritten,
    // which cost nothing.
    const std::size_t capacity = static_cast<std::size_t>(std::count(p, end, '\n')) + 1;
    const PageBuffer storage(capacity * sizeof(Reflection));
    Reflection* const reflections = static_cast<Reflection*>(storage.data());
    std::size_t count = 0;
    int h_min = INT_MAX, h_max = INT_MIN, k_min = INT_MAX, k_max = INT_MIN;
    int l_min = INT_MAX, l_max = INT_MIN;
    std::size_t line = 0;
    while (p < end) {
        ++line;
        Reflection r;
        if (!read_plain_line(p, end, r) && !read_general_line(p, end, path, line, r)) continue;
        new (reflections + count++) Reflection(r);
        h_min = std::min(h_min, r.h);
        h_max = std::max(h_max, r.h);
        k_min = std::min(k_min, r.k);
        k_max = std::max(k_max, r.k);
        l_min = std::min(l_min, r.l);
        l_max = std::max(l_max, r.l);
    }
    if (count == 0) {
        throw InputError(path + ": no reflections (expected lines 'h k l F')");
    }

    HklGrid grid;
    try {
        // Checks the box against the memory budget before allocating it.
        grid = HklGrid::filled(h_min, h_max, k_min, k_max, l_min, l_max, default_F);
    } catch (const InputError& e) {
        throw InputError(path + ": " + e.what());
    }
    // File order, so a repeated hkl keeps its last F, as in the reference.
    for (const Reflection* r = reflections; r != reflections + count; ++r) grid.at(r->h, r->k, r->l) = r->F;
    grid.hkls = static_cast<long long>(count);
    return grid;
}

HklGrid read_hkl_file(const std::string& path, double default_F) {
    return parse_hkl_text(read_whole_file(path), path, default_F);
}

}  // namespace tilebragg

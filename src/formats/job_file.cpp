#include <tilebragg/job_file.hpp>

#include <sstream>

#include <tilebragg/errors.hpp>
#include <tilebragg/text_columns.hpp>

namespace tilebragg {
namespace {

std::string trimmed(const std::string& s) {
    const auto first = s.find_first_not_of(" \t\r");
    if (first == std::string::npos) return "";
    const auto last = s.find_last_not_of(" \t\r");
    return s.substr(first, last - first + 1);
}

// The line up to its comment: a '#' outside quotes ("run#2.hkl" is a name).
std::string without_comment(const std::string& line) {
    char quote = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
        const char c = line[i];
        if (quote != 0) {
            if (c == quote) quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (c == '#') {
            return line.substr(0, i);
        }
    }
    return line;
}

// A value split at white space, as a shell would: "..." or '...' keeps spaces inside
// one word (hkl = "my file.hkl") and the quotes themselves are dropped.
std::vector<std::string> words_of(const std::string& text, const std::string& where) {
    std::vector<std::string> words;
    std::string word;
    bool in_word = false;
    char quote = 0;
    for (const char c : text) {
        if (quote != 0) {
            if (c == quote)
                quote = 0;
            else
                word += c;
        } else if (c == '"' || c == '\'') {
            quote = c;
            in_word = true;
        } else if (c == ' ' || c == '\t' || c == '\r') {
            if (in_word) words.push_back(word);
            word.clear();
            in_word = false;
        } else {
            word += c;
            in_word = true;
        }
    }
    if (quote != 0) throw InputError(where + "the quote " + std::string(1, quote) + " is not closed");
    if (in_word) words.push_back(word);
    return words;
}

}  // namespace

std::vector<JobEntry> parse_job_text(const std::string& text, const std::string& name) {
    std::vector<JobEntry> entries;
    std::istringstream in(text);
    std::string raw;
    int line = 0;
    while (std::getline(in, raw)) {
        ++line;
        const std::string where = name + ":" + std::to_string(line) + ": ";
        const std::string content = trimmed(without_comment(raw));
        if (content.empty()) continue;
        if (content.front() == '[') throw InputError(where + "sections are not used in job files: '" + content + "'");
        const auto eq = content.find('=');
        if (eq == std::string::npos) throw InputError(where + "expected 'key = value', got '" + content + "'");
        JobEntry e;
        e.line = line;
        e.key = trimmed(content.substr(0, eq));
        if (e.key.empty()) throw InputError(where + "no key before '='");
        if (e.key.front() == '-') throw InputError(where + "keys are written without the dash: '" + e.key + "'");
        e.values = words_of(content.substr(eq + 1), where);
        entries.push_back(std::move(e));
    }
    return entries;
}

std::vector<JobEntry> read_job_file(const std::string& path) { return parse_job_text(read_text_file(path), path); }

}  // namespace tilebragg

#include <tilebragg/job_file.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <system_error>

#include <tilebragg/errors.hpp>

namespace tilebragg {
namespace {

std::string trimmed(const std::string& s) {
    const auto first = s.find_first_not_of(" \t\r");
    if (first == std::string::npos) return "";
    const auto last = s.find_last_not_of(" \t\r");
    return s.substr(first, last - first + 1);
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
        const std::string content = trimmed(raw.substr(0, raw.find('#')));
        if (content.empty()) continue;
        if (content.front() == '[')
            throw InputError(where + "sections are not used in job files: '" + content + "'");
        const auto eq = content.find('=');
        if (eq == std::string::npos) throw InputError(where + "expected 'key = value', got '" + content + "'");
        JobEntry e;
        e.line = line;
        e.key = trimmed(content.substr(0, eq));
        if (e.key.empty()) throw InputError(where + "no key before '='");
        if (e.key.front() == '-') throw InputError(where + "keys are written without the dash: '" + e.key + "'");
        std::istringstream words(content.substr(eq + 1));
        for (std::string w; words >> w;) e.values.push_back(w);
        entries.push_back(std::move(e));
    }
    return entries;
}

std::vector<JobEntry> read_job_file(const std::string& path) {
    // A directory opens and reads as empty: the run would then fail far from the cause.
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) throw InputError(path + ": cannot read job file: it is a directory");
    std::ifstream in(path);
    if (!in) throw InputError(path + ": cannot read job file");
    std::ostringstream text;
    text << in.rdbuf();
    return parse_job_text(text.str(), path);
}

}  // namespace tilebragg

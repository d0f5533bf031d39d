#pragma once
// Job files (-job FILE): INI text in Boost.Program_options' config-file syntax, one
// option per line, `key = value`, where the key is a command-line option without its
// dash and the value is what would follow the flag (several values separated by
// spaces; "..." or '...' keep spaces inside one value, as in hkl = "my file.hkl").
// `#` outside quotes starts a comment; blank lines are skipped; a UTF-8 byte-order mark
// at the start is ignored. The rules for flags, sections and precedence are in
// docs/batch.md; this reader only splits the text.
#include <string>
#include <vector>

namespace tilebragg {

struct JobEntry {
    int line = 0;                     // 1-based, for "FILE:LINE: ..." messages
    std::string key;                  // as written, without a dash
    std::vector<std::string> values;  // the value split at white space (may be empty)
};

// Throws InputError "FILE:LINE: ..." on a line that is not `key = value` (a section
// header, a key without '=', an empty key, a quote left open) and the input reader's
// message (read_text_file) when it cannot be read.
std::vector<JobEntry> read_job_file(const std::string& path);

// The same from text already in memory (`name` is used in messages).
std::vector<JobEntry> parse_job_text(const std::string& text, const std::string& name);

}  // namespace tilebragg

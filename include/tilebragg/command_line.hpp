#pragma once
// nanoBragg's single-dash command-line dialect -> Params.
// Flags match exactly (no substring matching); every difference from the reference's
// parser is listed in docs/cli.md.
#include <iosfwd>
#include <string>
#include <vector>

#include <tilebragg/params.hpp>

namespace tilebragg {

struct ParsedCommandLine {
    Params params;
    bool help_requested = false;
    bool markdown_help_requested = false;
};

// Throws InputError naming the flag and value on anything it cannot use.
ParsedCommandLine parse_command_line(const std::vector<std::string>& args);

// The option table, formatted for -h.
void print_usage(std::ostream& out);
void print_usage_markdown(std::ostream& out);

}  // namespace tilebragg

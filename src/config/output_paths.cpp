#include <tilebragg/output_paths.hpp>

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include <tilebragg/errors.hpp>

namespace tilebragg {
namespace {

namespace fs = std::filesystem;

using NamedPath = std::pair<std::string, std::string>;  // flag, path

std::vector<NamedPath> outputs_of(const Params& p) {
    std::vector<NamedPath> out;
    if (!p.h5_only) {
        out = {{"-floatfile", p.floatfile}, {"-intfile", p.intfile}};
        if (p.write_pgm) out.emplace_back("-pgmfile", p.pgmfile);
        if (p.write_noise) out.emplace_back("-noisefile", p.noisefile);
    }
    if (!p.h5file.empty()) out.emplace_back("-h5file", p.h5file);
    return out;
}

// A device or FIFO (/dev/null for "discard") may take several outputs.
bool is_special(const std::string& path) {
    std::error_code ec;
    const fs::file_status st = fs::status(path, ec);
    return !ec && fs::exists(st) && !fs::is_regular_file(st) && !fs::is_directory(st);
}

// One file under two names (a link, "./x" and "x") counts as the same file.
bool same_file(const std::string& a, const std::string& b) {
    if (is_special(a) || is_special(b)) return false;
    if (a == b) return true;
    std::error_code ec;
    return fs::exists(a, ec) && fs::exists(b, ec) && fs::equivalent(a, b, ec);
}

void check_one(const NamedPath& output) {
    const auto& [flag, path] = output;
    if (path.empty()) throw InputError("flag " + flag + ": empty file name");
    std::error_code ec;
    if (fs::is_directory(path, ec))
        throw InputError("cannot write output " + path + " (" + flag + "): it is a directory");
    const fs::path parent = fs::path(path).parent_path();
    if (!parent.empty() && !fs::is_directory(parent, ec))
        throw InputError("cannot write output " + path + " (" + flag + "): No such file or directory");
    // access() asks without creating anything (permissions, read-only file systems); the
    // driver still creates and removes a probe file later, which nothing else can replace.
    if (::access(parent.empty() ? "." : parent.c_str(), W_OK | X_OK) != 0)
        throw InputError("cannot write output " + path + " (" + flag + "): " + std::strerror(errno));
}

}  // namespace

void check_output_paths(const Params& p) {
    const std::vector<NamedPath> outputs = outputs_of(p);
    const NamedPath inputs[] = {{"-hkl", p.hkl_file},   {"-matrix", p.matrix_file},      {"-img", p.img_file},
                                {"-mask", p.mask_file}, {"-sourcefile", p.source_file}, {"-dumpfile", p.fdump_file}};
    for (std::size_t i = 0; i < outputs.size(); ++i) {
        check_one(outputs[i]);
        for (std::size_t j = 0; j < i; ++j)
            if (same_file(outputs[i].second, outputs[j].second))
                throw InputError("flags " + outputs[j].first + " and " + outputs[i].first + " both name " +
                                 outputs[i].second);
        for (const auto& [flag, path] : inputs)
            if (!path.empty() && same_file(outputs[i].second, path))
                throw InputError("flag " + outputs[i].first + " " + outputs[i].second + " would overwrite the " +
                                 flag + " file");
    }
}

}  // namespace tilebragg

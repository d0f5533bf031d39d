#include <tilebragg/output_paths.hpp>

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include <tilebragg/errors.hpp>

namespace tilebragg {
namespace {

namespace fs = std::filesystem;

struct NamedPath {
    std::string flag, path;
    // The structure-factor cache is a convenience: the reference only warns when it
    // cannot be written, so only its collisions with other files are checked here.
    bool optional = false;
};

// The name a file has while it is written (AtomicFileWriter, hdf5_temporary_path).
std::string temporary_name(const std::string& path) { return path + ".tmp"; }

// The outputs in the order their flags are reported. The structure-factor cache is
// written only after reading -hkl; without -hkl it is an input (read when present).
std::vector<NamedPath> outputs_of(const Params& p) {
    std::vector<NamedPath> out;
    if (!p.h5_only) {
        out = {{"-floatfile", p.floatfile}, {"-intfile", p.intfile}};
        if (p.write_pgm) out.push_back({"-pgmfile", p.pgmfile});
        if (p.write_noise) out.push_back({"-noisefile", p.noisefile});
    }
    if (!p.h5file.empty()) out.push_back({"-h5file", p.h5file});
    if (!p.hkl_file.empty()) out.push_back({"-dump", p.fdump_file, true});
    return out;
}

std::vector<NamedPath> inputs_of(const Params& p) {
    std::vector<NamedPath> in = {{"-hkl", p.hkl_file},   {"-matrix", p.matrix_file},     {"-img", p.img_file},
                                 {"-mask", p.mask_file}, {"-sourcefile", p.source_file}, {"-job", p.job_file}};
    if (p.hkl_file.empty()) in.push_back({"-dump", p.fdump_file});
    std::vector<NamedPath> given;
    for (auto& i : in)
        if (!i.path.empty()) given.push_back(std::move(i));
    return given;
}

// What kind of thing an existing path is, in words; empty for a regular file or none.
std::string special_kind(const std::string& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0 || S_ISREG(info.st_mode)) return "";
    if (S_ISDIR(info.st_mode)) return "a directory";
    if (S_ISCHR(info.st_mode)) return "a character device";
    if (S_ISBLK(info.st_mode)) return "a block device";
    if (S_ISFIFO(info.st_mode)) return "a FIFO";
    if (S_ISSOCK(info.st_mode)) return "a socket";
    return "not a regular file";
}

// An existing device or FIFO (/dev/null for "discard") is written in place: it has no
// temporary name and may take several legacy outputs.
bool written_in_place(const std::string& path) {
    const std::string kind = special_kind(path);
    return !kind.empty() && kind != "a directory";
}

// A file under any of its names: device and inode when it exists (symbolic and hard
// links, "./x" and "x"), else the absolute name with every existing link resolved.
struct FileId {
    bool exists = false;
    dev_t device = 0;
    ino_t inode = 0;
    std::string name;
    bool operator==(const FileId& o) const {
        if (exists != o.exists) return false;
        return exists ? device == o.device && inode == o.inode : name == o.name;
    }
};

FileId identify(const std::string& path) {
    FileId id;
    struct stat info {};
    if (::stat(path.c_str(), &info) == 0) {
        id.exists = true;
        id.device = info.st_dev;
        id.inode = info.st_ino;
        return id;
    }
    std::error_code ec;
    const fs::path canonical = fs::weakly_canonical(fs::absolute(path, ec), ec);
    id.name = (ec ? fs::path(path) : canonical).lexically_normal().string();
    return id;
}

// A name an output is written under: its own, or the temporary one it has while written.
struct WrittenName {
    NamedPath output;
    std::string path;
    bool temporary = false;
    FileId id;
};

std::vector<WrittenName> written_names(const NamedPath& output) {
    if (written_in_place(output.path)) return {};  // devices are never compared
    return {{output, output.path, false, identify(output.path)},
            {output, temporary_name(output.path), true, identify(temporary_name(output.path))}};
}

std::string cannot_write(const NamedPath& o, const std::string& why) {
    return "cannot write output " + o.path + " (" + o.flag + "): " + why;
}

// The name's last component, with the temporary suffix, must fit the file system.
void check_name_length(const NamedPath& o, const std::string& directory) {
    const std::string leaf = fs::path(o.path).filename().string();
    long limit = ::pathconf(directory.c_str(), _PC_NAME_MAX);
    if (limit <= 0) limit = 255;
    const auto length = static_cast<long>(leaf.size());
    if (length > limit)
        throw InputError(cannot_write(o, "the name is " + std::to_string(length) + " bytes long, more than the " +
                                             std::to_string(limit) + " this file system allows"));
    if (!written_in_place(o.path) && length + 4 > limit)
        throw InputError(cannot_write(o, "the name is " + std::to_string(length) + " bytes long, and the '.tmp' it " +
                                             "carries while being written would make it " + std::to_string(length + 4) +
                                             ", more than the " + std::to_string(limit) + " this file system allows"));
}

void check_one(const NamedPath& o) {
    if (o.path.empty()) throw InputError("flag " + o.flag + ": empty file name");
    const std::string kind = special_kind(o.path);
    if (kind == "a directory") throw InputError(cannot_write(o, "it is a directory"));
    // HDF5 writes a file it can seek in and then renames it: a device would be replaced
    // by a regular file (as root, /dev/null itself), and a FIFO would block for ever.
    if (!kind.empty() && o.flag == "-h5file")
        throw InputError(cannot_write(o, "it is " + kind + "; an HDF5 file must be a regular file"));
    if (kind.empty()) {
        const std::string tmp_kind = special_kind(temporary_name(o.path));
        if (!tmp_kind.empty())
            throw InputError(cannot_write(o, "its temporary name " + temporary_name(o.path) + " is " + tmp_kind));
    }
    const fs::path parent = fs::path(o.path).parent_path();
    const std::string directory = parent.empty() ? "." : parent.string();
    std::error_code ec;
    if (!fs::is_directory(directory, ec)) throw InputError(cannot_write(o, "No such file or directory"));
    // access() asks without creating anything (permissions, read-only file systems); the
    // driver still creates and removes a probe file later, which nothing else can replace.
    if (::access(directory.c_str(), W_OK | X_OK) != 0) throw InputError(cannot_write(o, std::strerror(errno)));
    check_name_length(o, directory);
}

}  // namespace

void check_output_paths(const Params& p) {
    const std::vector<NamedPath> outputs = outputs_of(p);
    std::vector<std::pair<NamedPath, FileId>> inputs;
    for (const NamedPath& in : inputs_of(p))
        if (!written_in_place(in.path)) inputs.emplace_back(in, identify(in.path));

    std::vector<WrittenName> earlier;  // names written by the outputs checked so far
    for (const NamedPath& o : outputs) {
        if (!o.optional) check_one(o);
        const std::vector<WrittenName> names = written_names(o);
        for (const WrittenName& w : names) {
            for (const auto& [in, id] : inputs) {
                if (!(w.id == id)) continue;
                if (!w.temporary)
                    throw InputError("flag " + o.flag + " " + o.path + " would overwrite the " + in.flag + " file");
                throw InputError("flag " + o.flag + " " + o.path + " is written as " + w.path +
                                 " while it runs, which would overwrite the " + in.flag + " file");
            }
            for (const WrittenName& e : earlier) {
                if (!(w.id == e.id)) continue;
                if (!w.temporary && !e.temporary)
                    throw InputError("flags " + e.output.flag + " and " + o.flag + " both name " + o.path);
                const WrittenName& temp = w.temporary ? w : e;
                const WrittenName& other = w.temporary ? e : w;
                throw InputError("flag " + other.output.flag + " " + other.output.path + " is the temporary name of " +
                                 temp.output.flag + " " + temp.output.path + " (written as " + temp.path +
                                 " while it runs)");
            }
        }
        earlier.insert(earlier.end(), names.begin(), names.end());
    }
}

}  // namespace tilebragg

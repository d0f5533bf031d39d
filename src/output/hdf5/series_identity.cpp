// Finding and checking the unfinished file of an interrupted series (docs/batch.md).
#include <sys/stat.h>
#include <algorithm>
#include <cstdio>
#include <fstream>

#include <tilebragg/checksum.hpp>
#include <tilebragg/errors.hpp>
#include <tilebragg/image_sink.hpp>

#include "output/hdf5/hdf5_handle.hpp"
#include "output/hdf5/image_datasets.hpp"
#include "output/hdf5/series_identity.hpp"

namespace tilebragg {
namespace {

bool exists(const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0;
}

// HDF5 prints its own error stack on a failed call; a missing attribute is an answer here.
class QuietHdf5 {
public:
    QuietHdf5() {
        H5Eget_auto2(H5E_DEFAULT, &func_, &data_);
        H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    }
    ~QuietHdf5() { H5Eset_auto2(H5E_DEFAULT, func_, data_); }
    QuietHdf5(const QuietHdf5&) = delete;
    QuietHdf5& operator=(const QuietHdf5&) = delete;

private:
    H5E_auto2_t func_ = nullptr;
    void* data_ = nullptr;
};

bool read_long(hid_t object, const char* name, long& value) {
    if (H5Aexists(object, name) <= 0) return false;
    const hid_t a = H5Aopen(object, name, H5P_DEFAULT);
    if (a < 0) return false;
    const bool ok = H5Aread(a, H5T_NATIVE_LONG, &value) >= 0;
    H5Aclose(a);
    return ok;
}

// A scalar or a one-dimensional array of variable-length strings.
bool read_texts(hid_t object, const char* name, std::vector<std::string>& values) {
    if (H5Aexists(object, name) <= 0) return false;
    const hid_t a = H5Aopen(object, name, H5P_DEFAULT);
    if (a < 0) return false;
    const hid_t space = H5Aget_space(a);
    const hssize_t n = H5Sget_simple_extent_npoints(space);
    const hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    std::vector<char*> texts(static_cast<std::size_t>(std::max<hssize_t>(n, 0)), nullptr);
    const bool ok = n >= 0 && (n == 0 || H5Aread(a, t, texts.data()) >= 0);
    values.clear();
    for (char* p : texts) {
        if (ok) values.emplace_back(p ? p : "");
        if (p) H5free_memory(p);
    }
    H5Tclose(t);
    H5Sclose(space);
    H5Aclose(a);
    return ok;
}

// Reads image `image` of `data` and hashes it; false when it cannot be read.
template <typename T>
bool image_hash(hid_t data, hid_t memory_type, int image, int fpixels, int spixels, std::uint64_t& hash) {
    std::vector<T> pixels(static_cast<std::size_t>(fpixels) * static_cast<std::size_t>(spixels));
    const hid_t space = H5Dget_space(data);
    const hsize_t start[3] = {static_cast<hsize_t>(image), 0, 0};
    const hsize_t count[3] = {1, static_cast<hsize_t>(spixels), static_cast<hsize_t>(fpixels)};
    const hid_t memory = H5Screate_simple(3, count, nullptr);
    bool ok = H5Sselect_hyperslab(space, H5S_SELECT_SET, start, nullptr, count, nullptr) >= 0 &&
              H5Dread(data, memory_type, memory, space, H5P_DEFAULT, pixels.data()) >= 0;
    H5Sclose(memory);
    H5Sclose(space);
    if (ok) hash = content_hash(pixels.data(), pixels.size() * sizeof(T));
    return ok;
}

UnfinishedSeries read_series(const std::string& tmp) {
    const QuietHdf5 quiet;
    const std::string why = "cannot resume into " + tmp + ": ";
    const std::string remedy = "; remove it to start the series again";
    const hid_t file = H5Fopen(tmp.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (file < 0) throw InputError(why + "not a readable HDF5 file (killed while being created?)" + remedy);
    UnfinishedSeries out;
    out.found = true;
    SeriesIdentity& id = out.identity;
    bool ok = false;
    const hid_t sim = H5Gopen2(file, "/entry/simulation", H5P_DEFAULT);
    long images = 0;
    if (sim >= 0) {
        ok = read_series_identity(sim, id) && read_long(sim, "images", images) && images > 0;
        H5Gclose(sim);
    }
    try {
        if (ok) {
            const ImageDatasets d = open_image_datasets(file);
            ok = d.images == images;
            id.images = d.images, id.fpixels = d.fpixels, id.spixels = d.spixels;
            std::vector<std::uint8_t> flags(static_cast<std::size_t>(std::max(0, d.images)), 0);
            std::vector<std::uint64_t> sums(flags.size() * 2, 0);
            ok = ok && H5Dread(d.complete, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, flags.data()) >= 0 &&
                 H5Dread(d.checksums, H5T_NATIVE_UINT64, H5S_ALL, H5S_ALL, H5P_DEFAULT, sums.data()) >= 0;
            // An image counts as done only if what is on disk is what was written.
            for (int i = 0; ok && i < d.images; ++i) {
                if (flags[static_cast<std::size_t>(i)] != 1) continue;
                std::uint64_t counts = 0, photons = 0;
                const bool read =
                    image_hash<std::uint16_t>(d.counts, H5T_NATIVE_UINT16, i, d.fpixels, d.spixels, counts) &&
                    image_hash<float>(d.photons, H5T_NATIVE_FLOAT, i, d.fpixels, d.spixels, photons);
                if (read && counts == sums[2 * static_cast<std::size_t>(i)] &&
                    photons == sums[2 * static_cast<std::size_t>(i) + 1])
                    out.complete.push_back(i);
                else
                    out.notes.push_back("image " + std::to_string(i) + " of " + tmp +
                                        (read ? " does not match its checksum" : " cannot be read") +
                                        ": rendering it again");
            }
        }
    } catch (const std::exception&) {
        ok = false;
    }
    H5Fclose(file);
    if (!ok) throw InputError(why + "it has no per-image record (/entry/simulation/images_complete)" + remedy);
    return out;
}

bool marked_incomplete(const std::string& path) {
    const QuietHdf5 quiet;
    const hid_t file = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (file < 0) return false;
    long complete = 1;
    const hid_t sim = H5Gopen2(file, "/entry/simulation", H5P_DEFAULT);
    const bool has = sim >= 0 && read_long(sim, "complete", complete);
    if (sim >= 0) H5Gclose(sim);
    H5Fclose(file);
    return has && complete == 0;
}

std::string quoted_list(const std::vector<std::string>& words) {
    std::string s;
    for (const auto& w : words) s += (s.empty() ? "'" : " '") + w + "'";
    return s.empty() ? "none" : s;
}

}  // namespace

void write_series_identity(hid_t simulation, const SeriesIdentity& id) {
    write_attribute(simulation, "images", id.images);
    write_attribute(simulation, "fingerprint", id.fingerprint);
    write_attribute(simulation, "batch_seed", id.seed);
    write_attribute(simulation, "batch_misset_seed", id.misset_seed);
    write_attribute(simulation, "input_files", id.input_files);
    write_attribute(simulation, "input_hashes", id.input_hashes);
}

bool read_series_identity(hid_t simulation, SeriesIdentity& id) {
    return read_texts(simulation, "fingerprint", id.fingerprint) && read_long(simulation, "batch_seed", id.seed) &&
           read_long(simulation, "batch_misset_seed", id.misset_seed) &&
           read_texts(simulation, "input_files", id.input_files) &&
           read_texts(simulation, "input_hashes", id.input_hashes);
}

UnfinishedSeries find_unfinished_hdf5(const std::string& path) {
    const std::string tmp = hdf5_temporary_path(path);
    if (!exists(tmp) && exists(path) && marked_incomplete(path)) {
        if (std::rename(path.c_str(), tmp.c_str()) != 0)
            throw InputError("cannot resume into " + path + ": cannot rename it to " + tmp);
    }
    if (!exists(tmp)) return {};
    return read_series(tmp);
}

void check_resumable(const std::string& path, const UnfinishedSeries& found, const SeriesIdentity& wanted) {
    const std::string tmp = hdf5_temporary_path(path);
    auto refuse = [&](const std::string& what) {
        throw InputError("refusing to resume into " + tmp + ": " + what +
                         "; rerun with the same options and inputs, or remove it to start again");
    };
    const SeriesIdentity& had = found.identity;
    if (had.images != wanted.images)
        refuse("it was made with -images " + std::to_string(had.images) + ", this run has " +
               std::to_string(wanted.images));
    if (had.fpixels != wanted.fpixels || had.spixels != wanted.spixels)
        refuse("it was made for a " + std::to_string(had.fpixels) + "x" + std::to_string(had.spixels) +
               " detector, this run has " + std::to_string(wanted.fpixels) + "x" + std::to_string(wanted.spixels));
    // Name the options that differ: each side's options the other does not have (as a
    // multiset, so that moving an option is not a difference).
    std::vector<std::string> only_before = had.fingerprint, only_now;
    for (const std::string& option : wanted.fingerprint) {
        const auto at = std::find(only_before.begin(), only_before.end(), option);
        if (at != only_before.end())
            only_before.erase(at);
        else
            only_now.push_back(option);
    }
    if (!only_before.empty() && !only_now.empty())
        refuse("it was made with option '" + only_before.front() + "', this run has '" + only_now.front() + "'");
    if (!only_now.empty()) refuse("this run adds option '" + only_now.front() + "'");
    if (!only_before.empty())
        refuse("it was made with option '" + only_before.front() + "', which this run leaves out");
    for (std::size_t i = 0; i < wanted.input_files.size(); ++i) {
        const auto at = std::find(had.input_files.begin(), had.input_files.end(), wanted.input_files[i]);
        if (at == had.input_files.end())
            refuse("input " + wanted.input_files[i] +
                   " was not read when it was made (inputs then: " + quoted_list(had.input_files) + ")");
        const std::size_t k = static_cast<std::size_t>(at - had.input_files.begin());
        if (k >= had.input_hashes.size() || had.input_hashes[k] != wanted.input_hashes[i])
            refuse("input file " + wanted.input_files[i] + " has changed since (content hash " +
                   (k < had.input_hashes.size() ? had.input_hashes[k] : "?") + ", now " + wanted.input_hashes[i] + ")");
    }
    if (had.input_files.size() != wanted.input_files.size())
        refuse("it was made reading " + quoted_list(had.input_files) + ", this run reads " +
               quoted_list(wanted.input_files));
}

}  // namespace tilebragg

#include <tilebragg/hdf5_resume.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>

#include <tilebragg/errors.hpp>

namespace tilebragg {
namespace {

bool exists(const std::string& path) { return std::ifstream(path).good(); }

// HDF5 prints its own error stack on a failed call; a missing attribute is an answer here.
class QuietHdf5 {
public:
    QuietHdf5() {
        H5Eget_auto2(H5E_DEFAULT, &func_, &data_);
        H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
    }
    ~QuietHdf5() { H5Eset_auto2(H5E_DEFAULT, func_, data_); }

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

bool read_text(hid_t object, const char* name, std::string& value) {
    if (H5Aexists(object, name) <= 0) return false;
    const hid_t a = H5Aopen(object, name, H5P_DEFAULT);
    if (a < 0) return false;
    const hid_t t = H5Tcopy(H5T_C_S1);
    H5Tset_size(t, H5T_VARIABLE);
    H5Tset_cset(t, H5T_CSET_UTF8);
    char* text = nullptr;
    const bool ok = H5Aread(a, t, &text) >= 0 && text;
    if (ok) value = text;
    if (text) H5free_memory(text);
    H5Tclose(t);
    H5Aclose(a);
    return ok;
}

Hdf5UnfinishedFile read_record(const std::string& tmp) {
    const QuietHdf5 quiet;
    const std::string why = "cannot resume into " + tmp + ": ";
    const std::string remedy = "; remove it to start the batch again";
    const hid_t file = H5Fopen(tmp.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
    if (file < 0) throw InputError(why + "not a readable HDF5 file (killed while being created?)" + remedy);
    Hdf5UnfinishedFile out;
    out.found = true;
    const hid_t sim = H5Gopen2(file, "/entry/simulation", H5P_DEFAULT);
    const hid_t data = H5Dopen2(file, "/entry/data/data", H5P_DEFAULT);
    const hid_t flags = H5Dopen2(file, "/entry/simulation/images_complete", H5P_DEFAULT);
    long images = 0, seed = 0, misset_seed = 0;
    bool ok = sim >= 0 && data >= 0 && flags >= 0 && read_long(sim, "images", images) &&
              read_text(sim, "fingerprint", out.info.fingerprint) && read_long(sim, "batch_seed", seed) &&
              read_long(sim, "batch_misset_seed", misset_seed) && images > 0;
    if (ok) {
        const hid_t space = H5Dget_space(data);
        hsize_t dims[3] = {0, 0, 0};
        ok = H5Sget_simple_extent_ndims(space) == 3 && H5Sget_simple_extent_dims(space, dims, nullptr) == 3 &&
             dims[0] == static_cast<hsize_t>(images);
        H5Sclose(space);
        out.info = {static_cast<int>(images), static_cast<int>(dims[2]), static_cast<int>(dims[1]),
                    out.info.fingerprint, seed, misset_seed};
        out.complete.assign(static_cast<std::size_t>(images), 0);
        ok = ok && H5Dread(flags, H5T_NATIVE_UINT8, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.complete.data()) >= 0;
    }
    if (flags >= 0) H5Dclose(flags);
    if (data >= 0) H5Dclose(data);
    if (sim >= 0) H5Gclose(sim);
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

}  // namespace

int Hdf5UnfinishedFile::complete_count() const {
    return static_cast<int>(std::count(complete.begin(), complete.end(), std::uint8_t{1}));
}

Hdf5UnfinishedFile read_unfinished_file(const std::string& path) {
    const std::string tmp = hdf5_temporary_path(path);
    if (!exists(tmp) && exists(path) && marked_incomplete(path)) {
        if (std::rename(path.c_str(), tmp.c_str()) != 0)
            throw InputError("cannot resume into " + path + ": cannot rename it to " + tmp);
    }
    if (!exists(tmp)) return {};
    return read_record(tmp);
}

void check_resumable(const std::string& path, const Hdf5UnfinishedFile& found, const Hdf5BatchInfo& wanted) {
    const std::string tmp = hdf5_temporary_path(path);
    auto refuse = [&](const std::string& what) {
        throw InputError("refusing to resume into " + tmp + ": it was made with " + what +
                         "; rerun with the same options, or remove it to start again");
    };
    if (found.info.images != wanted.images) refuse("-images " + std::to_string(found.info.images));
    if (found.info.fpixels != wanted.fpixels || found.info.spixels != wanted.spixels)
        refuse("a " + std::to_string(found.info.fpixels) + "x" + std::to_string(found.info.spixels) + " detector");
    if (found.info.fingerprint != wanted.fingerprint)
        refuse("different parameters (recorded: '" + found.info.fingerprint + "')");
}

}  // namespace tilebragg

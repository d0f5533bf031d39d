#include "output/hdf5/hdf5_handle.hpp"

#include <cstdlib>
#include <cstring>

namespace tilebragg {
namespace {

// The innermost reason the error stack gives: the file drivers put the operating
// system's message in their description ("..., errno = 28, error message = 'No space
// left on device'"), the MPI-IO driver MPI's error string.
herr_t find_system_reason(unsigned, const H5E_error2_t* e, void* out) {
    auto& reason = *static_cast<std::string*>(out);
    if (!reason.empty() || e->desc == nullptr) return 0;
    const std::string desc = e->desc;
    const std::string key = "error message = '";
    const std::size_t at = desc.find(key);
    if (at != std::string::npos) {
        const std::size_t end = desc.find('\'', at + key.size());
        reason = desc.substr(at + key.size(), end == std::string::npos ? std::string::npos : end - at - key.size());
    } else if (desc.find("MPI_ERR") != std::string::npos || desc.find("No space") != std::string::npos ||
               desc.find("quota") != std::string::npos) {
        reason = desc;
    }
    return 0;
}

// The innermost description of the stack (what HDF5 itself says went wrong).
herr_t innermost(unsigned, const H5E_error2_t* e, void* out) {
    if (e->desc != nullptr) *static_cast<std::string*>(out) = e->desc;
    return 0;
}

[[noreturn]] void fail(const std::string& what) {
    std::string reason, inner;
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, find_system_reason, &reason);
    H5Ewalk2(H5E_DEFAULT, H5E_WALK_UPWARD, innermost, &inner);
    H5Eclear2(H5E_DEFAULT);
    const std::string detail = !reason.empty() ? reason : inner;
    throw Hdf5Error("HDF5: " + what + " failed" + (detail.empty() ? "" : " (" + detail + ")"), reason);
}

}  // namespace

void h5_check(herr_t status, const std::string& what) {
    if (status < 0) fail(what);
}

hid_t h5_check_id(hid_t id, const std::string& what) {
    if (id < 0) fail(what);
    return id;
}

void silence_hdf5_errors() {
    // TILEBRAGG_HDF5_ERRORS=1 keeps HDF5's own error stacks, for debugging.
    if (!std::getenv("TILEBRAGG_HDF5_ERRORS")) H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr);
}

}  // namespace tilebragg

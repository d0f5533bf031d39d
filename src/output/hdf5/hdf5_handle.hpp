#pragma once
// Small RAII owners for HDF5 C API identifiers (the C++ API has no parallel build), and
// a check that turns a failed call into an exception naming what was being done.
#include <hdf5.h>

#include <stdexcept>
#include <string>
#include <utility>

namespace tilebragg {

// A failed HDF5 call. `system` holds the operating system's (or MPI-IO's) reason found in
// HDF5's error stack ("No space left on device"), empty when HDF5 itself refused: the
// first is the environment's fault and is reported as such, the second is a bug.
struct Hdf5Error : std::runtime_error {
    Hdf5Error(const std::string& what, std::string system_reason)
        : std::runtime_error(what), system(std::move(system_reason)) {}
    std::string system;
};

// Throws Hdf5Error("HDF5: <what> failed") when `status` is negative.
void h5_check(herr_t status, const std::string& what);
hid_t h5_check_id(hid_t id, const std::string& what);

// HDF5 prints its error stack on every failed call unless told not to; tilebragg
// reports failures itself, in one line.
void silence_hdf5_errors();

template <herr_t (*Close)(hid_t)>
class H5Id {
public:
    H5Id() = default;
    // Takes ownership; throws if `id` is invalid.
    H5Id(hid_t id, const std::string& what) : id_(h5_check_id(id, what)) {}
    ~H5Id() { reset(); }
    H5Id(H5Id&& o) noexcept : id_(std::exchange(o.id_, H5I_INVALID_HID)) {}
    H5Id& operator=(H5Id&& o) noexcept {
        if (this != &o) {
            reset();
            id_ = std::exchange(o.id_, H5I_INVALID_HID);
        }
        return *this;
    }
    H5Id(const H5Id&) = delete;
    H5Id& operator=(const H5Id&) = delete;

    hid_t get() const { return id_; }
    operator hid_t() const { return id_; }
    bool valid() const { return id_ >= 0; }
    // Closes now and reports failure (the destructor cannot).
    void close(const std::string& what) {
        if (id_ >= 0) h5_check(Close(std::exchange(id_, H5I_INVALID_HID)), what);
    }
    void reset() {
        if (id_ >= 0) Close(std::exchange(id_, H5I_INVALID_HID));
    }

private:
    hid_t id_ = H5I_INVALID_HID;
};

using H5File = H5Id<H5Fclose>;
using H5Group = H5Id<H5Gclose>;
using H5Dataset = H5Id<H5Dclose>;
using H5Dataspace = H5Id<H5Sclose>;
using H5Datatype = H5Id<H5Tclose>;
using H5Attribute = H5Id<H5Aclose>;
using H5PropList = H5Id<H5Pclose>;

}  // namespace tilebragg

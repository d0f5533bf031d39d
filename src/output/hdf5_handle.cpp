#include <tilebragg/hdf5_handle.hpp>

#include <stdexcept>

namespace tilebragg {

void h5_check(herr_t status, const std::string& what) {
    if (status < 0) throw std::runtime_error("HDF5: " + what + " failed");
}

hid_t h5_check_id(hid_t id, const std::string& what) {
    if (id < 0) throw std::runtime_error("HDF5: " + what + " failed");
    return id;
}

}  // namespace tilebragg

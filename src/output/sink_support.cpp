// The parts of the sink interface (image_sink.hpp) that need no HDF5: the driver calls
// them on every run, also in the single-process program that has no HDF5 library
// (src/front/), so they live apart from src/output/hdf5/.
#include <tilebragg/image_sink.hpp>

#include <algorithm>
#include <chrono>

namespace tilebragg {

ImageRecord image_record(const Experiment& e, double phi_deg) {
    ImageRecord r;
    r.phi_deg = phi_deg;
    r.a_star = e.crystal.a_star;
    r.b_star = e.crystal.b_star;
    r.c_star = e.crystal.c_star;
    std::copy(e.crystal.cell, e.crystal.cell + 6, r.cell);
    return r;
}

double epoch_seconds_now() {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string hdf5_temporary_path(const std::string& path) { return path + ".tmp"; }

}  // namespace tilebragg

// The single-process program has no HDF5: a run with -h5file is handed to tilebragg-mpi
// before it starts (src/main.cpp), so these are never reached.
#include <stdexcept>

#include <tilebragg/image_sink.hpp>

namespace tilebragg {
namespace {

[[noreturn]] void not_here(const char* what) {
    throw std::logic_error(std::string(what) + " in the single-process program (HDF5 is in tilebragg-mpi)");
}

}  // namespace

std::unique_ptr<ImageSink> open_hdf5_sink(MPI_Comm, const Hdf5SinkOptions&) { not_here("open_hdf5_sink"); }
UnfinishedSeries find_unfinished_hdf5(const std::string&) { not_here("find_unfinished_hdf5"); }
void check_resumable(const std::string&, const UnfinishedSeries&, const SeriesIdentity&) {
    not_here("check_resumable");
}

}  // namespace tilebragg

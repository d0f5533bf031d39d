#pragma once
// The images of a wave, encoded by their owners, brought to the one process that writes
// the file (rank 0 of the job). Compressing is the expensive part and is spread over the
// owners and their threads; writing compressed chunks is cheap and needs no collective
// HDF5 calls, so one writer keeps the file's metadata in one process.
#include <mpi.h>

#include <functional>
#include <vector>

#include "output/hdf5/image_datasets.hpp"

namespace tilebragg {

// Collective. Rank 0 passes every rank's images to `take`, its own first and then rank by
// rank; the other ranks send theirs and return once rank 0 has them. `take` may keep an
// image by swapping it with a spare (the transfer reuses whatever buffers it is left). A
// `take` that throws on rank 0 ends the taking, not the transfer: the images still to
// come are received and dropped, so that no rank waits for ever, and the first error is
// thrown at the end. Returns the number of images of every rank, on every rank.
int bring_images_to_writer(std::vector<EncodedImage>& mine, MPI_Comm comm,
                           const std::function<void(EncodedImage&)>& take);

}  // namespace tilebragg

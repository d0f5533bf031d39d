#pragma once
// The timing tables of a run, put together from every rank's own records. Collective;
// every rank gets the whole tables (the HDF5 record is written by all ranks together).
#include <mpi.h>

#include <string>
#include <vector>

#include <tilebragg/timing_records.hpp>

namespace tilebragg {

// `items`: the items this rank rendered. The item table has one row per (image, tile) of
// the file, image-major; rows of items not rendered by this run keep rank -1.
RunTiming exchange_timing(const RankTiming& mine, const std::vector<ItemTiming>& items, int images_total,
                          int tiles_per_image, MPI_Comm comm);

// The different values of a column of the rank table, in rank order, joined by
// `separator` ("cpu", or "cpu, cuda" for a job of CPU and GPU ranks).
std::string distinct_ranks(const RunTiming& run, std::string RankTiming::*column, const char* separator);

}  // namespace tilebragg

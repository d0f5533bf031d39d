#pragma once
// Finding the unfinished file of an interrupted batch (docs/batch.md): "<path>.tmp", or
// "<path>" itself when it says complete = 0. Serial (rank 0 alone, before the ranks
// open the file together); throws InputError with one line when the file cannot be
// resumed into.
#include <cstdint>
#include <string>
#include <vector>

#include <tilebragg/hdf5_image_writer.hpp>

namespace tilebragg {

struct Hdf5UnfinishedFile {
    bool found = false;
    Hdf5BatchInfo info;                   // as recorded when the file was created
    std::vector<std::uint8_t> complete;   // per image: 1 when whole
    int complete_count() const;
};

// Reads the record of an unfinished file for `path`; found = false when there is none.
// A "<path>" with complete = 0 is renamed to "<path>.tmp" first.
Hdf5UnfinishedFile read_unfinished_file(const std::string& path);

// Throws InputError unless `found` was made by the same parameters as `wanted`.
void check_resumable(const std::string& path, const Hdf5UnfinishedFile& found, const Hdf5BatchInfo& wanted);

}  // namespace tilebragg

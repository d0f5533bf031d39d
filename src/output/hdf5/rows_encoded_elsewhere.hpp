#pragma once
// Compression shared by the ranks that rendered an image. A bitshuffle chunk is a string
// of independently compressed blocks, so a rank holding whole rows of an image that
// another rank owns compresses the blocks that lie inside them and sends them to the
// owner, which copies them into the chunk and compresses only the blocks its own rows and
// the seams between ranks hold. The chunk's bytes are the same whoever compressed which
// block.
#include <mpi.h>

#include <vector>

#include <tilebragg/image_sink.hpp>

#include "output/hdf5/image_datasets.hpp"

namespace tilebragg {

// What an owner splices into its images: for each image of `mine`, the runs compressed
// from rows, which point into `kept` (this rank's own messages) and into the caller's
// inbox; both must outlive the encoding.
struct BlocksFromRows {
    std::vector<GivenBlocks> given;
    std::vector<ChunkBytes> kept;
};

// Collective over `comm`. Every rank passes the images it owns (`mine`) and the rows it
// rendered (`rows`, of its own images too); the messages of other ranks are received into
// `inbox`, grown when too small and otherwise reused. Nothing is exchanged when the layout
// does not allow it (blocks_can_be_given). Throws only after every message has been
// exchanged, so that no rank is left waiting.
BlocksFromRows encode_rows_for_owners(const std::vector<FinishedImage>& mine, const std::vector<ImageRows>& rows,
                                      const ChunkLayout& l, ChunkBytes& inbox, MPI_Comm comm);

}  // namespace tilebragg

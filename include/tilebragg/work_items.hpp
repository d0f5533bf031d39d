#pragma once
// Work items: (image, tile) pairs, numbered image-major so that a batch of many images
// shares one numbering. How items are assigned to ranks: a static block-cyclic map
// (computed by every rank alone) or a dynamic schedule in which ranks take the next
// unclaimed number as they finish (the driver keeps the shared counter).
#include <string>
#include <vector>

#include <tilebragg/params.hpp>

namespace tilebragg {

const char* schedule_name(Schedule s);

struct WorkItem {
    int image = 0, tile = 0;
};

class WorkList {
public:
    WorkList(int images, int tiles_per_image) : images_(images), tiles_(tiles_per_image) {}
    long count() const { return static_cast<long>(images_) * tiles_; }
    WorkItem item(long index) const { return {static_cast<int>(index / tiles_), static_cast<int>(index % tiles_)}; }
    long index(WorkItem w) const { return static_cast<long>(w.image) * tiles_ + w.tile; }
    int images() const { return images_; }
    int tiles_per_image() const { return tiles_; }

private:
    int images_, tiles_;
};

// Items of `rank` under a block-cyclic map: blocks of `block` consecutive items are
// dealt to ranks 0, 1, ..., ranks-1, 0, 1, ... Ascending order.
std::vector<long> block_cyclic_items(long items, int ranks, int rank, int block);

// A block size for block_cyclic_items: one block per rank per round, a few rounds, so
// that a band of costly tiles (e.g. around the beam centre) is spread over the ranks.
int default_block(long items, int ranks);

}  // namespace tilebragg

// The CPU renderer: the OpenMP region lives here, around the pure kernel. Threads take
// the rows of a tile one at a time (rows differ in cost: spots, the beam stop, the ROI).
// One region per tile, and a rank of its own renders an image as one tile (or a few
// bands of a large one): every region start and end is a wait for the slowest thread,
// and on a busy machine a thread that is not running makes that wait a scheduler time
// slice. A tile with little work is rendered by the calling thread alone.
#include <omp.h>

#include <algorithm>
#include <numeric>
#include <optional>
#include <string>
#include <vector>

#include <tilebragg/kernel_data.hpp>
#include <tilebragg/render_tile.hpp>
#include <tilebragg/renderer.hpp>
#include <tilebragg/thread_team.hpp>

namespace tilebragg {
namespace {

// Whole-row tiles up to this width: a whole-row tile is a contiguous band of the image
// (rendered in place, written in one piece). Wider rows are cut so that a tile stays a
// bounded buffer.
constexpr int kMaxRowTileWidth = 8192;
// Enough tiles that the dynamic schedule can even out ranks that run at different speeds
// (measured on 16 cores: 4 per rank left 12-18% imbalance; each tile costs one counter
// update, negligible at this size).
constexpr int kTilesPerThread = 16;
// Finer bands where their edges fall on the edges of the HDF5 images' compression blocks
// (bitshuffle's 8 KiB: 4096 counts, 2048 photons), which the ranks then compress without
// the owner: less is left to wait for at the end of an image (16 ranks, 2048^2: the last
// rank stopped 7 - 11 ms after the first with bands of 2 rows, 24 - 39 ms with 8).
constexpr int kAlignedTilesPerThread = 64;
constexpr long kBlockElements = 4096;
// A single rank has no other rank to even out: its tile is the whole image, or bands of
// at least this many pixels (the progress bar advances per band).
constexpr long kSingleRankBandPixels = 1L << 22;

long ceil_div(long a, long b) { return (a + b - 1) / b; }

}  // namespace

TileSize cpu_preferred_tile(int fpixels, int spixels, int ranks, int threads) {
    threads = std::max(1, threads);
    TileSize s;
    s.fast = std::min(fpixels, kMaxRowTileWidth);
    const long pixels = static_cast<long>(fpixels) * spixels;
    const long target_tiles =
        ranks <= 1 ? ceil_div(pixels, kSingleRankBandPixels) : static_cast<long>(kTilesPerThread) * ranks * threads;
    long rows = ceil_div(ceil_div(pixels, std::max(1L, target_tiles)), std::max(1, s.fast));
    if (ranks > 1 && s.fast == fpixels) {
        // Bands of a multiple of `aligned` rows start on a block edge.
        const long aligned = kBlockElements / std::gcd(static_cast<long>(fpixels), kBlockElements);
        const long fine = ceil_div(ceil_div(pixels, static_cast<long>(kAlignedTilesPerThread) * ranks * threads),
                                   static_cast<long>(fpixels));
        const long bands = ceil_div(std::max(fine, static_cast<long>(threads)), aligned) * aligned;
        if (bands <= rows) rows = bands;
    }
    s.slow = static_cast<int>(
        std::clamp(std::max(rows, static_cast<long>(threads)), 1L, static_cast<long>(std::max(1, spixels))));
    return s;
}

namespace {

template <typename T>
class CpuRenderer final : public Renderer {
public:
    std::string backend() const override { return "cpu"; }
    std::string device() const override {
        const int n = omp_get_max_threads();
        return std::to_string(n) + " OpenMP thread" + (n == 1 ? "" : "s");
    }

    TileSize preferred_tile(int fpixels, int spixels, int ranks) const override {
        return cpu_preferred_tile(fpixels, spixels, ranks, omp_get_max_threads());
    }

    void load(const Experiment& e) override {
        // The images of a series share one grid: its table (the box in T) is made once.
        std::shared_ptr<const StructureFactorTable<T>> table;
        if (data_ && data_->table()->grid() == e.structure_factors) table = data_->table();
        data_.reset();
        data_.emplace(e, std::move(table));
    }

    TileSideSums render(const Tile& tile, float* out) override {
        const KernelView<T>& view = data_->view();
        const int rows = tile.height();
        row_omega_.assign(static_cast<std::size_t>(rows), 0.0);
        const DetectorView<T>& d = view.detector;
        const double steps = double(tile.pixels()) * d.oversample * d.oversample * d.layers * view.beam.sources *
                             view.crystal.orientations;
#pragma omp parallel for schedule(dynamic, 1) if (rows > 1 && steps >= kThreadTeamMinSteps)
        for (int row = 0; row < rows; ++row)
            row_omega_[static_cast<std::size_t>(row)] =
                render_tile_row(view, tile, row, out + static_cast<std::size_t>(row) * tile.width());
        // Summed in row order, so the side sum does not depend on the threads either.
        TileSideSums sums;
        for (double o : row_omega_) sums.omega_sum += o;
        return sums;
    }

private:
    std::optional<KernelData<T>> data_;
    std::vector<double> row_omega_;
};

}  // namespace

std::unique_ptr<Renderer> make_cpu_renderer(Precision precision) {
    if (precision == Precision::Double) return std::make_unique<CpuRenderer<double>>();
    return std::make_unique<CpuRenderer<float>>();
}

}  // namespace tilebragg

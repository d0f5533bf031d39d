// The render loop of a job, on every rank:
//
//   repeat: claim a work item (an image and a tile of it); render it; keep it.
//           once an item beyond the current wave is claimed, every item of the wave has
//           been claimed by someone: finish the wave together.
//   finish a wave: agree who rendered what; bring each image whole to its owner; with
//           tiles of whole rows, every rank makes the statistics and counts of the rows
//           it rendered for the owner (tile_products.hpp); the owner finishes the image;
//           the sink takes all of them, and the rows (its writer is one wave behind: the
//           wave before is recorded first); agree whether to stop.
//   at the end: the sink finishes writing.
//
// Waves are a few images: finishing them together is what lets the sink gather compressed
// images in one process, and what keeps memory bounded (a rank holds the tiles of one or
// two waves). Inside a wave the schedule is free, so fast ranks simply take more items.
//
// A renderer that finishes whole images (a GPU) renders in the background: it is given
// the claimed item before the wave before it is finished, so it renders that image (and
// makes its statistics and counts) while this rank writes the finished ones. Its images
// are collected when their wave is finished. Image buffers are recycled from wave to wave,
// which lets such a renderer pin them once.
#include "driver/render_series.hpp"

#include <omp.h>

#include <algorithm>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>

#include <tilebragg/image_products.hpp>
#include <tilebragg/image_series.hpp>
#include <tilebragg/mpi_exchange.hpp>
#include <tilebragg/page_buffer.hpp>
#include <tilebragg/progress.hpp>
#include <tilebragg/stop_signal.hpp>
#include <tilebragg/tiling.hpp>
#include <tilebragg/work_dispenser.hpp>

#include "driver/image_assembly.hpp"
#include "driver/image_finish.hpp"
#include "driver/run_timing.hpp"
#include "driver/tile_products.hpp"

namespace tilebragg {
namespace {

// Collective: whether `yes` holds on every rank. A job whose ranks differ (a GPU rank that
// renders whole images beside CPU ranks) takes the path all of them can take.
bool on_every_rank(bool yes, MPI_Comm comm) {
    int all = yes ? 1 : 0;
    if (mpi_active()) MPI_Allreduce(MPI_IN_PLACE, &all, 1, MPI_INT, MPI_MIN, comm);
    return all != 0;
}

class SeriesRun {
public:
    SeriesRun(const SeriesPlan& plan, Renderer& renderer, ImageSink* sink, MPI_Comm comm)
        : plan_(plan),
          renderer_(renderer),
          sink_(sink),
          comm_(comm),
          rank_(mpi_rank(comm)),
          ranks_(mpi_size(comm)),
          grid_(plan.first->detector.fpixels, plan.first->detector.spixels, plan.tile),
          work_(static_cast<int>(plan.images.size()), grid_.count()),
          dispenser_(comm, plan.schedule, work_.count()),
          progress_("rendering", static_cast<double>(work_.count()), rank_ == 0 && plan.show_progress),
          whole_images_(renderer.finishes_whole_images() && grid_.count() == 1),
          products_by_tile_(on_every_rank(!whole_images_ && ranks_ > 1 && tiles_are_whole_rows(grid_), comm)) {
        timing_.rank = rank_;
        timing_.threads = omp_get_max_threads();
        timing_.backend = renderer.backend();
        timing_.device = renderer.device();
    }

    ~SeriesRun() {
        // A job that stopped early (a signal, an error) may leave images in flight: nothing
        // may still be copying into a buffer when it is freed.
        try {
            collect_started(0, static_cast<int>(plan_.images.size()));
        } catch (...) {
        }
        for (void* kept : kept_) renderer_.release_host_memory(kept);
    }
    SeriesRun(const SeriesRun&) = delete;
    SeriesRun& operator=(const SeriesRun&) = delete;

    SeriesResult run() {
        const int slots = static_cast<int>(plan_.images.size());
        const int per_wave = std::max(1, plan_.images_per_wave);
        const int waves = (slots + per_wave - 1) / per_wave;
        barrier(comm_);
        t0_ = wall_seconds();
        int wave = 0;
        bool stopped = false;
        while (wave < waves && !stopped) {
            long item = 0;
            const double ask = wall_seconds();
            const bool more = stop_signal() == 0 && dispenser_.next(item);
            timing_.wait_s += wall_seconds() - ask;
            const int item_wave = more ? work_.item(item).image / per_wave : waves;
            // A renderer that works in the background starts on the new item first.
            const bool ahead = more && whole_images_ && item_wave > wave;
            if (ahead) render(item);
            // An item beyond the wave: all of the wave's items are claimed, finish it.
            while (wave < item_wave && !stopped) stopped = finish_wave(wave++, per_wave);
            if (more && !ahead && !stopped) {
                if (item_wave > prepared_wave_) prepare_wave(item_wave, per_wave);
                render(item);
            }
        }
        collect_started(0, slots);  // an image started beyond a stop is not kept
        if (sink_) {
            const double start = wall_seconds();
            sink_->finish_writing(report_recorded);
            timing_.io_s += wall_seconds() - start;
        }
        dispenser_.stop();
        progress_.finish();
        timing_.total_s = wall_seconds() - t0_;
        result_.timing = exchange_timing(timing_, items_, plan_.images_total, grid_.count(), comm_);
        return std::move(result_);
    }

private:
    // The Experiment of image slot `slot`, built when this rank first needs it.
    const Experiment& experiment(int slot) {
        const int image = plan_.images[static_cast<std::size_t>(slot)];
        if (image == 0 || !plan_.experiment_for) return *plan_.first;
        auto& e = experiments_[slot];
        if (!e) e = std::make_unique<Experiment>(plan_.experiment_for(image));
        return *e;
    }

    void render(long item) {
        const WorkItem w = work_.item(item);
        if (w.image != loaded_slot_) {
            renderer_.load(experiment(w.image));
            loaded_slot_ = w.image;
        }
        RenderedTile t;
        t.item = item;
        t.tile = grid_.tile(w.tile);
        const double start = wall_seconds();
        const ItemTiming timing{plan_.images[static_cast<std::size_t>(w.image)], w.tile, rank_, start - t0_, 0};
        if (whole_images_) {
            // Rendered, with its statistics and counts, in the background; collected when its
            // wave is finished.
            t.pixels = image_buffer(w.image).data();
            renderer_.start_whole_image(whole_image_target(w.image), w.image);
            started_.push_back({w.image, items_.size()});
        } else {
            float* pixels = nullptr;
            // The whole image, or with one rank a whole-row tile (a band of the image): this
            // rank owns the image, so the tile is rendered in place.
            if (grid_.count() == 1 || (ranks_ == 1 && t.tile.width() == grid_.fpixels())) {
                pixels = image_buffer(w.image).data() + static_cast<std::size_t>(t.tile.slow_begin) * grid_.fpixels();
                std::fill(pixels, pixels + t.tile.pixels(), 0.0f);
            } else {
                t.storage.assign(t.tile.pixels(), 0.0f);
                pixels = t.storage.data();
            }
            t.pixels = pixels;
            t.omega = renderer_.render(t.tile, pixels).omega_sum;
        }
        const double end = wall_seconds();
        timing_.compute_s += end - start;
        ++timing_.tiles;
        timing_.pixels += static_cast<long>(t.tile.pixels());
        items_.push_back(timing);
        items_.back().t_end = end - t0_;
        rendered_.push_back(std::move(t));
        if (whole_images_) return;  // finished when collected
        dispenser_.finished();
        if (rank_ == 0) show_progress();
    }

    // Where the renderer puts a whole image of slot `slot`, and how it makes its counts.
    WholeImageTarget whole_image_target(int slot) {
        const Params& p = experiment(slot).params;
        WholeImageTarget target;
        target.photons = image_buffer(slot).data();
        target.counts = counts_buffer(slot).data();
        target.noise = p.write_noise;
        target.noise_settings = noise_settings(p);
        target.intfile_scale = p.intfile_scale;
        target.adc_offset = p.adc_offset;
        return target;
    }

    // Waits for the whole images started for slots [slot_begin, slot_end) and keeps what
    // the renderer made of them.
    void collect_started(int slot_begin, int slot_end) {
        for (auto at = started_.begin(); at != started_.end();) {
            if (at->slot < slot_begin || at->slot >= slot_end) {
                ++at;
                continue;
            }
            const int slot = at->slot;
            const double start = wall_seconds();
            const WholeImageMade made = renderer_.collect_whole_image(slot);
            const double end = wall_seconds();
            timing_.compute_s += end - start;
            items_[at->item_timing].t_end = end - t0_;
            for (RenderedTile& t : rendered_)
                if (work_.item(t.item).image == slot) t.omega = made.sides.omega_sum;
            made_[slot] = made;
            at = started_.erase(at);
            dispenser_.finished();
            if (rank_ == 0) show_progress();
        }
    }

    // The whole-image buffers of a slot, recycled: a buffer used again is offered to the
    // renderer to keep (a GPU pins it; pinning costs more than one copy saves).
    template <typename Pixel>
    std::vector<Pixel>& recycled(std::map<int, std::vector<Pixel>>& held, std::vector<std::vector<Pixel>>& spare,
                                 int slot) {
        std::vector<Pixel>& buffer = held[slot];
        if (!buffer.empty()) return buffer;
        if (spare.empty()) {
            // In huge pages where the system has them (64 MiB in 4 KiB pages is 16,384 page
            // faults on the thread that first writes it).
            const std::size_t n = static_cast<std::size_t>(grid_.fpixels()) * grid_.spixels();
            buffer.reserve(n);
            advise_huge_pages(buffer.data(), n * sizeof(Pixel));
            buffer.resize(n);
            return buffer;
        }
        buffer = std::move(spare.back());
        spare.pop_back();
        if (whole_images_ && kept_.insert(buffer.data()).second)
            renderer_.keep_host_memory(buffer.data(), buffer.size() * sizeof(Pixel));
        return buffer;
    }
    std::vector<float>& image_buffer(int slot) { return recycled(images_, spare_images_, slot); }
    std::vector<std::uint16_t>& counts_buffer(int slot) { return recycled(counts_, spare_counts_, slot); }

    void show_progress() {
        const long done = dispenser_.finished_total();
        progress_.advance(static_cast<double>(done - shown_));
        shown_ = done;
    }

    bool owners_rotate() const { return products_by_tile_ && grid_.count() > 1; }

    // Where owners are known before a wave renders, an owner readies its images' buffers
    // (and the sink's) as it starts the wave: the dynamic schedule evens out the time that
    // takes, and finishing the wave then touches no fresh memory while the others wait.
    void prepare_wave(int wave, int per_wave) {
        prepared_wave_ = wave;
        if (!owners_rotate()) return;
        const int slot_begin = wave * per_wave;
        const int slot_end = std::min(static_cast<int>(plan_.images.size()), slot_begin + per_wave);
        int owned = 0;
        for (int slot = slot_begin; slot < slot_end; ++slot) {
            if (rotating_owner(slot, ranks_) != rank_) continue;
            image_buffer(slot);
            counts_buffer(slot);
            ++owned;
        }
        if (sink_ && owned > 0) sink_->prepare_images(owned);
    }

    // Collective. Returns true when the job stops after this wave.
    bool finish_wave(int wave, int per_wave) {
        const int slot_begin = wave * per_wave;
        const int slot_end = std::min(static_cast<int>(plan_.images.size()), slot_begin + per_wave);
        collect_started(slot_begin, slot_end);
        std::vector<const RenderedTile*> mine;
        std::vector<RenderedTile*> mine_to_finish;
        for (RenderedTile& t : rendered_) {
            const int slot = work_.item(t.item).image;
            if (slot < slot_begin || slot >= slot_end) continue;
            mine.push_back(&t);
            mine_to_finish.push_back(&t);
        }
        const double start = wall_seconds();
        // Where every rank makes the products of its rows, the owner's share is the same
        // whichever rank it is: images rotate over the ranks, so one image is finished by
        // rank 0, which writes the file. A whole-image tile stays where it was rendered.
        const Owner owner = owners_rotate() ? Owner::Rotating : Owner::MostPixels;
        const WavePlan plan = plan_wave(mine, slot_begin, slot_end, work_, grid_, owner, comm_);
        for (const WaveImage& img : plan.images)
            if (img.complete && img.owner == rank_) image_buffer(img.slot);
        assemble_images(plan, mine, work_, grid_, images_, comm_);
        const double assembled = wall_seconds();
        timing_.wait_s += assembled - start;
        // Statistics and counts made by every rank for the rows it rendered.
        std::map<int, GatheredProducts> gathered;
        if (products_by_tile_)
            gathered = make_tile_products(
                plan, mine_to_finish, work_, grid_, [this](int slot) -> const Experiment& { return experiment(slot); },
                [this](int slot) { return counts_buffer(slot).data(); }, comm_);

        // The owner finishes each of its images; the sink takes them all at once.
        std::vector<FinishedOnOwner> finished;
        std::vector<FinishedImage> to_sink;
        std::vector<int> done;
        // A failure on one owner (an image of NaNs, a full disk) stops every rank together.
        agree_on_outcome(comm_, [&] {
            for (const WaveImage& img : plan.images) {
                if (!img.complete || img.owner != rank_) continue;
                const int image = plan_.images[static_cast<std::size_t>(img.slot)];
                ImageFinish how;
                how.images_total = plan_.images_total;
                how.batch = plan_.batch;
                how.want_counts = sink_ != nullptr;
                how.phi_deg = series_phi_degrees(*plan_.job, image);
                // What the renderer made of the image where it rendered it (a GPU), if it did.
                const auto made = made_.find(img.slot);
                std::optional<ProductsMade> products;
                const auto tiles_made = gathered.find(img.slot);
                if (made != made_.end())
                    products = ProductsMade{made->second.statistics, counts_.at(img.slot).data(),
                                            experiment(img.slot).params.write_noise, made->second.noise};
                else if (tiles_made != gathered.end())
                    products = ProductsMade{tiles_made->second.statistics, counts_.at(img.slot).data(),
                                            experiment(img.slot).params.write_noise, tiles_made->second.noise};
                finished.push_back(finish_image(experiment(img.slot), image, images_.at(img.slot), img.omega, how,
                                                products ? &*products : nullptr));
                done.push_back(image);
            }
        });
        std::size_t k = 0;
        for (const WaveImage& img : plan.images)
            if (img.complete && img.owner == rank_) {
                to_sink.push_back({done[k], images_.at(img.slot).data(), finished[k].products.counts.data()});
                ++k;
            }
        // The rows this rank rendered and made counts of: the sink may encode them here.
        std::vector<ImageRows> rows;
        for (const RenderedTile* t : mine) {
            const WaveImage& img = plan.image_of(work_, t->item);
            if (!img.complete || !t->counts) continue;
            rows.push_back({plan_.images[static_cast<std::size_t>(img.slot)], img.owner, t->tile.slow_begin,
                            t->tile.height(), t->pixels, t->counts});
        }
        if (sink_) sink_->write_images(to_sink, rows, report_recorded);
        timing_.io_s += wall_seconds() - assembled;

        const std::size_t before = result_.images_done.size();
        publish(done, finished);
        forget_wave(slot_begin, slot_end);
        // Without a sink an image is recorded once its files are written.
        if (!sink_) report_recorded(static_cast<int>(result_.images_done.size() - before));

        int signal = stop_signal();
        if (mpi_active()) MPI_Allreduce(MPI_IN_PLACE, &signal, 1, MPI_INT, MPI_MAX, comm_);
        result_.stop_signal = signal;
        return signal != 0;
    }

    // Test switches (stop_signal.hpp): every rank hears of every recorded image at the same
    // point, so every rank stops or holds after the same wave.
    static void report_recorded(int images) {
        for (int k = 0; k < images; ++k) image_recorded_complete();
    }

    // Every rank learns which images are done and their records; rank 0 prints their logs
    // in image order.
    void publish(const std::vector<int>& done, std::vector<FinishedOnOwner>& finished) {
        std::vector<std::string> texts;
        texts.reserve(done.size());
        for (std::size_t k = 0; k < done.size(); ++k) texts.push_back(std::move(finished[k].log));
        std::vector<ImageRecord> records;
        records.reserve(finished.size());
        for (const FinishedOnOwner& f : finished) records.push_back(f.record);
        const std::vector<int> all_done = allgather_all(done, comm_);
        const std::vector<ImageRecord> all_records = allgather_all(records, comm_);
        const std::vector<std::string> all_texts = allgather_strings(texts, comm_);
        std::vector<std::size_t> order(all_done.size());
        for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
        std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return all_done[a] < all_done[b]; });
        for (std::size_t k : order) {
            result_.images_done.push_back(all_done[k]);
            result_.records.push_back(all_records[k]);
            if (rank_ == 0) std::fputs(all_texts[k].c_str(), stdout);
        }
        if (rank_ == 0) std::fflush(stdout);
    }

    void forget_wave(int slot_begin, int slot_end) {
        rendered_.erase(std::remove_if(rendered_.begin(), rendered_.end(),
                                       [&](const RenderedTile& t) {
                                           const int slot = work_.item(t.item).image;
                                           return slot >= slot_begin && slot < slot_end;
                                       }),
                        rendered_.end());
        for (int slot = slot_begin; slot < slot_end; ++slot) {
            recycle(images_, spare_images_, slot);
            recycle(counts_, spare_counts_, slot);
            made_.erase(slot);
            if (slot != loaded_slot_) experiments_.erase(slot);
        }
    }

    template <typename Pixel>
    static void recycle(std::map<int, std::vector<Pixel>>& held, std::vector<std::vector<Pixel>>& spare, int slot) {
        const auto it = held.find(slot);
        if (it == held.end()) return;
        if (!it->second.empty()) spare.push_back(std::move(it->second));
        held.erase(it);
    }

    const SeriesPlan& plan_;
    Renderer& renderer_;
    ImageSink* sink_;
    MPI_Comm comm_;
    int rank_, ranks_;
    TileGrid grid_;
    WorkList work_;
    WorkDispenser dispenser_;
    Progress progress_;
    long shown_ = 0;
    double t0_ = 0;
    int loaded_slot_ = -1;
    std::map<int, std::unique_ptr<Experiment>> experiments_;  // by slot
    bool whole_images_;                                       // the renderer makes whole images in the background
    bool products_by_tile_;  // statistics and counts made where the rows were rendered (tile_products.hpp)
    std::map<int, std::vector<float>> images_;          // whole images held, by slot
    std::map<int, std::vector<std::uint16_t>> counts_;  // their counts, where the renderer or the tiles made them
    std::vector<std::vector<float>> spare_images_;      // buffers of finished waves, for the next ones
    std::vector<std::vector<std::uint16_t>> spare_counts_;
    std::set<void*> kept_;  // buffers the renderer was asked to keep
    struct Started {
        int slot;
        std::size_t item_timing;  // its row in items_
    };
    std::vector<Started> started_;        // whole images started, not collected
    std::map<int, WholeImageMade> made_;  // what the renderer made of them, by slot
    std::vector<RenderedTile> rendered_;  // tiles kept until their wave is finished
    RankTiming timing_;
    int prepared_wave_ = -1;  // the last wave whose buffers this rank readied
    std::vector<ItemTiming> items_;
    SeriesResult result_;
};

}  // namespace

SeriesResult render_series(const SeriesPlan& plan, Renderer& renderer, ImageSink* sink, MPI_Comm comm) {
    return SeriesRun(plan, renderer, sink, comm).run();
}

}  // namespace tilebragg

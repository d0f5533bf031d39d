// The HDF5 (NeXus NXmx) sink: one file per run. Every rank compresses the images it owns
// (with its threads), helped by the ranks that rendered rows of them
// (rows_encoded_elsewhere.hpp); rank 0 alone has the file open, receives the compressed chunks and
// writes them as they are (image_transfer.hpp). One writer keeps HDF5's metadata in one
// process, which is what lets it write chunks compressed elsewhere: through MPI-IO, HDF5
// filters chunks itself, on one thread each, in collective transfers. Rank 0 writes a
// wave's chunks on a thread of its own while every rank goes on with the next wave (the
// copy into the page cache is the one step of the wave that no other rank can share);
// the next wave waits for it before it is written, so HDF5 is never called from two
// threads at once.
//
// The file is FILE.tmp until close() has written the record of the run and renamed it.
// Crash safety: HDF5 keeps its metadata (the chunk index of the compressed images, group
// and attribute headers) in a cache that would be written back whenever it likes; a
// process killed in the middle of such a write-back leaves an unreadable file. Evictions
// are switched off here, so metadata reaches the disk only at the flushes that follow
// each wave of images (record_images_complete), and an image is recorded complete only
// after that flush. A run killed at any other moment leaves a readable FILE.tmp whose
// complete images are whole; a rerun checks their checksums and renders the rest.
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <future>
#include <string>
#include <vector>

#include <tilebragg/errors.hpp>
#include <tilebragg/image_sink.hpp>
#include <tilebragg/mpi_session.hpp>

#include "output/hdf5/file_metadata.hpp"
#include "output/hdf5/hdf5_attributes.hpp"
#include "output/hdf5/hdf5_handle.hpp"
#include "output/hdf5/hdf5_metadata.hpp"
#include "output/hdf5/image_datasets.hpp"
#include "output/hdf5/image_transfer.hpp"
#include "output/hdf5/rows_encoded_elsewhere.hpp"
#include "output/hdf5/series_identity.hpp"

namespace tilebragg {
namespace {

H5PropList file_access() {
    H5PropList access(H5Pcreate(H5P_FILE_ACCESS), "file access list");
    // Raw data goes straight to the file: no sieve buffer keeps an image's complete flag
    // in memory after it is written.
    h5_check(H5Pset_sieve_buf_size(access, 0), "H5Pset_sieve_buf_size");
    H5AC_cache_config_t cache;
    cache.version = H5AC__CURR_CACHE_CONFIG_VERSION;
    h5_check(H5Pget_mdc_config(access, &cache), "H5Pget_mdc_config");
    cache.evictions_enabled = false;
    cache.incr_mode = H5C_incr__off;
    cache.flash_incr_mode = H5C_flash_incr__off;
    cache.decr_mode = H5C_decr__off;
    h5_check(H5Pset_mdc_config(access, &cache), "H5Pset_mdc_config");
    return access;
}

// What rank 0 keeps of a wave for its writer thread at most (compressed bytes): beyond it,
// images are written as they arrive, so that a wave of large images is not held twice
// (a wave of 16 B2 images is 70 MB).
constexpr std::size_t kDeferredWaveBytes = std::size_t(256) << 20;

// The bound above, or the test switch TILEBRAGG_TEST_DEFERRED_WAVE_BYTES (bytes; 0 writes
// every image as it arrives), which lets a small series take both paths.
std::size_t deferred_wave_bytes() {
    const char* text = std::getenv("TILEBRAGG_TEST_DEFERRED_WAVE_BYTES");
    if (!text || !*text) return kDeferredWaveBytes;
    char* end = nullptr;
    const unsigned long long bytes = std::strtoull(text, &end, 10);
    return *end == '\0' ? static_cast<std::size_t>(bytes) : kDeferredWaveBytes;
}

std::size_t encoded_bytes(const EncodedImage& e) {
    std::size_t bytes = 0;
    for (const auto* chunks : {&e.counts, &e.photons})
        for (const ChunkBytes& c : *chunks) bytes += c.size();
    return bytes;
}

struct FileId {
    dev_t dev = 0;
    ino_t ino = 0;
};

FileId file_id(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return {};
    return {st.st_dev, st.st_ino};
}

// The descriptive part a file may already hold (a run stopped after its record was
// written, or a finished file marked unfinished): removed before a resumed run writes its
// own. Everything under /entry but the images and the simulation record, and the timing
// tables; attributes are replaced as they are written.
void remove_old_record(hid_t file) {
    H5Group entry(H5Gopen2(file, "entry", H5P_DEFAULT), "opening /entry");
    std::vector<std::string> names;
    H5Literate(
        entry, H5_INDEX_NAME, H5_ITER_INC, nullptr,
        [](hid_t, const char* name, const H5L_info_t*, void* out) -> herr_t {
            static_cast<std::vector<std::string>*>(out)->emplace_back(name);
            return 0;
        },
        &names);
    for (const std::string& name : names)
        if (name != "data" && name != "photons" && name != "simulation")
            h5_check(H5Ldelete(entry, name.c_str(), H5P_DEFAULT), "removing /entry/" + name);
    if (H5Lexists(file, "/entry/simulation/timing", H5P_DEFAULT) > 0)
        h5_check(H5Ldelete(file, "/entry/simulation/timing", H5P_DEFAULT), "removing the old timing tables");
}

class Hdf5Sink final : public ImageSink {
public:
    Hdf5Sink(MPI_Comm comm, const Hdf5SinkOptions& o)
        : comm_(comm), path_(o.path), tmp_(hdf5_temporary_path(o.path)), writer_(mpi_rank(comm) == 0) {
        silence_hdf5_errors();
        agree([&] {
            if (!writer_) return;
            // An unusable choice of filter is refused before the file exists.
            const Compression c = o.resume ? Compression::Auto : resolve_compression(o.compression);
            const H5PropList access = file_access();
            if (o.resume) {
                file_ = H5File(H5Fopen(tmp_.c_str(), H5F_ACC_RDWR, access), "reopening " + tmp_);
                datasets_ = open_image_datasets(file_);
                remove_old_record(file_);
            } else {
                file_ = H5File(H5Fcreate(tmp_.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access), "creating " + tmp_);
                H5Group entry = create_group(file_, "entry", "NXentry");
                H5Group simulation = create_group(entry, "simulation", "NXcollection");
                write_attribute(simulation, "complete", 0);
                write_series_identity(simulation, o.identity);
                write_attribute(simulation, "compression", std::string(compression_name(c)));
                datasets_ = create_image_datasets(entry, simulation, o.identity, c);
                // The structure goes to disk now, before any image.
                h5_check(H5Fflush(file_, H5F_SCOPE_GLOBAL), "flushing " + tmp_);
            }
            layout_ = chunk_layout(datasets_);
            created_ = file_id(tmp_);
        });
        // Every rank encodes its images as the file's datasets store them.
        int shared[5] = {static_cast<int>(layout_.compression), layout_.counts_rows, layout_.photons_rows,
                         layout_.fpixels, layout_.spixels};
        if (mpi_active()) MPI_Bcast(shared, 5, MPI_INT, 0, comm_);
        layout_ = ChunkLayout{static_cast<Compression>(shared[0]), shared[1], shared[2], shared[3], shared[4]};
    }

    ~Hdf5Sink() override {
        // An interrupted run: whatever is complete stays so (the writer finishes the wave it
        // has, which the file records if it can); close without the record.
        if (writing_.valid()) {
            try {
                writing_.get();
            } catch (...) {
            }
        }
        datasets_ = ImageDatasets{};
        file_.reset();
    }

    void write_images(const std::vector<FinishedImage>& mine, const std::vector<ImageRows>& rows,
                      const RecordedImages& recorded) override {
        finish_writing(recorded);
        agree_on_outcome(comm_, [&] {
            const BlocksFromRows blocks = encode_rows_for_owners(mine, rows, layout_, inbox_, comm_);
            encode_images(mine, layout_, encoded_, &blocks.given);
        });
        int images = 0;
        agree([&] {
            std::vector<ImageChecksums> sums;
            std::size_t kept = 0, kept_bytes = 0;
            images = bring_images_to_writer(encoded_, comm_, [&](EncodedImage& e) {
                // Kept for the writer up to a bound (rank 0 holds them until written);
                // beyond it, written here and now.
                sums.push_back(e.sums);
                const std::size_t bytes = encoded_bytes(e);
                if (kept_bytes + bytes > deferred_limit_) {
                    write_encoded_image(datasets_, layout_, e);
                } else {
                    if (kept == deferred_.size()) deferred_.emplace_back();
                    std::swap(deferred_[kept++], e);
                    kept_bytes += bytes;
                }
            });
            if (!writer_) return;
            // The wave's chunks go to the file, and the images are recorded complete after
            // the flush, while every rank goes on with the next wave.
            writing_ = std::async(std::launch::async, [this, kept, sums = std::move(sums)] {
                silence_hdf5_errors();  // HDF5 built thread-safe keeps this per thread
                for (std::size_t k = 0; k < kept; ++k) write_encoded_image(datasets_, layout_, deferred_[k]);
                record_images_complete(file_, datasets_, sums);
            });
        });
        pending_images_ = images;
    }

    void prepare_images(int images) override {
        if (images <= 0 || !blocks_can_be_given(layout_)) return;
        if (encoded_.size() < static_cast<std::size_t>(images)) encoded_.resize(static_cast<std::size_t>(images));
        for (std::size_t k = 0; k < static_cast<std::size_t>(images); ++k) ready_for_encoding(encoded_[k], layout_);
        ready_buffer(inbox_, static_cast<std::size_t>(images) * encoded_image_bound(layout_));
    }

    void finish_writing(const RecordedImages& recorded) override {
        agree([&] {
            if (writing_.valid()) writing_.get();
        });
        const int images = std::exchange(pending_images_, 0);
        if (images > 0 && recorded) recorded(images);
    }

    void close(const SeriesRecord& record) override {
        finish_writing(nullptr);
        Hdf5RunDescription run;
        run.tile = record.tile;
        run.schedule = record.schedule;
        run.ranks = record.ranks;
        run.timing = record.timing;
        run.images = record.images;
        run.series = record.series;
        run.images_resumed = record.images_resumed;
        run.backend = record.backend;
        run.device = record.device;
        run.start_epoch_s = record.start_epoch_s;
        run.end_epoch_s = record.end_epoch_s;
        agree([&] {
            if (!writer_) return;
            write_file_metadata(file_, path_, *record.first, run);
            {
                // Last, so a reader that sees complete = 1 sees everything above too.
                H5Group simulation = open_group(file_, "entry/simulation");
                write_attribute(simulation, "complete", 1);
            }
            datasets_ = ImageDatasets{};
            file_.close("closing " + tmp_);
        });
        agree_on_input(comm_, [&] {
            if (mpi_rank(comm_) != 0) return;
            // The file renamed is the file written: nobody replaced FILE.tmp meanwhile.
            const FileId now = file_id(tmp_);
            if (now.dev != created_.dev || now.ino != created_.ino)
                throw InputError(tmp_ +
                                 " was replaced by another process while this run wrote it; its images are "
                                 "not this run's, so it is left as it is");
            if (std::rename(tmp_.c_str(), path_.c_str()) != 0)
                throw InputError("cannot rename " + tmp_ + " to " + path_ + ": " + std::strerror(errno));
        });
    }

private:
    // Runs a collective step on every rank; a failure the file system caused (a full
    // disk, a quota) becomes the same one-line error on every rank, so that no rank waits
    // in a collective for one that has given up.
    template <typename Step>
    void agree(Step step) {
        agree_on_outcome(comm_, [&] {
            try {
                step();
            } catch (const Hdf5Error& e) {
                if (e.system.empty()) throw;
                throw InputError("cannot write " + tmp_ + ": " + e.system +
                                 " (images already complete stay so; rerun the same command to resume)");
            }
        });
    }

    MPI_Comm comm_;
    std::string path_, tmp_;
    bool writer_;  // rank 0: the one process with the file open
    H5File file_;
    ImageDatasets datasets_;
    ChunkLayout layout_;
    std::vector<EncodedImage> encoded_;   // this rank's images of the wave being encoded
    std::vector<EncodedImage> deferred_;  // rank 0: those the writer has (or had) to write
    ChunkBytes inbox_;                    // blocks other ranks compressed for this rank's images
    std::size_t deferred_limit_ = deferred_wave_bytes();
    std::future<void> writing_;  // rank 0: the writer at work on deferred_
    int pending_images_ = 0;     // images handed to the writer, not yet reported
    FileId created_;
};

}  // namespace

std::unique_ptr<ImageSink> open_hdf5_sink(MPI_Comm comm, const Hdf5SinkOptions& options) {
    return std::make_unique<Hdf5Sink>(comm, options);
}

}  // namespace tilebragg

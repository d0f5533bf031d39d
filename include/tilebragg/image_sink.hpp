#pragma once
// Where finished images go. The driver hands a sink whole images, each on the one rank
// that owns it (after the other ranks sent it their tiles; image_assembly.hpp says which
// rank that is), and the rows each rank rendered: whole images because a detector file
// stores one compressed chunk per image, and because the detector counts of an image (its
// int image) depend on all its pixels.
// The HDF5 file is the sink of today; the interface keeps HDF5 (and its MPI-IO) out of
// the driver.
#include <mpi.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <tilebragg/experiment.hpp>
#include <tilebragg/image_statistics.hpp>
#include <tilebragg/tile.hpp>
#include <tilebragg/timing_records.hpp>

namespace tilebragg {

// One image, whole (spixels x fpixels, fast fastest), on the rank that owns it.
struct FinishedImage {
    int image = 0;                          // index in the series (and in the file)
    const float* photons = nullptr;         // noiseless photons per pixel
    const std::uint16_t* counts = nullptr;  // what a detector records: the noise image, or the int image
};

// Rows of an image on a rank that rendered them and made their counts (the owner's image
// has the same pixels): a sink may encode them there, side by side on every rank, so that
// the owner has less to do alone.
struct ImageRows {
    int image = 0;                          // index in the series
    int owner = 0;                          // the rank that passes the whole image
    int slow_begin = 0, rows = 0;           // whole rows of the image
    const float* photons = nullptr;         // rows x fpixels
    const std::uint16_t* counts = nullptr;  // rows x fpixels
};

// What the file says about one image's crystal.
struct ImageRecord {
    double phi_deg = 0;           // start of the image's oscillation
    Vec3 a_star, b_star, c_star;  // 1/Angstrom, lab frame at phi = 0, misset applied
    double cell[6] = {0, 0, 0, 0, 0, 0};
};
ImageRecord image_record(const Experiment& e, double phi_deg);

// How the series was rendered, for the file's record (every rank passes the same).
struct SeriesRecord {
    const Experiment* first = nullptr;  // image 0: instrument, beam, detector
    std::vector<ImageRecord> images;    // one per image of the file, in order
    std::string series;                 // "rotation" or "serial" (batches), else empty
    TileSize tile;
    Schedule schedule = Schedule::Dynamic;
    int ranks = 1;
    int images_resumed = 0;
    std::string backend;                        // "cpu" or "cuda" ("cpu, cuda": ranks of both kinds)
    std::string device;                         // where the ranks rendered ("NVIDIA H200 (GPU 0)"), each once
    RunTiming timing;                           // every rank's and every item's
    double start_epoch_s = 0, end_epoch_s = 0;  // the run's start and end, seconds since 1970
};

// The present moment in seconds since the Unix epoch.
double epoch_seconds_now();

// What a file must agree on for a run to resume into it; recorded at creation.
struct SeriesIdentity {
    int images = 1, fpixels = 0, spixels = 0;
    std::vector<std::string> fingerprint;   // the options that decide the images (Params::fingerprint)
    long seed = 0, misset_seed = 0;         // as stored (negated); clock seeds must be reused
    std::vector<std::string> input_files;   // every input file read, as given
    std::vector<std::string> input_hashes;  // their contents' hashes, same order
};

class ImageSink {
public:
    virtual ~ImageSink() = default;

    // Told, on every rank at the same point, how many images have just been recorded
    // complete (durable on disk).
    using RecordedImages = std::function<void(int images)>;

    // Collective over the job's ranks: each passes the images it owns (possibly none), and
    // the rows it rendered of any image (`rows`, possibly none). First the images of the
    // call before are finished: durable, recorded complete and reported to `recorded`, or
    // a failure to write them is thrown on every rank. Then these are encoded (the buffers
    // may be reused once it returns) and handed to the writer, which may still be writing
    // them when it returns: the next call, or finish_writing, waits for them.
    virtual void write_images(const std::vector<FinishedImage>& mine, const std::vector<ImageRows>& rows,
                              const RecordedImages& recorded) = 0;

    // Not collective: called by a rank while a wave renders, with the number of the wave's
    // images it will own. A sink may ready its buffers then, so that encoding them touches
    // no fresh memory while the other ranks wait (a page fault per 4 KiB costs an owner
    // about 1 ms per 1.5 MiB on the machines measured).
    virtual void prepare_images(int images) { (void)images; }

    // Collective: every image passed so far is durable and recorded complete (and reported
    // to `recorded`) when it returns; a failure to write them is thrown on every rank.
    virtual void finish_writing(const RecordedImages& recorded) = 0;

    // Collective: writes the record of the run, marks the sink complete and publishes it
    // (the HDF5 file gets its final name).
    virtual void close(const SeriesRecord& record) = 0;
};

struct Hdf5SinkOptions {
    std::string path;  // the final name; FILE.tmp while being written
    SeriesIdentity identity;
    Compression compression = Compression::Auto;
    bool resume = false;  // reopen FILE.tmp (checked by open_unfinished_hdf5 first)
};

// Collective over `comm`. Creates FILE.tmp, or reopens it to resume. The caller holds the
// output's lock (OutputLock) for the whole run.
std::unique_ptr<ImageSink> open_hdf5_sink(MPI_Comm comm, const Hdf5SinkOptions& options);

// FILE.tmp while being written.
std::string hdf5_temporary_path(const std::string& path);

// The unfinished file of an interrupted series: FILE.tmp, or FILE itself when it says
// complete = 0 (it is renamed to FILE.tmp). One process, before the parallel open.
struct UnfinishedSeries {
    bool found = false;
    SeriesIdentity identity;         // as recorded at creation
    std::vector<int> complete;       // images recorded complete whose checksums hold
    std::vector<std::string> notes;  // images recorded complete that did not check out
};
UnfinishedSeries find_unfinished_hdf5(const std::string& path);

// Throws InputError naming what differs (an option, an input file that changed, the
// number of images, the detector) unless `found` was made like `wanted`.
void check_resumable(const std::string& path, const UnfinishedSeries& found, const SeriesIdentity& wanted);

}  // namespace tilebragg

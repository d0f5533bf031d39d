#include "output/hdf5/image_datasets.hpp"

#include <omp.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <exception>

#include <tilebragg/checksum.hpp>
#include <tilebragg/thread_team.hpp>

#include "output/hdf5/chunk_encoding.hpp"
#include "output/hdf5/hdf5_attributes.hpp"

namespace tilebragg {
namespace {

// Bitshuffle with LZ4 (the Eiger / DIALS choice), as registered with The HDF Group.
constexpr H5Z_filter_t kBitshuffleFilter = 32008;
constexpr unsigned kBitshuffleLz4 = 2;
// Chunks stay below HDF5's 4 GiB limit with room to spare: a larger image is split into
// bands of rows (one chunk per image for any detector made today).
constexpr std::size_t kMaxChunkBytes = std::size_t(1) << 30;

H5PropList image_creation(const SeriesIdentity& id, std::size_t element_bytes, Compression c) {
    H5PropList create(H5Pcreate(H5P_DATASET_CREATE), "dataset creation list");
    const std::size_t row_bytes = static_cast<std::size_t>(id.fpixels) * element_bytes;
    const hsize_t rows = std::max<hsize_t>(1, std::min<hsize_t>(id.spixels, kMaxChunkBytes / row_bytes));
    const hsize_t chunk[3] = {1, rows, static_cast<hsize_t>(id.fpixels)};
    h5_check(H5Pset_chunk(create, 3, chunk), "H5Pset_chunk");
    // Every pixel of an image is written at once; fill values would only cost time.
    h5_check(H5Pset_fill_time(create, H5D_FILL_TIME_NEVER), "H5Pset_fill_time");
    switch (c) {
        case Compression::Bitshuffle: {
            // The user's values are (block size, compressor): 0 = the filter's own block
            // size, 2 = LZ4. The filter puts its version and the element size in front.
            const unsigned values[2] = {0, kBitshuffleLz4};
            h5_check(H5Pset_filter(create, kBitshuffleFilter, H5Z_FLAG_MANDATORY, 2, values), "bitshuffle filter");
            break;
        }
        case Compression::Deflate:
            h5_check(H5Pset_shuffle(create), "H5Pset_shuffle");
            h5_check(H5Pset_deflate(create, 4), "H5Pset_deflate");
            break;
        case Compression::None:
        case Compression::Auto:
            break;
    }
    return create;
}

H5Dataset create_images(hid_t parent, const char* name, hid_t type, std::size_t element_bytes, const SeriesIdentity& id,
                        Compression c) {
    const hsize_t dims[3] = {static_cast<hsize_t>(id.images), static_cast<hsize_t>(id.spixels),
                             static_cast<hsize_t>(id.fpixels)};
    H5Dataspace space(H5Screate_simple(3, dims, nullptr), "image dataspace");
    const H5PropList create = image_creation(id, element_bytes, c);
    return H5Dataset(H5Dcreate2(parent, name, type, space, H5P_DEFAULT, create, H5P_DEFAULT),
                     std::string("creating ") + name);
}

H5Dataset create_record(hid_t parent, const char* name, hid_t type, const std::vector<hsize_t>& dims) {
    H5Dataspace space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), "record dataspace");
    H5PropList create(H5Pcreate(H5P_DATASET_CREATE), "dataset creation list");
    // Written in place, straight to the file, whenever an image is finished.
    h5_check(H5Pset_alloc_time(create, H5D_ALLOC_TIME_EARLY), "H5Pset_alloc_time");
    h5_check(H5Pset_fill_time(create, H5D_FILL_TIME_ALLOC), "H5Pset_fill_time");
    return H5Dataset(H5Dcreate2(parent, name, type, space, H5P_DEFAULT, create, H5P_DEFAULT),
                     std::string("creating ") + name);
}

// Elements `images` of a record dataset whose rows are `row` values wide.
void write_record(hid_t data, hid_t memory_type, const std::vector<int>& images, int row, const void* values,
                  const char* what) {
    H5Dataspace file_space(H5Dget_space(data), "record dataspace");
    const hsize_t n = images.size() * static_cast<hsize_t>(row);
    const hsize_t length = std::max<hsize_t>(n, 1);
    H5Dataspace memory(H5Screate_simple(1, &length, nullptr), "record memory space");
    static const std::uint64_t nothing = 0;
    if (images.empty()) {
        h5_check(H5Sselect_none(file_space), "selecting nothing");
        h5_check(H5Sselect_none(memory), "selecting nothing");
        values = &nothing;
    } else {
        std::vector<hsize_t> coords;
        for (int i : images)
            for (int k = 0; k < row; ++k) {
                coords.push_back(static_cast<hsize_t>(i));
                if (row > 1) coords.push_back(static_cast<hsize_t>(k));
            }
        h5_check(H5Sselect_elements(file_space, H5S_SELECT_SET, n, coords.data()), "selecting records");
    }
    h5_check(H5Dwrite(data, memory_type, memory, file_space, H5P_DEFAULT, values), std::string("writing ") + what);
}

// A filter HDF5 loads from a plugin is loaded when a process first needs it to read; a
// process that only writes must load it itself, or its write fails.
void load_filters_of(hid_t dataset, const char* path) {
    H5PropList create(H5Dget_create_plist(dataset), "dataset creation list");
    const int n = H5Pget_nfilters(create);
    for (int i = 0; i < n; ++i) {
        unsigned flags = 0, config = 0;
        std::size_t values = 0;
        char name[64] = {0};
        const H5Z_filter_t id =
            H5Pget_filter2(create, static_cast<unsigned>(i), &flags, &values, nullptr, sizeof name, name, &config);
        if (H5Zfilter_avail(id) <= 0)
            throw Hdf5Error(std::string("HDF5: ") + path + " needs filter " + std::to_string(id),
                            std::string(path) + " is compressed with HDF5 filter " + std::to_string(id) + " (" + name +
                                "), whose plugin is not installed (Debian: the bitshuffle package)");
    }
}

}  // namespace

Compression resolve_compression(Compression wanted) {
    const bool bitshuffle = H5Zfilter_avail(kBitshuffleFilter) > 0;
    if (wanted == Compression::Bitshuffle && !bitshuffle)
        throw Hdf5Error("HDF5: bitshuffle filter",
                        "-h5compress bslz4: the HDF5 bitshuffle plugin (filter 32008) is not installed "
                        "(Debian: the bitshuffle package); use -h5compress deflate");
    if (wanted != Compression::Auto) return wanted;
    return bitshuffle ? Compression::Bitshuffle : Compression::Deflate;
}

const char* compression_name(Compression c) {
    switch (c) {
        case Compression::Auto:
            return "auto";
        case Compression::Bitshuffle:
            return "bslz4";
        case Compression::Deflate:
            return "deflate";
        case Compression::None:
            return "none";
    }
    return "?";
}

ImageDatasets create_image_datasets(hid_t entry, hid_t simulation, const SeriesIdentity& id, Compression c) {
    ImageDatasets d;
    d.images = id.images, d.fpixels = id.fpixels, d.spixels = id.spixels;
    {
        H5Group data = create_group(entry, "data", "NXdata");
        write_attribute(data, "signal", std::string("data"));
        d.counts = create_images(data, "data", H5T_STD_U16LE, sizeof(std::uint16_t), id, c);
        write_attribute(d.counts, "units", std::string("counts"));
        write_attribute(d.counts, "long_name",
                        std::string("detector counts: the noise image (Poisson photons + ADC offset), or with "
                                    "-nonoise the int image, as in -noisefile / -intfile"));
    }
    {
        H5Group photons = create_group(entry, "photons", "NXdata");
        write_attribute(photons, "signal", std::string("photons"));
        d.photons = create_images(photons, "photons", H5T_IEEE_F32LE, sizeof(float), id, c);
        write_attribute(d.photons, "units", std::string("photons"));
        write_attribute(d.photons, "long_name", std::string("simulated photons per pixel (no noise), as -floatfile"));
    }
    const hsize_t n = static_cast<hsize_t>(id.images);
    d.complete = create_record(simulation, "images_complete", H5T_STD_U8LE, {n});
    write_attribute(d.complete, "description", std::string("1 once the image's counts and photons are on disk"));
    d.checksums = create_record(simulation, "image_checksums", H5T_STD_U64LE, {n, 2});
    write_attribute(d.checksums, "description",
                    std::string("content hashes of each image's counts and photons (checked before resuming)"));
    return d;
}

ImageDatasets open_image_datasets(hid_t file) {
    ImageDatasets d;
    d.counts = H5Dataset(H5Dopen2(file, kCountsPath, H5P_DEFAULT), std::string("opening ") + kCountsPath);
    d.photons = H5Dataset(H5Dopen2(file, kPhotonsPath, H5P_DEFAULT), std::string("opening ") + kPhotonsPath);
    load_filters_of(d.counts, kCountsPath);
    load_filters_of(d.photons, kPhotonsPath);
    d.complete = H5Dataset(H5Dopen2(file, kCompletePath, H5P_DEFAULT), std::string("opening ") + kCompletePath);
    d.checksums = H5Dataset(H5Dopen2(file, kChecksumsPath, H5P_DEFAULT), std::string("opening ") + kChecksumsPath);
    H5Dataspace space(H5Dget_space(d.counts), "image dataspace");
    hsize_t dims[3] = {0, 0, 0};
    h5_check(H5Sget_simple_extent_dims(space, dims, nullptr), "image dimensions");
    d.images = static_cast<int>(dims[0]), d.spixels = static_cast<int>(dims[1]), d.fpixels = static_cast<int>(dims[2]);
    return d;
}

std::uint64_t counts_checksum(const std::uint16_t* counts, std::size_t pixels) {
    return content_hash(counts, pixels * sizeof(std::uint16_t));
}

std::uint64_t photons_checksum(const float* photons, std::size_t pixels) {
    return content_hash(photons, pixels * sizeof(float));
}

namespace {

// The rows of one chunk of `data`, and the filters it was created with as a Compression
// this program writes (a file made otherwise cannot be appended to chunk by chunk).
int chunk_rows(hid_t data, const char* path) {
    H5PropList create(H5Dget_create_plist(data), "dataset creation list");
    hsize_t chunk[3] = {0, 0, 0};
    if (H5Pget_chunk(create, 3, chunk) != 3 || chunk[0] != 1)
        throw Hdf5Error(std::string("HDF5: ") + path + " is not chunked by image", "");
    return static_cast<int>(chunk[1]);
}

Compression chunk_filters(hid_t data, const char* path, std::size_t element_bytes) {
    H5PropList create(H5Dget_create_plist(data), "dataset creation list");
    std::vector<H5Z_filter_t> ids;
    std::vector<unsigned> first_values;
    const int n = H5Pget_nfilters(create);
    for (int i = 0; i < n; ++i) {
        unsigned flags = 0, config = 0, values[8] = {0};
        std::size_t count = 8;
        ids.push_back(H5Pget_filter2(create, static_cast<unsigned>(i), &flags, &count, values, 0, nullptr, &config));
        if (ids.back() == kBitshuffleFilter) first_values.assign(values, values + std::min<std::size_t>(count, 8));
    }
    if (ids.empty()) return Compression::None;
    if (ids == std::vector<H5Z_filter_t>{H5Z_FILTER_SHUFFLE, H5Z_FILTER_DEFLATE}) return Compression::Deflate;
    // The plugin stores (its version, major and minor, element size, block size, LZ4 = 2).
    if (ids == std::vector<H5Z_filter_t>{kBitshuffleFilter} && first_values.size() >= 5 &&
        first_values[2] == element_bytes && first_values[4] == kBitshuffleLz4)
        return Compression::Bitshuffle;
    throw Hdf5Error(std::string("HDF5: ") + path + " has filters this program does not write", "");
}

}  // namespace

ChunkLayout chunk_layout(const ImageDatasets& d) {
    ChunkLayout l;
    l.fpixels = d.fpixels, l.spixels = d.spixels;
    l.counts_rows = chunk_rows(d.counts, kCountsPath);
    l.photons_rows = chunk_rows(d.photons, kPhotonsPath);
    const Compression counts = chunk_filters(d.counts, kCountsPath, sizeof(std::uint16_t));
    const Compression photons = chunk_filters(d.photons, kPhotonsPath, sizeof(float));
    if (counts != photons) throw Hdf5Error("HDF5: the image datasets are compressed differently", "");
    l.compression = counts;
    return l;
}

namespace {

// `given`: runs of the first chunk's blocks (with one chunk per image, the image's).
template <typename Pixel>
void encode_rows(const Pixel* pixels, const ChunkLayout& l, int rows, std::vector<ChunkBytes>& chunks,
                 const std::vector<BlockRunView>* given) {
    static const std::vector<BlockRunView> none;
    chunks.resize(static_cast<std::size_t>((l.spixels + rows - 1) / rows));
    for (int first = 0; first < l.spixels; first += rows) {
        const std::size_t n = static_cast<std::size_t>(std::min(rows, l.spixels - first)) * l.fpixels;
        // A last chunk shorter than the others is stored at the full chunk size.
        std::vector<Pixel> padded;
        const Pixel* at = pixels + static_cast<std::size_t>(first) * l.fpixels;
        if (static_cast<int>(n / l.fpixels) < rows) {
            padded.assign(static_cast<std::size_t>(rows) * l.fpixels, Pixel{});
            std::copy(at, at + n, padded.begin());
            at = padded.data();
        }
        encode_chunk(at, static_cast<std::size_t>(rows) * l.fpixels * sizeof(Pixel), sizeof(Pixel), l.compression,
                     chunks[static_cast<std::size_t>(first / rows)], first == 0 && given ? *given : none);
    }
}

void write_chunks(hid_t data, int image, int rows, const std::vector<ChunkBytes>& chunks, const char* path) {
    for (std::size_t k = 0; k < chunks.size(); ++k) {
        const hsize_t offset[3] = {static_cast<hsize_t>(image), static_cast<hsize_t>(k) * static_cast<hsize_t>(rows),
                                   0};
        h5_check(H5Dwrite_chunk(data, H5P_DEFAULT, 0, offset, chunks[k].size(), chunks[k].data()),
                 std::string("writing ") + path);
    }
}

void encode_chunks(const FinishedImage& f, const ChunkLayout& l, EncodedImage& e, const GivenBlocks* given) {
    e.sums.image = f.image;
    encode_rows(f.counts, l, l.counts_rows, e.counts, given ? &given->counts : nullptr);
    encode_rows(f.photons, l, l.photons_rows, e.photons, given ? &given->photons : nullptr);
}

std::size_t image_pixels(const ChunkLayout& l) {
    return static_cast<std::size_t>(l.fpixels) * static_cast<std::size_t>(l.spixels);
}

// Runs `step(k)` for k in [0, n), spread over the team when `team`; the first exception is
// thrown after the loop (none may leave a parallel region).
template <typename Step>
void for_each_index(long n, bool team, Step step) {
    if (!team) {
        // Not inside an inactive parallel region either: a team opened below one is a
        // nested team, which libgomp starts with new threads every time.
        for (long k = 0; k < n; ++k) step(k);
        return;
    }
    std::exception_ptr failed;
#pragma omp parallel for schedule(dynamic)
    for (long k = 0; k < n; ++k) {
        try {
            step(k);
        } catch (...) {
#pragma omp critical(tilebragg_encode_failure)
            if (!failed) failed = std::current_exception();
        }
    }
    if (failed) std::rethrow_exception(failed);
}

}  // namespace

void encode_image(const FinishedImage& f, const ChunkLayout& l, EncodedImage& e) {
    e.sums.counts = counts_checksum(f.counts, image_pixels(l));
    e.sums.photons = photons_checksum(f.photons, image_pixels(l));
    encode_chunks(f, l, e, nullptr);
}

void ready_buffer(ChunkBytes& b, std::size_t n) {
    if (b.capacity() >= n) return;
    b.clear();
    b.resize(n);
    std::memset(b.data(), 0, n);
}

namespace {

// The chunks of one dataset as encode_rows cuts them, each at its encoding bound.
template <typename Pixel>
std::vector<std::size_t> chunk_bounds(const ChunkLayout& l, int rows) {
    const std::size_t bytes = static_cast<std::size_t>(rows) * static_cast<std::size_t>(l.fpixels) * sizeof(Pixel);
    return std::vector<std::size_t>(static_cast<std::size_t>((l.spixels + rows - 1) / rows),
                                    bitshuffle_chunk_bound(bytes, sizeof(Pixel)));
}

}  // namespace

std::size_t encoded_image_bound(const ChunkLayout& l) {
    if (l.compression != Compression::Bitshuffle) return 0;
    std::size_t bytes = 0;
    for (const std::size_t b : chunk_bounds<std::uint16_t>(l, l.counts_rows)) bytes += b;
    for (const std::size_t b : chunk_bounds<float>(l, l.photons_rows)) bytes += b;
    return bytes;
}

void ready_for_encoding(EncodedImage& e, const ChunkLayout& l) {
    if (l.compression != Compression::Bitshuffle) return;
    const std::vector<std::size_t> counts = chunk_bounds<std::uint16_t>(l, l.counts_rows);
    const std::vector<std::size_t> photons = chunk_bounds<float>(l, l.photons_rows);
    e.counts.resize(counts.size());
    e.photons.resize(photons.size());
    for (std::size_t k = 0; k < counts.size(); ++k) ready_buffer(e.counts[k], counts[k]);
    for (std::size_t k = 0; k < photons.size(); ++k) ready_buffer(e.photons[k], photons[k]);
}

bool blocks_can_be_given(const ChunkLayout& l) {
    return l.compression == Compression::Bitshuffle && l.counts_rows >= l.spixels && l.photons_rows >= l.spixels;
}

void encode_images(const std::vector<FinishedImage>& images, const ChunkLayout& l, std::vector<EncodedImage>& out,
                   const std::vector<GivenBlocks>* given) {
    if (given && (given->size() != images.size() || !blocks_can_be_given(l))) given = nullptr;
    out.resize(images.size());
    const long n = static_cast<long>(images.size());
    const std::size_t pixels = image_pixels(l);
    const bool worth_a_team = pixels * images.size() >= kThreadTeamMinPixels;
    // A checksum is one thread's pass over a buffer (a chained hash): the wave's 2 n
    // checksums run side by side, not one after the other inside each image's encoding.
    for_each_index(2 * n, n > 0 && worth_a_team, [&](long k) {
        const FinishedImage& f = images[static_cast<std::size_t>(k / 2)];
        ImageChecksums& sums = out[static_cast<std::size_t>(k / 2)].sums;
        if (k % 2 == 0)
            sums.counts = counts_checksum(f.counts, pixels);
        else
            sums.photons = photons_checksum(f.photons, pixels);
    });
    // Bitshuffle spreads each chunk's blocks over the threads, so images go one per thread
    // only when there are at least as many as threads (deflate compresses a chunk on one
    // thread: always one per thread).
    const bool enough = l.compression != Compression::Bitshuffle || n >= omp_get_max_threads();
    for_each_index(n, n > 1 && enough && worth_a_team, [&](long k) {
        encode_chunks(images[static_cast<std::size_t>(k)], l, out[static_cast<std::size_t>(k)],
                      given ? &(*given)[static_cast<std::size_t>(k)] : nullptr);
    });
}

void write_encoded_image(const ImageDatasets& d, const ChunkLayout& l, const EncodedImage& e) {
    write_chunks(d.counts, e.sums.image, l.counts_rows, e.counts, kCountsPath);
    write_chunks(d.photons, e.sums.image, l.photons_rows, e.photons, kPhotonsPath);
}

void record_images_complete(hid_t file, const ImageDatasets& d, const std::vector<ImageChecksums>& written) {
    // The chunks and their index reach the disk before any image is called complete.
    h5_check(H5Fflush(file, H5F_SCOPE_GLOBAL), "flushing the images");
    std::vector<int> images;
    std::vector<std::uint8_t> ones;
    std::vector<std::uint64_t> sums;
    for (const ImageChecksums& e : written) {
        images.push_back(e.image);
        ones.push_back(1);
        sums.push_back(e.counts);
        sums.push_back(e.photons);
    }
    write_record(d.checksums, H5T_NATIVE_UINT64, images, 2, sums.data(), kChecksumsPath);
    write_record(d.complete, H5T_NATIVE_UINT8, images, 1, ones.data(), kCompletePath);
}

}  // namespace tilebragg

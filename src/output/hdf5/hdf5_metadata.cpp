#include "output/hdf5/hdf5_metadata.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <stdexcept>
#include <type_traits>

#include <tilebragg/version_info.hpp>
#include <tilebragg/work_items.hpp>

#include "output/hdf5/file_metadata.hpp"
#include "output/hdf5/hdf5_attributes.hpp"
#include "output/hdf5/nxmx_writers.hpp"

namespace tilebragg {
namespace {

// One column of a timing table as a 1-D dataset: whole numbers as int64, times as double.
template <typename Row, typename Field>
void write_column(hid_t group, const std::string& name, const std::vector<Row>& rows, Field Row::*field,
                  const std::string& units) {
    using Value = std::conditional_t<std::is_floating_point_v<Field>, double, long>;
    std::vector<Value> values;
    values.reserve(rows.size());
    for (const Row& r : rows) values.push_back(static_cast<Value>(r.*field));
    write_dataset(group, name, values, units);
}

// What setup derived where Params leaves a value unset (NaN, -1): the geometry and the
// sampling as actually rendered, prefixed "resolved_".
void write_resolved_geometry(hid_t g, const Experiment& e) {
    const DetectorGeometry& d = e.detector;
    write_attribute(g, "resolved_fpixels", d.fpixels);
    write_attribute(g, "resolved_spixels", d.spixels);
    write_attribute(g, "resolved_distance_m", d.distance);
    write_attribute(g, "resolved_close_distance_m", d.close_distance);
    write_attribute(g, "resolved_Xbeam_m", d.Xbeam);
    write_attribute(g, "resolved_Ybeam_m", d.Ybeam);
    write_attribute(g, "resolved_Xclose_m", d.Xclose);
    write_attribute(g, "resolved_Yclose_m", d.Yclose);
    write_attribute(g, "resolved_ORGX_pixels", d.ORGX);
    write_attribute(g, "resolved_ORGY_pixels", d.ORGY);
    write_attribute(g, "resolved_pix0_m", d.pix0);
    write_attribute(g, "resolved_fdet", d.fdet);
    write_attribute(g, "resolved_sdet", d.sdet);
    write_attribute(g, "resolved_odet", d.odet);
    write_attribute(g, "resolved_beam", d.beam);
    write_attribute(g, "resolved_sources", static_cast<long>(e.sources.size()));
    write_attribute(g, "resolved_phisteps", static_cast<long>(e.phi_angles.size()));
    write_attribute(g, "resolved_mosaic_domains", static_cast<long>(e.mosaic_umats.size()));
    write_attribute(g, "resolved_oversample", e.oversample);
    write_attribute(g, "resolved_sensor_layers", e.sensor.layers);
    write_attribute(g, "resolved_fluence_per_m2", e.fluence);
}

void write_timing(hid_t simulation, const Hdf5RunDescription& run) {
    H5Group timing = create_group(simulation, "timing", "NXcollection");
    write_attribute(timing, "clock", "seconds from a start shared by all ranks, taken after a barrier");
    const auto& ranks = run.timing.ranks;
    H5Group per_rank = create_group(timing, "per_rank", "NXcollection");
    write_column(per_rank, "rank", ranks, &RankTiming::rank, "");
    std::vector<std::string> host;
    host.reserve(ranks.size());
    for (const RankTiming& r : ranks) host.push_back(r.host);
    write_dataset(per_rank, "host", host);
    std::vector<std::string> backend, device;
    for (const RankTiming& r : ranks) backend.push_back(r.backend), device.push_back(r.device);
    write_dataset(per_rank, "backend", backend);
    write_dataset(per_rank, "device", device);
    write_column(per_rank, "threads", ranks, &RankTiming::threads, "");
    write_column(per_rank, "tiles", ranks, &RankTiming::tiles, "");
    write_column(per_rank, "pixels", ranks, &RankTiming::pixels, "");
    write_column(per_rank, "compute_s", ranks, &RankTiming::compute_s, "s");
    write_column(per_rank, "io_s", ranks, &RankTiming::io_s, "s");
    write_column(per_rank, "wait_s", ranks, &RankTiming::wait_s, "s");
    write_column(per_rank, "total_s", ranks, &RankTiming::total_s, "s");

    const auto& items = run.timing.items;
    H5Group per_item = create_group(timing, "per_item", "NXcollection");
    write_column(per_item, "image", items, &ItemTiming::image, "");
    write_column(per_item, "tile", items, &ItemTiming::tile, "");
    write_column(per_item, "rank", items, &ItemTiming::rank, "");
    write_column(per_item, "t_start", items, &ItemTiming::t_start, "s");
    write_column(per_item, "t_end", items, &ItemTiming::t_end, "s");
}

}  // namespace

void write_file_metadata(hid_t file, const std::string& path, const Experiment& e, const Hdf5RunDescription& run) {
    const int images = run.images.empty() ? 1 : static_cast<int>(run.images.size());
    write_nxmx(file, std::filesystem::path(path).filename().string(), e, run);

    H5Group simulation = open_group(file, "entry/simulation");
    write_params_attributes(simulation, e.params);
    write_attribute(simulation, "program_version", TILEBRAGG_VERSION);
    write_attribute(simulation, "git_revision", TILEBRAGG_GIT_REVISION);
    write_attribute(simulation, "build_type", TILEBRAGG_BUILD_TYPE);
    write_attribute(simulation, "isa", TILEBRAGG_ISA);
    write_attribute(simulation, "ranks", run.ranks);
    write_attribute(simulation, "tile_fast", run.tile.fast);
    write_attribute(simulation, "tile_slow", run.tile.slow);
    write_attribute(simulation, "schedule_used", schedule_name(run.schedule));
    write_attribute(simulation, "backend", run.backend);
    write_attribute(simulation, "device", run.device);
    write_attribute(simulation, "steps", e.steps);
    write_attribute(simulation, "images", images);
    if (!run.series.empty()) write_attribute(simulation, "series", run.series);
    write_attribute(simulation, "images_resumed", run.images_resumed);
    write_resolved_geometry(simulation, e);
    write_timing(simulation, run);
}

}  // namespace tilebragg

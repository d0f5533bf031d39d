#include "output/hdf5/hdf5_metadata.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <type_traits>

#include "output/hdf5/hdf5_attributes.hpp"
#include <tilebragg/version_info.hpp>
#include <tilebragg/work_items.hpp>

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

constexpr double kRTD = 180.0 * M_1_PI;
constexpr const char* kTransformations = "/entry/instrument/detector/transformations";

void write_translation(hid_t group, const std::string& name, double length, const Vec3& unit, const std::string& after) {
    H5Dataset d = write_dataset(group, name, length, "m");
    write_attribute(d, "transformation_type", "translation");
    write_attribute(d, "vector", unit);
    write_attribute(d, "offset", Vec3{0, 0, 0});
    write_attribute(d, "depends_on", after);
}

void write_beam(hid_t instrument, const Experiment& e) {
    H5Group beam = create_group(instrument, "beam", "NXbeam");
    write_dataset(beam, "incident_wavelength", e.params.lambda0 * 1e10, "angstrom");
    write_dataset(beam, "fluence", e.fluence, "m-2");
    if (e.params.flux > 0) {
        write_dataset(beam, "flux", e.params.flux, "s-1");
        write_dataset(beam, "exposure_time", e.params.exposure, "s");
    }
    write_dataset(beam, "incident_beam_direction", std::vector<double>{e.detector.beam.x, e.detector.beam.y, e.detector.beam.z}, "");
    write_dataset(beam, "sources", static_cast<double>(e.sources.size()), "");
}

void write_detector(hid_t instrument, const Experiment& e, int images) {
    const DetectorGeometry& d = e.detector;
    H5Group det = create_group(instrument, "detector", "NXdetector");
    write_dataset(det, "distance", d.distance, "m");
    write_dataset(det, "x_pixel_size", d.pixel_size, "m");
    write_dataset(det, "y_pixel_size", d.pixel_size, "m");
    // In pixels from the corner of the first pixel, along fast (x) and slow (y).
    write_dataset(det, "beam_center_x", d.Fbeam / d.pixel_size, "pixel");
    write_dataset(det, "beam_center_y", d.Sbeam / d.pixel_size, "pixel");
    if (e.sensor.thickness > 0) write_dataset(det, "sensor_thickness", e.sensor.thickness, "m");
    write_dataset(det, "depends_on", std::string(kTransformations) + "/origin");

    // The axes are in the simulator's lab frame (see docs/hdf5-layout.md).
    H5Group t = create_group(det, "transformations", "NXtransformations");
    const double pix0_length = std::sqrt(d.pix0.x * d.pix0.x + d.pix0.y * d.pix0.y + d.pix0.z * d.pix0.z);
    const Vec3 pix0_unit = pix0_length > 0 ? Vec3{d.pix0.x / pix0_length, d.pix0.y / pix0_length, d.pix0.z / pix0_length} : d.odet;
    write_translation(t, "origin", pix0_length, pix0_unit, ".");
    const std::string origin = std::string(kTransformations) + "/origin";
    write_translation(t, "fast_pixel_direction", d.pixel_size, d.fdet, origin);
    write_translation(t, "slow_pixel_direction", d.pixel_size, d.sdet, origin);

    H5Group module = create_group(det, "module", "NXdetector_module");
    write_dataset(module, "data_origin", std::vector<long>{0, 0, 0}, "");
    write_dataset(module, "data_size", std::vector<long>{images, d.spixels, d.fpixels}, "");
}

void write_sample(hid_t entry, const Experiment& e, const std::vector<Hdf5ImageRecord>& records) {
    H5Group sample = create_group(entry, "sample", "NXsample");
    write_dataset(sample, "name", std::string("simulated crystal"));
    std::vector<double> abc, angles, cell, matrix, phi;
    for (const Hdf5ImageRecord& r : records) {
        abc.insert(abc.end(), {r.cell[0], r.cell[1], r.cell[2]});
        angles.insert(angles.end(), {r.cell[3], r.cell[4], r.cell[5]});
        cell.insert(cell.end(), r.cell, r.cell + 6);
        matrix.insert(matrix.end(), {r.a_star.x, r.a_star.y, r.a_star.z, r.b_star.x, r.b_star.y, r.b_star.z,
                                     r.c_star.x, r.c_star.y, r.c_star.z});
        phi.push_back(r.phi_deg);
    }
    const hsize_t n = static_cast<hsize_t>(records.size());
    write_dataset(sample, "unit_cell_abc", abc, "angstrom", {n, 3});
    write_dataset(sample, "unit_cell_alphabetagamma", angles, "deg", {n, 3});
    H5Dataset uc = write_dataset(sample, "unit_cell", cell, "", {n, 6});
    write_attribute(uc, "description", "a b c (angstrom) alpha beta gamma (deg)");
    H5Dataset om = write_dataset(sample, "orientation_matrix", matrix, "angstrom-1", {n, 3, 3});
    write_attribute(om, "description", "rows: reciprocal axes a*, b*, c* in the lab frame at phi = 0, misset applied");
    write_dataset(sample, "phi", phi, "deg");
    if (e.params.osc > 0) write_dataset(sample, "osc", e.params.osc * kRTD, "deg");
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

Hdf5ImageRecord image_record(const Experiment& e, double phi_deg) {
    Hdf5ImageRecord r;
    r.phi_deg = phi_deg;
    r.a_star = e.crystal.a_star;
    r.b_star = e.crystal.b_star;
    r.c_star = e.crystal.c_star;
    std::copy(e.crystal.cell, e.crystal.cell + 6, r.cell);
    return r;
}

void write_file_metadata(hid_t file, const Experiment& e, const Hdf5RunDescription& run) {
    const std::vector<Hdf5ImageRecord> records =
        run.images.empty() ? std::vector<Hdf5ImageRecord>{image_record(e, e.params.phi0 * kRTD)} : run.images;
    const int images = static_cast<int>(records.size());
    {
        H5Group entry = open_group(file, "entry");
        write_dataset(entry, "definition", std::string("NXmx"));
        H5Dataset program = write_dataset(entry, "program_name", std::string("tilebragg"));
        write_attribute(program, "version", TILEBRAGG_VERSION);
        write_attribute(program, "git_revision", TILEBRAGG_GIT_REVISION);

        H5Group instrument = create_group(entry, "instrument", "NXinstrument");
        write_beam(instrument, e);
        write_detector(instrument, e, images);
        write_sample(entry, e, records);

        H5Group simulation = open_group(entry, "simulation");
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
        write_attribute(simulation, "steps", e.steps);
        write_attribute(simulation, "images", images);
        if (!run.series.empty()) write_attribute(simulation, "series", run.series);
        write_attribute(simulation, "images_resumed", run.images_resumed);
        write_resolved_geometry(simulation, e);
        write_timing(simulation, run);
        // Last, so a reader that sees complete = 1 sees everything above too.
        write_attribute(simulation, "complete", 1);
    }  // every object closed before the file
}

}  // namespace tilebragg

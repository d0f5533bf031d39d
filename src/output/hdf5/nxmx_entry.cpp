// The NXmx entry: root attributes that lead readers to the image (@default), the entry's
// own fields (definition, times, program), the source, the instrument and the sample.
#include "output/hdf5/nexus_fields.hpp"
#include "output/hdf5/nxmx_writers.hpp"

#include <tilebragg/nxmx_geometry.hpp>
#include <tilebragg/version_info.hpp>

namespace tilebragg {
namespace {

void write_source(hid_t entry) {
    H5Group source = create_group(entry, "source", "NXsource");
    H5Dataset name = write_dataset(source, "name", std::string("tilebragg simulated X-ray source"));
    write_attribute(name, "short_name", "tilebragg");
    write_dataset(source, "type", std::string("simulated"));
    write_dataset(source, "probe", std::string("x-ray"));
}

void write_instrument(hid_t entry, const Experiment& e) {
    H5Group instrument = create_group(entry, "instrument", "NXinstrument");
    H5Dataset name = write_dataset(instrument, "name", std::string("tilebragg simulated instrument"));
    write_attribute(name, "short_name", "tilebragg");
    write_nxmx_beam(instrument, e);
    write_nxmx_detector(instrument, e);
}

}  // namespace

void write_nxmx(hid_t file, const std::string& file_name, const Experiment& e, const Hdf5RunDescription& run) {
    const std::string start = iso8601_utc(run.start_epoch_s), end = iso8601_utc(run.end_epoch_s);
    H5Group root = open_group(file, "/");
    write_attribute(root, "default", "entry");
    write_attribute(root, "file_name", file_name);
    write_attribute(root, "file_time", end);
    write_attribute(root, "creator", std::string("tilebragg ") + TILEBRAGG_VERSION);

    H5Group entry = open_group(file, "entry");
    write_attribute(entry, "default", "data");
    write_attribute(entry, "version", "1.0");
    // A detector NXmx cannot describe: no claim to be NXmx, so no reader builds a wrong model.
    if (nxmx_detector(e).describable) write_dataset(entry, "definition", std::string("NXmx"));
    // The run's own start and the moment its last image was in: both observed.
    write_dataset(entry, "start_time", start);
    write_dataset(entry, "end_time", end);
    write_dataset(entry, "end_time_estimated", end);
    H5Dataset program = write_dataset(entry, "program_name", std::string("tilebragg"));
    write_attribute(program, "version", TILEBRAGG_VERSION);
    write_attribute(program, "git_revision", TILEBRAGG_GIT_REVISION);

    write_source(entry);
    write_instrument(entry, e);
    const std::vector<Hdf5ImageRecord> images =
        run.images.empty() ? std::vector<Hdf5ImageRecord>{image_record(e, e.params.phi0 * 180.0 * M_1_PI)} : run.images;
    write_nxmx_sample(entry, e, images, run.series != "serial");
}

}  // namespace tilebragg

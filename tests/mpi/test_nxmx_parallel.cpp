// The metadata writers on a file opened through MPI-IO, every rank making the same
// calls (how a parallel writer uses them before its collective close), give the same
// file as rank 0 writing it alone: h5dump of the two is the same text. An -roi makes
// the compressed pixel mask non-trivial; a rotation batch fills the sample.
#include <gtest/gtest.h>
#include <mpi.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <tilebragg/command_line.hpp>
#include <tilebragg/experiment.hpp>
#include <tilebragg/mpi_session.hpp>
#include "output/hdf5/hdf5_attributes.hpp"

#include "output/hdf5/file_metadata.hpp"

namespace tilebragg {
namespace {

std::string dump(const std::string& path) {
    const std::string text = path + ".txt";
    const std::string command = "h5dump '" + path + "' > '" + text + "'";
    EXPECT_EQ(std::system(command.c_str()), 0) << command;
    std::ifstream in(text);
    std::string line, all;
    std::getline(in, line);  // HDF5 "<path>" {
    while (std::getline(in, line)) all += line + "\n";
    return all;
}

// What Hdf5ImageWriter leaves for the metadata: /entry with its data and simulation groups.
void write_metadata(const std::string& path, MPI_Comm comm, const Experiment& e, const Hdf5RunDescription& run) {
    H5PropList access(H5Pcreate(H5P_FILE_ACCESS), "file access list");
    if (comm != MPI_COMM_NULL) h5_check(H5Pset_fapl_mpio(access, comm, MPI_INFO_NULL), "H5Pset_fapl_mpio");
    H5File file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, access), "creating " + path);
    {
        H5Group entry = create_group(file, "entry", "NXentry");
        H5Group data = create_group(entry, "data", "NXdata");
        H5Group simulation = create_group(entry, "simulation", "NXcollection");
        write_file_metadata(file, "nxmx.h5", e, run);
    }
    file.close("closing " + path);
}

TEST(NxmxParallel, EveryRankWritingTheSameGivesTheSerialFile) {
    const std::filesystem::path dir = std::filesystem::temp_directory_path() / "tilebragg-nxmx-parallel";
    const int rank = mpi_rank(MPI_COMM_WORLD), ranks = mpi_size(MPI_COMM_WORLD);
    if (rank == 0) std::filesystem::create_directories(dir);
    MPI_Barrier(MPI_COMM_WORLD);
    const std::vector<std::string> args{
        "tilebragg", "-cell",        "50",  "50",      "50",  "90", "90", "90", "-default_F", "1", "-detpixels_f",
        "24",        "-detpixels_s", "16",  "-roi",    "2",   "20", "1",  "14", "-twotheta",  "8", "-detector_rotx",
        "3",         "-osc",         "0.5", "-h5file", "x.h5"};
    const Experiment e = setup_experiment(parse_command_line(args).params);
    Hdf5RunDescription run;
    run.ranks = ranks;
    run.series = "rotation";
    run.start_epoch_s = 1.7e9;
    run.end_epoch_s = 1.7e9 + 12.5;
    for (int i = 0; i < 3; ++i) run.images.push_back(image_record(e, 0.5 * i));
    for (int r = 0; r < ranks; ++r)
        run.timing.ranks.push_back(
            {r, "node" + std::to_string(r), 2, 3, 100, 0.5, 0.1, 0.2, 1, "cpu", "2 OpenMP threads"});
    run.timing.items.push_back({0, 0, 0, 0.0, 0.5});

    const std::string parallel = (dir / "parallel.h5").string(), serial = (dir / "serial.h5").string();
    write_metadata(parallel, MPI_COMM_WORLD, e, run);
    if (rank == 0) write_metadata(serial, MPI_COMM_NULL, e, run);
    MPI_Barrier(MPI_COMM_WORLD);
    if (rank == 0) {
        const std::string a = dump(parallel), b = dump(serial);
        EXPECT_NE(a.find("pixel_mask"), std::string::npos);
        EXPECT_NE(a.find("\"NXmx\""), std::string::npos);
        EXPECT_EQ(a, b);
        std::filesystem::remove_all(dir);
    }
    MPI_Barrier(MPI_COMM_WORLD);
}

}  // namespace
}  // namespace tilebragg

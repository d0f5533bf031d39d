// tilebragg: parse -> setup -> run -> exit code, on every rank of the job.
// Every rank parses the same arguments and so fails the same way; rank 0 alone speaks.
//
// Built twice. tilebragg-mpi is the whole program. tilebragg (TILEBRAGG_SINGLE_PROCESS)
// is the same program without MPI and HDF5, so that a plain run loads neither library
// (their start-up costs more than a small image takes to render); a run that needs them,
// under an MPI launcher or with -h5file, replaces itself with tilebragg-mpi from the
// same folder, with the same arguments.
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include <tilebragg/command_line.hpp>
#include <tilebragg/errors.hpp>
#include <tilebragg/mpi_session.hpp>
#include <tilebragg/output_paths.hpp>
#include <tilebragg/simulation.hpp>

#if defined(TILEBRAGG_SINGLE_PROCESS)
namespace {

// execv of tilebragg-mpi next to this program; returns only on failure (exit status 2).
[[noreturn]] void hand_over_to_mpi_program(char** argv) {
    char self[PATH_MAX + 1] = {};
    const ssize_t n = readlink("/proc/self/exe", self, PATH_MAX);
    std::string path = n > 0 ? std::string(self, static_cast<std::size_t>(n)) : std::string(argv[0]);
    path = path.substr(0, path.find_last_of('/') + 1) + "tilebragg-mpi";
    std::fflush(stdout);
    execv(path.c_str(), argv);
    std::fprintf(stderr, "tilebragg: error: this run needs MPI or HDF5, which are in %s: %s\n", path.c_str(),
                 std::strerror(errno));
    std::exit(2);
}

}  // namespace
#endif

int main(int argc, char** argv) {
    using namespace tilebragg;
#if defined(TILEBRAGG_SINGLE_PROCESS)
    if (launched_by_mpi()) hand_over_to_mpi_program(argv);
#endif
    MpiSession mpi(&argc, &argv);
    const bool speaker = mpi_rank() == 0;
    try {
        const std::vector<std::string> args(argv, argv + argc);
        ParsedCommandLine cli;
        agree_on_input(MPI_COMM_WORLD, [&] { cli = parse_command_line(args); });
        if (cli.markdown_help_requested) {
            if (speaker) print_usage_markdown(std::cout);
            return 0;
        }
        if (cli.help_requested || argc == 1) {
            if (speaker) print_usage(std::cout);
            return 0;
        }
#if defined(TILEBRAGG_SINGLE_PROCESS)
        if (!cli.params.h5file.empty()) hand_over_to_mpi_program(argv);
#endif
        // Before anything is read or written: an output onto an input, a device or another
        // output's temporary file stops the run here, with nothing left behind.
        agree_on_input(MPI_COMM_WORLD, [&] { check_output_paths(cli.params); });
        return run_simulation(cli.params);
    } catch (const InputError& e) {
        std::fflush(stdout);
        if (speaker) std::cerr << "tilebragg: error: " << e.what() << '\n';
        return 2;
    } catch (const std::exception& e) {
        std::fflush(stdout);
        std::cerr << "tilebragg: internal error (rank " << mpi_rank() << "): " << e.what() << '\n';
        abort_job(3);
    }
}

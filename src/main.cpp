// tilebragg: parse -> setup -> run -> exit code, on every rank of the job.
// Every rank parses the same arguments and so fails the same way; rank 0 alone speaks.
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include <tilebragg/command_line.hpp>
#include <tilebragg/errors.hpp>
#include <tilebragg/mpi_session.hpp>
#include <tilebragg/output_paths.hpp>
#include <tilebragg/simulation.hpp>

int main(int argc, char** argv) {
    using namespace tilebragg;
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

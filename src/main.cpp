// tilebragg: parse -> setup -> run -> exit code.
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <vector>

#include <tilebragg/command_line.hpp>
#include <tilebragg/errors.hpp>
#include <tilebragg/simulation.hpp>

int main(int argc, char** argv) {
    using namespace tilebragg;
    try {
        const std::vector<std::string> args(argv, argv + argc);
        const ParsedCommandLine cli = parse_command_line(args);
        if (cli.markdown_help_requested) {
            print_usage_markdown(std::cout);
            return 0;
        }
        if (cli.help_requested || argc == 1) {
            print_usage(std::cout);
            return 0;
        }
        return run_simulation(cli.params);
    } catch (const InputError& e) {
        std::fflush(stdout);
        std::cerr << "tilebragg: error: " << e.what() << '\n';
        return 2;
    } catch (const std::exception& e) {
        std::fflush(stdout);
        std::cerr << "tilebragg: internal error: " << e.what() << '\n';
        return 3;
    }
}

#pragma once
// Runs the simulator as a child process, the way a user would, so the parity tests
// exercise the real command line, file writing and exit code.
#include <filesystem>
#include <string>
#include <vector>

namespace tilebragg::golden {

struct RunResult {
    bool started = false;
    int exit_code = -1;  // valid when the child exited normally
    int signal = 0;      // non-zero when a signal ended it
    bool timed_out = false;
    double seconds = 0.0;
    std::filesystem::path log;  // stdout and stderr of the child together

    bool ok() const { return started && !timed_out && signal == 0 && exit_code == 0; }
    std::string describe() const;  // "exit code 3", "killed by signal 11 (Segmentation fault)"...
};

// Runs program with args in working_dir, output to working_dir/run.log. The child is
// killed (with everything it started) after timeout_s seconds.
RunResult run_program(const std::filesystem::path& program, const std::vector<std::string>& args,
                      const std::filesystem::path& working_dir, double timeout_s);

// The last max_bytes of a file, for failure messages.
std::string tail_of_file(const std::filesystem::path& path, std::size_t max_bytes = 4000);

}  // namespace tilebragg::golden

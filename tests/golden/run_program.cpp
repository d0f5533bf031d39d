#include "run_program.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <thread>

namespace tilebragg::golden {

std::string RunResult::describe() const {
    std::ostringstream out;
    if (!started)
        out << "could not be started";
    else if (timed_out)
        out << "timed out after " << seconds << " s and was killed";
    else if (signal != 0)
        out << "killed by signal " << signal << " (" << strsignal(signal) << ")";
    else
        out << "exit code " << exit_code;
    return out.str();
}

RunResult run_program(const std::filesystem::path& program, const std::vector<std::string>& args,
                      const std::filesystem::path& working_dir, double timeout_s) {
    RunResult result;
    result.log = working_dir / "run.log";

    std::vector<std::string> argv_text;
    argv_text.push_back(program.string());
    argv_text.insert(argv_text.end(), args.begin(), args.end());
    std::vector<char*> argv;
    for (std::string& a : argv_text) argv.push_back(a.data());
    argv.push_back(nullptr);

    // Everything the child needs is prepared before fork(): only async-signal-safe
    // calls are allowed between fork and exec in a threaded parent.
    const std::string dir = working_dir.string();
    const std::string log = result.log.string();
    const int log_fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (log_fd < 0) return result;

    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = ::fork();
    if (pid < 0) {
        ::close(log_fd);
        return result;
    }
    if (pid == 0) {
        // Own process group, so a timeout also reaches helpers the program spawned
        // (an MPI singleton starts a daemon).
        ::setpgid(0, 0);
        if (::chdir(dir.c_str()) != 0) ::_exit(126);
        ::dup2(log_fd, STDOUT_FILENO);
        ::dup2(log_fd, STDERR_FILENO);
        const int devnull = ::open("/dev/null", O_RDONLY);
        if (devnull >= 0) ::dup2(devnull, STDIN_FILENO);
        ::execv(argv[0], argv.data());
        const char msg[] = "golden test harness: exec failed\n";
        ssize_t ignored = ::write(STDERR_FILENO, msg, sizeof msg - 1);
        (void)ignored;
        ::_exit(127);
    }
    ::setpgid(pid, pid);  // also here: whichever of parent and child runs first wins
    ::close(log_fd);
    result.started = true;

    int status = 0;
    while (true) {
        const pid_t done = ::waitpid(pid, &status, WNOHANG);
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        if (done == pid) {
            result.seconds = elapsed;
            break;
        }
        if (done < 0 && errno != EINTR) {
            result.seconds = elapsed;
            result.started = false;
            return result;
        }
        if (elapsed > timeout_s) {
            ::kill(-pid, SIGKILL);
            ::waitpid(pid, &status, 0);
            result.timed_out = true;
            result.seconds = elapsed;
            return result;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (WIFEXITED(status)) {
        result.exit_code = WEXITSTATUS(status);
        if (result.exit_code == 127 || result.exit_code == 126) {
            // Distinguish "could not exec" from the program's own exit codes via the log.
            const std::string tail = tail_of_file(result.log, 200);
            if (tail.find("golden test harness: exec failed") != std::string::npos) result.started = false;
        }
    } else if (WIFSIGNALED(status)) {
        result.signal = WTERMSIG(status);
    }
    return result;
}

std::string tail_of_file(const std::filesystem::path& path, std::size_t max_bytes) {
    std::ifstream in(path, std::ios::binary | std::ios::ate);
    if (!in) return "(no " + path.string() + ")";
    const std::streamoff size = in.tellg();
    const std::streamoff from =
        size > static_cast<std::streamoff>(max_bytes) ? size - static_cast<std::streamoff>(max_bytes) : 0;
    in.seekg(from);
    std::string text(static_cast<std::size_t>(size - from), '\0');
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    return (from > 0 ? "...\n" : "") + text;
}

}  // namespace tilebragg::golden

#include <tilebragg/stop_signal.hpp>

#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <thread>

#include <tilebragg/mpi_session.hpp>

namespace tilebragg {
namespace {

volatile std::sig_atomic_t received = 0;

// --- mpirun's SIGCONT ----------------------------------------------------------------
// A heartbeat thread stamps the monotonic clock every 10 ms. While the process is
// stopped no thread runs, so a continue after a stop finds the last stamp old, or (if
// the heartbeat woke first) a gap that ended just now. A machine so loaded that the
// heartbeat starves looks the same, and then the SIGCONT is ignored: the safe side,
// since the SIGTERM that follows still stops the run.
constexpr long long kTickNs = 10'000'000;       // heartbeat period
constexpr long long kGapNs = 100'000'000;       // a pause longer than this was a stop (or starvation)
constexpr long long kRecentNs = 1'000'000'000;  // a gap that ended this recently still counts
static_assert(std::atomic<long long>::is_always_lock_free, "the signal handler reads these");
std::atomic<long long> last_tick_ns{0};
std::atomic<long long> last_gap_end_ns{0};
std::atomic<bool> heartbeat_running{false};

long long now_ns() {
    timespec t{};
    clock_gettime(CLOCK_MONOTONIC, &t);  // async-signal-safe
    return static_cast<long long>(t.tv_sec) * 1'000'000'000LL + t.tv_nsec;
}

void heartbeat() {
    const timespec period{0, kTickNs};
    for (;;) {
        nanosleep(&period, nullptr);
        const long long t = now_ns();
        if (t - last_tick_ns.load() > kGapNs) last_gap_end_ns.store(t);
        last_tick_ns.store(t);
    }
}

bool continued_while_running() {
    const long long t = now_ns();
    return t - last_tick_ns.load() <= kGapNs && t - last_gap_end_ns.load() >= kRecentNs;
}

extern "C" void remember_signal(int signal, siginfo_t* info, void*) {
    if (received != 0) return;  // the first request is the one reported
    if (signal == SIGCONT) {
        // Only from the launcher itself, and never after a stop (see the header).
        if (!heartbeat_running.load() || info == nullptr || info->si_pid != getppid()) return;
        if (!continued_while_running()) return;
    }
    received = signal;
}

// Open MPI's launcher (mpirun or its daemon on a remote host) sets this in every rank.
bool under_open_mpi_launcher() { return std::getenv("OMPI_COMM_WORLD_SIZE") != nullptr; }

void start_heartbeat() {
    if (heartbeat_running.exchange(true)) return;
    last_tick_ns.store(now_ns());
    last_gap_end_ns.store(now_ns() - 2 * kRecentNs);
    std::thread(heartbeat).detach();
}

// --- test switches ------------------------------------------------------------------

int switch_value(const char* name) {
    const char* text = std::getenv(name);
    if (text == nullptr) return 0;
    char* end = nullptr;
    const long v = std::strtol(text, &end, 10);
    return end != text && *end == '\0' && v > 0 && v < 1000000 ? static_cast<int>(v) : 0;
}

void hold(int images) {
    const char* rank = std::getenv("OMPI_COMM_WORLD_RANK");
    std::fprintf(stderr, "tilebragg: test hold after %d image(s) (pid %d, rank %s)\n", images,
                 static_cast<int>(getpid()), rank ? rank : "0");
    std::fflush(stderr);
    const timespec pause{0, 10'000'000};
    for (int i = 0; i < 12000 && received == 0; ++i) {
        nanosleep(&pause, nullptr);
        // A held rank still serves the others' one-sided requests: without RDMA (over
        // TCP, osc pt2pt) the work queue on rank 0 only moves while rank 0 calls MPI.
        if (mpi_active()) {
            int flag = 0;
            MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, MPI_STATUS_IGNORE);
        }
    }
    if (received == 0) {
        std::fprintf(stderr, "tilebragg: test hold: no stop request in 120 s\n");
        std::_Exit(70);
    }
}

}  // namespace

void install_stop_handlers() {
    struct sigaction action {};
    action.sa_sigaction = remember_signal;
    action.sa_flags = SA_SIGINFO | SA_RESTART;
    sigemptyset(&action.sa_mask);
    sigaction(SIGTERM, &action, nullptr);
    sigaction(SIGINT, &action, nullptr);
    if (under_open_mpi_launcher()) {
        start_heartbeat();
        sigaction(SIGCONT, &action, nullptr);
    }
}

int stop_signal() { return received; }

std::string stop_reason(int signal) {
    switch (signal) {
        case SIGTERM:
            return "signal 15 (SIGTERM)";
        case SIGINT:
            return "signal 2 (SIGINT)";
        case SIGCONT:
            return "SIGCONT from the launcher (mpirun's first step before SIGTERM and SIGKILL)";
        default:
            return "signal " + std::to_string(signal);
    }
}

int stop_exit_code(int signal) { return 128 + (signal == SIGCONT ? SIGTERM : signal); }

void image_recorded_complete() {
    static const int stop_after = switch_value("TILEBRAGG_TEST_STOP_AFTER_IMAGES");
    static const int hold_after = switch_value("TILEBRAGG_TEST_HOLD_AFTER_IMAGES");
    static int recorded = 0;
    ++recorded;
    if (recorded == stop_after && received == 0) received = SIGTERM;
    if (recorded == hold_after) hold(recorded);
}

}  // namespace tilebragg

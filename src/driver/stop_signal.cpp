#include <tilebragg/stop_signal.hpp>

#include <csignal>

namespace tilebragg {
namespace {

volatile std::sig_atomic_t received = 0;

extern "C" void remember_signal(int signal) { received = signal; }

}  // namespace

void install_stop_handlers() {
    std::signal(SIGTERM, remember_signal);
    std::signal(SIGINT, remember_signal);
}

int stop_signal() { return received; }

}  // namespace tilebragg

#include <tilebragg/progress.hpp>

#include <unistd.h>

#include <algorithm>

namespace tilebragg {

Progress::Progress(std::string what, double total, bool enabled)
    : what_(std::move(what)),
      total_(total > 0 ? total : 1),
      enabled_(enabled),
      terminal_(isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()),
      last_draw_(start_) {}

void Progress::advance(double amount) {
    done_ += amount;
    if (!enabled_) return;
    const auto now = std::chrono::steady_clock::now();
    const double since = std::chrono::duration<double>(now - last_draw_).count();
    // A terminal can take redraws often; a log file gets a line every 10 s.
    if (since >= (terminal_ ? 0.2 : 10.0)) {
        last_draw_ = now;
        draw(false);
    }
}

void Progress::finish() {
    if (!enabled_) return;
    // A log already holding the last state gets no second copy of it.
    if (!terminal_ && drawn_ == done_) return;
    if (terminal_ || std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count() >= 10.0)
        draw(true);
}

void Progress::draw(bool final) {
    drawn_ = done_;
    const double fraction = std::min(1.0, done_ / total_);
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    const double eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0;
    if (terminal_) {
        constexpr int kWidth = 40;
        const int filled = static_cast<int>(fraction * kWidth);
        std::fprintf(stderr, "\r%s [%s%s] %5.1f%% %6.1fs, ETA %6.1fs", what_.c_str(), std::string(filled, '#').c_str(),
                     std::string(kWidth - filled, '.').c_str(), 100 * fraction, elapsed, eta);
        if (final) std::fputc('\n', stderr);
    } else {
        std::fprintf(stderr, "%s: %.1f%% done, %.1f s elapsed, ETA %.1f s\n", what_.c_str(), 100 * fraction, elapsed,
                     eta);
    }
    std::fflush(stderr);
}

}  // namespace tilebragg

#pragma once
// Progress of a long run: a live bar with ETA on a terminal, a plain line every few
// seconds otherwise (batch logs).
#include <chrono>
#include <cstdio>
#include <string>

namespace tilebragg {

class Progress {
public:
    Progress(std::string what, double total, bool enabled);
    void advance(double amount);  // call from one thread only
    void finish();

private:
    void draw(bool final);
    std::string what_;
    double total_, done_ = 0;
    double drawn_ = -1;  // done_ at the last line drawn, so finish() does not repeat it
    bool enabled_, terminal_;
    std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace tilebragg

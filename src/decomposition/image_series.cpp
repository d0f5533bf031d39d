#include <tilebragg/image_series.hpp>

#include <sys/stat.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include <tilebragg/sampling_grid.hpp>

namespace tilebragg {
namespace {
// The command line's conversion (a division by this), so that a batch image and the
// single run it stands for get the same radians.
constexpr double kRTD = 180.0 * M_1_PI;
}  // namespace

SeriesKind series_kind(const Params& p) {
    return p.misset_given && p.misset_random ? SeriesKind::Serial : SeriesKind::Rotation;
}

const char* series_name(SeriesKind kind) { return kind == SeriesKind::Serial ? "serial" : "rotation"; }

double series_phi_degrees(const Params& p, int image) {
    const double phi0 = p.phi0 * kRTD;
    if (image == 0 || series_kind(p) == SeriesKind::Serial) return phi0;
    const double osc = resolve_phi(p.osc, p.phistep, p.phisteps).range * kRTD;
    char text[64];
    std::snprintf(text, sizeof text, "%.15g", phi0 + image * osc);
    return std::strtod(text, nullptr);
}

Params params_for_image(const Params& p, int image) {
    Params q = p;
    q.image = image;
    if (image == 0) return q;
    if (series_kind(p) == SeriesKind::Serial)
        q.misset_draw = p.misset_draw + image;
    else
        q.phi0 = series_phi_degrees(p, image) / kRTD;
    return q;
}

std::string indexed_file_name(const std::string& path, int image) {
    // /dev/null stays /dev/null: a new name next to a device would create a regular file
    // in /dev (as root) and leave the device unused.
    struct stat info {};
    if (::stat(path.c_str(), &info) == 0 && !S_ISREG(info.st_mode) && !S_ISDIR(info.st_mode)) return path;
    char suffix[32];
    std::snprintf(suffix, sizeof suffix, "_%05d", image);
    const auto slash = path.find_last_of('/');
    const auto dot = path.find_last_of('.');
    const std::size_t base = slash == std::string::npos ? 0 : slash + 1;
    const bool has_extension = dot != std::string::npos && dot > base;  // ".hidden" has none
    if (!has_extension) return path + suffix;
    return path.substr(0, dot) + suffix + path.substr(dot);
}

}  // namespace tilebragg

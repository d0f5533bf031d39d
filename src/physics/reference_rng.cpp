// Bit-for-bit reproduction depends on the float/double mix below and on no fused
// multiply-add contraction (the reference binary has none); keep this file free of
// -ffp-contract=fast / -march flags that enable FMA, or the last float digits can move.
#if defined(__clang__)
#pragma clang fp contract(off)
#elif defined(__GNUC__)
#pragma GCC optimize("fp-contract=off")
#endif

#include <tilebragg/reference_rng.hpp>

#include <cmath>

namespace tilebragg {
namespace {

constexpr std::int64_t kMultiplier = 16807;
constexpr std::int64_t kModulus = 2147483647;               // 2^31 - 1
constexpr std::int64_t kSchrageQ = kModulus / kMultiplier;  // 127773
constexpr std::int64_t kSchrageR = kModulus % kMultiplier;  // 2836
constexpr double kInverseModulus = 1.0 / kModulus;
constexpr double kLargestUniform = 1.0 - 1.2e-7;
constexpr int kWarmUpSteps = 8;  // LCG steps discarded before the table is filled

constexpr double kPi = 3.14159265358979323846;

// ln Gamma(x) by the 6-term Lanczos series of Numerical Recipes, evaluated in double
// but taking and returning float, which the rejection branch of poisson() relies on.
float log_gamma_lanczos(float xx) {
    static constexpr double kCoefficients[6] = {76.18009172947146,  -86.50532032941677,    24.01409824083091,
                                                -1.231739572450155, 0.1208650973866179e-2, -0.5395239384953e-5};
    const double x = xx;
    double shifted = x + 5.5;
    shifted -= (x + 0.5) * std::log(shifted);
    double series = 1.000000000190015;
    double denominator = x;
    for (double c : kCoefficients) {
        denominator += 1.0;
        series += c / denominator;
    }
    return static_cast<float>(-shifted + std::log(2.5066282746310005 * series / x));
}

}  // namespace

std::int64_t minimal_standard_next(std::int64_t x) {
    const std::int64_t k = x / kSchrageQ;
    std::int64_t next = kMultiplier * (x - k * kSchrageQ) - kSchrageR * k;
    if (next < 0) next += kModulus;
    return next;
}

ReferenceRandom::ReferenceRandom(std::int64_t stored_seed) : state_(stored_seed) {}

void ReferenceRandom::continue_with_seed(std::int64_t stored_seed) { state_ = stored_seed; }

void ReferenceRandom::reload_table() {
    // A stored seed s <= 0 means "start from -s"; anything that would start at 0 or
    // below starts from 1 instead (this includes positive stored values).
    state_ = (-state_ < 1) ? 1 : -state_;
    for (int step = kTableSize + kWarmUpSteps - 1; step >= 0; --step) {
        state_ = minimal_standard_next(state_);
        if (step < kTableSize) table_[static_cast<std::size_t>(step)] = state_;
    }
    last_ = table_[0];
}

float ReferenceRandom::uniform() {
    if (state_ <= 0 || last_ == 0) reload_table();
    state_ = minimal_standard_next(state_);
    // The previous output picks the slot; the slot's old value is this output.
    constexpr std::int64_t kSlotWidth = 1 + (kModulus - 1) / kTableSize;
    const auto slot = static_cast<std::size_t>(last_ / kSlotWidth);
    last_ = table_[slot];
    table_[slot] = state_;
    const float value = static_cast<float>(kInverseModulus * static_cast<double>(last_));
    if (value > kLargestUniform) return static_cast<float>(kLargestUniform);
    return value;
}

float ReferenceRandom::gaussian() {
    if (has_spare_normal_) {
        has_spare_normal_ = false;
        return spare_normal_;
    }
    float v1 = 0.0f;
    float v2 = 0.0f;
    float radius_sq = 0.0f;
    do {
        v1 = static_cast<float>(2.0 * uniform() - 1.0);
        v2 = static_cast<float>(2.0 * uniform() - 1.0);
        radius_sq = v1 * v1 + v2 * v2;
    } while (radius_sq >= 1.0f || radius_sq == 0.0f);
    const float factor = static_cast<float>(std::sqrt(-2.0 * std::log(static_cast<double>(radius_sq)) / radius_sq));
    spare_normal_ = v1 * factor;
    has_spare_normal_ = true;
    return v2 * factor;
}

float ReferenceRandom::poisson(float mean) {
    if (mean > 1.0e6f) {
        // Normal approximation, deliberately not rounded to an integer count.
        const float normal = gaussian();
        return static_cast<float>(static_cast<double>(mean) + std::sqrt(static_cast<double>(mean)) * normal);
    }
    if (mean < 12.0f) {
        // Count uniforms until their running product drops to exp(-mean); for a mean
        // <= 0 the first product already does, giving 0 after one draw.
        const float threshold = static_cast<float>(std::exp(-static_cast<double>(mean)));
        float count = -1.0f;
        float product = 1.0f;
        do {
            count += 1.0f;
            product *= uniform();
        } while (product > threshold);
        return count;
    }
    // Rejection against a Lorentzian envelope centred on the mean (NaN means land here
    // too and come back as NaN, as in the reference).
    const float width = static_cast<float>(std::sqrt(2.0 * mean));
    const float log_mean = static_cast<float>(std::log(static_cast<double>(mean)));
    const float log_norm = mean * log_mean - log_gamma_lanczos(static_cast<float>(mean + 1.0));
    float count = 0.0f;
    float accept = 0.0f;
    do {
        float y = 0.0f;
        do {
            y = static_cast<float>(std::tan(kPi * uniform()));
            count = width * y + mean;
        } while (count < 0.0f);
        count = static_cast<float>(std::floor(count));
        // Both the square and the exponent are float expressions in the reference.
        const float y_sq = y * y;
        const float exponent = count * log_mean - log_gamma_lanczos(static_cast<float>(count + 1.0)) - log_norm;
        accept = static_cast<float>(0.9 * (1.0 + y_sq) * std::exp(static_cast<double>(exponent)));
    } while (uniform() > accept);
    return count;
}

RotationMatrix random_cap_rotation(float cap_radians, ReferenceRandom& rng) {
    const double r1 = 2.0 * rng.uniform() - 1.0;
    const double r2 = 2.0 * rng.uniform() - 1.0;
    const double r3 = 2.0 * rng.uniform() - 1.0;

    // Axis uniform on the unit sphere (height r2, azimuth pi*r1); the angle has density
    // growing like angle^2 near zero, uniform in the volume of a ball of radius cap.
    const double ring = std::sqrt(1.0 - r2 * r2);
    const float shrink = std::pow(static_cast<float>(1.0 - r3 * r3), static_cast<float>(1.0 / 3.0));
    const double angle = cap_radians * shrink;  // float product, widened afterwards

    const double ax = ring * std::sin(kPi * r1);
    const double ay = ring * std::cos(kPi * r1);
    const double az = r2;

    // Rodrigues' formula, U = c I + (1 - c) a a^T + s [a]_x, written so that every
    // element rounds exactly like the reference's.
    const double c = std::cos(angle);
    const double one_minus_c = 1.0 - c;
    const double s = std::sin(angle);
    const double omc_ax = one_minus_c * ax;
    const double omc_ax_ay = omc_ax * ay;
    const double omc_ax_az = omc_ax * az;
    const double omc_ay_az = one_minus_c * ay * az;
    return RotationMatrix{c + one_minus_c * (ax * ax), omc_ax_ay - s * az,          omc_ax_az + s * ay,
                          omc_ax_ay + s * az,          c + one_minus_c * (ay * ay), omc_ay_az - s * ax,
                          omc_ax_az - s * ay,          omc_ay_az + s * ax,          c + one_minus_c * (az * az)};
}

std::vector<RotationMatrix> mosaic_domain_rotations(int domains, float spread_radians, ReferenceRandom& rng) {
    std::vector<RotationMatrix> rotations;
    rotations.reserve(domains > 0 ? static_cast<std::size_t>(domains) : 0u);
    for (int d = 0; d < domains; ++d) {
        rotations.push_back(random_cap_rotation(spread_radians, rng));
    }
    // One domain always sits exactly on the nominal orientation.
    if (!rotations.empty()) rotations[0] = RotationMatrix{1, 0, 0, 0, 1, 0, 0, 0, 1};
    return rotations;
}

namespace {

struct Row {
    double x, y, z;
};

double length(const Row& r) { return std::sqrt(r.x * r.x + r.y * r.y + r.z * r.z); }

void scale_down(Row& r, double len) {
    if (len > 0) {
        r.x /= len;
        r.y /= len;
        r.z /= len;
    }
}

Row unit_cross(const Row& a, const Row& b) {
    Row c{a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x};
    scale_down(c, length(c));
    return c;
}

}  // namespace

std::array<double, 3> rotation_to_misset(const RotationMatrix& u) {
    Row x{u[0], u[1], u[2]};
    Row y{u[3], u[4], u[5]};
    Row z{u[6], u[7], u[8]};

    const double lx = length(x);
    const double ly = length(y);
    const double lz = length(z);
    scale_down(x, lx);
    scale_down(y, ly);
    scale_down(z, lz);

    // With only one non-empty row, complete it with unit rows before rebuilding.
    if (lx >= 0 && ly <= 0 && lz <= 0) {
        y = {0, 1, 0};
        z = {0, 0, 1};
    }
    if (lx <= 0 && ly >= 0 && lz <= 0) {
        x = {1, 0, 0};
        z = {0, 0, 1};
    }
    if (lx <= 0 && ly <= 0 && lz >= 0) {
        x = {1, 0, 0};
        y = {0, 1, 0};
    }

    // Replace empty rows by the cross product of the other two; done twice so that a
    // second empty row can use the first one's replacement.
    for (int pass = 0; pass < 2; ++pass) {
        const Row x_cross_y = unit_cross(x, y);
        const Row y_cross_z = unit_cross(y, z);
        const Row z_cross_x = unit_cross(z, x);
        if (lx <= 0) x = y_cross_z;
        if (ly <= 0) y = z_cross_x;
        if (lz <= 0) z = x_cross_y;
    }

    scale_down(x, length(x));
    scale_down(y, length(y));
    scale_down(z, length(z));

    if (z.x * z.x < 1.0) {
        return {std::atan2(z.y, z.z), std::atan2(-z.x, std::sqrt(z.y * z.y + z.z * z.z)), std::atan2(y.x, x.x)};
    }
    return {std::atan2(1.0, 1.0) * 4, std::atan2(1.0, 1.0) * 2, std::atan2(x.y, -y.y)};
}

}  // namespace tilebragg

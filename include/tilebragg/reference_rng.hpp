#pragma once
// The random stream nanoBragg.c uses for crystal orientations (random misset, mosaic
// domains) and for its sequential noise image, reproduced number for number.
//
// The generator is the Park-Miller "minimal standard" LCG (x <- 16807 x mod 2^31-1)
// behind a 32-entry Bays-Durham shuffle, returning floats in (0, 1) with the top clamped
// to the float nearest 1 - 1.2e-7. Facts about the reference that shape this API:
//
// * Seeds are stored negated: the command line keeps -atoi(value). A stored value <= 0
//   (a user seed >= 0) reloads the shuffle table on the next draw, starting from
//   max(1, -stored); user seeds 0 and 1 therefore give the same stream.
// * The shuffle table is ONE static table shared by every stream of the program (misset,
//   then mosaic, then noise); each stream only owns its own integer state. Because every
//   stream starts from a stored seed <= 0 when the user seed is >= 0, the table is
//   reloaded at each hand-over and nothing leaks between streams. A NEGATIVE user seed
//   is stored positive, so no reload happens: on a fresh table (first stream of the run)
//   the reload still happens but starts from 1, i.e. seed -5 behaves as seed 1; on a
//   table already used by an earlier stream (mosaic after `-misset random`) the old table
//   is kept and only the integer state becomes 5. `continue_with_seed` models that
//   hand-over; `ReferenceRandom(stored)` models a fresh table.
// * User seed 2147483647 (= the modulus) drives the state to 0 on the table reload; the
//   first draw then returns exactly 0 and the next draw reloads from 1.
//
// Every float/double conversion of the reference is kept (its float intermediates
// decide the last digits of the printed misset angles), so do not "tidy" the types.
#include <array>
#include <cstdint>
#include <vector>

namespace tilebragg {

// One step of the minimal standard LCG, x <- 16807 x mod (2^31 - 1), by Schrage's
// factorisation (kept in 64-bit like the reference's `long`, including its behaviour for
// out-of-range states, which can come out negative).
std::int64_t minimal_standard_next(std::int64_t x);

class ReferenceRandom {
public:
    // `stored_seed` is the value as the reference stores it (minus the user's seed).
    explicit ReferenceRandom(std::int64_t stored_seed);

    // The command line's storage convention: -misset_seed 777 is stored as -777.
    static std::int64_t stored_from_user_seed(std::int64_t user_seed) { return -user_seed; }

    // Hand the shared shuffle table to another stream whose stored seed is given, the way
    // the reference passes a different seed variable to the same static generator.
    void continue_with_seed(std::int64_t stored_seed);

    // Uniform deviate in (0, 1), float like the reference (never exactly 1; exactly 0
    // only in the degenerate seed case described above).
    float uniform();

    // Standard normal deviate by the polar Box-Muller method; the second deviate of each
    // pair is kept for the next call, as the reference does.
    float gaussian();

    // Poisson deviate with the reference's method choice: product of uniforms below a
    // mean of 12, Lorentzian-comparison rejection up to 1e6, and mean + sqrt(mean) * normal
    // (not rounded) above. Means <= 0 give 0.
    float poisson(float mean);

    // Integer state of the current stream (the reference's idum), for diagnostics.
    std::int64_t state() const { return state_; }

private:
    static constexpr int kTableSize = 32;
    void reload_table();

    std::int64_t state_;
    std::int64_t last_ = 0;  // previous output of the shuffle; 0 means "table not loaded"
    std::array<std::int64_t, kTableSize> table_{};
    bool has_spare_normal_ = false;
    float spare_normal_ = 0.0f;
};

// Row-major 3x3 rotation matrix: {xx, xy, xz, yx, yy, yz, zx, zy, zz}; v' = U v.
using RotationMatrix = std::array<double, 9>;

// The reference's `-misset random` calls the cap generator with 90.0 and the generator
// reads its argument in RADIANS (the `-mosaic` value is converted from degrees first, the
// 90 is not). So the random misset rotates by up to 90 rad, i.e. many turns: the
// orientations are spread over the whole sphere, just not as "a 90 degree cap".
inline constexpr float kRandomMissetCapRadians = 90.0f;

// Random rotation: axis uniform on the sphere, angle = cap * (1 - r^2)^(1/3) with r
// uniform on [-1, 1]. Consumes exactly three uniforms (axis azimuth, axis height, angle).
// `cap_radians` is a float because the reference passes it as one (mosaic spread, in
// radians, is narrowed to float here).
RotationMatrix random_cap_rotation(float cap_radians, ReferenceRandom& rng);

// Mosaic domain orientations as the reference makes them: one cap rotation per domain
// from the mosaic stream, then domain 0 is overwritten by the identity (its three draws
// are still consumed).
std::vector<RotationMatrix> mosaic_domain_rotations(int domains, float spread_radians, ReferenceRandom& rng);

// Misset angles (rotx, roty, rotz) in radians such that U = Rz(rotz) Ry(roty) Rx(rotx),
// the order in which the reference applies `-misset` angles. Rows are re-normalised and
// empty rows rebuilt from cross products first, as the reference does; at the gimbal
// lock (|zx| >= 1) it returns (pi, pi/2, atan2(xy, -yy)).
std::array<double, 3> rotation_to_misset(const RotationMatrix& u);

}  // namespace tilebragg

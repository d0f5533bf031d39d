// Unit cell and orientation. Reproduces the reference's route exactly: reciprocal axes
// first (from the cell constants or the matrix file), misset applied to them, real axes
// from their cross products with the volume forced to the user's cell, then reciprocal
// axes regenerated from the real ones.
#include <tilebragg/crystal_setup.hpp>

#include <cfloat>
#include <cmath>
#include <cstdio>
#include <string>

#include <tilebragg/errors.hpp>
#include <tilebragg/matrix_file.hpp>
#include <tilebragg/rotation.hpp>

namespace tilebragg {
namespace {

constexpr double kRTD = 180.0 * M_1_PI;

Vec3 with_length(const Vec3& v, double length) {
    double old = norm(v);
    if (old <= 0.0) old = 1.0;
    return {length / old * v.x, length / old * v.y, length / old * v.z};
}

std::string degrees_text(double radians) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", radians * kRTD);
    return buf;
}

double clamp_unit(double v) { return v > 1.0 ? 1.0 : (v < -1.0 ? -1.0 : v); }
double clamp_cos(double v) { return v * v > 1.0 ? 1.0 : v; }

}  // namespace

CrystalModel setup_crystal(const Params& p, std::vector<std::string>& log) {
    CrystalModel m;
    Vec3 a_star{}, b_star{}, c_star{};
    double a_len = p.cell_a * 1e10, b_len = p.cell_b * 1e10, c_len = p.cell_c * 1e10;
    double alpha = p.cell_alpha, beta = p.cell_beta, gamma = p.cell_gamma;
    double V_cell = 0;

    if (p.user_cell) {
        if (b_len <= 0.0) b_len = a_len;
        if (c_len <= 0.0) c_len = a_len;
        if (alpha <= 0.0) alpha = M_PI / 2;
        if (beta <= 0.0) beta = M_PI / 2;
        if (gamma <= 0.0) gamma = M_PI / 2;
        const double s = (alpha + beta + gamma) / 2;
        double skew = std::sin(s) * std::sin(s - alpha) * std::sin(s - beta) * std::sin(s - gamma);
        if (skew < 0.0) skew = -skew;
        V_cell = 2.0 * a_len * b_len * c_len * std::sqrt(skew);
        if (!(V_cell > 0.0) || alpha + beta + gamma >= 2 * M_PI || alpha >= beta + gamma || beta >= alpha + gamma ||
            gamma >= alpha + beta)
            throw InputError("flag -cell: angles " + degrees_text(alpha) + " " + degrees_text(beta) + " " +
                             degrees_text(gamma) + " deg give no cell volume");
        const double V_star = 1.0 / V_cell;
        const double as = b_len * c_len * std::sin(alpha) * V_star;
        const double bs = c_len * a_len * std::sin(beta) * V_star;
        const double cs = a_len * b_len * std::sin(gamma) * V_star;
        double sin_gamma_star = clamp_unit(c_len * V_star / as / bs);
        double cos_alpha_star =
            clamp_cos((std::cos(beta) * std::cos(gamma) - std::cos(alpha)) / (std::sin(beta) * std::sin(gamma)));
        double cos_beta_star =
            clamp_cos((std::cos(gamma) * std::cos(alpha) - std::cos(beta)) / (std::sin(gamma) * std::sin(alpha)));
        double cos_gamma_star =
            clamp_cos((std::cos(alpha) * std::cos(beta) - std::cos(gamma)) / (std::sin(alpha) * std::sin(beta)));
        a_star = {as, 0.0, 0.0};
        b_star = {bs * cos_gamma_star, bs * sin_gamma_star, 0.0};
        c_star = {cs * cos_beta_star, cs * (cos_alpha_star - cos_beta_star * cos_gamma_star) / sin_gamma_star,
                  cs * V_cell / (a_len * b_len * c_len * sin_gamma_star)};
    }

    if (!p.matrix_file.empty()) {
        // The matrix holds the reciprocal axes as columns, scaled by the wavelength.
        const auto A = read_mosflm_matrix(p.matrix_file);
        const double scale = 1e-10 / p.lambda0;
        a_star = Vec3{A[0], A[3], A[6]} * scale;
        b_star = Vec3{A[1], A[4], A[7]} * scale;
        c_star = Vec3{A[2], A[5], A[8]} * scale;
        log.push_back("reading " + p.matrix_file);
    }
    if (!p.user_cell && p.matrix_file.empty())
        throw InputError("no unit cell: give -cell a b c alpha beta gamma or -matrix FILE");

    const Vec3 misset = p.misset;  // a random misset has been drawn by the caller
    if (p.misset_given) {
        a_star = rotate_xyz(a_star, misset.x, misset.y, misset.z);
        b_star = rotate_xyz(b_star, misset.x, misset.y, misset.z);
        c_star = rotate_xyz(c_star, misset.x, misset.y, misset.z);
        m.misset_applied = true;
        m.misset_deg = misset * kRTD;
    }

    Vec3 a_star_x_b_star = cross(a_star, b_star);
    Vec3 b_star_x_c_star = cross(b_star, c_star);
    Vec3 c_star_x_a_star = cross(c_star, a_star);
    double V_star = dot(a_star, b_star_x_c_star);
    if (p.user_cell) {
        // Keep the user's cell lengths and volume whatever the matrix said.
        b_star_x_c_star = with_length(b_star_x_c_star, a_len / V_cell);
        c_star_x_a_star = with_length(c_star_x_a_star, b_len / V_cell);
        a_star_x_b_star = with_length(a_star_x_b_star, c_len / V_cell);
        V_star = 1.0 / V_cell;
    }
    V_cell = 1.0 / V_star;
    if (!std::isfinite(V_cell) || V_cell <= 0.0)
        throw InputError("matrix file " + p.matrix_file +
                         ": reciprocal axes give no cell volume (or a left-handed one)");
    const Vec3 a = b_star_x_c_star * V_cell;
    const Vec3 b = c_star_x_a_star * V_cell;
    const Vec3 c = a_star_x_b_star * V_cell;
    a_star = cross(b, c) * V_star;
    b_star = cross(c, a) * V_star;
    c_star = cross(a, b) * V_star;

    auto angle = [](double sine, double cosine) { return std::atan2(clamp_unit(sine), clamp_cos(cosine)); };
    m.cell[0] = norm(a);
    m.cell[1] = norm(b);
    m.cell[2] = norm(c);
    m.cell[3] = angle(norm(a_star) * V_cell / m.cell[1] / m.cell[2], dot(b, c) / m.cell[1] / m.cell[2]) * kRTD;
    m.cell[4] = angle(norm(b_star) * V_cell / m.cell[0] / m.cell[2], dot(a, c) / m.cell[0] / m.cell[2]) * kRTD;
    m.cell[5] = angle(norm(c_star) * V_cell / m.cell[0] / m.cell[1], dot(a, b) / m.cell[0] / m.cell[1]) * kRTD;
    const double ra = norm(a_star), rb = norm(b_star), rc = norm(c_star);
    m.reciprocal_cell[0] = ra;
    m.reciprocal_cell[1] = rb;
    m.reciprocal_cell[2] = rc;
    m.reciprocal_cell[3] = angle(m.cell[0] * V_star / rb / rc, dot(b_star, c_star) / rb / rc) * kRTD;
    m.reciprocal_cell[4] = angle(m.cell[1] * V_star / ra / rc, dot(a_star, c_star) / ra / rc) * kRTD;
    m.reciprocal_cell[5] = angle(m.cell[2] * V_star / ra / rb, dot(a_star, b_star) / ra / rb) * kRTD;
    m.volume_A3 = V_cell;

    m.a = a * 1e-10;
    m.b = b * 1e-10;
    m.c = c * 1e-10;
    m.a_star = a_star;
    m.b_star = b_star;
    m.c_star = c_star;

    m.Na = p.Na;
    m.Nb = p.Nb;
    m.Nc = p.Nc;
    if (p.sample_x > 0) m.Na = std::ceil(p.sample_x / norm(m.a));
    if (p.sample_y > 0) m.Nb = std::ceil(p.sample_y / norm(m.b));
    if (p.sample_z > 0) m.Nc = std::ceil(p.sample_z / norm(m.c));
    if (m.Na <= 1.0) m.Na = 1.0;
    if (m.Nb <= 1.0) m.Nb = 1.0;
    if (m.Nc <= 1.0) m.Nc = 1.0;
    m.shape = p.shape;
    m.fudge = p.fudge;
    return m;
}

std::vector<CellOrientation> crystal_orientations(const CrystalModel& crystal, const Vec3& spindle,
                                                  const std::vector<double>& phi_angles,
                                                  const std::vector<std::array<double, 9>>& mosaic_umats, bool mosaic) {
    std::vector<CellOrientation> out;
    out.reserve(phi_angles.size() * mosaic_umats.size());
    for (const double phi : phi_angles) {
        CellOrientation at_phi{crystal.a, crystal.b, crystal.c};
        if (phi != 0.0) {
            at_phi.a = rotate_about_axis(crystal.a, spindle, phi);
            at_phi.b = rotate_about_axis(crystal.b, spindle, phi);
            at_phi.c = rotate_about_axis(crystal.c, spindle, phi);
        }
        for (const auto& u : mosaic_umats) {
            if (mosaic)
                out.push_back({rotate_by(u, at_phi.a), rotate_by(u, at_phi.b), rotate_by(u, at_phi.c)});
            else
                out.push_back(at_phi);
        }
    }
    return out;
}

}  // namespace tilebragg

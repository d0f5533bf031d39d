#pragma once
// The reference's rules for filling in a (range, step, count) trio when the user gives
// only some of them: used for divergence, dispersion, sensor layers and phi.
namespace tilebragg {

struct SampledRange {
    double range;
    double step;
    int count;
};

// Divergence and dispersion: count points spanning [-range/2, +range/2].
// `unit_range` is the range chosen when only a count is given.
SampledRange resolve_span(double range, double step, int count, double unit_range);

// Sensor layers: like resolve_span but a lone thickness gives two half-thickness layers.
SampledRange resolve_layers(double thickness, double step, int count);

// Spindle: count steps of `step` starting at phi0 across the oscillation `range`.
SampledRange resolve_phi(double osc, double phistep, int phisteps);

}  // namespace tilebragg

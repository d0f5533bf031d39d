#include <tilebragg/sampling_grid.hpp>

#include <cmath>

namespace tilebragg {

SampledRange resolve_span(double range, double step, int count, double unit_range) {
    if (count <= 0) {
        if (range < 0) {
            if (step <= 0) return {0, 0, 1};
            return {step, step, 2};
        }
        if (step <= 0) return {range, range, 2};
        return {range, step, static_cast<int>(std::ceil(range / step))};
    }
    if (range < 0) {
        if (step <= 0) return {unit_range, unit_range / count, count};
        return {step, step, 2};
    }
    if (step <= 0) {
        if (count <= 1) count = 2;
        return {range, range / (count - 1), count};
    }
    return {range, step, count};
}

SampledRange resolve_layers(double thickness, double step, int count) {
    if (count <= 0) {
        if (thickness < 0) {
            if (step <= 0) return {0, 0, 1};
            return {step, step, 2};
        }
        if (step <= 0) return {thickness, thickness / 2, 2};
        return {thickness, step, static_cast<int>(std::ceil(thickness / step))};
    }
    if (thickness < 0) {
        if (step <= 0) return {0.5e-6, 0.5e-6 / count, count};
        return {step, step, 2};
    }
    if (step <= 0) {
        if (count <= 1) count = 2;
        return {thickness, thickness / (count - 1), count};
    }
    return {thickness, step, count};
}

SampledRange resolve_phi(double osc, double phistep, int phisteps) {
    if (phisteps < 0) {
        if (osc < 0) {
            if (phistep <= 0) return {0, 0, 1};
            return {phistep, phistep, 2};
        }
        if (phistep <= 0) return {osc, osc / 2.0, 2};
        return {osc, phistep, static_cast<int>(std::ceil(osc / phistep))};
    }
    if (phisteps == 0) phisteps = 1;
    if (osc < 0) {
        if (phistep <= 0) {
            const double one_degree = 1.0 / (180.0 * M_1_PI);
            return {one_degree, one_degree / phisteps, phisteps};
        }
        return {phistep, phistep, 2};
    }
    if (phistep < 0) return {osc, osc / phisteps, phisteps};
    return {osc, phistep, phisteps};
}

}  // namespace tilebragg

#pragma once
// The kernel paths the GPU tests walk, shared by the tests on the GPU
// (test_gpu_kernel.cpp) and the CUDA kernel's per-pixel function run on the host
// (test_kernel_on_host.cu).
#include <tilebragg/experiment.hpp>

#include "gpu_support.hpp"

namespace tilebragg::gpu_test {

struct KernelCase {
    const char* name;
    const char* args;
    bool masked = false;  // a pixel mask set on the experiment (every fifth pixel off)
};

// One or more per path: the square crystal on the recurrence (default F and the box) and
// on sines (unequal N, N > 10), every other spot shape (the general step), interpolated
// F_cell, each -oversample_* switch, water with the zero-F_latt skip rule, thick and
// curved detectors, point pixels, divergence, dispersion, a source file, mosaic domains,
// phi steps, ROI, mask, dmin, and more orientations than fit in shared memory.
inline const KernelCase kCases[] = {
    {"square_recurrence", "-cell 100 100 100 90 90 90 -default_F 100 -N 5 -lambda 6.2 -distance 100 -detpixels 96"},
    {"square_sines_unequal_N",
     "-cell 70 80 90 75 85 95 -default_F 100 -Na 3 -Nb 4 -Nc 12 -lambda 1 -distance 100 "
     "-detpixels 96 -mosaic 0.5 -mosaic_dom 3 -mosaic_seed 4"},
    {"square_sines_N12", "-cell 100 100 100 90 90 90 -default_F 100 -N 12 -lambda 1 -distance 100 -detpixels 80"},
    {"hkl_nearest_box",
     "-hkl @inputs/cubic100.hkl -cell 100 100 100 90 90 90 -default_F 3 -N 5 -lambda 1 "
     "-distance 100 -detpixels 96 -nointerpolate"},
    {"hkl_interpolate",
     "-hkl @inputs/cubic100.hkl -cell 100 100 100 90 90 90 -N 2 -lambda 1 -distance 100 "
     "-detpixels 96 -interpolate"},
    {"matrix_mosaic_phi_oversample",
     "-hkl @inputs/P1.hkl -matrix @inputs/A.mat -lambda 6.2 -N 5 -distance 100 "
     "-detpixels 128 -mosaic 0.2 -mosaic_dom 10 -mosaic_seed 7 -oversample 2 "
     "-phisteps 2 -osc 0.1"},
    {"gauss_oversample_omega",
     "-cell 100 100 100 90 90 90 -default_F 100 -N 15 -gauss_xtal -detpixels 64 "
     "-oversample_omega -oversample 2 -mosaic 5 -mosaic_dom 3 -mosaic_seed 11"},
    {"gauss_water",
     "-cell 100 100 100 90 90 90 -default_F 100 -N 5 -gauss_xtal -fudge 1.5 -lambda 1 -distance 80 "
     "-detpixels 80 -water 0.2"},
    {"round_thick_oversample_thick_polar",
     "-cell 100 100 100 90 90 90 -default_F 100 -N 6 -round_xtal -detpixels 64 "
     "-detector_thick 100 -thicksteps 2 -oversample_thick -oversample_polar"},
    {"tophat_divergence",
     "-cell 100 100 100 90 90 90 -default_F 100 -N 6 -tophat_spots -detpixels 64 "
     "-divergence 0.2 -divsteps 2 -lambda 6.2"},
    {"curved_point_oversample",
     "-cell 100 100 100 90 90 90 -default_F 100 -N 5 -lambda 1 -curved_det -distance 50 "
     "-detpixels 72 -oversample 2 -point_pixel"},
    {"curved_thick_rotated",
     "-cell 100 100 100 90 90 90 -default_F 100 -N 5 -lambda 1 -curved_det -distance 60 "
     "-detpixels 72 -detector_thick 50 -thicksteps 2 -detector_rotx 4 -twotheta 6"},
    {"absorption_layers",
     "-cell 100 100 100 90 90 90 -default_F 100 -N 5 -lambda 1.0 -distance 100 -detpixels 80 "
     "-detector_abs 320 -detector_thick 100 -thicksteps 3 -detector_rotx 10"},
    {"roi_dmin_water",
     "-cell 100 100 100 90 90 90 -default_F 100 -N 4 -lambda 2 -distance 60 -detpixels_f 90 "
     "-detpixels_s 40 -roi 3 80 5 33 -dmin 4 -water 0.1"},
    {"divergence_dispersion",
     "-cell 100 100 100 90 90 90 -default_F 100 -N 5 -lambda 1 -distance 100 -detpixels 80 "
     "-divergence 0.3 -divsteps 2 -dispersion 0.4 -dispsteps 3"},
    {"sourcefile",
     "-cell 100 100 100 90 90 90 -default_F 100 -N 5 -lambda 1.0 -distance 100 -detpixels 80 "
     "-sourcefile @inputs/sources.txt"},
    {"nopolar_oversample_polar",
     "-cell 100 100 100 90 90 90 -default_F 100 -N 5 -lambda 1 -distance 60 -detpixels 64 "
     "-nopolar -oversample_polar -oversample 2"},
    {"orientations_beyond_shared_memory",
     "-cell 100 100 100 90 90 90 -default_F 100 -N 5 -lambda 6.2 -distance 100 "
     "-detpixels 32 -mosaic 1 -mosaic_dom 520 -mosaic_seed 3"},
    {"mask", "-cell 100 100 100 90 90 90 -default_F 100 -N 5 -lambda 6.2 -distance 100 -detpixels 80", true},
};

// The case's experiment, with its mask when it has one.
inline Experiment experiment_for(const KernelCase& c) {
    Experiment e = experiment_of(c.args);
    if (c.masked) {
        const int nf = e.detector.fpixels, ns = e.detector.spixels;
        e.mask.assign(static_cast<std::size_t>(nf) * ns, 1);
        for (int s = 0; s < ns; ++s)
            for (int f = 0; f < nf; ++f)
                if ((7 * f + 3 * s) % 5 == 0) e.mask[static_cast<std::size_t>(s) * nf + f] = 0;
    }
    return e;
}

}  // namespace tilebragg::gpu_test

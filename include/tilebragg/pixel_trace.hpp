#pragma once
// -printout / -printout_pixel: the quantities behind one pixel, for checking a geometry
// by hand. Computed by the pixel model in the kernel's precision, and taken, as the
// reference reports them, at the pixel's last sensor layer, last sub-pixel, last source
// and last (phi, mosaic) orientation.
#include <cstdio>
#include <vector>

#include <tilebragg/experiment.hpp>
#include <tilebragg/kernel_view.hpp>

namespace tilebragg {

struct PixelTrace {
    int fpixel = 0, spixel = 0;
    Vec3 position;    // m, of the last sub-pixel (on the sphere for -curved_det)
    double stol = 0;  // sin(theta)/lambda, 1/m
    double h = 0, k = 0, l = 0;
    int h0 = 0, k0 = 0, l0 = 0;
    double F_cell = 0, F_latt = 0;
    double omega = 0, capture = 0, polar = 0;
    Vec3 a, b, c;     // the last orientation's real-space axes, Angstrom
    float value = 0;  // the pixel, rendered alone by the CPU kernel
};

template <typename T>
PixelTrace trace_pixel(const KernelView<T>& k, int fpixel, int spixel);

void print_pixel_trace(const PixelTrace& t, float pixel_value, std::FILE* out);

// -printout: every pixel of the ROI, or the one -printout_pixel names, in the precision
// the run asked for; `image` is the rendered image (its values are what is printed).
void print_pixel_traces(const Experiment& e, const std::vector<float>& image, std::FILE* out);

}  // namespace tilebragg

#pragma once
// -printout / -printout_pixel: the quantities behind one pixel, for checking a geometry
// by hand. Taken, as the reference reports them, at the pixel's last sub-pixel, last
// source and last (phi, mosaic) orientation; the pixel value comes from the image.
#include <cstdio>

#include <tilebragg/experiment.hpp>

namespace tilebragg {

struct PixelTrace {
    int fpixel = 0, spixel = 0;
    Vec3 position;              // m, of the last sub-pixel
    double stol = 0;            // sin(theta)/lambda, 1/m
    double h = 0, k = 0, l = 0;
    int h0 = 0, k0 = 0, l0 = 0;
    double F_cell = 0, F_latt = 0;
    double omega = 0, capture = 0;
    CellOrientation cell;       // m
};

PixelTrace trace_pixel(const Experiment& e, int fpixel, int spixel);

void print_pixel_trace(const PixelTrace& t, float pixel_value, std::FILE* out);

}  // namespace tilebragg

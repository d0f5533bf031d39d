// Which cache lines of the F box a geometry's lookups touch, counted exactly: for every
// sub-pixel and crystal orientation, the nearest reflection the kernel computes (the
// pixel model's functions, in float), as the 64-byte line of the float box it lands in.
// Prints the lines touched by the whole image, by a tile of whole rows, by a row, by one
// chunk of 64 pixels (the kernel's unit) and by one 16-lane gather.
//   f_working_set [rows per tile] -- tilebragg flags (-hkl, -matrix, ...)
// Flat, single-layer detectors with one source; issue 15 (docs/scaling.md).
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include <tilebragg/command_line.hpp>
#include <tilebragg/experiment.hpp>
#include <tilebragg/kernel_data.hpp>
#include <tilebragg/pixel_model.hpp>
#include <tilebragg/structure_factor.hpp>

using namespace tilebragg;

int main(int argc, char** argv) {
    int rows_per_tile = 8;
    std::vector<std::string> args{"tilebragg"};
    int i = 1;
    if (i < argc && std::string(argv[i]) != "--") rows_per_tile = std::atoi(argv[i++]);
    if (i < argc && std::string(argv[i]) == "--") ++i;
    for (; i < argc; ++i) args.push_back(argv[i]);
    Params p = parse_command_line(args).params;
    p.fdump_file = "/nonexistent/f_working_set/Fdump.bin";
    const Experiment e = setup_experiment(p);
    const KernelData<float> data(e);
    const KernelView<float>& k = data.view();
    const StructureFactorView<float>& F = k.F;
    const DetectorView<float>& d = k.detector;
    const CrystalView<float>& x = k.crystal;
    if (!F.has_hkls || d.curved || d.layers != 1 || k.beam.sources != 1) {
        std::fprintf(stderr, "f_working_set: needs -hkl, a flat single-layer detector and one source\n");
        return 2;
    }
    constexpr int kChunk = 64, kGather = 16, kLine = 16;  // pixels, lanes, floats per 64-byte line
    std::unordered_set<long> image, tile, row, chunk;
    double tiles = 0, tile_lines = 0, row_lines = 0, chunk_lines = 0, chunks = 0, gather_lines = 0, gathers = 0;
    long lookups = 0, inside = 0;
    for (int s = 0; s < d.spixels; ++s) {
        if (s % rows_per_tile == 0 && s > 0) tile_lines += double(tile.size()), tiles += 1, tile.clear();
        row.clear();
        for (int f0 = 0; f0 < d.fpixels; f0 += kChunk) {
            chunk.clear();
            for (int sub_s = 0; sub_s < d.oversample; ++sub_s)
                for (int sub_f = 0; sub_f < d.oversample; ++sub_f)
                    for (int o = 0; o < x.orientations; ++o)
                        for (int g = 0; g < kChunk; g += kGather) {
                            std::set<long> lanes;
                            for (int lane = g; lane < g + kGather; ++lane) {
                                const float Fd = subpixel_centre(d, f0 + lane, sub_f),
                                            Sd = subpixel_centre(d, s, sub_s);
                                const PixelRay<float> r = flat_pixel_ray(d, detector_point(d, Fd, Sd, 0.0f));
                                const Vec3T<float> S =
                                    scattering_vector(r.dir, k.beam.incident[0], k.beam.inv_lambda[0]);
                                const int h = int(nearest_index(miller_index(x.a[o], S)));
                                const int kk = int(nearest_index(miller_index(x.b[o], S)));
                                const int l = int(nearest_index(miller_index(x.c[o], S)));
                                const bool in = box_contains(F, h, kk, l);
                                ++lookups;
                                inside += in;
                                const long line = (in ? box_index(F, h, kk, l) : 0) / kLine;
                                lanes.insert(line);
                                image.insert(line), tile.insert(line), row.insert(line), chunk.insert(line);
                            }
                            gather_lines += double(lanes.size()), gathers += 1;
                        }
            chunk_lines += double(chunk.size()), chunks += 1;
        }
        row_lines += double(row.size());
    }
    tile_lines += double(tile.size()), tiles += 1;
    const long box = long(F.h_count) * F.k_count * F.l_count;
    std::printf("F box %d x %d x %d = %ld reflections, %.0f KiB as float\n", F.h_count, F.k_count, F.l_count, box,
                box * 4 / 1024.0);
    std::printf("lookups %ld, inside the box %.1f %%\n", lookups, 100.0 * inside / lookups);
    std::printf(
        "64-byte lines touched: image %zu (%.1f KiB), per tile of %d rows %.0f, per row %.0f, "
        "per %d-pixel chunk %.1f, per %d-lane gather %.2f\n",
        image.size(), image.size() * 64 / 1024.0, rows_per_tile, tile_lines / tiles, row_lines / d.spixels, kChunk,
        chunk_lines / chunks, kGather, gather_lines / gathers);
    return 0;
}

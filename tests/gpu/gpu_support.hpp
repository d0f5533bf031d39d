#pragma once
// What the GPU tests share: whether a GPU is visible, experiments from flags, images
// rendered through a renderer tile by tile, and how two renders compare.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include <tilebragg/experiment.hpp>
#include <tilebragg/renderer.hpp>
#include <tilebragg/tile.hpp>

namespace tilebragg::gpu_test {

// Empty when a CUDA GPU is visible; else why not (every GPU test skips with it).
const std::string& no_gpu_reason();
// "NVIDIA H200 (GPU 0)".
std::string gpu_name();

#define TB_SKIP_WITHOUT_GPU()                                                                                        \
    do {                                                                                                             \
        if (!::tilebragg::gpu_test::no_gpu_reason().empty()) GTEST_SKIP() << ::tilebragg::gpu_test::no_gpu_reason(); \
    } while (0)

// An experiment from flags ("@inputs" stands for the golden inputs folder); writes
// nothing (no Fdump cache).
Experiment experiment_of(const std::string& args);
Experiment experiment_of(std::vector<std::string> args);

// The whole image rendered by `r` (loaded with `e` here) in tiles of `tile` pixels
// (0: the whole image), each tile's buffer filled with `fill` first so that pixels the
// renderer leaves alone show. Adds the tiles' solid-angle sums into *omega_sum.
std::vector<float> render_image(Renderer& r, const Experiment& e, TileSize tile = {}, float fill = 0.0f,
                                double* omega_sum = nullptr);

bool same_bytes(const std::vector<float>& a, const std::vector<float>& b);

// Largest |a - b| over the largest |b|: how far apart two renders are, for the log.
double max_relative_difference(const std::vector<float>& a, const std::vector<float>& b);

}  // namespace tilebragg::gpu_test

#pragma once
// What the owner of a whole image does with it: the statistics and detector counts
// (once), the -printout traces, the reference's files (-floatfile, -intfile, ...), and
// the image's lines of the log, returned as text for rank 0 to print in image order.
#include <cstdint>
#include <string>
#include <vector>

#include <tilebragg/experiment.hpp>
#include <tilebragg/image_products.hpp>
#include <tilebragg/image_sink.hpp>

namespace tilebragg {

struct ImageFinish {
    int images_total = 1;
    bool batch = false;        // -images > 1: a header per image, numbered file names
    bool want_counts = false;  // the sink stores detector counts
    double phi_deg = 0;        // start of the image's oscillation
};

// What the renderer made of the image where it rendered it (a GPU: the statistics' sums
// and the detector counts, by the CPU's per-pixel rules), used instead of computing them
// again from the photons.
struct ProductsMade {
    StatisticsSums statistics;
    const std::uint16_t* counts = nullptr;  // whole image, the caller's
    bool counts_are_noise = false;
    NoiseTally noise;
};

struct FinishedOnOwner {
    ImageProducts products;
    ImageRecord record;
    std::string log;  // this image's lines of stdout
};

// `made`: null, or what the renderer made of the image (then nothing is computed again).
FinishedOnOwner finish_image(const Experiment& e, int image, const std::vector<float>& photons, double omega_sum,
                             const ImageFinish& how, const ProductsMade* made = nullptr);

}  // namespace tilebragg

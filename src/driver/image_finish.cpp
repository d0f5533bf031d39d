#include "driver/image_finish.hpp"

#include <cstdio>
#include <cstdlib>
#include <memory>

#include <tilebragg/image_series.hpp>
#include <tilebragg/legacy_outputs.hpp>
#include <tilebragg/pixel_trace.hpp>
#include <tilebragg/run_report.hpp>

namespace tilebragg {
namespace {

// The legacy files of image `image` of a batch: the same names with the image number.
Experiment with_indexed_outputs(Experiment e, int image) {
    Params& p = e.params;
    p.floatfile = indexed_file_name(p.floatfile, image);
    p.intfile = indexed_file_name(p.intfile, image);
    p.pgmfile = indexed_file_name(p.pgmfile, image);
    p.noisefile = indexed_file_name(p.noisefile, image);
    return e;
}

// A FILE* that collects text in memory, so that the reporting functions that print
// can be reused for a log that another rank prints.
class TextLog {
public:
    TextLog() : file_(open_memstream(&text_, &size_)) {}
    ~TextLog() {
        if (file_) std::fclose(file_);
        std::free(text_);
    }
    TextLog(const TextLog&) = delete;
    TextLog& operator=(const TextLog&) = delete;
    std::FILE* file() { return file_; }
    std::string text() {
        std::fflush(file_);
        return std::string(text_, size_);
    }

private:
    char* text_ = nullptr;
    std::size_t size_ = 0;
    std::FILE* file_;
};

}  // namespace

FinishedOnOwner finish_image(const Experiment& e, int image, const std::vector<float>& photons, double omega_sum,
                             const ImageFinish& how, const ProductsMade* made) {
    FinishedOnOwner out;
    TextLog log;
    if (how.batch)
        std::fprintf(log.file(), "\nimage %d of %d: phi = %.15g deg\n", image, how.images_total, how.phi_deg);
    out.products = made ? image_products_from(e, made->statistics, made->counts, made->counts_are_noise, made->noise)
                        : image_products(e, photons, how.want_counts);
    if (e.params.printout) print_pixel_traces(e, photons, log.file());
    print_statistics(e, out.products.stats, omega_sum, log.file());
    if (!e.params.h5_only)
        write_legacy_outputs(how.batch ? with_indexed_outputs(e, image) : e, photons, out.products, log.file());
    else if (out.products.counts_are_noise)
        std::fprintf(log.file(), "%.0f photons on noise image (%lld overloads)\n", out.products.noise.photons,
                     static_cast<long long>(out.products.noise.overloads));
    out.record = image_record(e, how.phi_deg);
    out.log = log.text();
    return out;
}

}  // namespace tilebragg

// The CUDA renderer: the arrays of the KernelView in GPU memory, split by concept as the
// view is, each uploaded only when it changes:
//   structure factors  once per job (kept while the Experiment's grid is the same one);
//   detector mask      when its contents change (once per job in practice);
//   beam (sources)     when they change (once per job in practice);
//   crystal            orientations, per image (a rotation series turns them).
// render() is enqueue + collect on the renderer's own stream: launch the kernel into a
// device image of the tile, then copy it into the caller's buffer.
//
// Whole images (the batch pipeline): start_whole_image enqueues, on the same stream, the
// kernel, the side sum, the image's statistics and counts (image_products.cu), and the
// copies of the photons, the counts and the sums into the driver's host buffers (pinned
// when the driver keeps them: keep_host_memory), then returns; collect_whole_image waits
// for that image's event. One stream keeps everything in order, so one device image and
// one scratch area serve every image in flight; only the small results per image have a
// pinned slot of their own.
#include <cuda_runtime.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include <tilebragg/cuda_renderer.hpp>
#include <tilebragg/kernel_data.hpp>

#include "kernel/cuda/cuda_check.hpp"
#include "kernel/cuda/device_buffer.hpp"
#include "kernel/cuda/image_products.hpp"
#include "kernel/cuda/orientation_rows.hpp"
#include "kernel/cuda/render_launch.hpp"
#include "kernel/orientation_path.hpp"

namespace tilebragg {
namespace cuda {
namespace {

// Uploads `now` unless it is, byte for byte, what went up last time.
template <typename X>
void upload_if_changed(DeviceBuffer<X>& device, std::vector<X>& uploaded, const std::vector<X>& now,
                       cudaStream_t stream) {
    const bool same = device.size() == now.size() && uploaded.size() == now.size() &&
                      (now.empty() || std::memcmp(uploaded.data(), now.data(), now.size() * sizeof(X)) == 0);
    if (same) return;
    device.upload(now.data(), now.size(), stream);
    uploaded = now;
}

struct DeviceDetector {
    DeviceBuffer<std::uint16_t> mask;
    std::vector<std::uint16_t> uploaded;

    void load(const std::vector<std::uint16_t>& m, cudaStream_t stream) {
        upload_if_changed(mask, uploaded, m, stream);
    }
    template <typename T>
    DetectorView<T> view(DetectorView<T> host) const {
        host.mask = host.mask ? mask.data() : nullptr;
        return host;
    }
};

template <typename T>
struct DeviceBeam {
    DeviceBuffer<Vec3T<T>> incident, e_in, b_in;
    DeviceBuffer<T> inv_lambda;
    std::vector<Vec3T<T>> incident_up, e_in_up, b_in_up;
    std::vector<T> inv_lambda_up;

    void load(const KernelData<T>& d, cudaStream_t stream) {
        upload_if_changed(incident, incident_up, d.incident(), stream);
        upload_if_changed(e_in, e_in_up, d.e_in(), stream);
        upload_if_changed(b_in, b_in_up, d.b_in(), stream);
        upload_if_changed(inv_lambda, inv_lambda_up, d.inv_lambda(), stream);
    }
    BeamView<T> view(BeamView<T> host) const {
        host.incident = incident.data();
        host.e_in = e_in.data();
        host.b_in = b_in.data();
        host.inv_lambda = inv_lambda.data();
        return host;
    }
    std::size_t bytes() const {
        return incident.bytes_held() + e_in.bytes_held() + b_in.bytes_held() + inv_lambda.bytes_held();
    }
};

// The view's axes, and the same orientations as the rows the kernel reads.
template <typename T>
struct DeviceCrystal {
    DeviceBuffer<Vec3T<T>> a, b, c;
    DeviceBuffer<T> rows;
    std::vector<T> rows_host;  // kept until the copy has surely left it (next load)

    void load(const KernelData<T>& d, cudaStream_t stream) {
        a.upload(d.a().data(), d.a().size(), stream);
        b.upload(d.b().data(), d.b().size(), stream);
        c.upload(d.c().data(), d.c().size(), stream);
        rows_host = orientation_rows(d.view().crystal);
        rows.upload(rows_host.data(), rows_host.size(), stream);
    }
    CrystalView<T> view(CrystalView<T> host) const {
        host.a = a.data();
        host.b = b.data();
        host.c = c.data();
        return host;
    }
    std::size_t bytes() const { return a.bytes_held() + b.bytes_held() + c.bytes_held() + rows.bytes_held(); }
};

// The F box in T (nearest reflection) and, for interpolation, in double; for T = double
// one array serves both.
template <typename T>
struct DeviceStructureFactors {
    std::shared_ptr<const StructureFactorTable<T>> table;  // what is on the device now
    DeviceBuffer<T> F;
    DeviceBuffer<double> F_double;

    void load(const std::shared_ptr<const StructureFactorTable<T>>& t, cudaStream_t stream) {
        if (t == table) return;
        const StructureFactorView<T>& v = t->view();
        const std::size_t n =
            v.has_hkls ? static_cast<std::size_t>(v.h_count) * static_cast<std::size_t>(v.k_count) * v.l_count : 0;
        F.upload(v.F, n, stream);
        if (!std::is_same_v<T, double> && v.interpolate) F_double.upload(v.F_double, n, stream);
        table = t;
    }
    StructureFactorView<T> view(StructureFactorView<T> host) const {
        host.F = F.data();
        if constexpr (std::is_same_v<T, double>)
            host.F_double = F.data();
        else
            host.F_double = F_double.data();
        return host;
    }
    std::size_t bytes() const { return F.bytes_held() + F_double.bytes_held(); }
};

// An image started and not yet collected: its results land in pinned memory, and its
// events say when the kernel ran and when everything was copied.
class ImageInFlight {
public:
    ImageInFlight() {
        check(cudaMallocHost(reinterpret_cast<void**>(&results_), sizeof(ProductResults)), "allocating pinned memory");
        check(cudaEventCreate(&kernel_start), "creating an event");
        check(cudaEventCreate(&kernel_end), "creating an event");
        check(cudaEventCreateWithFlags(&done, cudaEventBlockingSync), "creating an event");
    }
    ~ImageInFlight() {
        cudaEventDestroy(done);
        cudaEventDestroy(kernel_end);
        cudaEventDestroy(kernel_start);
        cudaFreeHost(results_);
    }
    ImageInFlight(const ImageInFlight&) = delete;
    ImageInFlight& operator=(const ImageInFlight&) = delete;

    ProductResults* results() const { return results_; }
    cudaEvent_t kernel_start = nullptr, kernel_end = nullptr, done = nullptr;

private:
    ProductResults* results_ = nullptr;
};

// Makes `device` current for the calling thread (a process may drive several GPUs).
void use_device(int device) { check(cudaSetDevice(device), "selecting the GPU"); }

template <typename T>
class Renderer final : public CudaRenderer {
public:
    explicit Renderer(int device) : device_(device) {
        use_device(device_);
        cudaDeviceProp prop{};
        check(cudaGetDeviceProperties(&prop, device_), "reading the GPU's properties");
        name_ = std::string(prop.name) + " (GPU " + std::to_string(device_) + ")";
        check(cudaStreamCreateWithFlags(&stream_, cudaStreamNonBlocking), "creating a stream");
        check(cudaEventCreate(&kernel_start_), "creating an event");
        check(cudaEventCreate(&kernel_end_), "creating an event");
    }
    ~Renderer() override {
        cudaSetDevice(device_);
        cudaStreamSynchronize(stream_);
        in_flight_.clear();
        spare_.clear();
        for (const auto& [data, bytes] : pinned_) cudaHostUnregister(data);
        cudaEventDestroy(kernel_end_);
        cudaEventDestroy(kernel_start_);
        cudaStreamDestroy(stream_);
    }
    Renderer(const Renderer&) = delete;
    Renderer& operator=(const Renderer&) = delete;

    std::string backend() const override { return "cuda"; }
    std::string device() const override { return name_; }

    // One launch covers a whole image easily (a 4096^2 detector is 65536 blocks), and a
    // whole image is what the batch pipeline keeps on the GPU.
    TileSize preferred_tile(int fpixels, int spixels, int) const override { return {fpixels, spixels}; }

    void load(const Experiment& e) override {
        use_device(device_);
        // The images of a series share one grid: its table is made (and uploaded) once.
        std::shared_ptr<const StructureFactorTable<T>> table;
        if (data_ && data_->table()->grid() == e.structure_factors) table = data_->table();
        data_.reset();
        data_.emplace(e, std::move(table));
        F_.load(data_->table(), stream_);
        detector_.load(e.mask, stream_);
        beam_.load(*data_, stream_);
        crystal_.load(*data_, stream_);
        const KernelView<T>& host = data_->view();
        view_ = host;
        view_.detector = detector_.view(host.detector);
        view_.beam = beam_.view(host.beam);
        view_.crystal = crystal_.view(host.crystal);
        view_.F = F_.view(host.F);
        path_ = choose_path(host);
    }

    TileSideSums render(const Tile& tile, float* out) override {
        use_device(device_);
        enqueue(tile, out);
        return collect(tile, out);
    }

    bool finishes_whole_images() const override { return true; }

    void start_whole_image(const WholeImageTarget& target, int ticket) override {
        use_device(device_);
        if (in_flight_.count(ticket))
            throw std::logic_error("CUDA renderer: image " + std::to_string(ticket) + " started twice");
        std::unique_ptr<ImageInFlight> image = take_slot();
        const DetectorView<T>& d = view_.detector;
        const Tile whole{0, d.fpixels, 0, d.spixels, 0};
        const std::size_t n = whole.pixels();
        pixels_.resize(n);
        if (!writes_every_pixel(whole) && n > 0)
            check(cudaMemsetAsync(pixels_.data(), 0, n * sizeof(float), stream_), "clearing the image");
        const int blocks = render_blocks(whole);
        omega_partials_.resize(static_cast<std::size_t>(std::max(blocks, 1)));
        results_.resize(1);
        scratch_.resize(product_scratch_bytes(d.fpixels, d.spixels));
        counts_.resize(target.counts ? n : 0);
        check(cudaEventRecord(image->kernel_start, stream_), "recording an event");
        launch_render(view_, crystal_.rows.data(), path_, whole, pixels_.data(), omega_partials_.data(), stream_);
        check(cudaEventRecord(image->kernel_end, stream_), "recording an event");
        launch_sum_in_order(omega_partials_.data(), n > 0 ? blocks : 0, &results_.data()->omega_sum, stream_);
        CountsRule rule;
        rule.noise = target.noise;
        rule.noise_settings = target.noise_settings;
        rule.intfile_scale = target.intfile_scale;
        rule.adc_offset = target.adc_offset;
        launch_image_products(pixels_.data(), d.fpixels, d.spixels, d.roi, d.mask, rule, counts_.data(),
                              scratch_.data(), results_.data(), stream_);
        if (n > 0) {
            copy_to_host(target.photons, pixels_.data(), n * sizeof(float), "copying the image from the GPU");
            if (target.counts)
                copy_to_host(target.counts, counts_.data(), n * sizeof(std::uint16_t), "copying counts from the GPU");
        }
        copy_to_host(image->results(), results_.data(), sizeof(ProductResults), "copying sums from the GPU");
        check(cudaEventRecord(image->done, stream_), "recording an event");
        in_flight_.emplace(ticket, std::move(image));
    }

    WholeImageMade collect_whole_image(int ticket) override {
        use_device(device_);
        const auto it = in_flight_.find(ticket);
        if (it == in_flight_.end())
            throw std::logic_error("CUDA renderer: image " + std::to_string(ticket) + " was not started");
        std::unique_ptr<ImageInFlight> image = std::move(it->second);
        in_flight_.erase(it);
        check(cudaEventSynchronize(image->done), "rendering on the GPU");
        float ms = 0;
        check(cudaEventElapsedTime(&ms, image->kernel_start, image->kernel_end), "timing the kernel");
        kernel_ms_ = ms;
        WholeImageMade made;
        const ProductResults& r = *image->results();
        made.sides.omega_sum = r.omega_sum;
        made.statistics = r.statistics;
        made.noise = r.noise;
        made.kernel_ms = ms;
        spare_.push_back(std::move(image));
        return made;
    }

    void keep_host_memory(void* data, std::size_t bytes) override {
        if (!data || bytes == 0 || pinned_.count(data)) return;
        use_device(device_);
        check(cudaHostRegister(data, bytes, cudaHostRegisterDefault), "pinning host memory");
        pinned_.emplace(data, bytes);
    }

    void release_host_memory(void* data) override {
        const auto it = pinned_.find(data);
        if (it == pinned_.end()) return;
        use_device(device_);
        // Nothing may still be copying into it.
        check(cudaStreamSynchronize(stream_), "waiting for the GPU");
        check(cudaHostUnregister(data), "unpinning host memory");
        pinned_.erase(it);
    }

    double last_kernel_ms() const override { return kernel_ms_; }
    std::size_t device_bytes() const override {
        return F_.bytes() + detector_.mask.bytes_held() + beam_.bytes() + crystal_.bytes() + pixels_.bytes_held() +
               omega_partials_.bytes_held() + omega_sum_.bytes_held() + counts_.bytes_held() + scratch_.bytes_held() +
               results_.bytes_held();
    }

private:
    std::unique_ptr<ImageInFlight> take_slot() {
        if (spare_.empty()) return std::make_unique<ImageInFlight>();
        std::unique_ptr<ImageInFlight> slot = std::move(spare_.back());
        spare_.pop_back();
        return slot;
    }

    void copy_to_host(void* host, const void* device, std::size_t bytes, const char* what) {
        check(cudaMemcpyAsync(host, device, bytes, cudaMemcpyDeviceToHost, stream_), what);
    }

    // Pixels outside the ROI or masked out must come back as the caller gave them.
    bool writes_every_pixel(const Tile& t) const {
        const DetectorView<T>& d = view_.detector;
        return !d.mask && t.fast_begin >= d.roi.fast_min && t.fast_end - 1 <= d.roi.fast_max &&
               t.slow_begin >= d.roi.slow_min && t.slow_end - 1 <= d.roi.slow_max;
    }

    void enqueue(const Tile& tile, const float* out) {
        pixels_.resize(tile.pixels());
        if (!writes_every_pixel(tile)) pixels_.upload(out, tile.pixels(), stream_);
        const int blocks = render_blocks(tile);
        omega_partials_.resize(static_cast<std::size_t>(blocks));
        omega_sum_.resize(1);
        check(cudaEventRecord(kernel_start_, stream_), "recording an event");
        launch_render(view_, crystal_.rows.data(), path_, tile, pixels_.data(), omega_partials_.data(), stream_);
        check(cudaEventRecord(kernel_end_, stream_), "recording an event");
        launch_sum_in_order(omega_partials_.data(), blocks, omega_sum_.data(), stream_);
    }

    TileSideSums collect(const Tile& tile, float* out) {
        TileSideSums sums;
        if (tile.pixels() > 0) {
            check(cudaMemcpyAsync(out, pixels_.data(), tile.pixels() * sizeof(float), cudaMemcpyDeviceToHost, stream_),
                  "copying pixels from the GPU");
            check(cudaMemcpyAsync(&sums.omega_sum, omega_sum_.data(), sizeof(double), cudaMemcpyDeviceToHost, stream_),
                  "copying the side sums from the GPU");
        }
        check(cudaStreamSynchronize(stream_), "rendering on the GPU");
        float ms = 0;
        if (tile.pixels() > 0) check(cudaEventElapsedTime(&ms, kernel_start_, kernel_end_), "timing the kernel");
        kernel_ms_ = ms;
        return sums;
    }

    int device_;
    std::string name_;
    cudaStream_t stream_ = nullptr;
    cudaEvent_t kernel_start_ = nullptr, kernel_end_ = nullptr;

    std::optional<KernelData<T>> data_;  // the host arrays of the loaded image
    DeviceStructureFactors<T> F_;
    DeviceDetector detector_;
    DeviceBeam<T> beam_;
    DeviceCrystal<T> crystal_;
    KernelView<T> view_;  // data_'s view, pointing into the buffers above
    OrientationPath path_;

    DeviceBuffer<float> pixels_;  // the tile being rendered
    DeviceBuffer<double> omega_partials_, omega_sum_;
    double kernel_ms_ = 0;

    // Whole images: their counts and sums on the device, in stream order.
    DeviceBuffer<std::uint16_t> counts_;
    DeviceBuffer<unsigned char> scratch_;
    DeviceBuffer<ProductResults> results_;
    std::map<int, std::unique_ptr<ImageInFlight>> in_flight_;  // by ticket
    std::vector<std::unique_ptr<ImageInFlight>> spare_;
    std::map<void*, std::size_t> pinned_;  // host memory registered with keep_host_memory
};

}  // namespace
}  // namespace cuda

void choose_cuda_queues() {
    // A renderer keeps all its work on one stream, so one hardware queue per context is
    // all it uses. The driver makes eight by default; on the H200 making them took half
    // the context's start (about 100 ms against 50 with one) and their tear-down lengthens
    // the exit as much. A value the user has set is kept. Only the first call changes the
    // environment, before any thread of the CUDA runtime exists.
    setenv("CUDA_DEVICE_MAX_CONNECTIONS", "1", 0);
}

int cuda_visible_devices(std::string* why_none) {
    choose_cuda_queues();
    int n = 0;
    const cudaError_t status = cudaGetDeviceCount(&n);
    if (status != cudaSuccess) {
        cudaGetLastError();  // not sticky: clear it for later calls
        if (why_none) *why_none = cudaGetErrorString(status);
        return 0;
    }
    if (n == 0 && why_none) *why_none = "the CUDA runtime lists no device";
    return n;
}

void start_cuda_device(int device) {
    choose_cuda_queues();
    cuda::use_device(device);
    cuda::check(cudaFree(nullptr), "starting the GPU");
}

std::unique_ptr<CudaRenderer> make_cuda_renderer(Precision precision, int device) {
    std::string why;
    const int n = cuda_visible_devices(&why);
    if (device < 0 || device >= n)
        throw std::runtime_error("CUDA: GPU " + std::to_string(device) + " is not among the " + std::to_string(n) +
                                 " visible" + (why.empty() ? "" : " (" + why + ")"));
    if (precision == Precision::Double) return std::make_unique<cuda::Renderer<double>>(device);
    return std::make_unique<cuda::Renderer<float>>(device);
}

}  // namespace tilebragg

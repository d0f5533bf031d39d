#include "counts_on_device.hpp"

#include <cuda_runtime.h>

#include <algorithm>
#include <stdexcept>
#include <string>

namespace tilebragg::gpu_test {
namespace {

void check(cudaError_t status, const char* what) {
    if (status != cudaSuccess) throw std::runtime_error(std::string(what) + ": " + cudaGetErrorString(status));
}

// A device copy of a host vector, and back.
template <typename T>
class OnDevice {
public:
    explicit OnDevice(std::size_t n) : n_(n) {
        check(cudaMalloc(&data_, std::max<std::size_t>(n, 1) * sizeof(T)), "cudaMalloc");
    }
    explicit OnDevice(const std::vector<T>& host) : OnDevice(host.size()) {
        check(cudaMemcpy(data_, host.data(), n_ * sizeof(T), cudaMemcpyHostToDevice), "cudaMemcpy");
    }
    ~OnDevice() { cudaFree(data_); }
    OnDevice(const OnDevice&) = delete;
    OnDevice& operator=(const OnDevice&) = delete;
    T* get() const { return data_; }
    std::vector<T> back() const {
        check(cudaDeviceSynchronize(), "running the test kernel");
        std::vector<T> host(n_);
        check(cudaMemcpy(host.data(), data_, n_ * sizeof(T), cudaMemcpyDeviceToHost), "cudaMemcpy");
        return host;
    }

private:
    T* data_ = nullptr;
    std::size_t n_;
};

constexpr int kThreads = 128;
int blocks_for(std::size_t n) { return static_cast<int>((n + kThreads - 1) / kThreads); }

__global__ void math_kernel(const double* x, double* out, int n, int which) {
    const int i = static_cast<int>(blockIdx.x * blockDim.x + threadIdx.x);
    if (i >= n) return;
    out[i] = which == 0 ? pmath::exp(x[i]) : which == 1 ? pmath::log(x[i]) : pmath::cos_two_pi(x[i]);
}

__global__ void noise_kernel(const float* means, const std::uint64_t* pixels, int n, NoiseSettings s, NoisyPixel* out) {
    const int i = static_cast<int>(blockIdx.x * blockDim.x + threadIdx.x);
    if (i < n) out[i] = noisy_count(means[i], s, pixels[i]);
}

__global__ void int_kernel(const float* values, int n, double scale, double adc, std::uint16_t* out) {
    const int i = static_cast<int>(blockIdx.x * blockDim.x + threadIdx.x);
    if (i < n) out[i] = int_pixel(values[i], scale, adc);
}

std::vector<double> math_on_device(const std::vector<double>& x, int which) {
    if (x.empty()) return {};
    const OnDevice<double> in(x);
    const OnDevice<double> out(x.size());
    math_kernel<<<blocks_for(x.size()), kThreads>>>(in.get(), out.get(), static_cast<int>(x.size()), which);
    check(cudaGetLastError(), "launching the math kernel");
    return out.back();
}

}  // namespace

MathOnDevice portable_math_on_device(const std::vector<double>& exp_of, const std::vector<double>& log_of,
                                     const std::vector<double>& cos_two_pi_of) {
    return {math_on_device(exp_of, 0), math_on_device(log_of, 1), math_on_device(cos_two_pi_of, 2)};
}

std::vector<NoisyPixel> noisy_counts_on_device(const std::vector<float>& means,
                                               const std::vector<std::uint64_t>& pixels,
                                               const NoiseSettings& settings) {
    const OnDevice<float> m(means);
    const OnDevice<std::uint64_t> p(pixels);
    const OnDevice<NoisyPixel> out(means.size());
    noise_kernel<<<blocks_for(means.size()), kThreads>>>(m.get(), p.get(), static_cast<int>(means.size()), settings,
                                                         out.get());
    check(cudaGetLastError(), "launching the noise kernel");
    return out.back();
}

std::vector<std::uint16_t> int_pixels_on_device(const std::vector<float>& values, double scale, double adc_offset) {
    const OnDevice<float> v(values);
    const OnDevice<std::uint16_t> out(values.size());
    int_kernel<<<blocks_for(values.size()), kThreads>>>(v.get(), static_cast<int>(values.size()), scale, adc_offset,
                                                        out.get());
    check(cudaGetLastError(), "launching the int kernel");
    return out.back();
}

}  // namespace tilebragg::gpu_test

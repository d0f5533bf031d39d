#pragma once
// An array in GPU memory (cudaMalloc, never managed memory), owned, move-only. It grows
// when asked for more and never shrinks, so a renderer that renders image after image
// allocates once.
#include <cuda_runtime.h>

#include <cstddef>
#include <utility>

#include "kernel/cuda/cuda_check.hpp"

namespace tilebragg::cuda {

template <typename T>
class DeviceBuffer {
public:
    DeviceBuffer() = default;
    ~DeviceBuffer() {
        if (data_) cudaFree(data_);
    }
    DeviceBuffer(DeviceBuffer&& o) noexcept
        : data_(std::exchange(o.data_, nullptr)),
          size_(std::exchange(o.size_, 0)),
          capacity_(std::exchange(o.capacity_, 0)) {}
    DeviceBuffer& operator=(DeviceBuffer&& o) noexcept {
        std::swap(data_, o.data_);
        std::swap(size_, o.size_);
        std::swap(capacity_, o.capacity_);
        return *this;
    }
    DeviceBuffer(const DeviceBuffer&) = delete;
    DeviceBuffer& operator=(const DeviceBuffer&) = delete;

    // Room for n elements; the contents are undefined after a reallocation.
    void resize(std::size_t n) {
        if (n > capacity_) {
            if (data_) check(cudaFree(data_), "freeing device memory");
            data_ = nullptr;
            capacity_ = 0;
            check(cudaMalloc(reinterpret_cast<void**>(&data_), n * sizeof(T)), "allocating device memory");
            capacity_ = n;
        }
        size_ = n;
    }

    // n elements from the host, in stream order.
    void upload(const T* host, std::size_t n, cudaStream_t stream) {
        resize(n);
        if (n > 0)
            check(cudaMemcpyAsync(data_, host, n * sizeof(T), cudaMemcpyHostToDevice, stream), "copying to the GPU");
    }

    T* data() const { return size_ > 0 ? data_ : nullptr; }
    std::size_t size() const { return size_; }
    std::size_t bytes_held() const { return capacity_ * sizeof(T); }

private:
    T* data_ = nullptr;
    std::size_t size_ = 0, capacity_ = 0;
};

}  // namespace tilebragg::cuda

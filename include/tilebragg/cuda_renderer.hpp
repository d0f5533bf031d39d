#pragma once
// The CUDA renderer (src/kernel/cuda/), in builds configured with the CUDA backend
// (TILEBRAGG_HAVE_CUDA). The driver asks make_renderer() (renderer.hpp) for a renderer
// and needs nothing from here; tests and benchmarks use the extras below.
#include <cstddef>
#include <memory>
#include <string>

#include <tilebragg/renderer.hpp>

namespace tilebragg {

// Sets CUDA_DEVICE_MAX_CONNECTIONS to 1 unless the user has set it: one hardware queue
// per context (a renderer uses one stream), which halves the context's start. Called by
// the functions below; call it first on the main thread where other threads may be
// reading the environment meanwhile.
void choose_cuda_queues();

// GPUs this process can use; 0 when there is no driver or no device, with the CUDA
// runtime's reason in *why_none when asked.
int cuda_visible_devices(std::string* why_none = nullptr);

// Starts the driver and the context of GPU `device` (what the first CUDA call of a
// process pays for). Throws std::runtime_error when it cannot be used.
void start_cuda_device(int device);

class CudaRenderer : public Renderer {
public:
    // The last render's kernel time in milliseconds (CUDA events around the launch).
    virtual double last_kernel_ms() const = 0;
    // Device memory this renderer holds now, bytes.
    virtual std::size_t device_bytes() const = 0;
};

// A renderer on GPU `device` (0-based among the visible ones). Throws std::runtime_error
// when the device cannot be used.
std::unique_ptr<CudaRenderer> make_cuda_renderer(Precision precision, int device);

}  // namespace tilebragg

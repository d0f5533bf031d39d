// -backend -> a renderer. Compiled in every build; the CUDA half only where the build
// has the CUDA backend (TILEBRAGG_HAVE_CUDA, cmake/Cuda.cmake).
#include <cstdlib>
#include <string>

#include <tilebragg/backend_choice.hpp>
#include <tilebragg/renderer.hpp>
#if TILEBRAGG_HAVE_CUDA
#include <tilebragg/cuda_renderer.hpp>
#endif

namespace tilebragg {

std::unique_ptr<Renderer> make_renderer(Backend backend, Precision precision) {
#if TILEBRAGG_HAVE_CUDA
    // Asking the CUDA runtime costs a driver start, so -backend cpu never does.
    std::string why_none;
    const int gpus = backend == Backend::Cpu ? 0 : cuda_visible_devices(&why_none);
    if (resolve_backend(backend, true, gpus, why_none) == Backend::Cuda) {
        const int local_rank = node_local_rank([](const char* name) { return std::getenv(name); });
        return make_cuda_renderer(precision, gpu_for_local_rank(local_rank, gpus));
    }
#else
    resolve_backend(backend, false, 0);
#endif
    return make_cpu_renderer(precision);
}

}  // namespace tilebragg

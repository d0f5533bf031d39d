#include <tilebragg/backend_choice.hpp>

#include <cerrno>
#include <climits>
#include <cstdlib>

#include <tilebragg/errors.hpp>

namespace tilebragg {

Backend resolve_backend(Backend requested, bool cuda_built, int visible_gpus, const std::string& why_none) {
    if (requested == Backend::Cpu) return Backend::Cpu;
    const bool gpu = cuda_built && visible_gpus > 0;
    if (requested == Backend::Auto) return gpu ? Backend::Cuda : Backend::Cpu;
    if (!cuda_built)
        throw InputError(
            "flag -backend cuda: this tilebragg was built without CUDA (configure with -DTILEBRAGG_CUDA=ON "
            "where nvcc is installed), use -backend cpu");
    if (!gpu)
        throw InputError("flag -backend cuda: no CUDA GPU is visible to this process" +
                         (why_none.empty() ? std::string() : " (" + why_none + ")") + ", use -backend cpu or auto");
    return Backend::Cuda;
}

namespace {

// A launcher's rank variable as a number; -1 when unset.
int read_rank(const char* name, const char* text) {
    if (text == nullptr || *text == '\0') return -1;
    errno = 0;
    char* end = nullptr;
    const long v = std::strtol(text, &end, 10);
    if (errno != 0 || *end != '\0' || v < 0 || v > INT_MAX)
        throw InputError(std::string("environment variable ") + name + "='" + text +
                         "' is not a node-local rank (a whole number >= 0)");
    return static_cast<int>(v);
}

}  // namespace

int node_local_rank(const std::function<const char*(const char*)>& lookup) {
    for (const char* name : {"OMPI_COMM_WORLD_LOCAL_RANK", "SLURM_LOCALID"}) {
        const int rank = read_rank(name, lookup(name));
        if (rank >= 0) return rank;
    }
    return 0;
}

int gpu_for_local_rank(int local_rank, int gpus) { return gpus > 0 ? local_rank % gpus : 0; }

}  // namespace tilebragg

#pragma once
// CUDA runtime errors as exceptions: a failing call names what it was doing. These are
// not the user's errors (InputError): a GPU that fails mid-run ends the job.
#include <cuda_runtime.h>

#include <stdexcept>
#include <string>

namespace tilebragg::cuda {

inline void check(cudaError_t status, const char* what) {
    if (status != cudaSuccess)
        throw std::runtime_error(std::string("CUDA: ") + what + ": " + cudaGetErrorName(status) + " (" +
                                 cudaGetErrorString(status) + ")");
}

}  // namespace tilebragg::cuda

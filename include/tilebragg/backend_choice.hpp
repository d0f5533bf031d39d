#pragma once
// Which backend and which GPU a rank uses: small pure functions, so that the rules are
// tested without a GPU, a launcher or a CUDA build.
#include <functional>
#include <string>

#include <tilebragg/params.hpp>

namespace tilebragg {

// What -backend becomes in this process: Cpu or Cuda. `cuda_built`: the build has the
// CUDA backend; `visible_gpus`: the GPUs this process can use; `why_none`: what the CUDA
// runtime said when it found none (for the message). -backend cuda that cannot run
// throws InputError; auto falls back to the CPU.
Backend resolve_backend(Backend requested, bool cuda_built, int visible_gpus, const std::string& why_none = "");

// The process's rank among the processes of its node, as the launcher tells it:
// OMPI_COMM_WORLD_LOCAL_RANK (mpirun), else SLURM_LOCALID (srun), else 0 (started
// alone). Open MPI's comes first because mpirun inside a Slurm allocation leaves
// SLURM_LOCALID of its own daemon in every rank's environment. `lookup` reads one
// variable (std::getenv in the program, a table in tests). InputError on a value that
// is not a non-negative whole number.
int node_local_rank(const std::function<const char*(const char*)>& lookup);

// The GPU of a node-local rank: local_rank % gpus, so ranks share the GPUs of a node
// round-robin. gpus >= 1.
int gpu_for_local_rank(int local_rank, int gpus);

}  // namespace tilebragg

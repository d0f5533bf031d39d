#include "kernel/cuda/render_launch.cuh"

namespace tilebragg::cuda {
template void launch_render<double>(const KernelView<double>&, const double*, const OrientationPath&, const Tile&,
                                    float*, double*, cudaStream_t);
}  // namespace tilebragg::cuda

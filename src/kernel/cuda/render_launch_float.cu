#include "kernel/cuda/render_launch.cuh"

namespace tilebragg::cuda {
template void launch_render<float>(const KernelView<float>&, const float*, const OrientationPath&, const Tile&, float*,
                                   double*, cudaStream_t);
}  // namespace tilebragg::cuda

# The CUDA backend (src/kernel/cuda/), behind TILEBRAGG_CUDA:
#   AUTO (default): built where nvcc is found (PATH, CUDACXX, or /usr/local/cuda/bin/nvcc);
#   ON: required, configuring fails without nvcc;  OFF: never (a CPU-only build).
# A build without it answers -backend cuda with one clear error line. Targets sm_90 (Hopper:
# H100, H200) as machine code plus compute_90 PTX, which newer GPUs compile at load time.
set(TILEBRAGG_CUDA "AUTO" CACHE STRING "Build the CUDA backend: AUTO, ON or OFF")
set_property(CACHE TILEBRAGG_CUDA PROPERTY STRINGS AUTO ON OFF)
string(TOUPPER "${TILEBRAGG_CUDA}" _cuda_mode)

set(TILEBRAGG_HAVE_CUDA OFF)
if(NOT _cuda_mode STREQUAL "OFF")
    include(CheckLanguage)
    if(NOT CMAKE_CUDA_COMPILER AND NOT DEFINED ENV{CUDACXX} AND EXISTS "/usr/local/cuda/bin/nvcc")
        set(CMAKE_CUDA_COMPILER "/usr/local/cuda/bin/nvcc" CACHE FILEPATH "CUDA compiler")
    endif()
    check_language(CUDA)
    if(CMAKE_CUDA_COMPILER)
        if(NOT DEFINED CMAKE_CUDA_ARCHITECTURES)
            # "90": sm_90 machine code and compute_90 PTX in every object.
            set(CMAKE_CUDA_ARCHITECTURES 90 CACHE STRING "CUDA architectures (CMake syntax)")
        endif()
        enable_language(CUDA)
        find_package(CUDAToolkit REQUIRED)
        set(CMAKE_CUDA_STANDARD 17)
        set(CMAKE_CUDA_STANDARD_REQUIRED ON)
        set(TILEBRAGG_HAVE_CUDA ON)
    elseif(_cuda_mode STREQUAL "ON")
        message(FATAL_ERROR "TILEBRAGG_CUDA=ON but no CUDA compiler was found: put nvcc on PATH, "
                            "set CUDACXX, or configure with -DTILEBRAGG_CUDA=OFF")
    endif()
endif()

# Host-side flags of the .cu files: the same instruction set as the C++ sources (their
# inline host code must match), and the same warnings. nvcc keeps its own --fmad=true
# for device code: the GPU's fused multiply-adds are deterministic (a pixel's bits do not
# depend on tiles, ranks or GPUs), and the CPU's -ffp-contract=off exists for reasons
# (instruction-set dispatch, vector and scalar paths) that a GPU does not have.
function(tilebragg_cuda_host_flags target)
    set(_host_flags "-Wall,-Wextra,-ffp-contract=off")
    if(NOT TILEBRAGG_ISA STREQUAL "none" AND NOT TILEBRAGG_ISA STREQUAL "")
        string(APPEND _host_flags ",-march=${TILEBRAGG_ISA}")
    endif()
    target_compile_options(${target} PRIVATE
        "$<$<COMPILE_LANGUAGE:CUDA>:-Xcompiler=${_host_flags}>"
        # Source lines in the profiler's view of a kernel (no effect on the code).
        "$<$<COMPILE_LANGUAGE:CUDA>:-lineinfo>")
endfunction()

# CUDA sources into a target of ours.
function(tilebragg_cuda_sources target)
    target_sources(${target} PRIVATE ${ARGN})
    target_compile_definitions(${target} PRIVATE TILEBRAGG_HAVE_CUDA=1)
    target_link_libraries(${target} PRIVATE CUDA::cudart_static)
    tilebragg_cuda_host_flags(${target})
endfunction()

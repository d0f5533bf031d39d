# The CPU pixel kernel (src/kernel/cpu/render_tile.cpp) is written with explicit SIMD
# types (std::experimental::simd) whose width is the instruction set it is compiled for.
# A portable build (TILEBRAGG_ISA x86-64, x86-64-v2, x86-64-v3, none) compiles it three
# times: the baseline copy with the build's flags, "avx2" for x86-64-v3 and "avx512" for
# x86-64-v4, each into its own namespace; src/kernel/cpu/cpu_kernels.cpp chooses the
# widest one the CPU runs when the program starts. A build for one CPU (native, a named
# CPU such as sapphirerapids, x86-64-v4) has the baseline copy only. All copies compute
# the same bits (-ffp-contract=off, no FMA).

# Flags of every copy: sqrt, ceil and rint of the scalar paths as instructions; and
# instruction scheduling before register allocation (off by default on x86), which
# interleaves the independent dependency chains of the inner loop (the three axes'
# polynomials, two vectors of pixels): 10-15% on the B2 kernel in double. None of them
# changes a computed value.
# GCC 12 warns about the deliberately undefined source operand of its own AVX2 and AVX-512
# gather and rounding intrinsics (GCC bug 105593): -Wno-maybe-uninitialized.
set(TILEBRAGG_KERNEL_FLAGS
    "-fno-math-errno;-fno-trapping-math;-fschedule-insns;-fsched-pressure;-Wno-maybe-uninitialized")

set(TILEBRAGG_KERNEL_COPIES "baseline")
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$" AND TILEBRAGG_ISA MATCHES "^(x86-64|x86-64-v[23]|none|)$")
    list(APPEND TILEBRAGG_KERNEL_COPIES avx2 avx512)
endif()

# The output's row conversions (src/output/int_image.cpp) get the same instruction sets
# through GCC's target_clones (function multiversioning, chosen when the program loads).
if("avx512" IN_LIST TILEBRAGG_KERNEL_COPIES)
    set_property(SOURCE "${CMAKE_CURRENT_SOURCE_DIR}/src/output/int_image.cpp" APPEND
                 PROPERTY COMPILE_DEFINITIONS TILEBRAGG_RUNTIME_ISA_CLONES)
endif()

# Adds the extra copies of `source` to `target` (an object library per copy, with the
# usage requirements of the libraries after DEPENDS).
function(tilebragg_kernel_copies target source)
    cmake_parse_arguments(K "" "" "DEPENDS" ${ARGN})
    foreach(_isa IN LISTS TILEBRAGG_KERNEL_COPIES)
        if(_isa STREQUAL "baseline")
            continue()
        endif()
        if(_isa STREQUAL "avx2")
            set(_march "-march=x86-64-v3")
        else()
            set(_march "-march=x86-64-v4")
        endif()
        add_library(${target}_${_isa} OBJECT "${source}")
        # After the project's -march, so this one wins.
        target_compile_options(${target}_${_isa} PRIVATE ${_march})
        target_compile_definitions(${target}_${_isa} PRIVATE TILEBRAGG_KERNEL_ISA=${_isa})
        target_include_directories(${target}_${_isa} PRIVATE "${CMAKE_CURRENT_SOURCE_DIR}/src")
        target_link_libraries(${target}_${_isa} PRIVATE ${K_DEPENDS})
        tilebragg_apply_warnings(${target}_${_isa})
        target_sources(${target} PRIVATE $<TARGET_OBJECTS:${target}_${_isa}>)
        string(TOUPPER "${_isa}" _upper)
        set_property(SOURCE "${CMAKE_CURRENT_SOURCE_DIR}/src/kernel/cpu/cpu_kernels.cpp" APPEND
                     PROPERTY COMPILE_DEFINITIONS "TILEBRAGG_KERNEL_${_upper}")
    endforeach()
    # For tests/unit/kernel_objects.py: where each copy's object file is.
    set(_objects "")
    foreach(_isa IN LISTS TILEBRAGG_KERNEL_COPIES)
        if(_isa STREQUAL "baseline")
            list(APPEND _objects "baseline=$<TARGET_OBJECTS:${target}>")
        else()
            list(APPEND _objects "${_isa}=$<TARGET_OBJECTS:${target}_${_isa}>")
        endif()
    endforeach()
    set(TILEBRAGG_KERNEL_OBJECTS "${_objects}" PARENT_SCOPE)
endfunction()

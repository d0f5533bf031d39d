include(CheckCXXCompilerFlag)

# ---------------------------------------------------------------------------
# Instruction set. The default on x86-64 is a portable binary: x86-64-v2 (SSE4.2, any
# x86-64 CPU of the last 15 years) with the pixel kernel also compiled for AVX2 and
# AVX-512 and chosen at run time (cmake/KernelCopies.cmake), which runs within a few per
# cent of a native build. "native" tunes everything for the build host (the binary may
# not run on another CPU); any other -march value works too; "none" leaves the
# compiler's default. Applied to every build type so that inline code from headers is
# compiled the same way in the library and in the tests.
if(CMAKE_SYSTEM_PROCESSOR MATCHES "^(x86_64|AMD64|amd64)$")
    set(_default_isa "x86-64-v2")
else()
    set(_default_isa "native")
endif()
set(TILEBRAGG_ISA "${_default_isa}" CACHE STRING
    "Target instruction set for -march: native, none, or any -march value (e.g. x86-64-v3)")
set_property(CACHE TILEBRAGG_ISA PROPERTY STRINGS native x86-64-v2 x86-64-v3 x86-64-v4 none)

if(NOT TILEBRAGG_ISA STREQUAL "none" AND NOT TILEBRAGG_ISA STREQUAL "")
    set(_isa_flag "-march=${TILEBRAGG_ISA}")
    string(MAKE_C_IDENTIFIER "TILEBRAGG_HAS_MARCH_${TILEBRAGG_ISA}" _isa_check)
    check_cxx_compiler_flag("${_isa_flag}" ${_isa_check})
    if(NOT ${_isa_check})
        message(FATAL_ERROR "TILEBRAGG_ISA=${TILEBRAGG_ISA}: the compiler rejects ${_isa_flag}. "
                            "Use 'native', 'none' or an -march value it knows.")
    endif()
    add_compile_options("$<$<COMPILE_LANGUAGE:C,CXX>:${_isa_flag}>")
endif()

# No fused multiply-adds formed by the compiler: GCC contracts a * b + c into one FMA
# wherever it likes (its default for C++ even in ISO mode), so a pixel's bits would depend
# on the instruction set a kernel was compiled for, on inlining decisions, and on whether
# the vector loop, the pixel trace or a scalar path computed it. With contraction off an
# image is the same on every CPU a portable binary dispatches to.
add_compile_options("$<$<COMPILE_LANGUAGE:C,CXX>:-ffp-contract=off>")

# The flags above and below are for the C and C++ compilers; nvcc gets its host-side
# share through -Xcompiler (cmake/Cuda.cmake).

# Deliberately no -ffast-math here: the parity tests compare against a reference that
# was compiled without it. A kernel file may opt into narrower flags on its own with
# set_source_files_properties(... COMPILE_OPTIONS ...).

# ---------------------------------------------------------------------------
# Sanitizers, e.g. -DTILEBRAGG_SANITIZE=address,undefined (best with a Debug build).
set(TILEBRAGG_SANITIZE "" CACHE STRING
    "Comma-separated -fsanitize= list (address,undefined,thread,...); empty for none")
if(TILEBRAGG_SANITIZE)
    # -fno-sanitize-recover: a finding ends the process, so the test that hit it fails
    # (UBSan would otherwise print and carry on with exit code 0).
    set(_sanitize_flags "-fsanitize=${TILEBRAGG_SANITIZE};-fno-sanitize-recover=all;-fno-omit-frame-pointer")
    add_compile_options("$<$<COMPILE_LANGUAGE:C,CXX>:${_sanitize_flags}>")
    add_link_options("-fsanitize=${TILEBRAGG_SANITIZE}")
endif()

# ---------------------------------------------------------------------------
# Warnings for our own targets only (not for third-party headers' sake).
function(tilebragg_apply_warnings target)
    target_compile_options(${target} PRIVATE "$<$<COMPILE_LANGUAGE:C,CXX>:-Wall;-Wextra>")
endfunction()

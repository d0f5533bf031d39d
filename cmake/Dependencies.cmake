# Every dependency is a Debian package (scripts/install-deps.sh installs them).

find_package(MPI REQUIRED COMPONENTS CXX)
find_package(OpenMP REQUIRED COMPONENTS CXX)

# With both the serial and the Open MPI flavour of HDF5 installed, FindHDF5 picks the
# serial one unless told otherwise; the writer needs H5Pset_fapl_mpio.
# FindHDF5 test-compiles a C file to learn the C API's flags, so C must be enabled even
# though every source of ours is C++.
enable_language(C)
set(HDF5_PREFER_PARALLEL ON)
find_package(HDF5 REQUIRED COMPONENTS C)
if(NOT HDF5_IS_PARALLEL)
    message(FATAL_ERROR
        "Found HDF5 ${HDF5_VERSION} at '${HDF5_C_INCLUDE_DIRS}', but it is not built with MPI. "
        "Install libhdf5-openmpi-dev, or point HDF5_ROOT at a parallel HDF5 "
        "(e.g. -DHDF5_ROOT=/usr/lib/x86_64-linux-gnu/hdf5/openmpi).")
endif()

# One interface target for HDF5 so the rest of the build does not care how FindHDF5
# reported it (imported target on new CMake, variables on old).
add_library(tilebragg_hdf5 INTERFACE)
add_library(tilebragg::hdf5 ALIAS tilebragg_hdf5)
target_include_directories(tilebragg_hdf5 SYSTEM INTERFACE ${HDF5_C_INCLUDE_DIRS})
target_link_libraries(tilebragg_hdf5 INTERFACE ${HDF5_C_LIBRARIES})
if(HDF5_C_DEFINITIONS)
    target_compile_definitions(tilebragg_hdf5 INTERFACE ${HDF5_C_DEFINITIONS})
endif()

find_package(Boost 1.71 REQUIRED COMPONENTS program_options)
find_package(GTest REQUIRED)

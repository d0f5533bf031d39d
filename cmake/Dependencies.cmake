# Every dependency is a Debian package (scripts/install-deps.sh installs them).

# FindMPI and FindHDF5 test-compile C files to learn the C APIs' flags, so C must be
# enabled even though every source of ours is C++.
enable_language(C)

# Our sources call MPI's C API only. The C++ bindings (libmpi_cxx, deprecated since
# MPI-2.2) would be one more library to load at every start, so mpi.h is told to leave
# them out.
find_package(MPI REQUIRED COMPONENTS C)
add_library(tilebragg_mpi INTERFACE)
add_library(tilebragg::mpi ALIAS tilebragg_mpi)
target_link_libraries(tilebragg_mpi INTERFACE MPI::MPI_C)
target_compile_definitions(tilebragg_mpi INTERFACE OMPI_SKIP_MPICXX=1 MPICH_SKIP_MPICXX=1)
find_package(OpenMP REQUIRED COMPONENTS CXX)

# Start-up cost: the shared parallel HDF5 of Debian and most distributions depends on
# libcurl, OpenSSL, GnuTLS, Kerberos, LDAP and a dozen more (for its read-only S3
# driver, which tilebragg never uses): 31 of the 49 libraries the dynamic loader mapped
# and relocated at every start, about 6 ms and 450 page faults per run, more than a
# small image takes to render. Linking HDF5's static archive instead pulls in only the
# objects we call; with --as-needed the libraries only the S3 driver needs are dropped.
# Boost.Program_options the same way (one shared C++ library less to relocate).
# But HDF5 loads compression filters (bitshuffle/LZ4) as plugins that are linked against
# the shared HDF5: with a static HDF5 in the program the plugin talks to a second copy
# of the library and every filtered write fails. So HDF5 stays shared by default
# (TILEBRAGG_STATIC_HDF5=ON for builds that write uncompressed or deflate files only).
option(TILEBRAGG_STATIC_DEPS "Link Boost.Program_options from its static archive when installed" ON)
option(TILEBRAGG_STATIC_HDF5 "Link HDF5 from its static archive (breaks HDF5 filter plugins such as bitshuffle)" OFF)

# With both the serial and the Open MPI flavour of HDF5 installed, FindHDF5 picks the
# serial one unless told otherwise; the writer needs H5Pset_fapl_mpio.
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
set(_hdf5_libraries ${HDF5_C_LIBRARIES})
set(TILEBRAGG_HDF5_LINKED "shared")
if(TILEBRAGG_STATIC_HDF5)
    # The archive next to the shared library FindHDF5 chose (same flavour, same version).
    list(LENGTH HDF5_C_LIBRARIES _count)
    foreach(_i RANGE ${_count})
        if(_i EQUAL _count)
            break()
        endif()
        list(GET HDF5_C_LIBRARIES ${_i} _lib)
        string(REGEX REPLACE "\\.so$" ".a" _archive "${_lib}")
        if(_lib MATCHES "/libhdf5(_openmpi|_mpich)?\\.so$" AND EXISTS "${_archive}")
            list(REMOVE_AT _hdf5_libraries ${_i})
            list(INSERT _hdf5_libraries ${_i} "${_archive}")
            set(TILEBRAGG_HDF5_LINKED "static")
        endif()
    endforeach()
    if(TILEBRAGG_HDF5_LINKED STREQUAL "static")
        target_link_options(tilebragg_hdf5 INTERFACE "LINKER:--as-needed")
    endif()
endif()
target_link_libraries(tilebragg_hdf5 INTERFACE ${_hdf5_libraries} tilebragg::mpi)
if(HDF5_C_DEFINITIONS)
    target_compile_definitions(tilebragg_hdf5 INTERFACE ${HDF5_C_DEFINITIONS})
endif()

# The image chunks are compressed by tilebragg itself (src/output/hdf5/chunk_encoding.cpp)
# in the formats of HDF5's deflate filter and of the bitshuffle plugin: zlib and LZ4.
find_package(ZLIB REQUIRED)
find_path(LZ4_INCLUDE_DIR lz4.h)
find_library(LZ4_LIBRARY lz4)
if(NOT LZ4_INCLUDE_DIR OR NOT LZ4_LIBRARY)
    message(FATAL_ERROR "LZ4 not found: install liblz4-dev")
endif()
add_library(tilebragg_compressors INTERFACE)
add_library(tilebragg::compressors ALIAS tilebragg_compressors)
target_include_directories(tilebragg_compressors SYSTEM INTERFACE "${LZ4_INCLUDE_DIR}")
target_link_libraries(tilebragg_compressors INTERFACE "${LZ4_LIBRARY}" ZLIB::ZLIB)

if(TILEBRAGG_STATIC_DEPS)
    set(Boost_USE_STATIC_LIBS ON)
    find_package(Boost 1.71 QUIET COMPONENTS program_options)
    unset(Boost_USE_STATIC_LIBS)
endif()
if(NOT Boost_FOUND)
    find_package(Boost 1.71 REQUIRED COMPONENTS program_options)
endif()
find_package(GTest REQUIRED)

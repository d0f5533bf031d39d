# Default to an optimised build: the simulator is useless at -O0 for anything but
# stepping through code, and benchmarks must never be taken from an unset build type.
# (CMake's Release flags for GCC and Clang are already "-O3 -DNDEBUG".)
get_property(_multi_config GLOBAL PROPERTY GENERATOR_IS_MULTI_CONFIG)
if(NOT _multi_config AND NOT CMAKE_BUILD_TYPE)
    set(CMAKE_BUILD_TYPE Release CACHE STRING
        "Build type: Release, RelWithDebInfo, Debug or MinSizeRel" FORCE)
    set_property(CACHE CMAKE_BUILD_TYPE PROPERTY STRINGS
                 Release RelWithDebInfo Debug MinSizeRel)
endif()

# Version and git revision, resolved when CMake configures. The HDF5 output records
# both, so every result file says which code produced it.
set(TILEBRAGG_GIT_REVISION "unknown")
find_package(Git QUIET)
if(GIT_FOUND)
    execute_process(
        COMMAND "${GIT_EXECUTABLE}" describe --always --dirty
        WORKING_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}"
        OUTPUT_VARIABLE _git_describe
        ERROR_QUIET
        RESULT_VARIABLE _git_result
        OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(_git_result EQUAL 0 AND NOT _git_describe STREQUAL "")
        set(TILEBRAGG_GIT_REVISION "${_git_describe}")
    endif()

    # Re-configure (and so refresh the revision) when a commit or checkout moves HEAD:
    # logs/HEAD grows with each; before the first commit it does not exist yet, and the
    # index (touched by the `git add` that precedes that commit) stands in for it.
    execute_process(
        COMMAND "${GIT_EXECUTABLE}" rev-parse --absolute-git-dir
        WORKING_DIRECTORY "${CMAKE_CURRENT_SOURCE_DIR}"
        OUTPUT_VARIABLE _git_dir
        ERROR_QUIET
        RESULT_VARIABLE _git_dir_result
        OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(_git_dir_result EQUAL 0)
        set(_watched "${_git_dir}/logs/HEAD")
        if(NOT EXISTS "${_watched}")
            set(_watched "${_git_dir}/index")
        endif()
        if(EXISTS "${_watched}")
            set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${_watched}")
        endif()
    endif()
endif()

set(TILEBRAGG_GENERATED_INCLUDE_DIR "${CMAKE_CURRENT_BINARY_DIR}/generated/include")
configure_file("${CMAKE_CURRENT_LIST_DIR}/version_info.hpp.in"
               "${TILEBRAGG_GENERATED_INCLUDE_DIR}/tilebragg/version_info.hpp"
               @ONLY)

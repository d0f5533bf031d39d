// The GPU tests' main: says up front whether a GPU is visible (without one, every test
// is skipped with the reason), then runs them.
#include <gtest/gtest.h>

#include <iostream>

#include <tilebragg/version_info.hpp>

#include "gpu_support.hpp"
#include "run_all_tests.hpp"

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    if (!::testing::GTEST_FLAG(list_tests)) {
        std::cout << "gpu_tests: tilebragg " << TILEBRAGG_GIT_REVISION << " (" << TILEBRAGG_BUILD_TYPE << ", ISA "
                  << TILEBRAGG_ISA << ")" << std::endl;
        const std::string& why = tilebragg::gpu_test::no_gpu_reason();
        if (why.empty())
            std::cout << "gpu_tests: " << tilebragg::gpu_test::gpu_name() << std::endl;
        else
            std::cout << "gpu_tests: " << why << std::endl;
    }
    return tilebragg::golden::run_all_tests_refusing_empty_filter("gpu_tests");
}

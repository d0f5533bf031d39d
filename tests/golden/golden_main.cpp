#include <gtest/gtest.h>

#include <iostream>
#include <string>

#include "header_tests.hpp"

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    tilebragg::golden::register_header_tests();
    const int status = RUN_ALL_TESTS();

    // ctest runs one test per process through --gtest_filter. If the case list changed
    // after ctest listed it, the filter matches nothing and gtest would report success;
    // a golden test must never pass by not running.
    const std::string filter = ::testing::GTEST_FLAG(filter);
    if (status == 0 && filter != "*" && !::testing::GTEST_FLAG(list_tests) &&
        ::testing::UnitTest::GetInstance()->test_to_run_count() == 0) {
        std::cerr << "golden_tests: no test matches --gtest_filter=" << filter
                  << " (the golden case list has changed since ctest listed it; run ctest again)"
                  << std::endl;
        return 1;
    }
    return status;
}

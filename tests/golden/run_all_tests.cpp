#include "run_all_tests.hpp"

#include <gtest/gtest.h>

#include <iostream>
#include <string>

namespace tilebragg::golden {

int run_all_tests_refusing_empty_filter(const char* program) {
    const int status = RUN_ALL_TESTS();
    const std::string filter = ::testing::GTEST_FLAG(filter);
    if (status == 0 && filter != "*" && !::testing::GTEST_FLAG(list_tests) &&
        ::testing::UnitTest::GetInstance()->test_to_run_count() == 0) {
        std::cerr << program << ": no test matches --gtest_filter=" << filter
                  << " (the test list has changed since ctest listed it; run ctest again)" << std::endl;
        return 1;
    }
    return status;
}

}  // namespace tilebragg::golden

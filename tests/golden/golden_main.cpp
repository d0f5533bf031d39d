#include <gtest/gtest.h>

#include "header_tests.hpp"
#include "run_all_tests.hpp"

int main(int argc, char** argv) {
    ::testing::InitGoogleTest(&argc, argv);
    tilebragg::golden::register_header_tests();
    return tilebragg::golden::run_all_tests_refusing_empty_filter("golden_tests");
}

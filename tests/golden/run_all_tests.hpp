#pragma once
// RUN_ALL_TESTS for executables whose test list is read from data (the golden manifest):
// ctest runs one test per process through --gtest_filter, and if the list changed after
// ctest listed it the filter matches nothing and gtest would report success. A parity
// test must never pass by not running, so that case fails, naming the program.
namespace tilebragg::golden {

int run_all_tests_refusing_empty_filter(const char* program);

}  // namespace tilebragg::golden

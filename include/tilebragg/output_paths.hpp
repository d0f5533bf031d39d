#pragma once
// Checks on the output file names that need no writing: run before any input is read
// or any file (the Fdump cache included) is written, so that a run doomed by a typo in
// an output path fails at once and leaves nothing behind.
#include <tilebragg/params.hpp>

namespace tilebragg {

// Throws InputError naming the flag when an output name is empty, is a directory, lies
// in a directory that does not exist, is named by two output flags, or names an input.
// Whether the file can really be created is left to check_outputs_writable().
void check_output_paths(const Params& params);

}  // namespace tilebragg

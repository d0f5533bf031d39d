#pragma once
// Checks on the output file names that need no writing: run before any input is read
// or any file (the Fdump cache included) is written, so that a run doomed by a typo in
// an output path fails at once and leaves nothing behind.
#include <tilebragg/params.hpp>

namespace tilebragg {

// Throws InputError naming the flag when an output name is empty, is a directory, lies
// in a directory that does not exist or cannot be written, is too long for the file
// system once '.tmp' is added, or (for -h5file) is a device, FIFO or socket; and when
// any name an output is written under (its own, or its temporary "<name>.tmp") is the
// file of an input (-hkl, -matrix, -img, -mask, -sourcefile, -job, and the -dumpfile
// cache when it is read) or a name another output is written under. Files are compared
// by device and inode where they exist (so links count), by resolved name otherwise.
// An existing device or FIFO taken by a legacy output is written in place and may be
// shared. Whether the file can really be created is left to check_outputs_writable().
void check_output_paths(const Params& params);

}  // namespace tilebragg

#pragma once
// nanoBragg's structure-factor cache ("Fdump.bin", renamed with -dump). The reference
// writes it after reading an -hkl file and reads it back on a later run that has no
// -hkl; these functions read and write the same bytes, so a cache made by either
// program serves the other (on machines of the same byte order).
//
// Layout, byte for byte:
//   text   "%d %d %d %d %d %d\n\f" with h_min h_max k_min k_max l_min l_max
//   data   (h_count+1) * (k_count+1) * (l_count+1) doubles, host byte order, l fastest,
//          then k, then h. The reference allocates one spare slot past the end of every
//          axis and dumps it too; those slots hold 0 and mean nothing.
// The values are the box as the reference holds it, default_F fill included, so a run
// that loads the cache uses the default_F of the run that wrote it inside the box.
//
// Quirk of the reference reader: it skips the header with scanf("...\n\f"), which also
// swallows any data bytes that look like white space (0x09-0x0d, 0x20) at the start of
// the first double, misreading its own file when F(h_min,k_min,l_min) begins so. This
// reader takes the data from just after the first '\f' and has no such problem.
#include <tilebragg/hkl_grid.hpp>

#include <string>

namespace tilebragg {

// Writes atomically (<path>.tmp, then rename). Throws InputError if the file cannot be
// written or the grid is empty.
void write_fdump(const std::string& path, const HklGrid& grid);

// Reads a cache; default_F is the value for hkls outside the box (the cache does not hold
// it). hkls is set to h_count*k_count*l_count, as the reference reports. Throws
// InputError if the file cannot be read, the header is not six integers followed by
// "\n\f", a range is empty, or the data size does not match the header.
HklGrid read_fdump(const std::string& path, double default_F);

}  // namespace tilebragg

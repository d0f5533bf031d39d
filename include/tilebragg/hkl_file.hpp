#pragma once
// The -hkl text file: one reflection per line, "h k l F", separated by blanks or tabs.
//
// What nanoBragg does with such a file (it reads it as one stream of numbers with
// scanf, so lines do not matter to it):
//   - the box is the min..max of each index over all reflections read; every hkl in
//     the box is first set to default_F (the -default_F value, 0 unless given), then the
//     listed reflections overwrite it in file order, so a repeated hkl keeps its last F;
//   - blank lines and CRLF line ends do no harm;
//   - reading stops silently at the first token that is not a number (e.g. a comment);
//   - a fifth column shifts every later number by one (garbage, silently);
//   - an index written "1.0" is counted but stops the second pass, leaving F unset;
//   - no reflections at all is fatal ("not enough HKL indices").
// This reader accepts every file the reference reads correctly, with the same result,
// and turns the silent failures into InputError "path:line: ...": exactly four columns
// per line, integral indices ("3" or "3.0"), finite F. Lines empty after removing a
// '#' comment are skipped, and a UTF-8 byte-order mark at the start of the file is
// ignored (extensions; the reference has neither). A box with an index range longer
// than the memory budget allows (hkl_grid.hpp) is refused before it is allocated.
#include <tilebragg/hkl_grid.hpp>

#include <string>

namespace tilebragg {

// Throws InputError for an unreadable file, a malformed line, or a file with no reflections.
HklGrid read_hkl_file(const std::string& path, double default_F);

// The same, on file contents already in memory; `path` only labels error messages.
HklGrid parse_hkl_text(const std::string& text, const std::string& path, double default_F);

}  // namespace tilebragg

#pragma once
// MOSFLM orientation matrix file (-mat / -matrix). Only its first nine numbers matter:
// the A matrix, three rows of three,
//
//        | a*_x  b*_x  c*_x |
//    A = | a*_y  b*_y  c*_y |   = lambda * [a* b* c*]
//        | a*_z  b*_z  c*_z |
//
// i.e. each COLUMN is one reciprocal cell vector and each row one Cartesian component,
// with the vectors multiplied by the wavelength in Angstrom (so the numbers have no
// unit). nanoBragg reads row by row into (a*_x, b*_x, c*_x), (a*_y, ...), (a*_z, ...),
// then divides each vector by lambda in Angstrom (the -lambda / -energy value in force)
// to get a*, b*, c* in 1/Angstrom. The rest of the file (the U matrix, the cell, the
// missetting angles MOSFLM also writes) is ignored.
//
// Like the reference (scanf "%lg"), numbers are read as a stream: line breaks do not
// matter, and Fortran output whose columns run together ("0.01214963-0.00087968")
// still splits into two numbers. Unlike the reference, a file that cannot be opened or
// runs out of numbers is an InputError rather than silently ignored.
#include <array>
#include <string>

namespace tilebragg {

// The nine numbers in file order: {A11, A12, A13, A21, ..., A33}; so a* = (m[0], m[3], m[6]),
// b* = (m[1], m[4], m[7]), c* = (m[2], m[5], m[8]), all times lambda/Angstrom.
// Throws InputError "path:line: ..." for a token that is not a number or is not finite,
// and "path: ..." for fewer than nine numbers.
std::array<double, 9> read_mosflm_matrix(const std::string& path);

// The same, on file contents already in memory; `path` only labels error messages.
std::array<double, 9> parse_mosflm_matrix(const std::string& text, const std::string& path);

}  // namespace tilebragg

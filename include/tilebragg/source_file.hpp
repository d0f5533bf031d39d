#pragma once
// The -sourcefile list: one X-ray source per line, columns
//     X  Y  Z  weight  lambda
// X Y Z: where the source sits relative to the sample, in metres (only the direction
// counts: the reference normalises it, and the beam travels from the source towards
// the sample); weight: relative intensity, used as given (not normalised); lambda:
// wavelength in METRES (e.g. 1.0e-10). Fields are separated by any run of
// " \t,;:!" (the reference's separator set); columns past the fifth are ignored.
//
// Trailing columns may be left out; the reference marks them missing and then, once the
// beam geometry and wavelength are final (after the convention, -beam_vector, -lambda /
// -energy and any -img/-mask header are applied), fills each missing value per row, in
// this order:
//     X      = -source_distance * beam_vector.x     source_distance = 10 m (fixed;
//     Y      = -source_distance * beam_vector.y     its option is disabled in the
//     Z      = -source_distance * beam_vector.z     reference)
//     weight = 1.0
//     lambda = lambda0 (the -lambda / -energy wavelength)
// Then it prints each row as "%g %g %g   %g %g" (X Y Z weight lambda, before
// normalising X Y Z) and replaces X Y Z by the unit vector. A file given with
// -sourcefile replaces the divergence/dispersion source grid entirely.
//
// Reference quirks this reader does NOT copy (they give nonsense sources there):
//   - a row with missing columns on a CRLF line, or on a last line without a newline,
//     gets 0 (not "missing") for those columns, i.e. weight 0 and lambda 0;
//   - a '#' comment line becomes a source 0 0 0 0 0; here it is skipped;
//   - a non-numeric field reads as 0 (or as its numeric prefix, "1.5x" -> 1.5); here it
//     is an InputError "path:line: ...".
// A field spelled "nan" counts as missing, as in the reference.
#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace tilebragg {

struct SourceRow {
    std::size_t line = 0;           // 1-based line number in the file
    std::optional<double> x, y, z;  // source position, metres; nullopt = missing
    std::optional<double> weight;   // relative intensity; nullopt = missing
    std::optional<double> lambda;   // wavelength, metres; nullopt = missing
};

// Throws InputError for an unreadable file, a non-numeric field, or a file with no sources
// (the reference stops with "reading source definition file" then).
std::vector<SourceRow> read_source_file(const std::string& path);

// The same, on file contents already in memory; `path` only labels error messages.
std::vector<SourceRow> parse_source_text(const std::string& text, const std::string& path);

}  // namespace tilebragg

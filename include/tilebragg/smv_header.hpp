#pragma once
// The text header of an SMV (ADSC-style) image: "{\n" KEY=VALUE; ... "}" padded to
// HEADER_BYTES bytes, followed by the pixels. This is the parsed form; reading files is
// in smv_image.hpp and writing in smv_writer.hpp.
//
// What nanoBragg takes from the header of an -img or -mask file (before it reads any
// other option, so command-line flags given later override these), in this order:
//   SIZE1 -> fast pixels, SIZE2 -> slow pixels (if SIZE1 is 0 or absent, both from
//            DETECTOR_DIMENSIONS); detector size = pixel size * pixels
//   PIXEL_SIZE mm -> pixel size           DISTANCE mm -> distance (see quirk 1)
//   CLOSE_DISTANCE mm -> close distance   WAVELENGTH A -> lambda0
//   BEAM_CENTER_X mm -> Xbeam
//   BEAM_CENTER_Y mm -> Ybeam for -img, but Ybeam = detsize_s - value for -mask (!)
//   ORGX -> ORGX, ORGY -> ORGY (pixels; see quirk 1: these find XDS_ORGX / XDS_ORGY)
//   PHI deg -> phi0                        OSC_RANGE deg -> osc
//   TWOTHETA deg -> a scratch variable only: it has NO effect on the detector (quirk 2)
// A key that is absent leaves the current value alone. Detector size is computed from
// the header's PIXEL_SIZE (or the default 0.1 mm) right after PIXEL_SIZE, so the mask's
// BEAM_CENTER_Y flip uses that size. -mask is read first, then -img, so -img wins.
// The -img pixels are read but never used; a -mask pixel equal to 0 is skipped (not
// rendered) and any other value is rendered.
//
// Quirk 1: the reference looks each key up as a SUBSTRING, takes its LAST occurrence
// in the header, then the number after the next '='. So "DISTANCE" finds the
// "CLOSE_DISTANCE=" entry when that comes later (as in the reference's own images),
// "ORGX" finds "XDS_ORGX=", and a key that is absent is NaN. reference_value_of()
// reproduces this lookup exactly; number() is the honest key=value lookup.
// Quirk 2: see TWOTHETA above.
// Quirk 3: the reference works out whether the data need byte swapping (BYTE_ORDER vs
// host) but never swaps; harmless for masks (only zero / non-zero matters) and for -img
// (pixels unused). read_smv_image() swaps correctly.
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace tilebragg {

struct SmvHeader {
    std::string text;  // the raw header, HEADER_BYTES bytes (for reference_value_of)
    std::size_t header_bytes = 0;
    std::vector<std::pair<std::string, std::string>> entries;  // in file order, trimmed
    std::map<std::string, std::string> values;                 // key -> value; last one wins

    bool has(const std::string& key) const { return values.count(key) != 0; }
    std::optional<std::string> get(const std::string& key) const;
    // The key's value as a number; nullopt if the key is absent. Throws InputError if
    // it is present but not a number.
    std::optional<double> number(const std::string& key) const;
    // As number(), but the value must be an integer.
    std::optional<long long> integer(const std::string& key) const;

    // nanoBragg's own lookup (quirk 1 above): last substring match of `keyword`, then the
    // number after the next '=' (atof: 0 if none parses); NaN if `keyword` is absent;
    // 0 if no '=' follows it. Searches `text` up to its first NUL byte.
    double reference_value_of(const std::string& keyword) const;

    std::string source;  // file name, for error messages
};

// Parses a header text. `source` names it in error messages. The text must start with
// '{'; entries end at ';' or a line break, so an entry without ';' (the reference writes
// DIALS_ORIGIN that way) still parses; parsing stops at the first '}'. Fragments without
// '=' are ignored. Throws InputError if there is no '{' at the start.
SmvHeader parse_smv_header(const std::string& text, const std::string& source);

}  // namespace tilebragg

#pragma once
// Writing SMV images exactly as nanoBragg writes -intfile and -noisefile: a 512-byte
// text header, then SIZE1*SIZE2 unsigned 16-bit pixels in host byte order, fast index
// fastest. The header holds these lines in this order (numbers printed with %g, sizes
// with %d), then "}\f", then spaces up to byte 512:
//
//   {  HEADER_BYTES=512;  DIM=2;  BYTE_ORDER=<host>;  TYPE=unsigned_short;
//   SIZE1  SIZE2  PIXEL_SIZE  DISTANCE  WAVELENGTH  BEAM_CENTER_X  BEAM_CENTER_Y
//   ADXV_CENTER_X  ADXV_CENTER_Y  MOSFLM_CENTER_X  MOSFLM_CENTER_Y  DENZO_X_BEAM
//   DENZO_Y_BEAM  DIALS_ORIGIN=x,y,z (no ';' on this line in the reference)  XDS_ORGX
//   XDS_ORGY  CLOSE_DISTANCE  PHI  OSC_START  OSC_RANGE  TWOTHETA  DETECTOR_SN=000;
//   BEAMLINE=fake;  }
//
// The values are given in header units. In the reference's variables (metres, radians;
// Fbeam/Sbeam the beam centre along fast/slow, detsize_s = slow pixels * pixel size):
//   pixel_size_mm      = pixel_size*1000         distance_mm = distance*1000
//   wavelength_A       = lambda0*1e10
//   beam_center_x/y_mm = Xbeam*1000, Ybeam*1000  (as the user's convention gave them)
//   adxv_center_x_mm   = Fbeam*1000              adxv_center_y_mm = (detsize_s - Sbeam)*1000
//   mosflm_center_x_mm = (Sbeam - pixel_size/2)*1000
//   mosflm_center_y_mm = (Fbeam - pixel_size/2)*1000
//   denzo_x_beam_mm    = Sbeam*1000              denzo_y_beam_mm  = Fbeam*1000
//   dials_origin_mm    = the reference's dials_origin (already mm)
//   xds_orgx/orgy      = ORGX, ORGY (pixels)     close_distance_mm = close_distance*1000
//   phi_deg = osc_start_deg = phi0 (start of the first phi step), osc_range_deg = osc
//   twotheta_deg       = detector two-theta
// Compute them the same way (same order of operations) to get the same %g text.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace tilebragg {

struct SmvHeaderFields {
    int fast_pixels = 0;  // SIZE1
    int slow_pixels = 0;  // SIZE2
    double pixel_size_mm = 0.0;
    double distance_mm = 0.0;
    double wavelength_A = 0.0;
    double beam_center_x_mm = 0.0;
    double beam_center_y_mm = 0.0;
    double adxv_center_x_mm = 0.0;
    double adxv_center_y_mm = 0.0;
    double mosflm_center_x_mm = 0.0;
    double mosflm_center_y_mm = 0.0;
    double denzo_x_beam_mm = 0.0;
    double denzo_y_beam_mm = 0.0;
    std::array<double, 3> dials_origin_mm{};
    double xds_orgx_pixels = 0.0;
    double xds_orgy_pixels = 0.0;
    double close_distance_mm = 0.0;
    double phi_deg = 0.0;
    double osc_start_deg = 0.0;
    double osc_range_deg = 0.0;
    double twotheta_deg = 0.0;
};

constexpr std::size_t smv_header_bytes = 512;

// The 512-byte header. Throws InputError if the text does not fit in 512 bytes (only
// possible with absurd values; the reference would then write a corrupt file).
std::string format_smv_header(const SmvHeaderFields& fields);

// Writes header and pixels atomically (<path>.tmp, then rename). Throws InputError if
// count != fast_pixels * slow_pixels or the file cannot be written.
void write_smv_image(const std::string& path, const SmvHeaderFields& fields, const std::uint16_t* pixels,
                     std::size_t count);

class AtomicFileWriter;
// The same bytes into an open writer, left for the caller to commit.
void write_smv_image(AtomicFileWriter& out, const SmvHeaderFields& fields, const std::uint16_t* pixels,
                     std::size_t count);

inline void write_smv_image(const std::string& path, const SmvHeaderFields& fields,
                            const std::vector<std::uint16_t>& pixels) {
    write_smv_image(path, fields, pixels.data(), pixels.size());
}

}  // namespace tilebragg

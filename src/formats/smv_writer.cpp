#include <tilebragg/smv_writer.hpp>

#include "byte_order.hpp"

#include <tilebragg/atomic_file.hpp>
#include <tilebragg/errors.hpp>

#include <cstdio>

namespace tilebragg {

namespace {

void append(std::string& out, const char* format, double value) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, format, value);
    out += buffer;
}

}  // namespace

std::string format_smv_header(const SmvHeaderFields& f) {
    std::string h = "{\nHEADER_BYTES=512;\nDIM=2;\nBYTE_ORDER=";
    h += formats_detail::host_byte_order_name();
    h += ";\nTYPE=unsigned_short;\n";
    h += "SIZE1=" + std::to_string(f.fast_pixels) + ";\n";
    h += "SIZE2=" + std::to_string(f.slow_pixels) + ";\n";
    append(h, "PIXEL_SIZE=%g;\n", f.pixel_size_mm);
    append(h, "DISTANCE=%g;\n", f.distance_mm);
    append(h, "WAVELENGTH=%g;\n", f.wavelength_A);
    append(h, "BEAM_CENTER_X=%g;\n", f.beam_center_x_mm);
    append(h, "BEAM_CENTER_Y=%g;\n", f.beam_center_y_mm);
    append(h, "ADXV_CENTER_X=%g;\n", f.adxv_center_x_mm);
    append(h, "ADXV_CENTER_Y=%g;\n", f.adxv_center_y_mm);
    append(h, "MOSFLM_CENTER_X=%g;\n", f.mosflm_center_x_mm);
    append(h, "MOSFLM_CENTER_Y=%g;\n", f.mosflm_center_y_mm);
    append(h, "DENZO_X_BEAM=%g;\n", f.denzo_x_beam_mm);
    append(h, "DENZO_Y_BEAM=%g;\n", f.denzo_y_beam_mm);
    // No ';' after DIALS_ORIGIN: the reference writes it that way and readers cope.
    append(h, "DIALS_ORIGIN=%g", f.dials_origin_mm[0]);
    append(h, ",%g", f.dials_origin_mm[1]);
    append(h, ",%g\n", f.dials_origin_mm[2]);
    append(h, "XDS_ORGX=%g;\n", f.xds_orgx_pixels);
    append(h, "XDS_ORGY=%g;\n", f.xds_orgy_pixels);
    append(h, "CLOSE_DISTANCE=%g;\n", f.close_distance_mm);
    append(h, "PHI=%g;\n", f.phi_deg);
    append(h, "OSC_START=%g;\n", f.osc_start_deg);
    append(h, "OSC_RANGE=%g;\n", f.osc_range_deg);
    append(h, "TWOTHETA=%g;\n", f.twotheta_deg);
    h += "DETECTOR_SN=000;\nBEAMLINE=fake;\n}\f";
    if (h.size() > smv_header_bytes) {
        throw InputError("SMV header of " + std::to_string(h.size()) + " bytes does not fit in " +
                         std::to_string(smv_header_bytes));
    }
    h.resize(smv_header_bytes, ' ');
    return h;
}

void write_smv_image(const std::string& path, const SmvHeaderFields& fields, const std::uint16_t* pixels,
                     std::size_t count) {
    AtomicFileWriter out(path);
    write_smv_image(out, fields, pixels, count);
    out.commit();
}

void write_smv_image(AtomicFileWriter& out, const SmvHeaderFields& fields, const std::uint16_t* pixels,
                     std::size_t count) {
    const std::string& path = out.path();
    const std::size_t expected =
        static_cast<std::size_t>(fields.fast_pixels) * static_cast<std::size_t>(fields.slow_pixels);
    if (fields.fast_pixels <= 0 || fields.slow_pixels <= 0 || count != expected) {
        throw InputError("cannot write '" + path + "': " + std::to_string(count) + " pixels for a " +
                         std::to_string(fields.fast_pixels) + "x" + std::to_string(fields.slow_pixels) + " SMV image");
    }
    const std::string header = format_smv_header(fields);
    out.write(header);
    out.write(pixels, count * sizeof(std::uint16_t));
}

}  // namespace tilebragg

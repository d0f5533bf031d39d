// libFuzzer target: SMV header parsing and every lookup on it must either work or
// throw InputError.
#include <cstddef>
#include <cstdint>
#include <string>

#include <tilebragg/errors.hpp>
#include <tilebragg/smv_header.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        const tilebragg::SmvHeader h =
            tilebragg::parse_smv_header(std::string(reinterpret_cast<const char*>(data), size), "fuzz.img");
        for (const char* key : {"SIZE1", "SIZE2", "PIXEL_SIZE", "DISTANCE", "BEAM_CENTER_Y", "HEADER_BYTES"}) {
            (void)h.reference_value_of(key);
            try {
                (void)h.number(key);
                (void)h.integer(key);
            } catch (const tilebragg::InputError&) {
            }
        }
    } catch (const tilebragg::InputError&) {
    }
    return 0;
}

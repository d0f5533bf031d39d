// libFuzzer target: the MOSFLM matrix reader must either parse or throw InputError.
#include <cstddef>
#include <cstdint>
#include <string>

#include <tilebragg/errors.hpp>
#include <tilebragg/matrix_file.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        (void)tilebragg::parse_mosflm_matrix(std::string(reinterpret_cast<const char*>(data), size), "fuzz.mat");
    } catch (const tilebragg::InputError&) {
    }
    return 0;
}

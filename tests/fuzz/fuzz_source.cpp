// libFuzzer target: the -sourcefile reader must either parse or throw InputError.
#include <cstddef>
#include <cstdint>
#include <string>

#include <tilebragg/errors.hpp>
#include <tilebragg/source_file.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        (void)tilebragg::parse_source_text(std::string(reinterpret_cast<const char*>(data), size), "fuzz.txt");
    } catch (const tilebragg::InputError&) {
    }
    return 0;
}

// libFuzzer target: the -hkl reader must either parse or throw InputError.
#include <cstddef>
#include <cstdint>
#include <string>

#include <tilebragg/errors.hpp>
#include <tilebragg/hkl_file.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const tilebragg::HklGrid grid = tilebragg::parse_hkl_text(text, "fuzz.hkl", 1.0);
        // Touch the corners so that a box that disagrees with its storage shows up.
        if (!grid.empty()) {
            volatile double sink =
                grid.at(grid.h_min, grid.k_min, grid.l_min) + grid.at(grid.h_max, grid.k_max, grid.l_max);
            (void)sink;
        }
    } catch (const tilebragg::InputError&) {
    }
    return 0;
}

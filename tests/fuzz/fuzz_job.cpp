// libFuzzer target: the -job INI reader must either parse or throw InputError.
#include <cstddef>
#include <cstdint>
#include <string>

#include <tilebragg/errors.hpp>
#include <tilebragg/job_file.hpp>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    try {
        for (const auto& entry :
             tilebragg::parse_job_text(std::string(reinterpret_cast<const char*>(data), size), "fuzz.ini")) {
            volatile std::size_t sink = entry.key.size() + entry.values.size();
            (void)sink;
        }
    } catch (const tilebragg::InputError&) {
    }
    return 0;
}

#pragma once
// One exception type for everything a user can get wrong. The message is a single line
// naming the culprit (flag, file and line, value); main() prints it and exits non-zero.
#include <stdexcept>
#include <string>

namespace tilebragg {

struct InputError : std::runtime_error {
    explicit InputError(const std::string& what) : std::runtime_error(what) {}
};

}  // namespace tilebragg

// The CUDA backend asks for one hardware queue per context (CUDA_DEVICE_MAX_CONNECTIONS=1)
// unless the user chose a number: checked on the environment, no GPU needed.
#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>

#include <tilebragg/cuda_renderer.hpp>

namespace tilebragg {
namespace {

constexpr const char* kQueues = "CUDA_DEVICE_MAX_CONNECTIONS";

// Puts the variable back as it was when the test ends.
class SavedVariable {
public:
    SavedVariable() {
        if (const char* value = std::getenv(kQueues)) saved_ = value;
    }
    ~SavedVariable() {
        if (saved_)
            setenv(kQueues, saved_->c_str(), 1);
        else
            unsetenv(kQueues);
    }

private:
    std::optional<std::string> saved_;
};

TEST(CudaQueues, OneUnlessTheUserChose) {
    SavedVariable saved;
    unsetenv(kQueues);
    choose_cuda_queues();
    ASSERT_NE(std::getenv(kQueues), nullptr);
    EXPECT_STREQ(std::getenv(kQueues), "1");

    setenv(kQueues, "4", 1);
    choose_cuda_queues();
    EXPECT_STREQ(std::getenv(kQueues), "4");
}

}  // namespace
}  // namespace tilebragg

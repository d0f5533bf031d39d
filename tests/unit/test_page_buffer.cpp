// Scratch memory straight from the kernel: zero until written, the whole size usable,
// large buffers on a huge-page boundary.
#include <tilebragg/page_buffer.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>

using tilebragg::PageBuffer;

TEST(PageBuffer, EmptyBufferHasNoMemory) {
    const PageBuffer none(0);
    EXPECT_EQ(none.data(), nullptr);
    EXPECT_EQ(none.size(), 0u);
}

TEST(PageBuffer, SmallAndLargeBuffersAreZeroAndWritableToTheEnd) {
    for (const std::size_t bytes :
         {std::size_t(1), std::size_t(5000), (std::size_t(1) << 20) - 1, std::size_t(1) << 20, std::size_t(5) << 20}) {
        const PageBuffer buffer(bytes);
        ASSERT_NE(buffer.data(), nullptr);
        EXPECT_EQ(buffer.size(), bytes);
        auto* bytes_of = static_cast<unsigned char*>(buffer.data());
        EXPECT_EQ(bytes_of[0], 0);
        EXPECT_EQ(bytes_of[bytes - 1], 0);
        std::memset(bytes_of, 0xa5, bytes);
        EXPECT_EQ(bytes_of[bytes - 1], 0xa5);
        if (bytes >= (std::size_t(1) << 20)) {  // where a huge page can back it
            EXPECT_EQ(reinterpret_cast<std::uintptr_t>(buffer.data()) % (std::size_t(2) << 20), 0u) << bytes;
        }
    }
}

#include <tilebragg/page_buffer.hpp>

#include <sys/mman.h>

#include <cstdint>
#include <new>

namespace tilebragg {

namespace {

constexpr std::size_t kHugePage = std::size_t(2) << 20;
constexpr std::size_t kHugePageFrom = std::size_t(1) << 20;

}  // namespace

PageBuffer::PageBuffer(std::size_t bytes) : size_(bytes) {
    if (bytes == 0) return;
    const bool huge = bytes >= kHugePageFrom;
    // Room to slide the start to a 2 MiB boundary: a huge page needs an aligned 2 MiB.
    mapping_bytes_ = huge ? (bytes + kHugePage - 1) / kHugePage * kHugePage + kHugePage : bytes;
    mapping_ = ::mmap(nullptr, mapping_bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mapping_ == MAP_FAILED) {
        mapping_ = nullptr;
        throw std::bad_alloc();
    }
    data_ = mapping_;
    if (huge) {
        const std::uintptr_t start = reinterpret_cast<std::uintptr_t>(mapping_);
        data_ = static_cast<char*>(mapping_) + (kHugePage - start % kHugePage) % kHugePage;
        ::madvise(data_, mapping_bytes_ - kHugePage, MADV_HUGEPAGE);  // advice only: failure is harmless
    }
}

void advise_huge_pages(void* p, std::size_t bytes) {
    if (p == nullptr || bytes < kHugePage) return;
    const std::uintptr_t start = reinterpret_cast<std::uintptr_t>(p);
    const std::uintptr_t first = (start + kHugePage - 1) / kHugePage * kHugePage;
    const std::uintptr_t end = (start + bytes) / kHugePage * kHugePage;
    // The first whole huge page, as an offset from p (no integer made into a pointer).
    if (end > first) ::madvise(static_cast<char*>(p) + (first - start), end - first, MADV_HUGEPAGE);
}

PageBuffer::~PageBuffer() {
    if (mapping_ != nullptr) ::munmap(mapping_, mapping_bytes_);
}

}  // namespace tilebragg

#pragma once
// Scratch memory for a large, short-lived array, taken straight from the kernel: zero
// until written, and only the pages written cost anything, so it may be sized by a
// generous upper bound. From 1 MiB up it is aligned to 2 MiB and advised to be backed by
// transparent huge pages (MADV_HUGEPAGE; ignored where they are switched off): one page
// fault per 2 MiB instead of one per 4 KiB. On the development machine (a virtual
// machine) a fault costs 2 to 3 us: 1.5 MB written costs 1.5 ms in small pages and
// 0.2 ms in one huge page.
#include <cstddef>

namespace tilebragg {

class PageBuffer {
public:
    // Throws std::bad_alloc when the kernel refuses the mapping.
    explicit PageBuffer(std::size_t bytes);
    ~PageBuffer();
    PageBuffer(const PageBuffer&) = delete;
    PageBuffer& operator=(const PageBuffer&) = delete;

    void* data() const { return data_; }  // null for 0 bytes
    std::size_t size() const { return size_; }

private:
    void* mapping_ = nullptr;
    std::size_t mapping_bytes_ = 0;
    void* data_ = nullptr;
    std::size_t size_ = 0;
};

// Advises transparent huge pages for the whole 2 MiB pages inside [p, p + bytes), for a
// large buffer allocated elsewhere (a std::vector) before it is first written: one page
// fault per 2 MiB instead of 512. Advice only; small buffers are left alone.
void advise_huge_pages(void* p, std::size_t bytes);

}  // namespace tilebragg

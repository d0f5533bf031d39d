#pragma once
// A 64-bit content hash for images and input files: what a resumed batch checks before it
// trusts an image or reuses an input. Not cryptographic; fast (several GB/s) so that
// hashing an image costs less than compressing it.
#include <cstddef>
#include <cstdint>
#include <string>

namespace tilebragg {

std::uint64_t content_hash(const void* data, std::size_t bytes);

// The hash as 16 hex digits (how it is recorded and reported).
std::string hash_text(std::uint64_t hash);

// The hash of a file's whole content; throws InputError naming `path` when it cannot be read.
std::uint64_t file_content_hash(const std::string& path);

}  // namespace tilebragg

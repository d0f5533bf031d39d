#pragma once
// Output files appear whole or not at all: bytes go to "<path>.tmp", which is renamed
// over <path> only once everything is written. An interrupted or failed run therefore
// never leaves a truncated image where a complete one is expected.
// A path that already exists and is not a regular file (/dev/null, a FIFO) is written
// directly: renaming over it would replace the device, and a stream has no "partial".
#include <cstddef>
#include <cstdio>
#include <string>

namespace tilebragg {

class AtomicFileWriter {
public:
    // Opens "<path>.tmp" (or, for a device or FIFO, <path> itself) for writing; throws
    // InputError naming it and the system's reason.
    explicit AtomicFileWriter(std::string path);
    // Removes the temporary file unless commit() succeeded.
    ~AtomicFileWriter();

    AtomicFileWriter(const AtomicFileWriter&) = delete;
    AtomicFileWriter& operator=(const AtomicFileWriter&) = delete;

    void write(const void* bytes, std::size_t count);  // throws InputError
    void write(const std::string& text) { write(text.data(), text.size()); }
    // Flushes and closes the temporary file without renaming it: where a full disk or a
    // quota shows up. Lets several files be finished before any of them is committed.
    void finish();  // throws InputError
    // Finishes (if not done yet) and renames the temporary file to the final path;
    // throws InputError.
    void commit();

    const std::string& path() const { return path_; }
    const std::string& temporary_path() const { return tmp_path_; }

private:
    std::string path_;
    std::string tmp_path_;
    std::FILE* file_ = nullptr;
    bool direct_ = false;  // writing the path itself (not a regular file)
    bool finished_ = false;
    bool committed_ = false;
};

}  // namespace tilebragg

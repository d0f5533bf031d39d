#include <tilebragg/atomic_file.hpp>

#include <tilebragg/errors.hpp>

#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <utility>

namespace tilebragg {

namespace {

std::string system_reason() { return std::strerror(errno); }

}  // namespace

AtomicFileWriter::AtomicFileWriter(std::string path) : path_(std::move(path)), tmp_path_(path_ + ".tmp") {
    struct stat info {};
    if (::stat(path_.c_str(), &info) == 0 && !S_ISREG(info.st_mode) && !S_ISDIR(info.st_mode)) {
        direct_ = true;
        tmp_path_ = path_;
    }
    file_ = std::fopen(tmp_path_.c_str(), "wb");
    if (file_ == nullptr) {
        throw InputError("cannot open '" + tmp_path_ + "' for writing: " + system_reason());
    }
}

AtomicFileWriter::~AtomicFileWriter() {
    if (file_ != nullptr) std::fclose(file_);
    if (!committed_ && !direct_) std::remove(tmp_path_.c_str());
}

void AtomicFileWriter::write(const void* bytes, std::size_t count) {
    if (file_ == nullptr) {
        throw InputError("cannot write '" + tmp_path_ + "': file already closed");
    }
    if (count == 0) return;
    if (std::fwrite(bytes, 1, count, file_) != count) {
        throw InputError("cannot write '" + tmp_path_ + "': " + system_reason());
    }
}

void AtomicFileWriter::finish() {
    if (file_ == nullptr) {
        throw InputError("cannot finish '" + path_ + "': file already closed");
    }
    // fclose reports errors of the final flush (e.g. a full disk) that fwrite could not.
    const bool flushed = std::fflush(file_) == 0;
    const int saved_errno = errno;
    const bool closed = std::fclose(file_) == 0;
    file_ = nullptr;
    finished_ = true;
    if (!flushed || !closed) {
        if (!flushed) errno = saved_errno;
        throw InputError("cannot write '" + tmp_path_ + "': " + system_reason());
    }
}

void AtomicFileWriter::commit() {
    if (!finished_) finish();
    if (committed_) throw InputError("cannot finish '" + path_ + "': already committed");
    if (!direct_ && std::rename(tmp_path_.c_str(), path_.c_str()) != 0) {
        throw InputError("cannot rename '" + tmp_path_ + "' to '" + path_ + "': " + system_reason());
    }
    committed_ = true;
}

}  // namespace tilebragg

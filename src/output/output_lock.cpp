#include <tilebragg/output_lock.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include <tilebragg/errors.hpp>

namespace tilebragg {
namespace {

std::string holder_of(int fd) {
    char text[256] = {0};
    const ssize_t n = ::pread(fd, text, sizeof text - 1, 0);
    std::string who = n > 0 ? std::string(text, static_cast<std::size_t>(n)) : std::string();
    while (!who.empty() && (who.back() == '\n' || who.back() == '\r')) who.pop_back();
    return who.empty() ? "another process" : who;
}

bool same_file(int fd, const std::string& path) {
    struct stat held {
    }, named{};
    return ::fstat(fd, &held) == 0 && ::stat(path.c_str(), &named) == 0 && held.st_dev == named.st_dev &&
           held.st_ino == named.st_ino;
}

}  // namespace

OutputLock::OutputLock(const std::string& path) : lock_path_(path + ".lock") {
    // A holder that finishes removes the lock file; whoever waited on the old one retries
    // on the new one, so that two runs never both hold "a" lock.
    for (int attempt = 0; attempt < 100; ++attempt) {
        const int fd = ::open(lock_path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
        if (fd < 0)
            throw InputError("cannot write output " + path + ": " + std::strerror(errno) + " (creating its lock file " +
                             lock_path_ + ")");
        if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
            const int err = errno;
            if (err == EWOULDBLOCK) {
                const std::string who = holder_of(fd);
                ::close(fd);
                throw InputError(path + " is being written by " + who + " (lock " + lock_path_ +
                                 "); wait for that run to end, or stop it, before starting another on the same file");
            }
            ::close(fd);
            // A file system without flock (some network mounts): say so, do not pretend.
            throw InputError("cannot lock " + lock_path_ + " for " + path + ": " + std::strerror(err) +
                             " (the file system does not support flock; write the file on a local or "
                             "lock-capable file system)");
        }
        if (!same_file(fd, lock_path_)) {
            ::close(fd);
            continue;
        }
        char host[128] = {0};
        ::gethostname(host, sizeof host - 1);
        const std::string me = "process " + std::to_string(::getpid()) + " on " + host + "\n";
        if (::ftruncate(fd, 0) != 0 || ::pwrite(fd, me.data(), me.size(), 0) != static_cast<ssize_t>(me.size())) {
            // The lock holds without the note; only the message to a second run is poorer.
        }
        fd_ = fd;
        return;
    }
    throw InputError("cannot take the lock " + lock_path_ + ": it keeps being replaced by another process");
}

OutputLock::~OutputLock() {
    if (fd_ < 0) return;
    ::unlink(lock_path_.c_str());
    ::close(fd_);
}

}  // namespace tilebragg

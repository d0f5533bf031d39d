#pragma once
// An exclusive lock on an output that a run writes for a long time (the HDF5 file of a
// batch): "<path>.lock" beside it, held with flock(2) from before the first look at the
// file until it is published. A second run on the same path is refused with the holder's
// process and host; a run that dies releases the lock with its last file descriptor, so a
// rerun after a crash or a kill takes it over and resumes.
#include <string>

namespace tilebragg {

class OutputLock {
public:
    // Throws InputError naming the holder when another process holds the lock.
    explicit OutputLock(const std::string& path);
    ~OutputLock();
    OutputLock(const OutputLock&) = delete;
    OutputLock& operator=(const OutputLock&) = delete;

    const std::string& lock_path() const { return lock_path_; }

private:
    std::string lock_path_;
    int fd_ = -1;
};

}  // namespace tilebragg

#!/usr/bin/python3
"""A full disk or a file-size limit while the images are written: tilebragg must say so on
stderr (one line, exit status 2) and leave no output that looks complete: no .tmp file,
and none of the final names, not even the outputs that did fit before the one that failed.

Three ways to run out of room, each skipped with a message where it cannot be arranged:
  * a 200 KiB tmpfs (needs root and permission to mount): the float image (160 000 bytes)
    fits, the SMV image after it does not;
  * a file-size limit (ulimit -f, 100 KiB) with SIGXFSZ ignored, so write() fails with
    EFBIG instead of the signal killing the process;
  * -floatfile /dev/full, a device that refuses every write with ENOSPC.

    disk_full.py TILEBRAGG_EXE
"""
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile

ARGS = ["-cell", "100", "100", "100", "90", "90", "90", "-default_F", "100", "-N", "5",
        "-lambda", "1", "-distance", "100", "-detpixels", "200", "-noprogress", "-seed", "1"]


def run(exe, cwd, extra=(), preexec=None):
    return subprocess.run([exe] + ARGS + list(extra), cwd=cwd, capture_output=True, text=True, timeout=300,
                          preexec_fn=preexec, restore_signals=preexec is None)


def verdict(name, r, directory, reason):
    """Problems with a run that had to fail for want of room."""
    problems = []
    if r.returncode < 0:
        problems.append("killed by signal %s" % signal.Signals(-r.returncode).name)
    elif r.returncode != 2:
        problems.append("exit status %d, expected 2" % r.returncode)
    lines = [l for l in r.stderr.splitlines() if l.strip()]
    if len(lines) != 1:
        problems.append("%d lines on stderr, expected 1" % len(lines))
    if reason not in r.stderr:
        problems.append("stderr does not say '%s'" % reason)
    if "internal error" in r.stderr:
        problems.append("'internal error' on stderr")
    left = sorted(os.listdir(directory))
    if left:
        problems.append("left behind: " + ", ".join(left))
    if problems:
        print("FAIL %s: %s\n     stderr: %s" % (name, "; ".join(problems), r.stderr.strip()))
        return 1
    print("ok   %s: %s" % (name, lines[0]))
    return 0


def small_tmpfs(exe):
    if os.geteuid() != 0:
        print("SKIP tmpfs: not root, cannot mount a small file system")
        return 0
    d = tempfile.mkdtemp(prefix="tilebragg-tmpfs-")
    try:
        m = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=200k", "tmpfs", d], capture_output=True, text=True)
        if m.returncode != 0:
            print("SKIP tmpfs: mount not permitted here (%s)" % m.stderr.strip())
            return 0
        try:
            return verdict("200 KiB tmpfs", run(exe, d), d, "No space left on device")
        finally:
            subprocess.run(["umount", d], check=False)
    finally:
        shutil.rmtree(d, ignore_errors=True)


def file_size_limit(exe):
    d = tempfile.mkdtemp(prefix="tilebragg-fsize-")

    def limit():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (100 * 1024, 100 * 1024))

    try:
        return verdict("ulimit -f 100 KiB", run(exe, d, preexec=limit), d, "File too large")
    finally:
        shutil.rmtree(d, ignore_errors=True)


def dev_full(exe):
    if not os.path.exists("/dev/full"):
        print("SKIP /dev/full: no such device")
        return 0
    d = tempfile.mkdtemp(prefix="tilebragg-devfull-")
    try:
        status = verdict("-floatfile /dev/full", run(exe, d, ["-floatfile", "/dev/full"]), d, "No space left on device")
        import stat
        if not stat.S_ISCHR(os.stat("/dev/full").st_mode):
            print("FAIL -floatfile /dev/full: the device was replaced by a file")
            status = 1
        return status
    finally:
        shutil.rmtree(d, ignore_errors=True)


def main():
    if len(sys.argv) != 2:
        print(__doc__)
        return 2
    exe = os.path.abspath(sys.argv[1])
    failures = small_tmpfs(exe) + file_size_limit(exe) + dev_full(exe)
    print("%d fault case(s) failed" % failures if failures else "all fault cases passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/python3
"""Bad input, table-driven: every case runs tilebragg in a fresh empty directory and checks
that it refuses cleanly.

A refused run must
  * exit with the expected status (2 for input errors), not by a signal, and never say
    "internal error";
  * print exactly one line on stderr, and that line must name the problem (the pattern
    of the case: the flag, file:line, or the value);
  * leave nothing behind: the directory holds afterwards exactly the inputs the case put
    there (no floatimage.bin, intimage.img, image.pgm, noiseimage.img, *.tmp, *.h5, and
    no Fdump.bin either).
A few rows are decisions rather than refusals (an option that conflicts with another, a
value the reference treats as "automatic"): those must succeed, and the row says what
must be true afterwards.

    bad_inputs.py TILEBRAGG_EXE            run every case
    bad_inputs.py TILEBRAGG_EXE --markdown print the table of cases and messages
    bad_inputs.py TILEBRAGG_EXE -k NAME    run the cases whose name contains NAME
"""
import os
import re
import shutil
import signal
import stat
import struct
import subprocess
import sys
import tempfile
import time

# A small run that succeeds in well under a second; cases append to it.
BASE = ["-cell", "100", "100", "100", "90", "90", "90", "-default_F", "100", "-N", "5",
        "-lambda", "1", "-distance", "100", "-detpixels", "64", "-noprogress"]
GOOD_HKL = b"0 0 1 10\n1 0 0 20\n0 1 0 30\n1 1 1 40\n"
GOOD_MAT = b"0.01 0 0\n0 0.01 0\n0 0 0.01\n"
GOOD_JOB = b"cell = 100 100 100 90 90 90\ndefault_F = 100\ndetpixels = 32\nnoprogress = 1\n"


def smv(size1, size2, data_pixels=None, type_="unsigned_short", extra=""):
    """An SMV file: 512-byte header, then data_pixels uint16 (default size1*size2) of 1."""
    header = ("{\nHEADER_BYTES=512;\nDIM=2;\nBYTE_ORDER=little_endian;\nTYPE=%s;\n"
              "SIZE1=%d;\nSIZE2=%d;\n%s}\f" % (type_, size1, size2, extra)).encode()
    header = header.ljust(512, b" ")
    n = size1 * size2 if data_pixels is None else data_pixels
    return header + struct.pack("<%dH" % n, *([1] * n))


def case(name, args, pattern, files=None, rc=2, needs_flag=None, skip_if_root=False,
         max_seconds=None, check=None, what=None):
    return dict(name=name, args=args, pattern=pattern, files=files or {}, rc=rc,
                needs_flag=needs_flag, skip_if_root=skip_if_root, max_seconds=max_seconds,
                check=check, what=what or " ".join(args))


def exists(*names):
    return lambda d: all(os.path.exists(os.path.join(d, n)) for n in names)


def absent(*names):
    return lambda d: not any(os.path.exists(os.path.join(d, n)) for n in names)


def both(f, g):
    return lambda d, out: f(d) and g(d, out) if g else f(d)


def stdout_has(text):
    return lambda d, out: text in out


B = BASE
CASES = [
    # --- command line -----------------------------------------------------------------
    case("unknown flag", B + ["-bogus"], r"unknown flag -bogus"),
    case("unknown flag, long style", B + ["--distance", "100"], r"unknown flag --distance"),
    case("value without a flag", B + ["17"], r"unexpected argument '17'"),
    case("not a number", B + ["-distance", "abc"], r"-distance: 'abc' is not a number"),
    case("number with junk", B + ["-lambda", "1.0A"], r"-lambda: '1.0A' is not a number"),
    case("integer expected", B + ["-detpixels", "64.5"], r"-detpixels: '64.5' is not an integer"),
    case("integer out of range", B + ["-detpixels", "99999999999"], r"-detpixels: '99999999999' is out of range"),
    case("NaN flag value", B + ["-distance", "nan"], r"-distance: value 'nan' is not finite"),
    case("infinite flag value", B + ["-lambda", "inf"], r"-lambda: value 'inf' is not finite"),
    case("NaN in a vector", B + ["-misset", "1", "nan", "3"], r"-misset: value 'nan' is not finite"),
    case("NaN in -cell", ["-cell", "100", "nan", "100", "90", "90", "90", "-default_F", "1"],
         r"-cell: value 'nan' is not finite"),
    case("zero pixel size", B + ["-pixel", "0"], r"-pixel: value 0 must be positive"),
    case("zero detector pixels", B + ["-detpixels", "0"], r"-detpixels: value 0 must be positive"),
    case("negative detector pixels", B + ["-detpixels", "-5"], r"-detpixels: value -5 must be positive"),
    case("negative fast pixels", B + ["-detpixels_f", "-5"], r"-detpixels_f: value -5 must be positive"),
    case("zero detector size", B + ["-detsize", "0"], r"-detsize: value 0 must be positive"),
    case("zero unit cells", B + ["-N", "0"], r"-N: value 0 must be positive"),
    case("negative unit cells along a", B + ["-Na", "-3"], r"-Na: value -3 must be positive"),
    case("negative wavelength", B + ["-lambda", "-1"], r"-lambda: value -1 must be positive"),
    case("zero wavelength", B + ["-lambda", "0"], r"-lambda: value 0 must be positive"),
    case("zero photon energy", B + ["-energy", "0"], r"-energy: value 0 must be positive"),
    case("zero distance", B + ["-distance", "0"], r"-distance: value 0 must be positive"),
    case("negative close distance", B + ["-close_distance", "-5"], r"-close_distance: value -5 must be positive"),
    case("zero fluence", B + ["-fluence", "0"], r"-fluence: value 0 must be positive"),
    case("negative crystal size", B + ["-xtalsize", "-1"], r"-xtalsize: value -1 must not be negative"),
    case("negative dispersion", B + ["-dispersion", "-1"], r"-dispersion: value -1 must not be negative"),
    case("zero tile", B + ["-tile", "0", "8"], r"-tile: value 0 must be positive"),
    case("zero images", B + ["-images", "0"], r"-images: value 0 must be positive", needs_flag="-images"),
    case("impossible cell angles", ["-cell", "100", "100", "100", "10", "10", "170", "-default_F", "1"],
         r"-cell: angles 10 10 170 deg give no cell volume"),
    case("cell angles summing to 360", ["-cell", "100", "100", "100", "120", "120", "120", "-default_F", "1"],
         r"-cell: angles .* give no cell volume"),
    case("zero cell edge", ["-cell", "0", "-default_F", "1"], r"-cell: value 0 must be positive"),
    case("negative cell edge", ["-cell", "100", "-100", "100", "-default_F", "1"],
         r"-cell: value -100 must not be negative"),
    case("-cell without values", ["-default_F", "1", "-cell"], r"flag -cell needs 1 to 6 value"),
    case("-misset with two values", B + ["-misset", "1", "2"], r"-misset needs three angles or 'random', got 2"),
    case("-roi with three values", B + ["-roi", "1", "2", "3"], r"flag -roi needs 4 value\(s\) \(pixels\), got 3"),
    case("-twotheta_axis with a flag for a value", B + ["-twotheta_axis", "0", "0", "-N", "5"],
         r"flag -twotheta_axis needs 3 value\(s\), got 2$"),
    case("inverted -roi", B + ["-roi", "10", "5", "0", "10"], r"-roi: minimum beyond maximum \(10 5 0 10\)"),
    case("-roi outside the detector", B + ["-roi", "100", "200", "0", "10"],
         r"-roi: region starts outside the 64x64 detector"),
    case("-printout_pixel outside the detector", B + ["-printout_pixel", "64", "0"],
         r"-printout_pixel: pixel 64 0 is outside the 64x64 detector"),
    case("unknown keyword value", B + ["-pivot", "sideways"], r"-pivot: 'sideways' is not 'sample' or 'beam'"),
    case("unknown precision", B + ["-precision", "half"], r"-precision: 'half' is not 'float' or 'double'"),
    case("zero beam vector", B + ["-beam_vector", "0", "0", "0"], r"-beam_vector: 0 0 0 is not a direction"),
    case("zero spindle axis", B + ["-spindle_axis", "0", "0", "0"], r"-spindle_axis: 0 0 0 is not a direction"),
    case("zero fast axis", B + ["-fdet_vector", "0", "0", "0"], r"-fdet_vector: 0 0 0 is not a direction"),
    case("no structure factors", ["-cell", "100", "-detpixels", "64"], r"no structure factors: give -hkl FILE or -default_F"),
    case("no cell", ["-default_F", "1", "-detpixels", "64"], r"no unit cell: give -cell"),
    case("dispersion reaching zero wavelength", B + ["-dispersion", "300", "-dispsteps", "3"],
         r"-dispersion: the spectrum reaches a wavelength of -?\S+ A, which is not positive"),
    case("-detector_abs inf before -detector_thick", B + ["-detector_abs", "inf", "-detector_thick", "100"],
         r"flag -detector_thick 100 um with no absorption \(-detector_abs inf or 0, given before it\): a sensor that "
         r"absorbs nothing records no photons, so the image would be all zero"),
    case("-oversample_thick without a sensor", B + ["-oversample_thick"],
         r"flag -oversample_thick without a sensor \(-detector_thick\): the capture fraction of a sensor of no "
         r"thickness is 0, so the image would be all zero"),
    # --- resources ----------------------------------------------------------------------
    case("image larger than memory", B + ["-detpixels", "400000"],
         r"a 400000x400000 detector image needs \d+ MiB, more than the \d+ MiB this machine has"),
    case("absurd auto oversampling", B + ["-N", "2000000000"],
         r"auto-selected oversampling of \S+ sub-pixels per pixel edge is absurd"),
    case("sub-steps beyond 2^31", B + ["-oversample", "5000", "-mosaic", "1", "-mosaic_domains", "1000"],
         r"1000 mosaic domains x 1 phi steps x 5000\^2 sub-pixels x 1 sensor layers = 2.5e\+10 sub-steps per pixel, "
         r"more than this program can count \(2\^31 - 1\)"),
    # --- hard limits (docs/robustness.md, "Hard limits": each derived from memory or time) -
    case("-images beyond memory", B + ["-images", "2000000000", "-h5file", "o.h5"],
         r"a batch of 2e\+09 images needs \d+ MiB, more than the \d+ MiB this machine has"),
    case("-mosaic_dom beyond counting", B + ["-mosaic", "1", "-mosaic_dom", "2e9"],
         r"2e\+09 mosaic domains x 1 phi steps x 2\^2 sub-pixels x 1 sensor layers = 8e\+09 sub-steps per pixel"),
    case("-mosaic_dom beyond memory", B + ["-mosaic", "1", "-mosaic_dom", "1000000000", "-oversample", "1"],
         r"1e\+09 mosaic domains x 1 phi steps \(1e\+09 crystal orientations\) needs \d+ MiB, more than"),
    case("-phisteps beyond counting", B + ["-osc", "1", "-phisteps", "2e9"],
         r"1 mosaic domains x 2e\+09 phi steps x 2\^2 sub-pixels x 1 sensor layers = 8e\+09 sub-steps per pixel"),
    case("-divsteps beyond memory", B + ["-divergence", "1", "-divsteps", "100000"],
         r"a divergence and dispersion grid of 1e\+10 sources needs \d+ MiB, more than"),
    case("-divsteps beyond counting", B + ["-divergence", "1", "-divsteps", "1000", "-oversample", "100"],
         r"842160 sources x 1 mosaic domains x 1 phi steps x 100\^2 sub-pixels x 1 sensor layers = 8.4216e\+09"),
    case("-dispsteps beyond memory", B + ["-dispersion", "10", "-dispsteps", "2000000000"],
         r"a divergence and dispersion grid of 2e\+09 sources needs \d+ MiB"),
    case("-oversample beyond counting", B + ["-oversample", "100000"],
         r"1 mosaic domains x 1 phi steps x 100000\^2 sub-pixels x 1 sensor layers = 1e\+10 sub-steps per pixel"),
    case("-thicksteps beyond counting", B + ["-detector_thick", "100", "-thicksteps", "2000000000"],
         r"x 2e\+09 sensor layers = 8e\+09 sub-steps per pixel, more than this program can count"),
    case("a run of more than 1e18 steps", B + ["-images", "200000", "-h5file", "o.h5", "-mosaic", "1",
                                               "-mosaic_dom", "500000", "-oversample", "64"],
         r"the run needs 1.67772e\+18 sub-pixel steps \(4096 pixels x 200000 images x 2.048e\+09 per pixel\), more "
         r"than the 1e\+18 one run may take"),
    case("tiny -tile on a large detector with -h5file", B + ["-detpixels", "512", "-tile", "1", "1", "-h5file", "o.h5"],
         r"flag -tile 1 1 cuts the 512x512 detector into 262144 tiles per image; with -h5file every tile is an HDF5 "
         r"chunk", max_seconds=2),
    case("/dev/zero as -hkl", B + ["-hkl", "/dev/zero"], r"cannot read '/dev/zero': it is a character device, not a regular file",
         max_seconds=2),
    case("/dev/zero as -matrix", ["-matrix", "/dev/zero", "-default_F", "1"],
         r"cannot read '/dev/zero': it is a character device", max_seconds=2),
    case("/dev/zero as -sourcefile", B + ["-sourcefile", "/dev/zero"], r"cannot read '/dev/zero': it is a character device",
         max_seconds=2),
    case("/dev/zero as -job", ["-job", "/dev/zero"], r"cannot read '/dev/zero': it is a character device",
         needs_flag="-job", max_seconds=2),
    case("/dev/zero as -img", B + ["-img", "/dev/zero"], r"cannot read '/dev/zero': it is a character device", max_seconds=2),
    case("/dev/zero as -mask", B + ["-mask", "/dev/zero"], r"cannot read '/dev/zero': it is a character device", max_seconds=2),
    case("a FIFO as -hkl", B + ["-hkl", "pipe"], r"cannot read 'pipe': it is a FIFO, not a regular file",
         files={"pipe": ("fifo",)}, max_seconds=2),
    # --- negative counts are mistakes, not "unset" ---------------------------------------
    case("negative -phisteps", B + ["-phisteps", "-3"], r"flag -phisteps: value -3 must not be negative"),
    case("negative -mosaic_dom", B + ["-mosaic_dom", "-2"], r"flag -mosaic_domains: value -2 must not be negative"),
    case("negative -oversample", B + ["-oversample", "-1"], r"flag -oversample: value -1 must not be negative"),
    case("negative -dispsteps", B + ["-dispsteps", "-1"], r"flag -dispsteps: value -1 must not be negative"),
    case("negative -thicksteps", B + ["-thicksteps", "-1"], r"flag -detector_thicksteps: value -1 must not be negative"),
    case("negative -divsteps", B + ["-divsteps", "-4"], r"flag -divsteps: value -4 must not be negative"),
    # --- numbers beyond a double ----------------------------------------------------------
    case("flag value beyond a double", B + ["-distance", "1e309"], r"flag -distance: '1e309' is out of range \(beyond 1.8e\+308\)"),
    case("flag value below the smallest double", B + ["-lambda", "1e-320"],
         r"flag -lambda: '1e-320' is out of range \(closer to zero than 2.2e-308\)"),
    case("integer flag beyond a long", B + ["-detpixels", "1e30"], r"flag -detpixels: '1e30' is out of range"),
    case("matrix element beyond a double", ["-matrix", "big.mat", "-default_F", "1"],
         r"big.mat:2: A matrix element 5 '1e309' is out of range \(beyond 1.8e\+308\)",
         files={"big.mat": b"0.01 0 0\n0 1e309 0\n0 0 0.01\n"}),
    case("source value below the smallest double", B + ["-sourcefile", "tiny.src"],
         r"tiny.src:1: source weight '1e-320' is out of range \(closer to zero than 2.2e-308\)",
         files={"tiny.src": b"0 0 -1 1e-320 1e-10\n"}),
    case("SMV header value beyond a double", B + ["-img", "big.img"], r"big.img: SMV header DISTANCE=1e309 is out of range",
         files={"big.img": smv(64, 64, extra="DISTANCE=1e309;\n")}),
    case("SMV size too large", B + ["-mask", "wide.img"],
         r"wide.img: SMV header SIZE1=2147483647 is too large \(more than 1000000 pixels\)",
         files={"wide.img": smv(1, 1).replace(b"SIZE1=1;", b"SIZE1=2147483647;")}),
    case("job file quote not closed", ["-job", "q.ini"], r"q.ini:2: the quote \" is not closed",
         files={"q.ini": b"cell = 100\nhkl = \"my file.hkl\n"}, needs_flag="-job"),
    # --- outputs ------------------------------------------------------------------------
    case("-floatfile in a missing directory", B + ["-floatfile", "/nonexistent/dir/x.bin"],
         r"cannot write output /nonexistent/dir/x.bin \(-floatfile\): No such file or directory"),
    case("-intfile in a missing directory", B + ["-intfile", "/nonexistent/dir/x.img"],
         r"cannot write output /nonexistent/dir/x.img \(-intfile\)"),
    case("-noisefile in a missing directory", B + ["-noisefile", "/nonexistent/dir/x.img"],
         r"cannot write output /nonexistent/dir/x.img \(-noisefile\)"),
    case("-pgmfile in a missing directory", B + ["-pgmfile", "/nonexistent/dir/x.pgm"],
         r"cannot write output /nonexistent/dir/x.pgm \(-pgmfile\)"),
    case("-h5file in a missing directory", B + ["-h5file", "/nonexistent/dir/x.h5"],
         r"cannot write output /nonexistent/dir/x.h5"),
    case("-floatfile is a directory", B + ["-floatfile", "sub"], r"cannot write output sub \(-floatfile\): it is a directory",
         files={"sub/": None}),
    case("-floatfile in a read-only directory", B + ["-hkl", "P1.hkl", "-floatfile", "ro/x.bin"],
         r"cannot write output ro/x.bin \(-floatfile\): Permission denied",
         files={"ro/": "readonly", "P1.hkl": GOOD_HKL}, skip_if_root=True),
    case("unwritable output fails fast on a large job",
         ["-cell", "100", "100", "100", "90", "90", "90", "-default_F", "100", "-N", "20", "-detpixels", "2048",
          "-noprogress", "-floatfile", "/nonexistent/dir/x.bin"],
         r"cannot write output /nonexistent/dir/x.bin", max_seconds=2.0),
    case("two outputs, one file", B + ["-floatfile", "out.img", "-intfile", "out.img"],
         r"flags -floatfile and -intfile both name out.img"),
    case("output over an input", B + ["-hkl", "P1.hkl", "-noisefile", "P1.hkl"],
         r"flag -noisefile P1.hkl would overwrite the -hkl file", files={"P1.hkl": GOOD_HKL}),
    case("-dump over the -hkl file", B + ["-hkl", "x.hkl", "-dump", "x.hkl"],
         r"flag -dump x.hkl would overwrite the -hkl file", files={"x.hkl": GOOD_HKL},
         check=lambda d, out: open(os.path.join(d, "x.hkl"), "rb").read() == GOOD_HKL),
    case("output over the -job file", ["-job", "j.ini", "-floatfile", "j.ini"],
         r"flag -floatfile j.ini would overwrite the -job file", files={"j.ini": GOOD_JOB}, needs_flag="-job"),
    case("output over a symbolic link to an input", B + ["-hkl", "P1.hkl", "-intfile", "soft.hkl"],
         r"flag -intfile soft.hkl would overwrite the -hkl file", files={"P1.hkl": GOOD_HKL, "soft.hkl": ("symlink", "P1.hkl")}),
    case("output over a hard link to an input", B + ["-hkl", "P1.hkl", "-pgmfile", "hard.hkl"],
         r"flag -pgmfile hard.hkl would overwrite the -hkl file", files={"P1.hkl": GOOD_HKL, "hard.hkl": ("hardlink", "P1.hkl")}),
    case("output whose temporary name is an input", B + ["-hkl", "x.hkl.tmp", "-floatfile", "x.hkl"],
         r"flag -floatfile x.hkl is written as x.hkl.tmp while it runs, which would overwrite the -hkl file",
         files={"x.hkl.tmp": GOOD_HKL}),
    case("output on another output's temporary name", B + ["-h5file", "o.h5", "-floatfile", "o.h5.tmp"],
         r"flag -floatfile o.h5.tmp is the temporary name of -h5file o.h5 \(written as o.h5.tmp while it runs\)"),
    case("-h5file on a device", B + ["-h5file", "/dev/null"],
         r"cannot write output /dev/null \(-h5file\): it is a character device; an HDF5 file must be a regular file",
         check=lambda d, out: stat.S_ISCHR(os.stat("/dev/null").st_mode) and not os.path.exists("/dev/null.tmp")),
    case("-h5file on a FIFO", B + ["-h5file", "pipe"],
         r"cannot write output pipe \(-h5file\): it is a FIFO; an HDF5 file must be a regular file",
         files={"pipe": ("fifo",)}, max_seconds=10),
    case("name too long only because of .tmp", B + ["-floatfile", "a" * 253],
         r"the name is 253 bytes long, and the '.tmp' it carries while being written would make it 257, more than "
         r"the 255 this file system allows", what="… -floatfile aaa…a (253 characters)"),
    # --- input files: missing, unreadable -------------------------------------------------
    case("missing -hkl", B + ["-hkl", "missing.hkl"], r"cannot open 'missing.hkl': No such file or directory"),
    case("missing -matrix", ["-matrix", "missing.mat", "-default_F", "1", "-detpixels", "64"],
         r"cannot open 'missing.mat': No such file or directory"),
    case("missing -mask", B + ["-mask", "missing.img"], r"cannot open 'missing.img': No such file or directory"),
    case("missing -img", B + ["-img", "missing.img"], r"cannot open 'missing.img': No such file or directory"),
    case("missing -sourcefile", B + ["-sourcefile", "missing.txt"], r"cannot open 'missing.txt': No such file or directory"),
    case("missing -job", ["-job", "missing.ini"], r"missing.ini", needs_flag="-job"),
    case("directory as -job", ["-job", "sub"], r"cannot read 'sub': Is a directory", files={"sub/": None},
         needs_flag="-job"),
    case("job file line without '='", ["-job", "a.ini"], r"a.ini:3: expected 'key = value', got 'detpixels 64'",
         files={"a.ini": b"cell = 100 100 100 90 90 90\ndefault_F = 100\ndetpixels 64\n"}, needs_flag="-job"),
    case("job file unknown key", ["-job", "b.ini"], r"b.ini:2: unknown option 'bogus'",
         files={"b.ini": b"cell = 100\nbogus = 1\n"}, needs_flag="-job"),
    case("job file NaN value", ["-job", "c.ini"], r"c.ini:2: flag -distance: value 'nan' is not finite",
         files={"c.ini": b"cell = 100\ndistance = nan\n"}, needs_flag="-job"),
    case("job file naming a job file", ["-job", "e.ini"], r"e.ini:2: a job file cannot name another job file",
         files={"e.ini": b"default_F = 1\njob = e.ini\n"}, needs_flag="-job"),
    case("directory as -hkl", B + ["-hkl", "sub"], r"cannot read 'sub': Is a directory", files={"sub/": None}),
    case("directory as -matrix", ["-matrix", "sub", "-default_F", "1"], r"cannot read 'sub': Is a directory",
         files={"sub/": None}),
    case("directory as -sourcefile", B + ["-sourcefile", "sub"], r"cannot read 'sub': Is a directory",
         files={"sub/": None}),
    case("directory as -mask", B + ["-mask", "sub"], r"cannot read 'sub': Is a directory", files={"sub/": None}),
    case("unreadable -hkl", B + ["-hkl", "secret.hkl"], r"cannot open 'secret.hkl': Permission denied",
         files={"secret.hkl": b"unreadable"}, skip_if_root=True),
    # --- malformed HKL ------------------------------------------------------------------
    case("HKL line with three columns", B + ["-hkl", "bad.hkl"], r"bad.hkl:2: expected 4 columns 'h k l F', found 3",
         files={"bad.hkl": b"1 2 3 4\n1 2 3\n"}),
    case("HKL index not a number", B + ["-hkl", "bad.hkl"], r"bad.hkl:3: index l 'x' is not a number",
         files={"bad.hkl": b"1 2 3 4\n\n1 2 x 4\n"}),
    case("HKL index not an integer", B + ["-hkl", "bad.hkl"], r"bad.hkl:1: index h '1.5' is not an integer",
         files={"bad.hkl": b"1.5 2 3 4\n"}),
    case("HKL F is NaN", B + ["-hkl", "bad.hkl"], r"bad.hkl:2: structure factor F 'nan' is not finite",
         files={"bad.hkl": b"0 0 1 5\n1 2 3 nan\n"}),
    case("HKL F is infinite", B + ["-hkl", "bad.hkl"], r"bad.hkl:1: structure factor F '-inf' is not finite",
         files={"bad.hkl": b"1 2 3 -inf\n"}),
    case("empty HKL file", B + ["-hkl", "empty.hkl"], r"empty.hkl: no reflections", files={"empty.hkl": b""}),
    case("HKL index range beyond memory", B + ["-hkl", "wide.hkl"], r"wide.hkl: Miller index box too large \(h -200000..200000, .*structure factors\)",
         files={"wide.hkl": b"-200000 -200000 -200000 1\n200000 200000 200000 1\n"}),
    # --- malformed matrix ---------------------------------------------------------------
    case("matrix element NaN", ["-matrix", "bad.mat", "-default_F", "1"],
         r"bad.mat:2: A matrix element 6 'nan' is not finite", files={"bad.mat": b"0.01 0 0\n0 0.01 nan\n0 0 0.01\n"}),
    case("matrix element not a number", ["-matrix", "bad.mat", "-default_F", "1"],
         r"bad.mat:3: A matrix element 8 'zz' is not a number", files={"bad.mat": b"0.01 0 0\n0 0.01 0\n0 zz 0.01\n"}),
    case("matrix with five numbers", ["-matrix", "bad.mat", "-default_F", "1"],
         r"bad.mat: found only 5 of the 9 numbers of the A matrix", files={"bad.mat": b"0.01 0 0\n0 0.01\n"}),
    case("singular matrix", ["-matrix", "zero.mat", "-default_F", "1"],
         r"matrix file zero.mat: reciprocal axes give no cell volume", files={"zero.mat": b"0 0 0\n0 0 0\n0 0 0\n"}),
    # --- malformed source file ----------------------------------------------------------
    case("source column not a number", B + ["-sourcefile", "bad.src"], r"bad.src:2: source Z 'x' is not a number",
         files={"bad.src": b"0 0 -1 1 1e-10\n0 0 x 1 1e-10\n"}),
    case("source weight infinite", B + ["-sourcefile", "bad.src"], r"bad.src:1: source weight 'inf' is not finite",
         files={"bad.src": b"0 0 -1 inf 1e-10\n"}),
    case("source wavelength negative", B + ["-sourcefile", "bad.src"],
         r"bad.src:2: source wavelength -1e-10 m is not positive", files={"bad.src": b"0 0 -1 1 1e-10\n0 0 -1 1 -1e-10\n"}),
    case("source at the sample", B + ["-sourcefile", "bad.src"], r"bad.src:1: source at X Y Z = 0 0 0",
         files={"bad.src": b"0 0 0 1 1e-10\n"}),
    case("source weight negative", B + ["-sourcefile", "bad.src"], r"bad.src:1: source weight -2 is negative",
         files={"bad.src": b"0 0 -1 -2 1e-10\n"}),
    case("empty source file", B + ["-sourcefile", "empty.src"], r"empty.src: no sources", files={"empty.src": b"# nothing\n"}),
    # --- SMV masks and -img headers -----------------------------------------------------
    case("mask data shorter than its header says", B + ["-mask", "short.img"],
         r"short.img: header says 64x64 unsigned shorts after 512 header bytes \(8704 bytes\) but the file has 8392",
         files={"short.img": smv(64, 64, data_pixels=64 * 64 - 156)}),
    case("mask data longer than its header says", B + ["-mask", "long.img"],
         r"long.img: header says 64x64 .* but the file has 8714", files={"long.img": smv(64, 64, data_pixels=64 * 64 + 5)}),
    case("mask smaller than the detector", B + ["-mask", "small.img", "-detpixels", "64"],
         r"mask small.img: 32x32 pixels, but the detector is 64x64", files={"small.img": smv(32, 32)}),
    case("mask of float pixels", B + ["-mask", "float.img"], r"float.img: SMV pixel TYPE=float is not supported",
         files={"float.img": smv(64, 64, type_="float")}),
    case("mask that is not SMV", B + ["-mask", "junk.img"], r"junk.img: not an SMV image",
         files={"junk.img": b"P5\n64 64\n255\n" + bytes(64 * 64)}),
    case("mask with a negative size", B + ["-mask", "neg.img"], r"neg.img: SMV header SIZE1=-4 is not a positive size",
         files={"neg.img": smv(1, 1).replace(b"SIZE1=1;", b"SIZE1=-4;")}),
    case("-img with zero pixel size", B + ["-img", "zero.img"], r"zero.img: SMV header PIXEL_SIZE=0 must be positive",
         files={"zero.img": smv(64, 64, extra="PIXEL_SIZE=0;\n")}),
    case("-img with NaN wavelength", B + ["-img", "nan.img"], r"nan.img: SMV header WAVELENGTH=nan is not finite",
         files={"nan.img": smv(64, 64, extra="WAVELENGTH=nan;\n")}),
    case("-img with a non-numeric distance", B + ["-img", "txt.img"], r"txt.img: SMV header DISTANCE=far is not a number",
         files={"txt.img": smv(64, 64, extra="DISTANCE=far;\n")}),
    # --- extreme values that overflow the arithmetic --------------------------------------
    case("fluence that overflows the image", B + ["-fluence", "1e300"],
         r"the rendered image has 4096 of 4096 pixels NaN or infinite"),
    case("beam centre far off the detector", B + ["-Xbeam", "1e300"], r"pixels NaN or infinite"),
    # --- decisions: these run, and the row says what wins --------------------------------
    case("-oversample 0 means automatic", B + ["-oversample", "0"], None, rc=0,
         check=lambda d, out: "auto-selected 2-fold oversampling" in out and os.path.exists(os.path.join(d, "floatimage.bin")),
         what="-oversample 0 (0: automatic, as in the reference; negative is an error)"),
    case("-mosaic_domains 0 means automatic", B + ["-mosaic_domains", "0", "-mosaic", "0.5"], None, rc=0,
         check=lambda d, out: "10 mosaic domains" in out,
         what="-mosaic_domains 0 -mosaic 0.5 (0: automatic, 10 domains; negative is an error)"),
    case("an integer written with an exponent", B + ["-detpixels", "6.4e1"], None, rc=0,
         check=lambda d, out: os.path.getsize(os.path.join(d, "floatimage.bin")) == 64 * 64 * 4,
         what="-detpixels 6.4e1 (a whole number in any notation: 64)"),
    case("job file path in quotes", ["-job", "q.ini"], None, rc=0,
         files={"q.ini": b"cell = 100\ndetpixels = 32\nnoprogress = 1\nhkl = \"my file#1.hkl\"  # quoted\n",
                "my file#1.hkl": GOOD_HKL},
         check=lambda d, out: "4 initialized hkls" in out and os.path.exists(os.path.join(d, "floatimage.bin")),
         needs_flag="-job", what='-job q.ini with hkl = "my file#1.hkl" (quotes keep spaces and #)'),
    case("byte-order mark in a matrix file", ["-matrix", "bom.mat", "-default_F", "1", "-detpixels", "32", "-noprogress"],
         None, rc=0, files={"bom.mat": b"\xef\xbb\xbf" + GOOD_MAT},
         check=lambda d, out: os.path.exists(os.path.join(d, "floatimage.bin")),
         what="-matrix FILE starting with a UTF-8 byte-order mark (ignored)"),
    case("byte-order mark in a source file", B + ["-sourcefile", "bom.src"], None, rc=0,
         files={"bom.src": b"\xef\xbb\xbf0 0 -1 1 1e-10\n"}, check=lambda d, out: "created a total of 1 sources" in out,
         what="-sourcefile FILE starting with a UTF-8 byte-order mark (ignored)"),
    case("byte-order mark in a job file", ["-job", "bom.ini"], None, rc=0,
         files={"bom.ini": b"\xef\xbb\xbf" + GOOD_JOB}, needs_flag="-job",
         check=lambda d, out: os.path.exists(os.path.join(d, "floatimage.bin")),
         what="-job FILE starting with a UTF-8 byte-order mark (ignored)"),
    case("byte-order mark before an SMV header", B + ["-mask", "bom.img"], None, rc=0,
         files={"bom.img": b"\xef\xbb\xbf" + smv(64, 64)}, check=lambda d, out: os.path.exists(os.path.join(d, "floatimage.bin")),
         what="-mask FILE whose header starts with a UTF-8 byte-order mark (ignored; sizes count after it)"),
    case("-distance with an -img header's CLOSE_DISTANCE: the flag wins", B + ["-img", "h.img", "-distance", "200"],
         None, rc=0, files={"h.img": smv(64, 64, extra="DISTANCE=150;\nCLOSE_DISTANCE=150;\n")},
         check=lambda d, out: "note: -distance replaces the image header's CLOSE_DISTANCE of 150 mm" in out
         and "distance=0.2 " in out, what="… -img h.img -distance 200 (h.img has CLOSE_DISTANCE=150)"),
    case("-thicksteps without -detector_thick: a warning", B + ["-thicksteps", "5"], None, rc=0,
         check=lambda d, out: "WARNING: -thicksteps 5 without -detector_thick: a sensor of no thickness has no layers"
         in out),
    case("-detector_thick then -detector_abs inf: no sensor", B + ["-detector_thick", "100", "-detector_abs", "inf"],
         None, rc=0, check=lambda d, out: os.path.exists(os.path.join(d, "floatimage.bin"))),
    case("-hkl with -default_F", B + ["-hkl", "P1.hkl"], None, rc=0, files={"P1.hkl": GOOD_HKL},
         check=lambda d, out: "initialized hkls (all others =100)" in out,
         what="-hkl FILE -default_F 100 (the file's F win; -default_F fills the rest)"),
    case("-xds then -pivot beam: the convention wins", B + ["-xds", "-pivot", "beam"], None, rc=0,
         check=lambda d, out: "pivoting detector around sample" in out),
    case("-pivot sample then -mosflm: the convention wins", B + ["-pivot", "sample", "-mosflm"], None, rc=0,
         check=lambda d, out: "pivoting detector around direct beam spot" in out),
    case("-noisefile then -nonoise: the later wins", B + ["-noisefile", "n.img", "-nonoise"], None, rc=0,
         check=lambda d, out: not os.path.exists(os.path.join(d, "n.img")) and os.path.exists(os.path.join(d, "intimage.img"))),
    case("-nonoise then -noisefile: the later wins", B + ["-nonoise", "-noisefile", "n.img"], None, rc=0,
         check=lambda d, out: os.path.exists(os.path.join(d, "n.img"))),
    case("-matrix and -cell: the cell's lengths win", ["-matrix", "A.mat", "-cell", "50", "-default_F", "1", "-detpixels", "64",
                                                       "-noprogress"], None, rc=0, files={"A.mat": GOOD_MAT},
         check=lambda d, out: "Unit Cell: 50 50 50 90 90 90" in out),
    case("-roi beyond the far edge is clipped", B + ["-roi", "0", "1000", "0", "1000"], None, rc=0,
         check=lambda d, out: os.path.getsize(os.path.join(d, "floatimage.bin")) == 64 * 64 * 4),
    case("negative -roi bounds start at the edge", B + ["-roi", "-5", "10", "0", "10"], None, rc=0,
         check=lambda d, out: "roi: 0 < x < 10" in out),
    case("-floatfile /dev/null is written in place", B + ["-floatfile", "/dev/null", "-intfile", "/dev/null"], None, rc=0,
         check=lambda d, out: os.path.exists(os.path.join(d, "image.pgm")) and not os.path.isfile("/dev/null"),
         what="-floatfile /dev/null -intfile /dev/null (a device or FIFO is written directly, never replaced)"),
    case("source weight NaN means 'missing'", B + ["-sourcefile", "s.src"], None, rc=0,
         files={"s.src": b"0 0 -1 nan 1e-10\n"}, check=lambda d, out: "created a total of 1 sources" in out),
]


def known_flag(exe, flag):
    r = subprocess.run([exe, flag], capture_output=True, text=True, timeout=60)
    return "unknown flag " + flag not in r.stderr


def prepare(d, files):
    for name, content in files.items():
        path = os.path.join(d, name.rstrip("/"))
        if name.endswith("/"):
            os.makedirs(path)
            if content == "readonly":
                os.chmod(path, 0o555)
        elif isinstance(content, tuple):  # ("symlink", target), ("hardlink", target), ("fifo",)
            if content[0] == "symlink":
                os.symlink(content[1], path)
            elif content[0] == "hardlink":
                os.link(os.path.join(d, content[1]), path)
            else:
                os.mkfifo(path)
        else:
            with open(path, "wb") as f:
                f.write(content)
            if name.startswith("secret"):
                os.chmod(path, 0)


def listing(d):
    out = set()
    for root, dirs, files in os.walk(d):
        for n in dirs + files:
            out.add(os.path.relpath(os.path.join(root, n), d))
    return out


def run_case(exe, c, env):
    d = tempfile.mkdtemp(prefix="tilebragg-bad-")
    try:
        prepare(d, c["files"])
        before = listing(d)
        t0 = time.monotonic()
        r = subprocess.run([exe] + c["args"], cwd=d, capture_output=True, text=True, env=env, timeout=120)
        seconds = time.monotonic() - t0
        after = listing(d)
        problems = []
        if r.returncode < 0:
            problems.append("killed by signal %s" % signal.Signals(-r.returncode).name)
        elif r.returncode != c["rc"]:
            problems.append("exit status %d, expected %d" % (r.returncode, c["rc"]))
        if "internal error" in r.stderr:
            problems.append("'internal error' on stderr")
        lines = [l for l in r.stderr.splitlines() if l.strip()]
        message = lines[0] if lines else ""
        if c["rc"] != 0:
            if len(lines) != 1:
                problems.append("%d lines on stderr, expected exactly 1" % len(lines))
            if c["pattern"] and not re.search(c["pattern"], r.stderr):
                problems.append("stderr does not match /%s/" % c["pattern"])
            left = sorted(after - before)
            if left:
                problems.append("left behind: " + ", ".join(left))
            if c["check"] and not c["check"](d, r.stdout):
                problems.append("an input or a system file was changed")
        else:
            if lines:
                problems.append("unexpected stderr")
            if c["check"] and not c["check"](d, r.stdout):
                problems.append("the decision this row documents did not hold")
        if c["max_seconds"] is not None and seconds > c["max_seconds"]:
            problems.append("took %.2f s, more than %.1f s" % (seconds, c["max_seconds"]))
        return problems, message, r, seconds
    finally:
        for root, dirs, _ in os.walk(d):
            for n in dirs:
                os.chmod(os.path.join(root, n), 0o755)
        shutil.rmtree(d, ignore_errors=True)


def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__)
        return 2
    exe = os.path.abspath(args[0])
    markdown = "--markdown" in args
    only = args[args.index("-k") + 1] if "-k" in args else None
    env = dict(os.environ)
    env.setdefault("OMP_NUM_THREADS", "2")
    # Threads that sleep at the end of a region: on a loaded machine spinning ones make a
    # 64x64 run take a second instead of a few milliseconds.
    env.setdefault("OMP_WAIT_POLICY", "PASSIVE")
    env.pop("TILEBRAGG_MEMORY_LIMIT_MB", None)
    root = os.geteuid() == 0
    flags_known = {}
    failures = 0
    rows = []
    for c in CASES:
        if only and only not in c["name"]:
            continue
        flag = c["needs_flag"]
        if flag and flag not in flags_known:
            flags_known[flag] = known_flag(exe, flag)
        if flag and not flags_known[flag]:
            print("SKIP %-50s (%s is not a flag of this build)" % (c["name"], flag))
            continue
        if c["skip_if_root"] and root:
            print("SKIP %-50s (running as root: permissions do not apply)" % c["name"])
            continue
        problems, message, r, seconds = run_case(exe, c, env)
        if problems:
            failures += 1
            print("FAIL %-50s %s" % (c["name"], "; ".join(problems)))
            print("     args: %s" % " ".join(c["args"]))
            print("     stderr: %s" % r.stderr.strip().replace("\n", "\n             "))
        else:
            print("ok   %-50s %.2fs  %s" % (c["name"], seconds, message if c["rc"] else "(runs)"))
        rows.append((c, message, r.returncode))
    if markdown:
        print("\n| case | arguments (after a small valid run) | exit | what the user sees on stderr |")
        print("|---|---|---|---|")
        for c, message, rc in rows:
            shown = c["what"].replace(" ".join(BASE), "…").replace("|", "\\|")
            msg = message.replace("|", "\\|") if rc else "(runs: %s)" % c["name"].split(": ")[-1]
            print("| %s | `%s` | %d | `%s` |" % (c["name"], shown, rc, msg) if rc else
                  "| %s | `%s` | 0 | %s |" % (c["name"], shown, msg))
    print("%d case(s) failed" % failures if failures else "all cases passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

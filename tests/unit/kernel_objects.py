#!/usr/bin/python3
"""Checks the compiled copies of the CPU pixel kernel (src/kernel/cpu/render_tile.cpp).

Usage: kernel_objects.py ISA=OBJECTS [ISA=OBJECTS ...]   (ISA: baseline, avx2, avx512)
OBJECTS: the object files of the target that holds the copy (a ;-list, or the following
arguments without '='); the one compiled from render_tile.cpp is checked.

For each copy's object file:
  1. Vector code: in the inner loops over crystal orientations (every instantiation of
     add_square_orientations) at least 95% of the floating-point arithmetic
     instructions are packed (ps/pd), or at most two are scalar; render_chunk (the per-pixel geometry, sources and
     photon counts; its scalar parts are the rare curved and thick detectors and the
     reference's serial sum of solid angles) has at least 60 packed ones; and the avx2
     and avx512 copies use ymm and zmm registers in all of them. A kernel that lost its
     vectorisation (for example through a change that made a loop scalar) fails here.
  2. Self-contained: the object defines no global symbol other than the copy's own entry
     points. An out-of-line copy of a header's inline function compiled for AVX-512 could
     otherwise be the definition the linker keeps for every caller of that function, and
     a CPU without AVX-512 would then fault outside the kernel.
Exit status 0 when every check passes, 1 otherwise (one line per failure).
"""
import re
import subprocess
import sys

# function: (least share of packed instructions, least number of them)
MIN_PACKED = {"add_square_orientations": (0.95, 0), "render_chunk": (0.0, 60)}
MIN_ARITHMETIC = 8
MAX_SCALAR_SETUP = 2
WIDTH_REGISTER = {"avx2": "%ymm", "avx512": "%zmm"}

FP_OP = re.compile(r"^v?(add|sub|mul|div|sqrt|min|max|round|rndscale|cmp\w*?)(ps|pd|ss|sd)$")


def functions(obj):
    """{demangled name: [instruction lines]} from objdump."""
    out = subprocess.run(["objdump", "-d", "-C", "--no-show-raw-insn", obj], check=True, capture_output=True,
                         text=True).stdout
    result, name = {}, None
    for line in out.splitlines():
        m = re.match(r"^[0-9a-f]+ <(.*)>:$", line)
        if m:
            name = m.group(1)
            result[name] = []
        elif name and "\t" in line:
            result[name].append(line.split("\t", 1)[1].strip())
    return result


def fp_counts(lines):
    packed = scalar = 0
    for insn in lines:
        m = FP_OP.match(insn.split()[0]) if insn else None
        if not m:
            continue
        if m.group(2) in ("ps", "pd"):
            packed += 1
        else:
            scalar += 1
    return packed, scalar


def check_vector_code(isa, funcs):
    failures = []
    for short, (minimum, least) in MIN_PACKED.items():
        found = [n for n in funcs if f"::{short}<" in n]
        if not found:
            failures.append(f"{isa}: no function {short} in the object")
        for name in found:
            packed, scalar = fp_counts(funcs[name])
            if packed + scalar < MIN_ARITHMETIC:
                continue  # e.g. N = 1 with default_F: F_latt is 1, the loop adds a constant
            share = packed / (packed + scalar) if packed + scalar else 0.0
            # A couple of scalar operations outside the loop (a constant term) are fine.
            if (share < minimum and scalar > MAX_SCALAR_SETUP) or packed < least:
                failures.append(f"{isa}: {name}: {packed} packed and {scalar} scalar floating-point instructions "
                                f"({share:.0%} packed; expected at least {minimum:.0%} and {least})")
            register = WIDTH_REGISTER.get(isa)
            if register and not any(register in insn for insn in funcs[name]):
                failures.append(f"{isa}: {name} uses no {register} register")
    return failures


def check_self_contained(isa, obj):
    out = subprocess.run(["nm", "-C", "--defined-only", obj], check=True, capture_output=True, text=True).stdout
    failures = []
    for line in out.splitlines():
        parts = line.split(None, 2)
        if len(parts) < 3 or parts[1] in "tbdrn" or parts[2].startswith("DW.ref.__gxx_personality_v0"):
            continue
        if not parts[2].startswith(f"tilebragg::cpu_kernel::{isa}::"):
            failures.append(f"{isa}: the object defines {parts[1]} {parts[2]} (only the copy's entry points may be "
                            "global: inline it or keep it in the copy's namespace)")
    return failures


def kernel_objects(args):
    """[(isa, object file of render_tile.cpp)] from the command line."""
    objects, isa = {}, None
    for arg in args:
        if "=" in arg:
            isa, arg = arg.split("=", 1)
        for path in filter(None, arg.split(";")):
            if re.search(r"render_tile\.cpp\.o(bj)?$", path):
                objects[isa] = path
    return list(objects.items())


def main(args):
    copies = kernel_objects(args)
    if not copies:
        print(__doc__)
        return 2
    failures, report = [], []
    for isa, obj in copies:
        funcs = functions(obj)
        failures += check_vector_code(isa, funcs)
        failures += check_self_contained(isa, obj)
        for name in sorted(n for n in funcs if "::add_square_orientations<float, true, 5>" in n):
            packed, scalar = fp_counts(funcs[name])
            report.append(f"{isa}: add_square_orientations<float, true, 5>: {len(funcs[name])} instructions, "
                          f"{packed} packed and {scalar} scalar floating-point")
    print("\n".join(report))
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

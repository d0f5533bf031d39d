"""One golden case rendered under mpiexec, compared with the reference's float image
with the tolerances that the golden manifest sets for that case."""
import json
import os
import subprocess
import sys
import tempfile

import numpy as np

mpiexec, np_ranks, exe, golden_dir, case_name = sys.argv[1:6]

manifest = json.load(open(os.path.join(golden_dir, "cases", "manifest.json")))
case = next(c for c in manifest["cases"] if c["name"] == case_name)
args = case["args"].replace("@inputs", os.path.join(golden_dir, "inputs")).split()

extra = sys.argv[6:]  # e.g. -schedule static

with tempfile.TemporaryDirectory() as work:
    subprocess.run([mpiexec, "-n", np_ranks, "--oversubscribe", "--bind-to", "none", exe, *args, *extra,
                    "-floatfile", "out.bin", "-intfile", "out.img", "-nonoise", "-nopgm", "-noprogress"],
                   cwd=work, check=True, stdout=subprocess.DEVNULL)
    if "-hkl" in args:
        assert os.path.exists(os.path.join(work, "Fdump.bin")), "rank 0 did not leave the Fdump cache"
    ours = np.fromfile(os.path.join(work, "out.bin"), dtype="<f4").astype(float)
reference = np.fromfile(os.path.join(golden_dir, "cases", case_name, "float.bin"), dtype="<f4").astype(float)
assert ours.size == reference.size, f"{ours.size} pixels, reference has {reference.size}"
corr = np.corrcoef(ours, reference)[0, 1]
ratio = ours.sum() / reference.sum()
print(f"{case_name} on {np_ranks} ranks: corr={corr:.10f} sum ratio={ratio:.8f}")
assert corr >= case["corr_min"], f"correlation {corr} below {case['corr_min']}"
assert abs(ratio - 1) <= case["sum_rel_tol"], f"sum ratio {ratio} outside {case['sum_rel_tol']}"

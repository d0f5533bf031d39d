#!/usr/bin/env bash
# A job file and the command line it stands for render the same batch to the bit, and
# options given on the command line override the file's.
# usage: job_equals_command_line.sh MPIEXEC NP EXE WORKDIR PYTHON
set -euo pipefail
mpiexec=$1 np=$2 exe=$3 workdir=$4 python=$5
rm -rf "$workdir" && mkdir -p "$workdir" && cd "$workdir"
cat > series.ini <<'INI'
# a small rotation series of a mosaic, misset crystal
cell = 70 80 90 85 95 105
default_F = 100
N = 4
lambda = 1.5
distance = 80
detpixels = 64
misset = 10 -20 30
mosaic = 0.3
mosaic_dom = 3
mosaic_seed = 11
phi = 5
osc = 0.2
phisteps = 2
images = 3
nonoise = 1
nopgm = yes
noprogress = true
INI
cmd=(-cell 70 80 90 85 95 105 -default_F 100 -N 4 -lambda 1.5 -distance 80 -detpixels 64 -misset 10 -20 30
     -mosaic 0.3 -mosaic_dom 3 -mosaic_seed 11 -phi 5 -osc 0.2 -phisteps 2 -images 3 -nonoise -nopgm -noprogress)
launch=("$mpiexec" -n "$np" --oversubscribe --bind-to none)
"${launch[@]}" "$exe" -job series.ini -h5file job.h5 -floatfile job.bin > job.log
"${launch[@]}" "$exe" "${cmd[@]}" -h5file cli.h5 -floatfile cli.bin > cli.log
# The command line wins over the file: here it moves the detector and shortens the batch.
"${launch[@]}" "$exe" -distance 90 -job series.ini -images 2 -h5file over.h5 -floatfile over.bin > over.log
"$exe" "${cmd[@]}" -distance 90 -images 2 -h5file over_cli.h5 -floatfile over_cli.bin > over_cli.log
"$python" - <<'PY'
import h5py
def data(name):
    with h5py.File(name, "r") as f:
        assert f["/entry/simulation"].attrs["complete"] == 1
        return f["/entry/photons/photons"][:]
a, b = data("job.h5"), data("cli.h5")
assert a.shape == (3, 64, 64) and a.tobytes() == b.tobytes(), "job file and command line differ"
c, d = data("over.h5"), data("over_cli.h5")
assert c.shape == (2, 64, 64) and c.tobytes() == d.tobytes(), "command line did not override the job file"
assert c[0].tobytes() != a[0].tobytes()
PY
for i in 0 1 2; do cmp "job_0000$i.bin" "cli_0000$i.bin"; done
echo "job file equals the command line (np=$np)"

#!/usr/bin/env bash
# -misset random without a seed: the seed comes from the clock, read once on rank 0 and
# shared, so all ranks render the same crystal. The HDF5 file records the seed; a
# single process given that seed must render the same image to the bit.
# usage: random_misset.sh MPIEXEC NP EXE WORKDIR PYTHON
set -euo pipefail
mpiexec=$1 np=$2 exe=$3 workdir=$4 python=$5
case_args=(-cell 70 80 90 85 95 105 -default_F 100 -N 4 -lambda 1.5 -distance 80 -detpixels 96
           -misset random -nonoise -nopgm -noprogress)
rm -rf "$workdir" && mkdir -p "$workdir" && cd "$workdir"
"$mpiexec" -n "$np" --oversubscribe --bind-to none "$exe" "${case_args[@]}" -tile 16 8 \
    -floatfile ranks.bin -intfile ranks.img -h5file out.h5 > ranks.log
seed=$("$python" -c 'import h5py; print(int(h5py.File("out.h5")["entry/simulation"].attrs["misset_seed"]))')
"$exe" "${case_args[@]}" -misset_seed "$seed" -floatfile single.bin -intfile single.img > single.log
cmp single.bin ranks.bin
echo "identical with the recorded misset seed $seed"

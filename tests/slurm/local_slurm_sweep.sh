#!/usr/bin/env bash
# Slurm for real: brings up a single-node Slurm cluster on this machine (munged,
# slurmctld, slurmd from a scratch folder, as in ../shared/notes/local-slurm.md),
# submits a small strong and a small weak sweep with slurm/submit_sweep.sh (srun
# --mpi=pmix inside the jobs), waits for them (bounded), checks every HDF5 file with
# h5py (complete = 1, the rank count in its name) and runs analysis/scaling.py on them.
# The daemons are stopped by the PIDs in their PID files, whatever happens.
# Exit 77 (skipped) only when Slurm cannot be installed or started here.
#
# usage: local_slurm_sweep.sh EXE PYTHON SOURCE_DIR
set -uo pipefail
exe=$1 python=$2 src=$3
skip() { echo "SKIP: $*"; exit 77; }
fail() { echo "FAIL: $*"; for f in "$T"/log/*.log; do echo "== $f"; tail -n 15 "$f"; done; exit 1; }

need=(munged slurmctld slurmd sbatch squeue sinfo srun)
missing() { for c in "${need[@]}"; do command -v "$c" >/dev/null 2>&1 || return 0; done; return 1; }
if missing; then
    bash "$src/scripts/install-deps.sh" >/dev/null 2>&1 || true
    missing && skip "Slurm is not installed and scripts/install-deps.sh could not install slurm-wlm and munge"
fi
[[ $(id -u) -eq 0 ]] || skip "the test cluster runs its daemons as root (SlurmUser=root); not root here"
if (exec 3<>/dev/tcp/127.0.0.1/6817) 2>/dev/null; then
    skip "port 6817 is in use: another Slurm controller runs on this machine"
fi

T=$(mktemp -d /tmp/tilebragg-slurm.XXXXXX) && chmod 755 "$T"   # munged wants every folder on its socket path searchable
H=$(hostname -s)
stop_daemons() {
    local pids=() p
    for f in "$T/slurmd.pid" "$T/slurmctld.pid" "$T/munge/munged.pid"; do
        [[ -s $f ]] && pids+=("$(cat "$f")")
    done
    ((${#pids[@]})) || return 0
    kill -TERM "${pids[@]}" 2>/dev/null
    for _ in $(seq 50); do
        local alive=0
        for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
        ((alive)) || break
        sleep 0.1
    done
    for p in "${pids[@]}"; do kill -KILL "$p" 2>/dev/null; done
    return 0
}
# Read the PID files at start-up: slurmd deletes its own on exit.
trap 'stop_daemons; rm -rf "$T"' EXIT

mkdir -p "$T/munge" "$T/state" "$T/spool" "$T/log" && chmod 755 "$T/munge"
dd if=/dev/urandom of="$T/munge/munge.key" bs=1 count=1024 status=none && chmod 400 "$T/munge/munge.key"
cpus=$(nproc)
cat > "$T/slurm.conf" <<CONF
ClusterName=tbtest
SlurmctldHost=$H
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$T/munge/munge.sock
MpiDefault=none
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/slurmctld.pid
SlurmdPidFile=$T/slurmd.pid
SlurmctldLogFile=$T/log/slurmctld.log
SlurmdLogFile=$T/log/slurmd.log
NodeName=$H CPUs=$cpus RealMemory=1000 State=UNKNOWN
PartitionName=debug Nodes=$H Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF=$T/slurm.conf
munged --key-file="$T/munge/munge.key" --socket="$T/munge/munge.sock" --pid-file="$T/munge/munged.pid" \
    --log-file="$T/munge/munged.log" --seed-file="$T/munge/munged.seed" || skip "munged does not start"
slurmctld -f "$SLURM_CONF" || skip "slurmctld does not start"
slurmd -f "$SLURM_CONF" || skip "slurmd does not start"
up=0
for _ in $(seq 100); do
    sinfo -h -o %T 2>/dev/null | grep -qx idle && { up=1; break; }
    sleep 0.2
done
((up)) || skip "the local Slurm node never became idle: $(tail -n 3 "$T/log/slurmctld.log" 2>/dev/null | tr '\n' ' ')"
echo "local Slurm up on $H ($cpus CPUs) in $T"

# Small problems: the point is the plumbing, not the timing.
export OMPI_MCA_rmaps_base_oversubscribe=1 OMP_WAIT_POLICY=PASSIVE
out=$T/sweep
ids=()
while read -r id rest; do echo "submitted $id $rest"; ids+=("$id"); done < <(
    bash "$src/slurm/submit_sweep.sh" strong --ranks "1 2" --threads 1 --out "$out" --exe "$exe" \
        --job "$src/jobs/b1_256.ini"
    bash "$src/slurm/submit_sweep.sh" weak --ranks "1 2" --threads 1 --out "$out" --exe "$exe" \
        --rows-per-rank 64 -- -detpixels_f 256
    bash "$src/slurm/submit_sweep.sh" weak --ranks "1 2" --threads 1 --out "$out/series" --exe "$exe" \
        --job "$src/jobs/b1_256.ini" --images-per-rank 2)
((${#ids[@]} == 6)) || fail "expected 6 job ids from submit_sweep.sh, got ${#ids[@]}"

# A GPU sweep asks Slurm for GPUs; this cluster has none, and Slurm must say so rather
# than the job running on the CPU under a GPU sweep's name.
if gpu_out=$(bash "$src/slurm/submit_sweep.sh" strong --ranks 1 --gpus-per-task 1 --out "$out/gpu" --exe "$exe" \
             --job "$src/jobs/b1_256.ini" 2>&1); then
    fail "a GPU sweep was accepted by a cluster without GPUs: $gpu_out"
fi
echo "GPU sweep refused here, as it must be: $(tail -n 1 <<<"$gpu_out")"

done_all=0
for _ in $(seq 240); do
    left=$(squeue -h -j "$(IFS=,; echo "${ids[*]}")" 2>/dev/null | wc -l)
    ((left == 0)) && { done_all=1; break; }
    sleep 0.25
done
((done_all)) || { squeue; fail "jobs still queued or running after 60 s"; }
for f in "$out"/*.out; do echo "== $(basename "$f")"; cat "$f"; done

"$python" - "$out" <<'PY' || fail "HDF5 files of the sweep"
import sys, h5py
out = sys.argv[1]
for mode, rows in (("strong", 256), ("weak", 64)):
    for r in (1, 2):
        path = f"{out}/{mode}_r{r:02d}_t01.h5"
        with h5py.File(path, "r") as f:
            s = f["/entry/simulation"]
            assert s.attrs["complete"] == 1, path
            assert int(s.attrs["ranks"]) == r, (path, s.attrs["ranks"])
            shape = f["/entry/data/data"].shape
            want = (1, 256, 256) if mode == "strong" else (1, rows * r, 256)
            assert shape == want, (path, shape)
            assert len(s["timing/per_rank/rank"]) == r
            assert f["/entry/data/data"][0].sum() > 0
        print("ok", path)
for r in (1, 2):
    path = f"{out}/series/weak_r{r:02d}_t01.h5"
    with h5py.File(path, "r") as f:
        s = f["/entry/simulation"]
        assert s.attrs["complete"] == 1 and int(s.attrs["ranks"]) == r, path
        assert f["/entry/data/data"].shape == (2 * r, 256, 256), (path, f["/entry/data/data"].shape)
        assert list(s["timing/per_rank/backend"].asstr()[:]) == ["cpu"] * r, path
    print("ok", path)
PY
"$python" "$src/analysis/scaling.py" "$out"/strong_r0*.h5 --mode strong --no-plots || fail "scaling.py strong"
"$python" "$src/analysis/scaling.py" "$out"/weak_r0*.h5 --mode weak --no-plots || fail "scaling.py weak"
"$python" "$src/analysis/scaling.py" "$out"/series/weak_r0*.h5 --mode weak --no-plots || fail "scaling.py series"
echo "local Slurm sweep: 6 jobs, 6 complete HDF5 files; the GPU sweep refused"

#!/usr/bin/env bash
# Two hosts on one machine: the test makes two network namespaces joined by a veth pair
# (10.231.0.1 and .2), each with its own host name, and runs a 4-rank job over both with
# mpirun, a hostfile and a launch agent that starts Open MPI's daemon inside the other
# namespace (where ssh would start it on a real second host). Ranks on different hosts
# then talk over TCP through the veth pair, as on a cluster without shared memory.
#  1. the images of the two-host run are the bytes of a one-host run;
#  2. every rank holds after its first complete image (TILEBRAGG_TEST_HOLD_AFTER_IMAGES),
#     and once a rank on the second host says so, all its ranks are killed with
#     SIGKILL: the job must fail naming a rank of that host and the signal, leave only
#     FILE.tmp with complete = 0, and a rerun across both hosts must resume it to the
#     one-host result.
# Exit 77 (skipped, with the reason) where namespaces cannot be made (not root, no
# iproute2, no CAP_SYS_ADMIN in a container); never a silent pass.
# usage: across_hosts.sh MPIEXEC EXE WORKDIR PYTHON SOURCE_DIR
set -uo pipefail
mpiexec=$1 exe=$2 workdir=$3 python=$4 src=$5 np=4
skip() { echo "SKIP: $*"; exit 77; }
rm -rf "$workdir" && mkdir -p "$workdir" && cd "$workdir" || exit 1
source "$(dirname "${BASH_SOURCE[0]}")/interrupt_lib.sh"

[[ $(id -u) -eq 0 ]] || skip "network namespaces need root; running as $(id -un)"
if ! command -v ip >/dev/null 2>&1; then
    bash "$src/scripts/install-deps.sh" >/dev/null 2>&1 || true
    command -v ip >/dev/null 2>&1 || skip "no 'ip' command (iproute2), and scripts/install-deps.sh could not install it"
fi
command -v unshare >/dev/null 2>&1 || skip "no 'unshare' command (util-linux)"

# Names unique to this run, so that concurrent runs of the suite do not meet.
ns_a=tbhostA$$ ns_b=tbhostB$$ veth_a=tbva$$ veth_b=tbvb$$
addr_a=10.231.0.1 addr_b=10.231.0.2
cleanup() {
    local ns pid
    for ns in "$ns_a" "$ns_b"; do
        for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null; done
    done
    ip netns del "$ns_a" 2>/dev/null
    ip netns del "$ns_b" 2>/dev/null
    return 0
}
trap cleanup EXIT
ip netns add "$ns_a" 2>netns.err || skip "cannot make a network namespace: $(head -1 netns.err)"
ip netns add "$ns_b" 2>netns.err || skip "cannot make a second network namespace: $(head -1 netns.err)"
{
    ip link add "$veth_a" type veth peer name "$veth_b" &&
    ip link set "$veth_a" netns "$ns_a" && ip link set "$veth_b" netns "$ns_b" &&
    ip -n "$ns_a" addr add "$addr_a/24" dev "$veth_a" && ip -n "$ns_b" addr add "$addr_b/24" dev "$veth_b" &&
    ip -n "$ns_a" link set lo up && ip -n "$ns_b" link set lo up &&
    ip -n "$ns_a" link set "$veth_a" up && ip -n "$ns_b" link set "$veth_b" up
} 2>netns.err || skip "cannot join the namespaces with a veth pair: $(head -1 netns.err)"
unshare --uts true 2>/dev/null || skip "cannot give a namespace its own host name (unshare --uts)"

# Open MPI starts its daemon on a remote host through a launch agent (ssh by default):
# this one runs the daemon inside the other namespace, under that host's name.
cat > agent.sh <<AGENT
#!/usr/bin/env bash
host=\$1; shift
case \$host in
    $addr_a) ns=$ns_a name=hostA ;;
    $addr_b) ns=$ns_b name=hostB ;;
    *) echo "agent: unknown host \$host" >&2; exit 1 ;;
esac
exec ip netns exec "\$ns" unshare --uts sh -c "hostname \$name; \$*"
AGENT
chmod +x agent.sh
printf '%s slots=2\n%s slots=2\n' "$addr_a" "$addr_b" > hostfile
# Debian's Open MPI leaves only the shared-memory and RDMA one-sided components on
# (osc = ^ucx,pt2pt in /etc/openmpi/openmpi-mca-params.conf); over TCP neither can make
# the work queue's MPI window, so the point-to-point one is asked for (docs/robustness.md).
across() {
    ip netns exec "$ns_a" unshare --uts sh -c 'hostname hostA; exec "$@"' sh \
        "$mpiexec" -n 4 --hostfile hostfile --mca plm_rsh_agent "$PWD/agent.sh" --mca osc pt2pt --bind-to none \
        "$exe" "${case_args[@]}" "$@"
}

launch=("$mpiexec" -n 4 --oversubscribe --bind-to none)
reference_run
across -h5file two.h5 > two.log 2> two.err || fail "the two-host run"
same_as_reference two.h5
"$python" - <<'PY' || fail "the two-host run did not use both hosts"
import h5py
hosts = [h.decode() if isinstance(h, bytes) else h for h in h5py.File("two.h5", "r")["/entry/simulation/timing/per_rank/host"][:]]
assert hosts == ["hostA", "hostA", "hostB", "hostB"], hosts
PY
echo "two hosts (ranks 0-1 on hostA, 2-3 on hostB, over TCP): images identical to the one-host run"

TILEBRAGG_TEST_HOLD_AFTER_IMAGES=1 across -h5file part.h5 > part1.log 2> part1.err &
pid=$!
wait_for_line part1.err "^tilebragg: test hold after 1 image\(s\) \(pid [0-9]+, rank [23]\)" $pid ||
    fail "no rank on hostB held"
victims=()
for p in $(ip netns pids "$ns_b"); do
    [[ $(cat /proc/$p/comm 2>/dev/null) == tilebragg-mpi ]] && victims+=("$p")  # a rank under a launcher
done
((${#victims[@]} == 2)) || fail "expected the 2 ranks of hostB, found ${#victims[@]}"
kill -KILL "${victims[@]}"
wait $pid
rc=$?
killed_job_left $rc "[23]" 4
across -h5file part.h5 > part2.log 2> part2.err || fail "the resumed two-host run"
grep -qE "^resuming: $done_images of 8 images already complete" part2.log || fail "no resuming line"
same_as_reference part.h5
echo "hostB's ranks killed (job exit $rc) with $done_images of 8 images recorded; resumed across both hosts: identical"

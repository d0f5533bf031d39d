"""Every item the NXmx application definition requires (nxdl_required.py) is in the files
tilebragg writes: a single image, an MPI rotation series and a serial series, in three
conventions. With TILEBRAGG_NXDL naming a copy of NXmx.nxdl.xml, the hand-kept list is
also checked against what that file requires."""
import os
from datetime import datetime

import h5py
import pytest

import nxdl_required
import tilebragg_run as tr

RUNS = {
    "mosflm_single": ([], 0),
    "xds_rotation_np2": (["-xds", "-images", "3", "-osc", "1", "-twotheta", "8"], 2),
    "dials_serial": (["-dials", "-images", "2", "-misset", "random", "-misset_seed", "5"], 0),
}
DETECTOR = ["-detpixels_f", "10", "-detpixels_s", "6", "-pixel", "2", "-roi", "1", "8", "0", "4"]


def text(value):
    return value.decode() if isinstance(value, bytes) else str(value)


def groups_of_class(group, nx_class):
    return [g for g in group.values() if isinstance(g, h5py.Group) and text(g.attrs.get("NX_class", "")) == nx_class]


def missing(f, requirement):
    """Why `requirement` is not met in file f, or None."""
    path, _, units = requirement.partition("|")
    path, _, attribute = path.partition("@")
    parts = path.split("/")
    groups = [f]
    for part in parts:
        if part.startswith("NX"):
            groups = [g for parent in groups for g in groups_of_class(parent, part)]
            if not groups:
                return f"no {part} group"
        else:
            holders = [g for g in groups if part in g]
            if not holders:
                if attribute and part == "module_offset":
                    return None          # an optional field: its attributes count when it is there
                return f"no field {part}"
            field = holders[0][part]
            if attribute and attribute not in field.attrs:
                return f"{field.name} has no @{attribute}"
            if units and not text(field.attrs.get("units", "")):
                return f"{field.name} has no units ({units})"
    return None


@pytest.mark.parametrize("name", list(RUNS))
def test_required_nxmx_items_are_present(name, tmp_path):
    args, ranks = RUNS[name]
    run = tr.run(tmp_path, DETECTOR + args, ranks=ranks, printout=False)
    with h5py.File(run.h5, "r") as f:
        problems = {r: why for r in nxdl_required.REQUIRED if (why := missing(f, r))}
        assert not problems, problems
        entry = f["entry"]
        assert text(entry["definition"][()]) == "NXmx"
        # NX_DATE_TIME: ISO 8601 in UTC with the Z suffix, start before end.
        times = [text(entry[k][()]) for k in ("start_time", "end_time", "end_time_estimated")]
        assert all(t.endswith("Z") for t in times), times
        start, end, _ = (datetime.fromisoformat(t[:-1]) for t in times)
        assert start <= end
        # data_origin and data_size leave out the frame dimension.
        data = entry["data/data"]
        module = entry["instrument/detector/module"]
        assert module["data_origin"].shape == module["data_size"].shape == (data.ndim - 1,)
        assert tuple(module["data_size"][()]) == data.shape[1:]
        # Every depends_on names an existing axis, and every chain ends at ".".
        for holder in (entry["sample"], entry["instrument/detector"]):
            target = text(holder["depends_on"][()])
            for _ in range(20):
                if target == ".":
                    break
                target = text(f[target].attrs["depends_on"])
            assert target == "."


def test_hand_kept_list_is_what_the_nxdl_requires():
    nxdl = os.environ.get("TILEBRAGG_NXDL")
    if not nxdl:
        pytest.skip("TILEBRAGG_NXDL not set (a copy of applications/NXmx.nxdl.xml)")
    assert nxdl_required.parse(nxdl) == nxdl_required.REQUIRED

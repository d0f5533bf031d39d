"""fabio and silx (Debian's python3-fabio, python3-silx) on tilebragg's files: fabio opens
the file and the dataset URL, its NeXus helper lists the entry, silx's NXdata lookup
follows @default to the image. Shapes and structure only: the data may be float photons
or detector counts."""
import h5py
import pytest

import tilebragg_run as tr

fabio = pytest.importorskip("fabio")
import fabio.nexus  # noqa: E402
import silx.io  # noqa: E402
import silx.io.nxdata  # noqa: E402

ARGS = ["-detpixels_f", "24", "-detpixels_s", "16", "-pixel", "1", "-distance", "80", "-xds", "-images", "2",
        "-osc", "1"]


@pytest.fixture(scope="module")
def series(tmp_path_factory):
    return tr.run(tmp_path_factory.mktemp("fabio"), ARGS, ranks=2, printout=False).h5


def test_fabio_opens_the_file_and_every_frame(series):
    image = fabio.open(str(series))
    assert image.data.shape == (16, 24)
    assert image.nframes == 2
    assert image.getframe(1).data.shape == (16, 24)


def test_fabio_opens_the_dataset_url(series):
    image = fabio.open(f"{series}::/entry/data/data")
    assert image.nframes == 2
    assert image.data.shape == (16, 24)


def test_fabio_nexus_lists_the_entry(series):
    nexus = fabio.nexus.Nexus(str(series))
    try:
        entries = nexus.get_entries()
        assert [e.name for e in entries] == ["/entry"]
        assert [g.name for g in nexus.get_class(entries[0], "NXdata")][0] == "/entry/data"
    finally:
        nexus.close()


def test_silx_default_plot_is_the_image(series):
    with silx.io.open(str(series)) as f:
        default = silx.io.nxdata.get_default(f)
        assert default is not None, "no @default chain from / to an NXdata"
        assert default.signal.name == "/entry/data/data"
        assert default.signal.shape == (2, 16, 24)
        assert silx.io.nxdata.is_valid_nxdata(f["entry/data"])


def test_root_and_entry_carry_default(series):
    with h5py.File(series, "r") as f:
        assert f.attrs["default"] == "entry"
        assert f["entry"].attrs["default"] == "data"

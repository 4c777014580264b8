"""Binary graph format: round trips, memory maps, corrupt files."""
import json
import os
import struct

import numpy as np
import pytest
from _reference import assert_same_graph
from conftest import SHARED_DATASETS

from seedwise._validation import InputFileError, SeedwiseError
from seedwise.graph import Graph, binary, load_graph, read_graph, save_graph


def int_graph():
    return Graph.from_edges([5, 7, 7, 9, 5], [7, 9, 5, 5, 5], [1.0, 2.0, 3.0, 4.0, 9.0], weights="counts")


def str_graph():
    return Graph.from_edges(["zoë", "b", "a-long-name"], ["b", "a-long-name", "zoë"], directed=False,
                            weights="uniform:0.2", stats={"lines": 3, "header": None, "names": ("a", "b")})


@pytest.mark.parametrize("make", [int_graph, str_graph])
@pytest.mark.parametrize("mmap", [True, False])
def test_round_trip(tmp_path, make, mmap):
    g = make()
    path = tmp_path / "g.swg"
    assert save_graph(g, path) == str(path)
    h = load_graph(path, mmap=mmap)
    assert_same_graph(g, h, exact_dtypes=True)
    assert h.stats["lines" if "lines" in g.stats else "edges"] == g.stats.get("lines", g.stats.get("edges"))
    assert h.label(range(h.n)) == g.label(range(g.n))
    if mmap:
        assert isinstance(h.out_indices, np.memmap)
        assert not h.out_indices.flags.writeable
    else:
        assert h.out_indices.flags.writeable
    assert [f for f in os.listdir(tmp_path) if f.startswith(".tmp")] == []


def test_layout_aligned(tmp_path):
    path = tmp_path / "g.swg"
    save_graph(int_graph(), path)
    meta, start, size = binary.read_header(path)
    assert start % 64 == 0
    for spec in meta["arrays"].values():
        assert (start + spec["offset"]) % 64 == 0
    assert meta["weights"] == "counts" and meta["n"] == 3


def test_mmap_graph_works_with_sampling(tmp_path):
    from seedwise.sampling import sample_rr_sets

    path = os.path.join(SHARED_DATASETS, "email-eu-core.txt.gz")
    g = read_graph(path, cache=False) if os.path.exists(path) else int_graph()
    path = tmp_path / "g.swg"
    save_graph(g, path)
    h = load_graph(path, mmap=True)
    a = sample_rr_sets(g, 500, seed=3)
    b = sample_rr_sets(h, 500, seed=3)
    assert np.array_equal(a.offsets, b.offsets) and np.array_equal(a.nodes, b.nodes)


def _corrupt(path, fn):
    data = bytearray(path.read_bytes())
    fn(data)
    path.write_bytes(bytes(data))


def _patch_header(data, **changes):
    hlen = struct.unpack("<I", data[12:16])[0]
    meta = json.loads(bytes(data[16:16 + hlen]))
    meta.update(changes)
    new = json.dumps(meta, separators=(",", ":")).encode()
    assert len(new) <= hlen
    data[16:16 + hlen] = new + b" " * (hlen - len(new))


@pytest.mark.parametrize("case", ["magic", "version", "truncated", "header_json", "shape", "index_range",
                                  "empty", "indptr"])
def test_corrupt_files_raise(tmp_path, case):
    path = tmp_path / "g.swg"
    save_graph(int_graph(), path)
    meta, start, size = binary.read_header(path)
    if case == "magic":
        _corrupt(path, lambda d: d.__setitem__(slice(0, 8), b"NOTGRAPH"))
    elif case == "version":
        _corrupt(path, lambda d: d.__setitem__(slice(8, 12), struct.pack("<I", 99)))
    elif case == "truncated":
        path.write_bytes(path.read_bytes()[: size - 70])
    elif case == "header_json":
        _corrupt(path, lambda d: d.__setitem__(slice(16, 20), b"{{{{"))
    elif case == "shape":
        _corrupt(path, lambda d: _patch_header(d, n=4))
    elif case == "index_range":
        off = start + meta["arrays"]["out_indices"]["offset"]
        _corrupt(path, lambda d: d.__setitem__(slice(off, off + 4), struct.pack("<i", 77)))
    elif case == "indptr":
        off = start + meta["arrays"]["in_indptr"]["offset"] + 8
        _corrupt(path, lambda d: d.__setitem__(slice(off, off + 8), struct.pack("<q", -3)))
    elif case == "empty":
        path.write_bytes(b"")
    with pytest.raises(InputFileError, match="g.swg: not a valid seedwise graph file"):
        load_graph(path)


def test_missing_and_bad_arguments(tmp_path):
    with pytest.raises(InputFileError, match="no such file"):
        load_graph(tmp_path / "none.swg")
    with pytest.raises(SeedwiseError, match="needs a seedwise Graph"):
        save_graph("not a graph", tmp_path / "x.swg")
    with pytest.raises(SeedwiseError, match="cannot write graph file"):
        save_graph(int_graph(), tmp_path / "no" / "such" / "dir" / "x.swg")


def test_overwrite_is_atomic(tmp_path):
    path = tmp_path / "g.swg"
    save_graph(int_graph(), path)
    h = load_graph(path, mmap=True)  # a reader still mapping the old file
    save_graph(str_graph(), path)
    assert h.ids.tolist() == [5, 7, 9]  # the old mapping is intact
    assert load_graph(path).ids.tolist() == ["a-long-name", "b", "zoë"]


def _as_version_2(path, out):
    """The same graph in format version 2: BLAKE2b-128 digests instead of CRC-32."""
    meta, start, size = binary.read_header(path)
    data = path.read_bytes()[start:]
    for spec in meta["arrays"].values():
        a = data[spec["offset"]:spec["offset"] + spec["nbytes"]]
        spec["blake2b"] = binary.digest(a, "blake2b")
        del spec["crc32"]
    del meta["header_crc32"]
    meta["header_blake2b"] = binary._meta_digest(meta, "blake2b")
    header = json.dumps(meta, separators=(",", ":")).encode()
    pad = b"\0" * (binary._align(16 + len(header)) - 16 - len(header))
    out.write_bytes(binary.MAGIC + struct.pack("<II", 2, len(header)) + header + pad + data)


@pytest.mark.parametrize("make", [int_graph, str_graph])
def test_version_2_files_are_still_read_and_checked(tmp_path, make):
    save_graph(make(), tmp_path / "g3.swg")
    _as_version_2(tmp_path / "g3.swg", tmp_path / "g2.swg")
    assert struct.unpack("<I", (tmp_path / "g2.swg").read_bytes()[8:12]) == (2,)
    assert_same_graph(load_graph(tmp_path / "g2.swg"), make())
    meta, start, _ = binary.read_header(tmp_path / "g2.swg")
    off = start + meta["arrays"]["out_prob"]["offset"]
    _corrupt(tmp_path / "g2.swg", lambda d: d.__setitem__(slice(off, off + 1), bytes([d[off] ^ 1])))
    with pytest.raises(InputFileError, match="checksum mismatch in out_prob"):
        load_graph(tmp_path / "g2.swg")


def test_a_changed_byte_fails_the_crc32(tmp_path):
    path = tmp_path / "g.swg"
    save_graph(int_graph(), path)
    meta, start, _ = binary.read_header(path)
    assert struct.unpack("<I", path.read_bytes()[8:12]) == (3,) and "header_crc32" in meta
    off = start + meta["arrays"]["out_weight"]["offset"]
    _corrupt(path, lambda d: d.__setitem__(slice(off, off + 1), bytes([d[off] ^ 0x10])))
    with pytest.raises(InputFileError, match="checksum mismatch in out_weight"):
        load_graph(path)

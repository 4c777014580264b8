"""Kernels compiled ahead of time (``seedwise compile``, seedwise._aot): a command runs
them without importing numba, gives the JIT's answers, and any call whose argument
types were not compiled runs on the JIT instead of reading memory with wrong types."""
import json
import os
import subprocess
import sys

import numba
import numpy as np
import pytest

from seedwise import _aot, _numba


def _env(aot_dir, enabled):
    env = {**os.environ, "SEEDWISE_AOT_DIR": str(aot_dir), "SEEDWISE_AOT": "1" if enabled else "0"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


@pytest.fixture(scope="module")
def compiled(tmp_path_factory):
    """A module compiled from the current sources into a private directory."""
    aot_dir = tmp_path_factory.mktemp("aot")
    out = subprocess.run([sys.executable, "-m", "seedwise", "compile"], env=_env(aot_dir, True),
                         capture_output=True, text=True, timeout=900)
    assert out.returncode == 0, out.stderr
    assert "kernel overloads" in out.stdout
    return aot_dir


# ---------------------------------------------------------------- types
def _values():
    a = np.arange(12, dtype=np.int64)
    readonly = a.copy()
    readonly.flags.writeable = False
    unaligned = np.frombuffer(np.zeros(8 * 5 + 1, dtype=np.uint8).tobytes()[1:], dtype=np.float64)
    return [
        *(np.zeros(3, dtype=t) for t in (np.int32, np.int64, np.uint64, np.float32, np.float64, np.bool_, np.uint8)),
        np.zeros((3, 4)), np.zeros((3, 4), order="F"), a[::2], a.reshape(3, 4)[:, 1], readonly, unaligned,
        np.zeros(3, dtype=">i8"), np.zeros(3, dtype=np.complex128), np.zeros(0, dtype=np.int32),
        0, -5, 2**62, 2**63, True, False, 1.5, np.int32(3), np.uint64(7), np.float32(2.0), np.bool_(True),
        "text", None, [1, 2], (1, 2),
    ]


def test_argument_types_are_named_as_numba_types_them():
    named = 0
    for x in _values():
        key = _aot.arg_key(x)
        if key is None:
            continue  # runs on the JIT
        named += 1
        assert key == _aot.type_key(numba.typeof(x)), (x, key, numba.typeof(x))
    assert named >= 20
    # what no compiled copy may take
    assert _aot.arg_key(np.zeros(3, dtype=">i8")) is None
    assert _aot.arg_key(2**63) is None and _aot.arg_key("text") is None


# ---------------------------------------------------------------- the commands
RUN = """
import io, json, sys, contextlib
from seedwise.cli.main import main
outs = []
for argv in json.loads(sys.argv[1]):
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        assert main(argv) == 0, argv
    outs.append(json.loads(buf.getvalue()))
from seedwise import _aot
print(json.dumps({"outs": outs, "numba": "numba" in sys.modules, "misses": [list(m) for m in _aot.misses]}))
"""


def _scrub(x):
    """A JSON answer without its timings."""
    if isinstance(x, dict):
        return {k: _scrub(v) for k, v in x.items() if "time" not in k and "second" not in k}
    if isinstance(x, list):
        return [_scrub(v) for v in x]
    return x


def _run(commands, env):
    out = subprocess.run([sys.executable, "-c", RUN, json.dumps(commands)], env=env, capture_output=True,
                         text=True, timeout=600)
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_commands_run_without_numba_and_give_the_jit_answers(compiled, tmp_path):
    # a graph the compile step never saw, read from text (the parser's kernels) and from .swg
    graph = tmp_path / "g.swg"
    subprocess.run([sys.executable, "-m", "seedwise", "generate", "rmat", "--edges", "30000", "--seed", "5",
                    "--output", str(graph)], check=True, capture_output=True, env=_env(compiled, False))
    edges = tmp_path / "g.txt"
    rng = np.random.default_rng(3)
    with open(edges, "w") as f:
        for u, v in rng.integers(0, 400, size=(3000, 2)):
            f.write(f"{u} {v}\n")
    embeddings = tmp_path / "x.npy"
    np.save(embeddings, rng.normal(size=(500, 12)).astype(np.float32))
    aps = tmp_path / "aps.txt"
    aps.write_text("\n".join(str(i) for i in range(0, 300, 7)) + "\n")
    g, common = ["--graph", str(graph)], ["--json", "--seed", "4", "--quiet"]
    commands = [
        ["select", *g, "--k", "20", *common],
        ["select", *g, "--k", "20", "--model", "lt", *common],
        ["select", *g, "--k", "10", "--algorithm", "imm", *common],
        ["select", "--graph", str(edges), "--no-cache", "--k", "5", "--weights", "trivalency", *common],
        ["spread", *g, "--seeds", "0,1,2", "--simulations", "3000", *common],
        ["spread", *g, "--seeds", "0,1,2", "--simulations", "3000", "--model", "lt", *common],
        ["spread", *g, "--seeds", "0,1,2", "--method", "rr", "--rr-sets", "5000", *common],
        ["cim", *g, "--aps", str(aps), "--k", "3", *common],
        ["cim", *g, "--aps", str(aps), "--k", "3", "--algorithm", "rr-opim+", *common],
        ["recommend", *g, "--aps", str(aps), "--k", "2", *common],
        ["select-examples", "--embeddings", str(embeddings), "--budget", "6", "--neighbors", "5", *common],
    ]
    aot = _run(commands, _env(compiled, True))
    jit = _run(commands, _env(compiled, False))
    assert aot["misses"] == []
    assert not aot["numba"]
    assert jit["numba"]
    for argv, a, b in zip(commands, aot["outs"], jit["outs"]):
        assert _scrub(a) == _scrub(b), argv


def test_other_argument_types_run_on_the_jit(compiled):
    code = """
import json, sys
import numpy as np
from seedwise.sampling import _kernels
from seedwise import _aot
indptr, indices, mask = np.array([0, 2, 3]), np.array([0, 1, 1], dtype=np.int32), np.array([True, False])
a = int(_kernels.count_covered(indptr, indices, mask))           # compiled types
before = "numba" in sys.modules
b = int(_kernels.count_covered(indptr.astype(np.int32), indices, mask))  # int32 offsets: not compiled
print(json.dumps([a, b, before, "numba" in sys.modules, len(_aot.misses)]))
"""
    out = subprocess.run([sys.executable, "-c", code], env=_env(compiled, True), capture_output=True, text=True,
                         check=True).stdout
    a, b, numba_before, numba_after, misses = json.loads(out.strip().splitlines()[-1])
    assert a == b == 1
    assert not numba_before and numba_after and misses == 1


def test_compile_check_and_up_to_date(compiled, tmp_path):
    check = subprocess.run([sys.executable, "-m", "seedwise", "compile", "--check"], env=_env(compiled, True),
                           capture_output=True, text=True)
    assert check.returncode == 0 and str(compiled) in check.stdout and ": used" in check.stdout
    again = subprocess.run([sys.executable, "-m", "seedwise", "compile"], env=_env(compiled, True),
                           capture_output=True, text=True)
    assert again.returncode == 0 and again.stdout.startswith("up to date")
    empty = subprocess.run([sys.executable, "-m", "seedwise", "compile", "--check"], env=_env(tmp_path, True),
                           capture_output=True, text=True)
    assert empty.returncode == 1 and "run `seedwise compile`" in empty.stdout


# ---------------------------------------------------------------- stale and broken modules
@pytest.fixture
def fresh_table(monkeypatch, tmp_path):
    monkeypatch.setenv("SEEDWISE_AOT_DIR", str(tmp_path))
    monkeypatch.setenv("SEEDWISE_AOT", "1")
    monkeypatch.setattr(_aot, "_table", None)
    return tmp_path


def test_a_broken_module_is_not_used(fresh_table):
    d = fresh_table / _aot.stamp()
    d.mkdir()
    (d / _aot.MANIFEST).write_text(json.dumps({"stamp": _aot.stamp(), "kernels": {"x.y": {"int64": "k0"}}}))
    with open(_aot._module_file(str(d)), "wb") as f:
        f.write(b"not an extension module")
    assert _aot._load() == {}
    assert _aot.find("x.y", (1,)) is None


def test_a_module_of_other_sources_is_not_found(fresh_table, monkeypatch, tmp_path):
    source = tmp_path / "k_kernels.py"
    source.write_text("x = 1\n")
    monkeypatch.setattr(_numba, "_FILES", [str(source)])
    old = _aot.stamp()
    (fresh_table / old).mkdir()
    (fresh_table / old / _aot.MANIFEST).write_text(json.dumps({"stamp": old, "kernels": {}}))
    open(_aot._module_file(str(fresh_table / old)), "wb").close()
    assert _aot.status()["path"] == str(fresh_table / old)
    source.write_text("x = 2\n")  # an edited kernel file: a new stamp, the old module is not used
    assert _aot.stamp() != old
    assert _aot.status()["path"] is None


def test_disabled_by_the_environment(fresh_table, monkeypatch):
    monkeypatch.setenv("SEEDWISE_AOT", "0")
    assert _aot._load() == {} and not _aot.status()["enabled"]


@pytest.mark.slow
def test_without_a_c_compiler_compile_fails_cleanly_and_the_jit_runs(tmp_path):
    env = {**_env(tmp_path, True), "CC": "/bin/false", "LDSHARED": "/bin/false"}
    out = subprocess.run([sys.executable, "-m", "seedwise", "compile"], env=env, capture_output=True, text=True,
                         timeout=900)
    assert out.returncode == 1, out.stderr
    assert "could not compile ahead of time" in out.stderr and "C compiler" in out.stderr
    assert os.listdir(tmp_path) == []  # no partial module
    ok = subprocess.run([sys.executable, "-m", "seedwise", "select", "--dataset", "cim-physic", "--k", "2"],
                        env=env, capture_output=True, text=True)
    assert ok.returncode == 0 and "seeds:" in ok.stdout


def test_a_command_without_compiled_kernels_suggests_compile(tmp_path):
    argv = [sys.executable, "-m", "seedwise", "select", "--dataset", "cim-physic", "--k", "2"]
    loud = subprocess.run(argv, env=_env(tmp_path, True), capture_output=True, text=True)
    assert loud.returncode == 0 and "run `seedwise compile` once" in loud.stderr
    quiet = subprocess.run(argv + ["--quiet"], env=_env(tmp_path, True), capture_output=True, text=True)
    off = subprocess.run(argv, env=_env(tmp_path, False), capture_output=True, text=True)
    assert "seedwise compile" not in quiet.stderr + off.stderr

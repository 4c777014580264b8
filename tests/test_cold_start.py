"""A cold command pays only for what it uses: numba is imported at the first kernel
call (never by `seedwise info` on a binary graph), its BLAS probe does not import
scipy.linalg, and kernels defined before numba loaded call each other as compiled code."""
import json
import subprocess
import sys

import numpy as np

import seedwise
from seedwise import _numba


def run_python(code):
    """Run ``code`` in a fresh interpreter; its last stdout line, parsed as JSON."""
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


LOADED = "print(json.dumps({m: m in sys.modules for m in ('numba', 'scipy.linalg', 'scipy.sparse', "\
         "'matplotlib', 'ray', 'fastapi', 'seedwise.algorithms.cim', 'seedwise.algorithms.him')}))"


def test_info_on_a_binary_graph_loads_no_numba(tmp_path):
    from seedwise.graph.convert import convert_edge_list

    with seedwise.datasets.path("email-eu-core") as p:
        convert_edge_list(p, tmp_path / "g.swg")
    loaded = run_python(f"import json, sys\nfrom seedwise.cli import main\n"
                        f"assert main(['info', '--graph', {str(tmp_path / 'g.swg')!r}]) == 0\n{LOADED}")
    assert not any(loaded.values()), loaded


def test_select_loads_numba_but_not_scipy_linalg_nor_other_problems(tmp_path):
    from seedwise.graph.convert import convert_edge_list

    with seedwise.datasets.path("email-eu-core") as p:
        convert_edge_list(p, tmp_path / "g.swg")
    loaded = run_python(f"import json, sys\nfrom seedwise.cli import main\n"
                        f"assert main(['select', '--graph', {str(tmp_path / 'g.swg')!r}, '--k', '3']) == 0\n"
                        f"assert 'scipy.linalg.cython_blas' not in sys.modules  # the probe's stand-in is gone\n"
                        f"{LOADED}")
    assert loaded.pop("numba")
    assert not any(loaded.values()), loaded


def test_kernels_are_numba_dispatchers_once_loaded():
    numba = _numba.load()
    from seedwise.sampling import _kernels as sampling_kernels
    from seedwise.selection import _kernels as selection_kernels

    kernels = [v for m in (sampling_kernels, selection_kernels) for v in vars(m).values() if hasattr(v, "py_func")]
    assert kernels and all(isinstance(k, numba.core.dispatcher.Dispatcher) for k in kernels)
    assert not _numba._waiting


def test_a_stand_in_calls_its_dispatcher():
    def twice(x):
        return 2 * x

    stand_in = _numba._Kernel(twice, _numba.OPTIONS)
    assert stand_in.__name__ == "twice" and stand_in.py_func is twice
    stand_in.dispatcher = _numba.load().njit(twice)
    assert stand_in(np.int64(21)) == 42
    assert stand_in.signatures  # the dispatcher's attributes

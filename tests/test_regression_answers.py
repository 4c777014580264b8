"""Behaviour lock: the same answers for the same seed, before and after refactors.

Every algorithm runs on every embedded dataset (classic IM), on the embedded CIM
query (cim-physic, AP set 4 of its ``.ap`` file) and on a small HIM instance; the
seeds, RR-set counts and estimates are compared with ``regression_answers.json``,
stored from the code as it was before the layout refactor (issue 13). Only the
public API (``seedwise.maximize``, ``seedwise.cim``, ``seedwise.recommend``) is
used, so the test does not depend on where modules live.

Regenerate (only for an intended change of answers, saying why in the commit)::

    .venv/bin/python tests/test_regression_answers.py --store
"""
import gzip
import json
import math
import os
import sys

import pytest

import seedwise

HERE = os.path.dirname(os.path.abspath(__file__))
STORE = os.path.join(HERE, "regression_answers.json")
DATASETS = ("wiki-vote", "email-eu-core", "ca-grqc", "cim-physic")
IM_RUNS = [  # (algorithm, model, options)
    ("opim-c", "ic", {}), ("opim-c", "lt", {}), ("imm", "ic", {}), ("imm", "lt", {}),
    ("degree", "ic", {}), ("pagerank", "ic", {}), ("degree-discount", "ic", {}), ("random", "ic", {}),
]
CIM_ALGORITHMS = ("rr-opim+eb", "rr-opim+", "rr-opim", "mg-opim", "local-degree", "local-pagerank", "local-opim-c",
                  "local-imm", "mg-greedy", "rr-greedy")
HIM_METHODS = ("hetero-im", "hetero-im-authors", "hetero-ir", "prob", "degree", "pagerank")
HIM_INVITERS = [0, 2, 5, 17, 64, 160, 400]


def _graph(name, cache={}):  # noqa: B006 - a per-process cache of the parsed datasets
    if name not in cache:
        cache[name] = seedwise.load_dataset(name, cache=False)
    return cache[name]


def _cim_aps():
    """AP set 4 of the embedded cim-physic.ap.gz (the query `make demo` runs)."""
    path = os.path.join(os.path.dirname(seedwise.__file__), "datasets", "cim-physic.ap.gz")
    with gzip.open(path, "rt") as f:
        lines = [ln.strip() for ln in f if ln.strip() and not ln.startswith("#")]
    return [int(t) for t in lines[3].split(",")]


def _num(x):
    return None if x is None else float(x)


def im_answer(dataset, algorithm, model, options):
    res = seedwise.maximize(_graph(dataset), k=5, model=model, eps=0.3, algorithm=algorithm, seed=3, **options)
    return {"seeds": list(res.seeds), "rr_sets": res.n_rr_sets, "spread": _num(res.spread),
            "lower": _num(res.lower), "upper": _num(res.upper)}


def celf_answer():
    res = seedwise.maximize(_graph("cim-physic"), k=3, algorithm="celf", seed=3, simulations=300)
    return {"seeds": list(res.seeds), "rr_sets": 0, "spread": _num(res.spread), "lower": None, "upper": None}


def cim_answer(algorithm):
    options = {"simulations": 200} if algorithm in ("mg-greedy", "rr-greedy") else {}
    res = seedwise.cim(_graph("cim-physic"), _cim_aps(), k=2, algorithm=algorithm, eps=0.2, seed=5, **options)
    return {"assignments": {str(a): list(f) for a, f in res.assignments.items()}, "rr_sets": res.n_rr_sets,
            "spread": _num(res.spread), "lower": _num(res.lower), "upper": _num(res.upper)}


def him_answer(method):
    recs = seedwise.recommend(_graph("email-eu-core"), HIM_INVITERS, 3, method=method, eps=0.3, seed=2)
    return {"rows": [list(r) for r in recs.rows()], "rr_sets": recs.n_rr_sets}


def cases():
    """(key, function, args) for every stored answer."""
    out = [(f"im/{d}/{a}/{m}", im_answer, (d, a, m, o)) for d in DATASETS for a, m, o in IM_RUNS]
    out.append(("im/cim-physic/celf/ic", celf_answer, ()))
    out += [(f"cim/cim-physic/{a}", cim_answer, (a,)) for a in CIM_ALGORITHMS]
    out += [(f"him/email-eu-core/{m}", him_answer, (m,)) for m in HIM_METHODS]
    return out


def _same(got, want, path=""):
    """Exact for ids and counts; floats to 1e-9 relative (summation order may differ by an ulp)."""
    if isinstance(want, float) and isinstance(got, float):
        assert math.isclose(got, want, rel_tol=1e-9, abs_tol=1e-12), f"{path}: {got!r} != {want!r}"
    elif isinstance(want, dict):
        assert set(got) == set(want), f"{path}: keys {sorted(got)} != {sorted(want)}"
        for key in want:
            _same(got[key], want[key], f"{path}.{key}")
    elif isinstance(want, list):
        assert len(got) == len(want), f"{path}: {got!r} != {want!r}"
        for i, (g, w) in enumerate(zip(got, want)):
            _same(g, w, f"{path}[{i}]")
    else:
        assert got == want, f"{path}: {got!r} != {want!r}"


def _stored():
    with open(STORE) as f:
        return json.load(f)


@pytest.mark.parametrize("key,fn,args", cases(), ids=[c[0] for c in cases()])
def test_same_answers_as_stored(key, fn, args):
    stored = _stored()
    assert key in stored, f"{key} has no stored answer; regenerate with --store"
    # JSON round trip so that tuples/lists and int/float keys compare as stored
    _same(json.loads(json.dumps(fn(*args))), stored[key], key)


def test_every_stored_answer_is_checked():
    assert set(_stored()) == {c[0] for c in cases()}


if __name__ == "__main__":
    if sys.argv[1:] != ["--store"]:
        sys.exit("usage: python tests/test_regression_answers.py --store")
    answers = {key: fn(*args) for key, fn, args in cases()}
    with open(STORE, "w") as f:
        json.dump(answers, f, indent=1, sort_keys=True)
        f.write("\n")
    print(f"stored {len(answers)} answers in {STORE}")

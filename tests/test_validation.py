"""Validation once, from one table: every public function and every CLI command refuses each
value just outside each constraint of ``_validation.CONSTRAINTS`` (SeedwiseError / exit 2)."""
import contextlib
import gzip
import inspect
import io
import os

import numpy as np
import pytest

import seedwise
import seedwise.algorithms.cim  # noqa: F401 - every validated function is registered on import
import seedwise.algorithms.him  # noqa: F401
import seedwise.algorithms.ideal  # noqa: F401
import seedwise.algorithms.im.baselines  # noqa: F401
import seedwise.algorithms.im.celf  # noqa: F401
import seedwise.algorithms.im.imm  # noqa: F401
import seedwise.algorithms.im.opim_c  # noqa: F401
import seedwise.api
import seedwise.diffusion.monte_carlo  # noqa: F401
import seedwise.evaluation  # noqa: F401
import seedwise.evaluation.truth_model  # noqa: F401
import seedwise.graph.generators  # noqa: F401
import seedwise.graph.knn  # noqa: F401
import seedwise.graph.pagerank  # noqa: F401
import seedwise.graph.readers  # noqa: F401
import seedwise.sampling.estimate  # noqa: F401
from seedwise._validation import CIM, CONSTRAINTS, HIM, VALIDATED, SeedwiseError
from seedwise.cli import COMMANDS, build_parser, main

EMBEDDINGS = np.random.default_rng(0).normal(size=(40, 3))
AP_FILE = os.path.join(os.path.dirname(seedwise.__file__), "datasets", "cim-physic.ap.gz")


@pytest.fixture(scope="module")
def g():
    return seedwise.load_dataset("cim-physic")


@pytest.fixture(scope="module")
def recs(g):
    return seedwise.recommend(g, [232, 74], 2, method="degree")


def base_arguments(g, recs):
    """Valid arguments of every validated function (qualified name -> (args, kwargs))."""
    query = seedwise.algorithms.cim.build_query(g, [232, 74])
    pairs = ([232, 74], [233, 76])
    return {
        "seedwise.graph.generators.generate_rmat": ((100,), {}),
        "seedwise.graph.readers.read_aps": ((AP_FILE,), {}),
        "seedwise.api.describe": ((g,), {}),
        "seedwise.api.maximize": ((g, 2), {"algorithm": "degree"}),
        "seedwise.api.spread": ((g, [0, 1]), {"simulations": 10}),
        "seedwise.sampling.estimate.rr_spread": ((g, [0, 1]), {"rr_sets": 10}),
        "seedwise.algorithms.cim.query.random_aps": ((g, 0.05), {}),
        "seedwise.algorithms.cim.query.resolve_capacities": ((query, 2), {}),
        "seedwise.graph.pagerank.pagerank_scores": ((g,), {}),
        "seedwise.algorithms.cim.solve.cim": ((g, [232, 74], 2), {"algorithm": "local-degree"}),
        "seedwise.algorithms.cim.solve.cim_spread": ((g, [232, 74], [233]), {"simulations": 10}),
        "seedwise.algorithms.cim.compare.cim_compare": ((g, [232, 74], [1]), {"algorithms": ["local-degree"],
                                                                              "simulations": 10}),
        "seedwise.algorithms.him.hetero_im.hetero_im_rr_count": ((g, [0, 1], 2), {}),
        "seedwise.algorithms.him.hetero_ir.hetero_inf": ((g,), {}),
        "seedwise.algorithms.him.hetero_ir.hetero_ir_scores": ((g,), {}),
        "seedwise.algorithms.him.recommend.recommend": ((g, [232, 74], 2), {"method": "degree"}),
        "seedwise.evaluation.recommendation.ispread": ((seedwise.evaluation.SpreadTruth.from_pairs(*pairs),
                                                        [232, 74]), {}),
        "seedwise.evaluation.recommendation.recommendation_metrics": ((recs, pairs), {}),
        "seedwise.evaluation.recommendation.evaluate_recommendations": ((g, [232, 74], pairs),
                                                                        {"methods": ["degree"]}),
        "seedwise.evaluation.truth_model.invitation_counts": ((g, [232, 74], recs), {"simulations": 10}),
        "seedwise.evaluation.truth_model.invitation_spread": ((g, [232, 74], recs), {"simulations": 10}),
        "seedwise.evaluation.truth_model.evaluate_truth_model": (
            (g, [232, 74], 2), {"methods": ["degree"], "baseline": "degree", "simulations": 10}),
        "seedwise.algorithms.im.opim_c.opim_c": ((g, 2), {}),
        "seedwise.algorithms.im.imm.imm": ((g, 2), {}),
        "seedwise.diffusion.monte_carlo.monte_carlo_spread": ((g, [0, 1]), {"simulations": 10}),
        "seedwise.algorithms.im.celf.celf": ((g, 1), {"simulations": 10}),
        "seedwise.algorithms.im.baselines.degree": ((g, 2), {}),
        "seedwise.algorithms.im.baselines.pagerank": ((g, 2), {}),
        "seedwise.algorithms.im.baselines.degree_discount": ((g, 2), {}),
        "seedwise.algorithms.im.baselines.random_seeds": ((g, 2), {}),
        "seedwise.algorithms.ideal.select.select_examples": ((EMBEDDINGS, 3), {"neighbors": 4}),
        "seedwise.graph.knn.knn_graph": ((EMBEDDINGS,), {"neighbors": 4}),
        "seedwise.graph.knn.nearest_neighbors": ((EMBEDDINGS,), {"neighbors": 4}),
    }


def _name(fn):
    return f"{fn.__module__}.{fn.__qualname__}"


def test_every_public_function_is_validated():
    public = [getattr(seedwise, name) for name in seedwise.__all__]
    public += [getattr(__import__(m, fromlist=[f]), f) for m, f in seedwise.api.ALGORITHMS.values()]
    checked = {_name(f) for f in VALIDATED}
    for fn in public:
        if callable(fn) and not isinstance(fn, type) and hasattr(fn, "__code__"):
            params = set(inspect.signature(fn).parameters)
            if params & set(CONSTRAINTS):
                assert hasattr(fn, "constraints") and _name(fn) in checked, f"{_name(fn)} is not @validated"


def test_every_validated_function_refuses_every_bad_value(g, recs):
    bases = base_arguments(g, recs)
    assert {_name(f) for f in VALIDATED} <= set(bases), "give the new validated function valid arguments here"
    for fn in VALIDATED:
        args, kwargs = bases[_name(fn)]
        fn(*args, **kwargs)  # the base arguments are valid
        bound = inspect.signature(fn).bind(*args, **kwargs).arguments
        for name, constraint in fn.constraints.items():
            for bad in constraint.bad_values(g.n):
                call = {**kwargs, name: bad}
                positional = [a for a, key in zip(args, bound) if key not in call]
                with pytest.raises(SeedwiseError, match=name.split("_")[0]):
                    fn(*positional, **call)


def test_non_graphs_are_refused_by_every_function_that_takes_a_graph(g, recs):
    bases = base_arguments(g, recs)
    for fn in VALIDATED:
        args, kwargs = bases[_name(fn)]
        if args and args[0] is g:
            with pytest.raises(SeedwiseError, match="seedwise.Graph"):
                fn("edges.txt", *args[1:], **kwargs)


# ------------------------------------------------------------------ CLI
def _files(tmp_path):
    aps = tmp_path / "inviters.txt"
    aps.write_text("0\n2\n5\n")
    truth = tmp_path / "truth.txt.gz"
    with gzip.open(truth, "wt") as f:
        f.write("0 1\n2 3\n5 6\n")
    return str(aps), str(truth)


def cli_bases(tmp_path):
    """Valid argv of every command (those without constrained flags map to None)."""
    aps, truth = _files(tmp_path)
    embeddings = str(tmp_path / "emb.npy")
    np.save(embeddings, EMBEDDINGS)
    him = ["--dataset", "email-eu-core", "--aps", aps]
    return {
        "select": ["--dataset", "cim-physic", "--k", "2", "--algorithm", "degree"],
        "spread": ["--dataset", "cim-physic", "--seeds", "0,1", "--simulations", "10"],
        "info": None, "datasets": None, "convert": None, "report": None, "compile": None,
        "generate": ["rmat", "--edges", "100", "--output", str(tmp_path / "g.swg")],
        "cim": ["--dataset", "cim-physic", "--aps", AP_FILE, "--ap-set", "4", "--k", "2",
                "--algorithm", "local-degree"],
        "cim-compare": ["--dataset", "cim-physic", "--aps", AP_FILE, "--ap-set", "4", "--ks", "2",
                        "--algorithms", "local-degree", "--simulations", "10"],
        "recommend": him + ["--k", "2", "--method", "degree"],
        "recommend-eval": him + ["--truth", truth, "--methods", "degree"],
        "select-examples": ["--embeddings", embeddings, "--budget", "3", "--neighbors", "4"],
        "serve": ["--dataset", "cim-physic", "--port", "0"],
    }


#: commands whose valid argv runs until stopped: only their bad values are run
FOREVER = {"serve"}


def _run(argv):
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        rc = main(argv)
    return rc, err.getvalue()


def _actions(parser, name):
    sub = next(a for a in parser._actions if a.dest == "command").choices[name]
    if name == "generate":
        sub = next(a for a in sub._actions if a.dest == "generator").choices["rmat"]
    return [a for a in sub._actions if a.option_strings]


def test_every_command_exits_2_on_every_bad_value(tmp_path):
    bases = cli_bases(tmp_path)
    assert set(bases) == set(COMMANDS), "give the new command valid arguments here"
    parser = build_parser()
    n = {"cim-physic": 241, "email-eu-core": 1005}
    tried = {}
    for command, argv in bases.items():
        if argv is None:
            assert not {a.dest for a in _actions(parser, command)} & set(CONSTRAINTS)
            continue
        if command not in FOREVER:
            rc, err = _run([command, *argv])
            assert rc == 0, f"{command} {argv}: {err}"
        table = {**CONSTRAINTS, **(CIM if command.startswith("cim") else HIM if "recommend" in command else {})}
        dataset = argv[argv.index("--dataset") + 1] if "--dataset" in argv else None
        for action in _actions(parser, command):
            constraint = table.get(action.dest)
            if constraint is None or action.dest in ("methods",):
                continue
            flag = action.option_strings[-1]
            for bad in constraint.bad_values(n.get(dataset)):
                if bad is None or isinstance(bad, list):
                    continue
                if flag in argv:
                    i = argv.index(flag)
                    call = argv[:i] + [flag, str(bad)] + argv[i + 2:]
                else:
                    call = argv + [flag, str(bad)]
                rc, err = _run([command, *call])
                tried[command] = tried.get(command, 0) + 1
                assert rc == 2 and err.count("\n") == 1 and "error" in err, f"{command} {flag} {bad!r}: {rc} {err}"
    assert tried.keys() == {c for c, argv in bases.items() if argv is not None}
    assert sum(tried.values()) > 100

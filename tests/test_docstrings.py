"""Docstrings and signatures must not drift apart (as stumpy's docstring.py checks).

Every public function listed here documents exactly the parameters it takes
(``**options``-style catch-alls excepted), and has Returns and References or
Examples sections where the style guide asks for them.
"""
import importlib
import inspect
import re

import pytest

PUBLIC = [
    "seedwise.api:read_graph", "seedwise.api:load_dataset", "seedwise.api:maximize", "seedwise.api:spread",
    "seedwise.algorithms.im.opim_c:opim_c", "seedwise.algorithms.im.imm:imm", "seedwise.algorithms.im.celf:celf",
    "seedwise.sampling.rr_sets:sample_rr_sets", "seedwise.selection.coverage:max_coverage",
    "seedwise.diffusion.monte_carlo:monte_carlo_spread", "seedwise.sampling.estimate:rr_spread",
    "seedwise.algorithms.cim:cim", "seedwise.algorithms.him:recommend",
    "seedwise.algorithms.ideal:select_examples", "seedwise.graph.knn:knn_graph",
    "seedwise.graph.knn:nearest_neighbors",
    "seedwise.serve:app", "seedwise.serve.server:launch",
]
ALGORITHMS = {"seedwise.algorithms.im.opim_c:opim_c", "seedwise.algorithms.im.imm:imm",
              "seedwise.algorithms.im.celf:celf", "seedwise.algorithms.cim:cim", "seedwise.algorithms.him:recommend",
              "seedwise.algorithms.ideal:select_examples"}


def load(spec):
    module, name = spec.split(":")
    try:
        return getattr(importlib.import_module(module), name)
    except (ImportError, AttributeError) as e:  # a public function that went away is a failure
        pytest.fail(f"{spec} is listed as public but cannot be imported: {e}")


def documented_parameters(doc):
    section = re.search(r"Parameters\n-+\n(.*?)(\n[A-Z][a-z]+\n-+\n|\Z)", doc, re.S)
    assert section, "no Parameters section"
    names = []
    for line in section.group(1).splitlines():
        m = re.match(r"^([A-Za-z_*][\w, *]*?)\s*(:|$)", line)
        if m:
            names += [x.strip() for x in m.group(1).split(",")]
    return names


@pytest.mark.parametrize("spec", PUBLIC)
def test_parameters_match_signature(spec):
    fn = load(spec)
    doc = inspect.getdoc(fn)
    assert doc, f"{spec} has no docstring"
    sig = inspect.signature(fn)
    taken = [p.name for p in sig.parameters.values()
             if p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL) and p.name != "self"]
    documented = documented_parameters(doc)
    assert set(taken) <= set(documented), f"{spec}: undocumented {sorted(set(taken) - set(documented))}"
    assert set(documented) <= set(taken) | {"**options", "options"}, \
        f"{spec}: documents parameters it does not take: {sorted(set(documented) - set(taken))}"
    assert "Returns\n" in doc


@pytest.mark.parametrize("spec", sorted(ALGORITHMS))
def test_algorithms_cite_their_paper(spec):
    doc = inspect.getdoc(load(spec))
    assert "References\n" in doc, f"{spec} has no References section"

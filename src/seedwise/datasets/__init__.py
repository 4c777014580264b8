"""Small real networks shipped inside the package (see README.md here for sources).

Each entry names a gzip edge list in this folder (``#`` header lines, then ``u v``
per line). ``nodes`` and ``edges`` are what :func:`seedwise.load_dataset` builds:
self-loops dropped, repeated edges merged, undirected pairs stored in both
directions (so ``edges`` of an undirected dataset is twice its pair count).

The registry is plain data so that ``seedwise datasets`` runs without numpy.
"""
from __future__ import annotations

import os
import types
from dataclasses import asdict, dataclass


@dataclass(frozen=True)
class Dataset:
    """One embedded network.

    Attributes
    ----------
    name : str
        What ``--dataset`` and :func:`seedwise.load_dataset` take.
    file : str
        File name inside ``seedwise/datasets``.
    directed : bool
        How the file is read (undirected = both directions).
    nodes, edges : int
        n and m of the graph seedwise builds from the file.
    description, citation, source : str
        What it is, the paper to cite, where the file came from.
    ap_file : str or None
        CIM active-participant query sets shipped with it (one set per line,
        comma-separated ids).
    """

    name: str
    file: str
    directed: bool
    nodes: int
    edges: int
    description: str
    citation: str
    source: str
    ap_file: str | None = None

    def to_dict(self):
        return asdict(self)


DATASETS = {
    d.name: d
    for d in (
        Dataset(
            name="wiki-vote",
            file="wiki-vote.txt.gz",
            directed=True,
            nodes=7_115,
            edges=103_689,
            description="Wikipedia administrator elections: u -> v when user u voted on user v (the demo graph)",
            citation="J. Leskovec, D. Huttenlocher, J. Kleinberg. Signed networks in social media. CHI 2010; "
            "Predicting positive and negative links in online social networks. WWW 2010",
            source="SNAP wiki-Vote, https://snap.stanford.edu/data/wiki-Vote.html",
        ),
        Dataset(
            name="email-eu-core",
            file="email-eu-core.txt.gz",
            directed=True,
            nodes=1_005,
            edges=24_929,
            description="e-mails within a European research institution (25,571 lines; 642 self-loops dropped)",
            citation="J. Leskovec, J. Kleinberg, C. Faloutsos. Graph evolution: densification and shrinking "
            "diameters. TKDD 2007; H. Yin, A. R. Benson, J. Leskovec, D. F. Gleich. Local higher-order "
            "graph clustering. KDD 2017",
            source="SNAP email-Eu-core, https://snap.stanford.edu/data/email-Eu-core.html",
        ),
        Dataset(
            name="ca-grqc",
            file="ca-grqc.txt.gz",
            directed=False,
            nodes=5_242,
            edges=28_968,
            description="arXiv General Relativity co-authorship, undirected (14,496 pairs; 12 self-loops dropped)",
            citation="J. Leskovec, J. Kleinberg, C. Faloutsos. Graph evolution: densification and shrinking "
            "diameters. TKDD 2007",
            source="SNAP ca-GrQc, https://snap.stanford.edu/data/ca-GrQc.html",
        ),
        Dataset(
            name="cim-physic",
            file="cim-physic.txt.gz",
            directed=True,
            nodes=241,
            edges=923,
            description="physicians' innovation network as used by the CIM paper (read as directed), "
            "with its AP query sets",
            citation="J. Coleman, E. Katz, H. Menzel. The diffusion of an innovation among physicians. "
            "Sociometry 1957; query sets: S. Zhang, Y. Huang, J. Sun, W. Lin, X. Xiao, B. Tang. Capacity "
            "constrained influence maximization in social networks. KDD 2023",
            source="KONECT moreno_innovation via socialalgo/Capacity_Constrained_IM (exp/data/physic.txt, physic.ap)",
            ap_file="cim-physic.ap.gz",
        ),
    )
}


def names():
    """Names of the embedded datasets, in registry order."""
    return list(DATASETS)


def get(name):
    """The :class:`Dataset` called ``name`` (case-insensitive); SeedwiseError if unknown."""
    key = str(name).strip().lower()
    if key not in DATASETS:
        from .._validation import SeedwiseError

        raise SeedwiseError(
            f"unknown dataset {name!r}; embedded datasets: {', '.join(DATASETS)} (see `seedwise datasets`)"
        )
    return DATASETS[key]


def path(name, *, ap=False):
    """A context manager giving a real file path of the dataset (or its AP query sets).

    Files of an installed wheel are plain files, so the path stays valid after the
    ``with`` block; the context manager only matters for zipped installs.
    """
    d = get(name)
    file = d.ap_file if ap else d.file
    if file is None:
        from .._validation import SeedwiseError

        raise SeedwiseError(f"dataset {d.name!r} ships no AP query sets")
    from importlib import resources  # here: importing it costs a command that reads no dataset ~10 ms

    return resources.as_file(resources.files(__name__).joinpath(file))


def _list():
    """Every dataset as a dict, with ``path`` and ``ap_path``: the files themselves (absolute
    paths to pass to ``--graph`` and ``--aps``; None for a zipped install or no AP sets)."""
    return [{**d.to_dict(), "path": _on_disk(d.file), "ap_path": _on_disk(d.ap_file)} for d in DATASETS.values()]


def _on_disk(file):
    if file is None:
        return None
    from importlib import resources

    p = resources.files(__name__).joinpath(file)
    return str(p) if isinstance(p, os.PathLike) and os.path.isfile(p) else None


class _CallableModule(types.ModuleType):
    """``seedwise.datasets`` is both this subpackage and the listing function.

    ``seedwise.datasets()`` returns the same list as :func:`seedwise.api.datasets`;
    a name cannot be both a module and a function otherwise, because importing
    the subpackage binds ``seedwise.datasets`` to the module.
    """

    def __call__(self):
        return _list()


import sys as _sys  # noqa: E402 - needs the class defined above

_sys.modules[__name__].__class__ = _CallableModule

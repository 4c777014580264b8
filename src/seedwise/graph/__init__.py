"""Graph layer: edge-list readers, id mapping, CSR arrays, edge-probability schemes."""
from ._build import build_graph
from ._graph import Graph
from ._schemes import SCHEMES
from .binary import load_graph, save_graph
from .convert import convert_edge_list, from_networkx, from_pandas_edgelist, from_scipy_sparse
from .generators import generate_rmat
from .io import read_graph

__all__ = [
    "Graph",
    "SCHEMES",
    "read_graph",
    "build_graph",
    "save_graph",
    "load_graph",
    "convert_edge_list",
    "from_networkx",
    "from_scipy_sparse",
    "from_pandas_edgelist",
    "generate_rmat",
]

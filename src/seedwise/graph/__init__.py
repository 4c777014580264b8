"""Graph layer: edge-list and format readers, id mapping, CSR arrays, edge-probability schemes, interop."""
from ._build import build_graph
from ._graph import Graph
from ._schemes import SCHEMES
from .binary import load_graph, save_graph
from .convert import convert_edge_list
from .generators import generate_rmat
from .interop import as_graph, from_networkx, from_pandas_edgelist, from_scipy_sparse, to_networkx
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
    "to_networkx",
    "as_graph",
    "generate_rmat",
]

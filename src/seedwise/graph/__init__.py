"""Graph layer: edge-list readers, id mapping, CSR arrays, edge-probability schemes."""
from ._graph import Graph
from ._schemes import SCHEMES

__all__ = ["Graph", "SCHEMES"]

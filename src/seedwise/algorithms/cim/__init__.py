"""Capacity constrained influence maximization (CIM).

- :mod:`.query`: the APs, their candidates and the passive graph P;
- :mod:`.rr_opim`: RR-OPIM+, RR-OPIM, MG-OPIM (RR sets, certified 1/2 - eps);
- :mod:`.greedy`: MG-Greedy and RR-Greedy on a spread oracle (CELF);
- :mod:`.baselines`: the per-AP baselines (local-degree, -pagerank, -opim-c, -imm);
- :mod:`.solve`: :func:`cim`, every algorithm behind one entry point, and :func:`cim_spread`;
- :mod:`.compare`: :func:`cim_compare`, several algorithms and capacities on one query.
"""
from ...results import CimResult
from .compare import cim_compare
from .greedy import TooSlowError
from .query import CimQuery, build_query, random_aps, resolve_capacities
from .solve import ALGORITHMS, cim, cim_spread

__all__ = ["ALGORITHMS", "CimQuery", "CimResult", "TooSlowError", "build_query", "cim", "cim_compare", "cim_spread",
           "random_aps", "resolve_capacities"]

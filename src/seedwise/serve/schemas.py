"""Request bodies of ``seedwise serve``, as pydantic models: the types the OpenAPI page
(``/docs``) documents and that a request must have.

Types only, and strictly: ``"5"`` is not a number and ``true`` is not an int, and
an unknown field is refused (a typo such as ``"kk"`` must not silently fall back to a
default). Ranges (``k <= n``, ``0 < eps < 1``, known ids...) are the API's checks,
applied by :class:`~seedwise.serve.service.Service`, so that they read as in the CLI.
"""
from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

#: a node id as in the input file: an integer, or a string for graphs with string ids
NodeId = int | str


class _Body(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid")


class SelectBody(_Body):
    """``POST /select``: influence maximization, as ``seedwise select``."""

    k: int = Field(description="number of seeds, 1 <= k <= n")
    model: str = Field("ic", description="diffusion model: ic or lt")
    eps: float = Field(0.1, description="approximation slack in (0, 1)")
    delta: float | None = Field(None, description="failure probability in (0, 1); default 1/n")
    algorithm: str = Field("opim-c", description="opim-c, imm, celf, degree, pagerank, degree-discount or random")
    seed: int = Field(0, description="random seed: the same seed gives the same answer")
    simulations: int | None = Field(None, description="celf only: Monte-Carlo runs per estimate")

    model_config = ConfigDict(json_schema_extra={"examples": [{"k": 50, "model": "ic", "eps": 0.1,
                                                               "algorithm": "opim-c", "seed": 0}]})


class CimBody(_Body):
    """``POST /cim``: capacity constrained IM, as ``seedwise cim``."""

    aps: list[NodeId] = Field(description="the active participants (node ids)")
    k: int | None = Field(None, description="friends each AP may recommend; may be left out when "
                                            "capacities covers every AP")
    algorithm: str | None = Field(None, description="one of seedwise cim's algorithms (rr-opim+eb, rr-opim+, "
                                                    "rr-opim, mg-greedy, local-degree, ...); default: seedwise "
                                                    "cim's default")
    capacities: dict[str, int] | None = Field(None, description="per-AP capacities: id -> k_u, overriding k")
    eps: float = Field(0.1, description="the RR-OPIM family stops at ratio >= 1/2 - eps")
    delta: float | None = Field(None, description="failure probability in (0, 1); default 1/n")
    seed: int = Field(0, description="random seed")
    model: str = Field("ic", description="ic or lt")
    rank_by_weight: bool = Field(False, description="list each AP's friends by descending edge weight")

    model_config = ConfigDict(json_schema_extra={"examples": [{"aps": [3, 17, 42], "k": 10, "seed": 0}]})


class RecommendBody(_Body):
    """``POST /recommend``: invitees for each inviter (HIM), as ``seedwise recommend``."""

    aps: list[NodeId] = Field(description="the inviters (node ids)")
    k: int = Field(description="list length per inviter")
    method: str = Field("hetero-im", description="hetero-im, hetero-ir, prob, degree or pagerank")
    capacity: int = Field(4, description="HeteroIR's interaction capacity")
    willingness: dict[str, float] | None = Field(None, description="per-node willingness U_j in [0, 1]; "
                                                                   "absent nodes have 1")
    eps: float = Field(0.1, description="HeteroIM accuracy of the RR-set budget")
    delta: float | None = Field(None, description="failure probability in (0, 1); default 1/n")
    seed: int = Field(0, description="random seed")
    skip_unknown: bool = Field(False, description="leave out inviter ids that are not nodes")

    model_config = ConfigDict(json_schema_extra={"examples": [{"aps": [3, 17], "k": 3, "method": "hetero-im"}]})


class SpreadBody(_Body):
    """``POST /spread``: expected spread of a seed set, as ``seedwise spread``."""

    seeds: list[NodeId] = Field(description="the seed nodes")
    simulations: int = Field(10_000, description="Monte-Carlo runs (method mc)")
    model: str = Field("ic", description="ic or lt")
    method: str = Field("mc", description="mc (Monte-Carlo) or rr (RR-set estimate)")
    rr_sets: int | None = Field(None, description="RR sets for method rr (default 100,000)")
    seed: int = Field(0, description="random seed")

    model_config = ConfigDict(json_schema_extra={"examples": [{"seeds": [3, 17], "simulations": 10000}]})

"""Heterogeneous influence maximization in user recommendation (HIM).

- :mod:`.hetero_ir`: HeteroIR scores beta_ij = P_ij U_j (1 + HeteroInf(j));
- :mod:`.hetero_im`: HeteroIM's RR budget and its per-inviter greedy;
- :mod:`.inputs`: inviters and willingness;
- :mod:`.recommend`: :func:`recommend`, every method behind one entry point.
"""
from ...results import Recommendations
from .hetero_im import hetero_im_candidates, hetero_im_pairs, hetero_im_rr_count
from .hetero_ir import hetero_inf, hetero_ir_scores
from .inputs import resolve_inviters, willingness_array, with_willingness
from .recommend import METHODS, TIE_BREAK, recommend

__all__ = ["METHODS", "TIE_BREAK", "Recommendations", "hetero_im_candidates", "hetero_im_pairs",
           "hetero_im_rr_count", "hetero_inf", "hetero_ir_scores", "recommend", "resolve_inviters",
           "willingness_array", "with_willingness"]

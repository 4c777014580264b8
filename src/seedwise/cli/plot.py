"""Plots of the CLI (``select --plot``, ``cim-compare --plot``), drawn with matplotlib.

Commands check for matplotlib before their work (:func:`._common.require`) and print
their table before plotting, so a plot never costs the result.
"""
from __future__ import annotations

import os


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _save(fig, plt, path):
    """Write the figure atomically (the format from the suffix)."""
    folder = os.path.dirname(os.path.abspath(path))
    base, ext = os.path.splitext(os.path.basename(path))
    tmp = os.path.join(folder, f".{base}.tmp{ext}")
    try:
        fig.savefig(tmp, dpi=120)
        os.replace(tmp, path)
    finally:
        plt.close(fig)
        if os.path.exists(tmp):
            os.unlink(tmp)


def plot_curve(res, path, *, graph=""):
    """Spread of the first j seeds against j = 1..k (a SelectionResult with a curve), with
    OPIM-C's certificate as bars: sigma_l(S_j) below, sigma_u(OPT_j) above."""
    plt = _pyplot()
    curve = res.curve
    ks = [r["k"] for r in curve]
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    ax.plot(ks, [r["spread"] for r in curve], marker="o", label=f"{res.algorithm}: spread of S_j")
    if curve[0].get("lower_bound") is not None:
        ax.plot(ks, [r["lower_bound"] for r in curve], ls="--", label="sigma_l(S_j) (lower bound)")
        ax.plot(ks, [r["upper_bound"] for r in curve], ls=":", label="sigma_u(OPT_j) (bound on the optimum)")
    ax.set_xlabel("k (seeds)")
    ax.set_ylabel("expected spread")
    ax.set_title(f"{res.algorithm}, {res.model.upper()} model" + (f", {os.path.basename(str(graph))}" if graph else ""))
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    _save(fig, plt, path)


def plot_compare(records, path):
    """Three panels against k: spread (MC on P, 95% CI bars), distinct seeds, time; one line
    per algorithm."""
    plt = _pyplot()
    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8))
    names = list(dict.fromkeys(r["algorithm"] for r in records))
    for name in names:
        rs = [r for r in records if r["algorithm"] == name and "error" not in r]
        if not rs:
            continue
        ks = [r["k"] for r in rs]
        spread = [r["spread"] for r in rs]
        err = [[s - r["ci95"][0] for s, r in zip(spread, rs)], [r["ci95"][1] - s for s, r in zip(spread, rs)]]
        axes[0].errorbar(ks, spread, yerr=err, marker="o", capsize=3, label=name)
        axes[1].plot(ks, [r["distinct_seeds"] for r in rs], marker="o", label=name)
        axes[2].plot(ks, [max(r["seconds"], 1e-4) for r in rs], marker="o", label=name)
    for ax, title in zip(axes, ("spread on P (MC, 95% CI)", "distinct seeds", "time (s)")):
        ax.set_xlabel("k (friends per AP)")
        ax.set_title(title)
        ax.grid(alpha=0.3)
    axes[2].set_yscale("log")
    axes[0].legend(fontsize=8)
    fig.tight_layout()
    _save(fig, plt, path)

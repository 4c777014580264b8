"""One static HTML page from the JSON that the commands write (``seedwise report``).

Inputs are the objects of ``select --json`` (or ``--output x.json``), ``cim --json``,
``cim-compare --json`` and ``recommend-eval --json``; :func:`kind_of` tells them
apart by their keys. The page holds, for what the inputs contain:

- spread against k: a select run's curve (spread of every prefix S_j, with its
  certificate sigma_l(S_j) .. sigma_u(OPT_j) as bars where OPIM-C certified
  it), and one line per algorithm over several runs (cim-compare's Monte-Carlo
  spread with its 95% CI as bars);
- time against k over the runs;
- the certificate of every run (sigma_l / sigma_u and the target ratio);
- the tables: seeds with rank, marginal gain and cumulative spread,
  recommendations per AP, the comparison, the recommendation metrics.

The page needs nothing else: the plots are inline SVG drawn here (no JavaScript,
no external file, no matplotlib), so it opens offline and can be mailed.
"""
from __future__ import annotations

import html
import json
import math
import os

__all__ = ["kind_of", "load_results", "render", "write_report"]

KINDS = ("select", "cim", "cim-compare", "recommend-eval")
PALETTE = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#7f7f7f")


def kind_of(obj):
    """"select", "cim", "cim-compare" or "recommend-eval" for a result object; None otherwise."""
    if not isinstance(obj, dict):
        return None
    if isinstance(obj.get("results"), list) and "aps" in obj:
        return "cim-compare"
    if isinstance(obj.get("methods"), dict):
        return "recommend-eval"
    if isinstance(obj.get("assignments"), dict):
        return "cim"
    if isinstance(obj.get("seeds"), list) and "algorithm" in obj and "k" in obj:
        return "select"
    return None


def load_results(paths):
    """[(path, kind, object)] from JSON files; SeedwiseError naming a file that is not a result."""
    from ._validation import InputFileError

    out = []
    for path in paths:
        try:
            with open(path, encoding="utf-8") as f:
                obj = json.load(f)
        except json.JSONDecodeError as e:
            raise InputFileError(f"{path} line {e.lineno}: not valid JSON ({e.msg})") from None
        kind = kind_of(obj)
        if kind is None:
            raise InputFileError(f"{path}: not the JSON of select, cim, cim-compare or recommend-eval "
                                 "(write it with --json or --output FILE.json)")
        out.append((os.fspath(path), kind, obj))
    if not out:
        raise InputFileError("give at least one result JSON file")
    return out


def write_report(paths, output, *, title="seedwise report"):
    """Read the result files ``paths`` and write the page to ``output`` (atomically).

    Parameters
    ----------
    paths : list of str
        JSON files written by ``select``, ``cim``, ``cim-compare`` or
        ``recommend-eval`` (``--json`` or ``--output FILE.json``).
    output : str
        The HTML file to write.
    title : str, default "seedwise report"

    Returns
    -------
    dict
        ``output``, ``inputs`` (how many) and ``plots`` (how many SVG plots).
    """
    from ._output import write_atomic

    results = load_results(paths)
    page, plots = render(results, title=title)
    write_atomic(output, page)
    return {"output": os.fspath(output), "inputs": len(results), "plots": plots}


# ------------------------------------------------------------------ the page
def render(results, *, title="seedwise report"):
    """(HTML text, number of plots) for ``[(name, kind, object)]``."""
    body, plots = [], 0
    colors = {}  # line name -> colour, the same in every plot of the page
    runs = _runs(results)
    over_k = [s for s in _series(runs, "spread") if len(s["points"]) > 1]
    if over_k:
        body.append(_section("Spread against k", _svg_chart(over_k, "k", "spread (bars: 95% CI)", colors=colors)))
        plots += 1
    timed = [s for s in _series(runs, "seconds") if s["points"]]
    if timed and sum(len(s["points"]) for s in timed) > 1:
        body.append(_section("Time against k", _svg_chart(timed, "k", "seconds", log_y=_wide(timed), colors=colors)))
        plots += 1
    if runs:
        body.append(_section("Certificates", _certificates(runs)))
    for name, kind, obj in results:
        parts, n = _one(name, kind, obj, colors)
        body.append(parts)
        plots += n
    files = f"{len(results)} result file{'s' if len(results) != 1 else ''}: " + ", ".join(n for n, _, _ in results)
    doc = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{_e(title)}</title>
<style>
body {{ font: 14px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; background: #fff; }}
h1 {{ font-size: 1.6em; }} h2 {{ font-size: 1.25em; border-bottom: 1px solid #ccc; margin-top: 2em; }}
table {{ border-collapse: collapse; margin: .6em 0; }}
th, td {{ border: 1px solid #ccc; padding: 3px 8px; text-align: right; }}
th {{ background: #f2f2f2; }} td.l, th.l {{ text-align: left; }}
.note {{ color: #555; }} svg {{ background: #fff; }}
</style></head><body>
<h1>{_e(title)}</h1>
<p class="note">{_e(files)}</p>
{''.join(body)}
</body></html>
"""
    return doc, plots


def _section(title, content):
    return f"<section><h2>{_e(title)}</h2>{content}</section>\n"


def _e(x):
    return html.escape(str(x), quote=True)


def _num(x, digits=2):
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "-"
    if isinstance(x, int) and not isinstance(x, bool):
        return f"{x:,}"
    return f"{x:,.{digits}f}"


def _table(header, rows, left=1):
    head = "".join(f'<th class="l">{_e(h)}</th>' if i < left else f"<th>{_e(h)}</th>" for i, h in enumerate(header))
    body = "".join("<tr>" + "".join(f'<td class="l">{_e(c)}</td>' if i < left else f"<td>{_e(c)}</td>"
                                    for i, c in enumerate(r)) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


# ------------------------------------------------------------------ runs
def _runs(results):
    """One dict per run (algorithm, k, spread, ci, seconds, certificate, source) over every input."""
    runs = []
    for name, kind, obj in results:
        if kind in ("select", "cim"):
            runs.append({"source": name, "kind": kind, "algorithm": obj.get("algorithm"), "k": obj.get("k"),
                         "spread": obj.get("spread"), "ci": None, "seconds": obj.get("seconds"),
                         "lower": obj.get("lower_bound"), "upper": obj.get("upper_bound"),
                         "ratio": obj.get("approximation"), "target": obj.get("target"),
                         "model": obj.get("model")})
        elif kind == "cim-compare":
            for r in obj["results"]:
                if "error" in r:
                    continue
                runs.append({"source": name, "kind": kind, "algorithm": r.get("algorithm"), "k": r.get("k"),
                             "spread": r.get("spread"), "ci": r.get("ci95"), "seconds": r.get("seconds"),
                             "lower": r.get("lower_bound"), "upper": r.get("upper_bound"),
                             "ratio": r.get("approximation"), "target": None, "model": obj.get("model")})
    return runs


def _series(runs, field):
    """Lines over k, one per (kind, algorithm), from the runs that have ``field``."""
    lines = {}
    for r in runs:
        y, k = r.get(field), r.get("k")
        if y is None or k is None:
            continue
        lo = hi = None
        if field == "spread" and r["ci"]:
            lo, hi = r["ci"]
        key = f"{r['algorithm']} ({r['kind']})"
        lines.setdefault(key, []).append((k, y, lo, hi))
    return [{"name": name, "points": sorted(pts)} for name, pts in lines.items()]


def _wide(series):
    ys = [p[1] for s in series for p in s["points"] if p[1] and p[1] > 0]
    return bool(ys) and max(ys) / min(ys) > 50


def _certificates(runs):
    rows = []
    for r in runs:
        cert = "-"
        if r["ratio"] is not None and r["lower"] is not None:
            cert = f"{_num(r['lower'], 1)} / {_num(r['upper'], 1)} = {r['ratio']:.3f}"
            if r["target"] is not None:
                cert += f" {'>=' if r['ratio'] >= r['target'] else '<'} {r['target']:.3f}"
        rows.append([r["source"], r["algorithm"], r["k"], _num(r["spread"], 1), cert, _num(r["seconds"], 3)])
    return ('<p class="note">sigma_l bounds the spread of the answer from below, sigma_u the optimum from above; '
            'their ratio is the approximation this run proves.</p>'
            + _table(["file", "algorithm", "k", "spread", "sigma_l / sigma_u = ratio", "seconds"], rows, left=2))


# ------------------------------------------------------------------ per input
def _one(name, kind, obj, colors):
    if kind == "select":
        return _select(name, obj, colors)
    if kind == "cim":
        return _cim(name, obj), 0
    if kind == "cim-compare":
        return _compare(name, obj), 0
    return _recommend_eval(name, obj), 0


def _select(name, obj, colors):
    head = (f'<p class="note">{_e(obj.get("algorithm"))}, {_e(str(obj.get("model", "")).upper())} model, '
            f'k = {_e(obj.get("k"))}' + (f', graph {_e(obj["graph"])}' if obj.get("graph") else "")
            + (f', weights {_e(obj["weights"])}' if obj.get("weights") else "") + "</p>")
    curve = obj.get("curve")
    plots = 0
    chart = ""
    if curve:
        pts = [(r["k"], r["spread"], r.get("lower_bound"), r.get("upper_bound")) for r in curve]
        certified = any(p[2] is not None for p in pts)
        label = "spread of S_j (bars: sigma_l(S_j) .. sigma_u(OPT_j))" if certified else "spread of S_j"
        chart = _svg_chart([{"name": obj.get("algorithm", "spread"), "points": pts}], "k (seeds)", label, colors=colors)
        plots = 1
        rows = [[r["k"], r["seed"], _num(r["marginal_gain"]), _num(r["spread"]),
                 _num(r.get("lower_bound")), _num(r.get("upper_bound")),
                 "-" if r.get("approximation") is None else f"{r['approximation']:.3f}"] for r in curve]
        table = _table(["rank", "seed", "marginal gain", "cumulative spread", "sigma_l", "sigma_u", "ratio"],
                       rows, left=0)
    else:
        table = _table(["rank", "seed"], [[i, s] for i, s in enumerate(obj["seeds"], 1)], left=0)
    return _section(f"select: {name}", head + chart + table), plots


def _cim(name, obj):
    rows = [[ap, len(fs), ", ".join(str(f) for f in fs)] for ap, fs in obj["assignments"].items() if fs]
    note = (f'<p class="note">{_e(obj.get("algorithm"))}, k = {_e(obj.get("k"))}: '
            f'{len(rows):,} APs with friends, {_e(obj.get("distinct_seeds"))} distinct seeds, '
            f'spread on P {_e(_num(obj.get("spread"), 1))}</p>')
    return _section(f"cim: {name}", note + _table(["AP", "friends", "friends in rank order"], rows))


def _compare(name, obj):
    rows = []
    for r in obj["results"]:
        if "error" in r:
            rows.append([r["algorithm"], r["k"], "refused", "", "", "", "", ""])
            continue
        lo, hi = r["ci95"]
        rows.append([r["algorithm"], r["k"], _num(r["spread"]), f"{_num(lo)} .. {_num(hi)}", r["distinct_seeds"],
                     _num(r["seconds"], 3), _num(r.get("estimate")),
                     "-" if r.get("approximation") is None else f"{r['approximation']:.3f}"])
    note = (f'<p class="note">{_e(obj.get("aps"))} APs, passive graph of {_e(obj.get("passive_nodes"))} nodes; '
            f'spread = mean of {_e(obj.get("simulations"))} Monte-Carlo runs on P</p>')
    return _section(f"cim-compare: {name}", note + _table(
        ["algorithm", "k", "spread", "95% CI", "distinct seeds", "seconds", "own estimate", "ratio"], rows))


def _recommend_eval(name, obj):
    methods = obj["methods"]
    keys = list(next(iter(methods.values()))) if methods else []
    rows = [[key] + [_num(methods[m][key], 3 if key == "seconds" else 4) for m in methods] for key in keys]
    return _section(f"recommend-eval: {name}", _table(["metric"] + list(methods), rows))


# ------------------------------------------------------------------ SVG
def _svg_chart(series, xlabel, ylabel, *, colors, log_y=False, width=900, height=340):
    """A line chart with markers, optional error bars (lo, hi) and a legend, as inline SVG."""
    left, right, top, bottom = 70, 250, 20, 50
    pw, ph = width - left - right, height - top - bottom
    xs = [p[0] for s in series for p in s["points"]]
    ys = [v for s in series for p in s["points"] for v in (p[1], p[2], p[3]) if v is not None]
    if log_y:
        ys = [y for y in ys if y > 0] or [1.0]
    x0, x1 = min(xs), max(xs)
    if x0 == x1:
        x0, x1 = x0 - 1, x1 + 1
    y0, y1 = (min(ys), max(ys)) if log_y else (min(0.0, min(ys)), max(ys))
    if y0 == y1:
        y1 = y0 + 1
    f = math.log10 if log_y else (lambda v: v)
    fy0, fy1 = f(y0), f(y1)
    if log_y:
        fy0, fy1 = math.floor(fy0), math.ceil(fy1)
        fy1 = fy1 if fy1 > fy0 else fy0 + 1
    px = lambda x: left + (x - x0) / (x1 - x0) * pw  # noqa: E731
    py = lambda y: top + ph - (f(max(y, 1e-300) if log_y else y) - fy0) / (fy1 - fy0) * ph  # noqa: E731
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" role="img" aria-label="{_e(ylabel)} against {_e(xlabel)}">',
           f'<rect x="{left}" y="{top}" width="{pw}" height="{ph}" fill="none" stroke="#888"/>']
    for t in _ticks(x0, x1, integer=True):
        out.append(f'<line x1="{px(t):.1f}" y1="{top + ph}" x2="{px(t):.1f}" y2="{top + ph + 5}" stroke="#888"/>'
                   f'<text x="{px(t):.1f}" y="{top + ph + 18}" font-size="11" '
                   f'text-anchor="middle">{_e(_tick(t))}</text>')
    yt = [10.0 ** e for e in range(int(fy0), int(fy1) + 1)] if log_y else _ticks(y0, y1)
    for t in yt:
        y = py(t)
        out.append(f'<line x1="{left}" y1="{y:.1f}" x2="{left + pw}" y2="{y:.1f}" stroke="#eee"/>'
                   f'<text x="{left - 6}" y="{y + 4:.1f}" font-size="11" text-anchor="end">{_e(_tick(t))}</text>')
    out.append(f'<text x="{left + pw / 2}" y="{height - 10}" font-size="12" text-anchor="middle">{_e(xlabel)}</text>')
    out.append(f'<text x="14" y="{top + ph / 2}" font-size="12" text-anchor="middle" '
               f'transform="rotate(-90 14 {top + ph / 2})">{_e(ylabel)}</text>')
    for i, s in enumerate(series):
        color = colors.setdefault(s["name"], PALETTE[len(colors) % len(PALETTE)])
        pts = s["points"]
        path = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y, _, _ in pts)
        out.append(f'<polyline points="{path}" fill="none" stroke="{color}" stroke-width="2"/>')
        for x, y, lo, hi in pts:
            if lo is not None and hi is not None:
                out.append(f'<line x1="{px(x):.1f}" y1="{py(lo):.1f}" x2="{px(x):.1f}" y2="{py(hi):.1f}" '
                           f'stroke="{color}" stroke-width="1.5"/>'
                           f'<line x1="{px(x) - 4:.1f}" y1="{py(lo):.1f}" x2="{px(x) + 4:.1f}" y2="{py(lo):.1f}" '
                           f'stroke="{color}"/><line x1="{px(x) - 4:.1f}" y1="{py(hi):.1f}" x2="{px(x) + 4:.1f}" '
                           f'y2="{py(hi):.1f}" stroke="{color}"/>')
            out.append(f'<circle cx="{px(x):.1f}" cy="{py(y):.1f}" r="3.5" fill="{color}">'
                       f'<title>{_e(s["name"])}: k={_e(_tick(x))}, {_e(_num(y, 3))}</title></circle>')
        ly = top + 14 + 18 * i
        out.append(f'<rect x="{left + pw + 12}" y="{ly - 9}" width="14" height="4" fill="{color}"/>'
                   f'<text x="{left + pw + 32}" y="{ly}" font-size="11">{_e(s["name"])}</text>')
    out.append("</svg>")
    return "".join(out)


def _ticks(lo, hi, count=6, integer=False):
    span = hi - lo
    step = 10 ** math.floor(math.log10(span / count)) if span > 0 else 1
    for mult in (1, 2, 5, 10):
        if span / (step * mult) <= count:
            step *= mult
            break
    if integer:
        step = max(1, round(step))
    start = math.ceil(lo / step) * step
    ticks, t = [], start
    while t <= hi + 1e-9 * max(1.0, abs(hi)):
        ticks.append(t)
        t += step
    return ticks


def _tick(t):
    if float(t).is_integer() and abs(t) < 1e15:
        return f"{int(t):,}"
    return f"{t:.3g}"

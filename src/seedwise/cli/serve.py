"""``seedwise serve``: load a graph once, warm the kernels, answer JSON queries over HTTP.

The server itself is :mod:`seedwise.serve`; this module declares the flags and runs
it. The address, the token and the installed extras are checked before the graph
loads, so a mistake costs no waiting.

Examples
--------
::

    seedwise serve --dataset wiki-vote                        # http://127.0.0.1:8765, docs at /docs
    seedwise serve --graph soc-slashdot0902.txt.gz --max-concurrency 8
    seedwise serve --graph big.swg --host 0.0.0.0 --token-file token.txt --backend ray
"""
from __future__ import annotations

import os
import sys
import time

from ..serve import defaults as d
from ._common import add_graph_arguments, add_scale_arguments, int_at_least, load_graph, register_command, scale_options


def _seconds(low_open):
    """An argparse ``type``: seconds, > 0 when ``low_open``, else >= 0."""

    def parse(text):
        import argparse

        try:
            v = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a number of seconds, got {text!r}") from None
        if not (v > 0 if low_open else v >= 0) or v == float("inf"):
            raise argparse.ArgumentTypeError(f"must be a number {'>' if low_open else '>='} 0, got {text!r}")
        return v

    parse.__name__ = "seconds"
    return parse


def _serve_arguments(p):
    add_graph_arguments(p)
    add_scale_arguments(p)
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1; any other needs --token-file)")
    p.add_argument("--port", type=int_at_least(0), default=8765, help="TCP port (default 8765; 0: any free one)")
    p.add_argument("--token-file", metavar="FILE",
                   help="file holding a token that every request but /health must send as "
                        "'Authorization: Bearer TOKEN'")
    p.add_argument("--max-concurrency", type=int_at_least(1), default=d.MAX_CONCURRENCY, metavar="N",
                   help=f"queries computed at once (default {d.MAX_CONCURRENCY}); others wait")
    p.add_argument("--queue-timeout", type=_seconds(low_open=False), default=d.QUEUE_TIMEOUT, metavar="S",
                   help=f"seconds a query waits for a slot before 503 (default {d.QUEUE_TIMEOUT:g}; 0: no wait)")
    p.add_argument("--max-body", type=int_at_least(1), default=d.MAX_BODY, metavar="BYTES",
                   help=f"largest request body (default {d.MAX_BODY:,}); larger gets 413")
    p.add_argument("--max-simulations", type=int_at_least(1), default=d.MAX_SIMULATIONS, metavar="N",
                   help=f"largest Monte-Carlo run count per request (default {d.MAX_SIMULATIONS:,})")
    p.add_argument("--max-rr-sets", type=int_at_least(1), default=d.MAX_RR_SETS, metavar="N",
                   help=f"largest rr_sets of a /spread estimate (default {d.MAX_RR_SETS:,})")
    p.add_argument("--max-seconds", type=_seconds(low_open=True), default=d.MAX_SECONDS, metavar="S",
                   help=f"greedy algorithms refuse requests estimated longer (default {d.MAX_SECONDS:g})")
    p.add_argument("--threads", type=int_at_least(1), default=None, metavar="T",
                   help="sampling threads per query (default: all cores)")


def _serve_run(args):
    from ..serve.server import bind, check_address, check_extras, configure_logging, read_token, run, token_file_warning

    scale_options(args)  # flag combinations and --max-memory, before the graph loads
    token = read_token(args.token_file) if args.token_file else None
    check_address(args.host, args.port, token)
    check_extras()
    sock = bind(args.host, args.port)  # a taken port fails now, not after the graph loads
    t0 = time.perf_counter()
    try:
        service, backend = _service(args)
    except BaseException:
        sock.close()
        raise
    from ..serve.asgi import create_app

    app = create_app(service, token=token, max_body=args.max_body, max_concurrency=args.max_concurrency,
                     queue_timeout=args.queue_timeout)
    logger = configure_logging()
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    g = service.graph
    if token is None:
        note = "no token: loopback only"
    else:
        note = token_file_warning(args.token_file) or "token required"
    ready = (f"seedwise serve: {service.name}: {g.n:,} nodes, {g.m:,} edges, weights {g.weights}; "
             f"backend {args.backend}; ready in {time.perf_counter() - t0:.1f} s; {note}\n"
             f"seedwise serve: listening on http://{shown}:{port} (API docs at /docs); Ctrl-C stops")
    try:
        run(app, sock, on_ready=lambda: print(ready, file=sys.stderr, flush=True))
    finally:
        if backend is not None:
            backend.close()
        logger.info("stopped")
    return 0


def _service(args):
    """Load the graph, open the backend (kept for every query), warm the kernels."""
    from ..serve.server import default_memory_budget
    from ..serve.service import Service

    graph, name = load_graph(args)
    name = os.path.basename(name)  # /health is open: it names the file, not where it lives
    backend = None
    if args.backend == "ray":  # actors started and the graph put once, for every query
        from ..backends.ray import RayPool

        backend = RayPool(threads=args.threads or 1, address=args.address)
        backend.keep(graph)
    max_memory = args.max_memory or default_memory_budget(args.max_concurrency)
    service = Service(graph, name=name, threads=args.threads, max_simulations=args.max_simulations,
                      max_rr_sets=args.max_rr_sets, max_seconds=args.max_seconds, max_memory=max_memory,
                      backend=backend)
    try:
        service.warm()
    except BaseException:
        if backend is not None:
            backend.close()
        raise
    return service, backend


register_command("serve", help="answer queries over HTTP from a resident graph (needs seedwise[serve])",
                 arguments=_serve_arguments, run=_serve_run,
                 description="Load the graph once, warm the kernels and answer JSON queries over HTTP: "
                             "POST /select, /cim, /recommend, /spread (the keys of --json), GET /health, "
                             "docs at /docs. Binds 127.0.0.1 unless --host and --token-file are given.")

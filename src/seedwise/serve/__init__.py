"""Answer influence queries over HTTP from a resident graph: ``seedwise serve`` and its app.

A platform asks, campaign after campaign, whom these participants should invite on
the same social graph. A new process per question pays the imports, the kernel cache
and the graph load every time; a server pays them once and answers in milliseconds.

``pip install 'seedwise[serve]'`` (FastAPI and uvicorn). From the command line::

    seedwise serve --dataset wiki-vote
    curl -s localhost:8765/select -H 'content-type: application/json' -d '{"k": 10}'

or embedded in an ASGI server of your own::

    import seedwise, seedwise.serve
    app = seedwise.serve.app(seedwise.load_dataset("wiki-vote"))   # uvicorn mymodule:app

Modules: :mod:`~seedwise.serve.service` (the queries, no HTTP),
:mod:`~seedwise.serve.schemas` (request bodies), :mod:`~seedwise.serve.asgi` (routes,
authorization, limits, errors), :mod:`~seedwise.serve.server` (address rules,
uvicorn); the command is :mod:`seedwise.cli.serve`.
"""
from __future__ import annotations

__all__ = ["app"]


def app(graph, *, token=None, name=None, max_body=None, max_concurrency=None, queue_timeout=None, **options):
    """The ASGI app (a ``fastapi.FastAPI``) answering queries on ``graph``.

    Parameters
    ----------
    graph : Graph
        Loaded once; every query runs on it.
    token : str, optional
        Bearer token required on every path but ``/health``.
    name : str, optional
        How ``/health`` names the graph.
    max_body : int, optional
        Largest request body in bytes, 413 above (default 1 MiB).
    max_concurrency : int, optional
        Queries computed at once (default 4).
    queue_timeout : float, optional
        Seconds a query waits for a slot before 503, 0: none (default 30).
    **options
        ``threads``, ``max_simulations``, ``max_rr_sets``, ``max_seconds``,
        ``max_memory``, ``backend``: see :class:`seedwise.serve.service.Service`.

    Returns
    -------
    fastapi.FastAPI

    Raises
    ------
    SeedwiseError
        Not a Graph, a bad limit, or fastapi missing.

    Examples
    --------
    >>> import seedwise, seedwise.serve
    >>> api = seedwise.serve.app(seedwise.load_dataset("cim-physic"))
    >>> sorted(r.path for r in api.routes if r.path.startswith(("/health", "/select")))
    ['/health', '/select']
    """
    from .server import check_extras

    check_extras()
    from . import defaults
    from .asgi import create_app
    from .service import Service

    service = Service(graph, name=name, **options)
    return create_app(service, token=token, max_body=max_body or defaults.MAX_BODY,
                      max_concurrency=max_concurrency or defaults.MAX_CONCURRENCY,
                      queue_timeout=defaults.QUEUE_TIMEOUT if queue_timeout is None else queue_timeout)

"""The HTTP layer (ASGI) of ``seedwise serve``: a FastAPI app over a :class:`Service`.

Routes: ``GET /health``, ``POST /select``, ``POST /cim``, ``POST /recommend``,
``POST /spread`` (the objects of the CLI's ``--json``) and FastAPI's ``/docs`` and
``/openapi.json``. What keeps a public server safe sits around the routes, as small
ASGI middlewares (outermost first):

1. :class:`AccessLog`: one line per request, ``METHOD /path STATUS 12.3 ms``.
2. :class:`BearerAuth`: with a token, everything but ``/health`` needs
   ``Authorization: Bearer <token>``, compared in constant time; else 401.
3. :class:`BodyLimit`: a body over ``max_body`` bytes gets 413 before it is parsed.

A query runs on a worker thread (the kernels release the GIL) once it holds one of
``max_concurrency`` slots; it waits up to ``queue_timeout`` seconds for one, then
gets 503. Every failure is an answer with a JSON ``{"error": "..."}``: bad input 400,
an internal bug 500 (its traceback goes to the server's log, never to the client),
and the server goes on answering.
"""
from __future__ import annotations

import asyncio
import hmac
import logging
import time

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from .._output import dumps
from .._validation import SeedwiseError
from .defaults import MAX_BODY, MAX_CONCURRENCY, QUEUE_TIMEOUT
from .schemas import CimBody, RecommendBody, SelectBody, SpreadBody

log = logging.getLogger("seedwise.serve")

#: paths answered without a token
OPEN_PATHS = ("/health",)


class JSON(JSONResponse):
    """JSON as the CLI writes it: numpy values as Python values, NaN and inf as null."""

    def render(self, content):
        return dumps(content).encode("utf-8")


def _error(status, message, headers=None):
    return JSON({"error": message}, status_code=status, headers=headers)


# ---------------------------------------------------------------- middlewares
async def _send_error(send, status, message, headers=()):
    body = dumps({"error": message}).encode("utf-8")
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
                            *headers]})
    await send({"type": "http.response.body", "body": body})


class AccessLog:
    """Logs ``METHOD /path STATUS MS ms`` for every request, once its answer is sent."""

    def __init__(self, app, logger=log):
        self.app = app
        self.logger = logger

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        t0 = time.perf_counter()
        status = 500  # a request that fails before its answer starts

        async def sending(message):
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, sending)
        finally:
            self.logger.info("%s %s %d %.1f ms", scope["method"], scope["path"], status,
                             1000.0 * (time.perf_counter() - t0))


class BearerAuth:
    """Requires ``Authorization: Bearer <token>`` on every path but ``OPEN_PATHS``.

    The comparison takes the same time wherever the tokens differ
    (:func:`hmac.compare_digest`), so the answer's timing does not leak the token.
    """

    def __init__(self, app, token):
        self.app = app
        self.expected = token.encode("utf-8")

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope["path"] in OPEN_PATHS:
            return await self.app(scope, receive, send)
        given = None
        for name, value in scope["headers"]:
            if name == b"authorization":
                scheme, _, given = value.strip().partition(b" ")
                if scheme.lower() != b"bearer":
                    given = None
                break
        if given is None or not hmac.compare_digest(given.strip(), self.expected):
            why = "a bearer token is required" if given is None else "the bearer token is not valid"
            return await _send_error(send, 401, f"unauthorized: {why} (Authorization: Bearer <token>)",
                                     [(b"www-authenticate", b"Bearer")])
        return await self.app(scope, receive, send)


class BodyLimit:
    """Reads the request body up to ``max_body`` bytes, then hands it on; more gets 413.

    A declared ``Content-Length`` over the limit is refused before anything is read;
    a chunked body is counted as it arrives.
    """

    def __init__(self, app, max_body):
        self.app = app
        self.max_body = int(max_body)

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        too_large = f"request body too large: the limit is {self.max_body:,} bytes (this server's --max-body)"
        for name, value in scope["headers"]:
            if name == b"content-length":
                if not value.isdigit():
                    return await _send_error(send, 400, "Content-Length must be a number of bytes")
                if int(value) > self.max_body:
                    return await _send_error(send, 413, too_large)
        chunks, size = [], 0
        while True:
            message = await receive()
            if message["type"] != "http.request":  # the client went away
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return await _send_error(send, 413, too_large)
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body, replayed = b"".join(chunks), False

        async def replay():
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()  # waits for the disconnect

        return await self.app(scope, replay, send)


# ---------------------------------------------------------------- concurrency
class Busy(Exception):
    """Every query slot stayed taken for the whole queue timeout."""


class Gate:
    """At most ``limit`` queries run at once; others wait up to ``timeout`` s (0: not at all)."""

    def __init__(self, limit, timeout):
        self.limit = int(limit)
        self.timeout = float(timeout)
        self._slots = asyncio.Semaphore(self.limit)

    async def run(self, fn, *args, **kwargs):
        """``fn(*args, **kwargs)`` on a worker thread once a slot is free; Busy when none frees in time."""
        if self._slots.locked() and self.timeout <= 0:
            raise Busy
        try:
            await asyncio.wait_for(self._slots.acquire(), self.timeout if self.timeout > 0 else None)
        except TimeoutError:
            raise Busy from None
        try:
            return await run_in_threadpool(fn, *args, **kwargs)
        finally:
            self._slots.release()


# ---------------------------------------------------------------- errors
def _validation_message(errors):
    """One line from pydantic's errors: ``k: Input should be a valid integer (got '5')``."""
    parts = []
    for err in errors[:3]:
        loc = [str(x) for x in err.get("loc", ()) if x != "body"]
        if err.get("type") == "json_invalid":
            return f"the body is not valid JSON: {err.get('ctx', {}).get('error', err.get('msg'))}"
        if not loc and (err.get("type") == "missing" or isinstance(err.get("input"), (bytes, str))):
            return "the body must be a JSON object, sent with Content-Type: application/json"
        if not loc:
            return f"the body must be a JSON object; got {type(err.get('input')).__name__}"
        where = ".".join(loc) or "body"
        text = f"{where}: {err.get('msg', 'invalid')}"
        if err.get("type") not in ("missing", "extra_forbidden") and "input" in err:
            shown = repr(err["input"])
            text += f" (got {shown[:60] + '...' if len(shown) > 60 else shown})"
        parts.append(text)
    more = len(errors) - len(parts)
    return "; ".join(parts) + (f"; and {more} more" if more > 0 else "")


def _install_error_handlers(app):
    @app.exception_handler(RequestValidationError)
    async def _invalid(request, exc):
        return _error(400, _validation_message(exc.errors()))

    @app.exception_handler(HTTPException)
    async def _http(request, exc):
        return _error(exc.status_code, str(exc.detail), getattr(exc, "headers", None))


async def _answer(gate, fn, body=None):
    """Run one query and turn every outcome into a JSON answer."""
    kwargs = {} if body is None else body.model_dump()
    try:
        # a Response, so that FastAPI does not walk the answer with its own encoder first
        return JSON(await gate.run(fn, **kwargs))
    except SeedwiseError as e:
        return _error(400, " ".join(str(e).split()))
    except Busy:
        return _error(503, f"server busy: all {gate.limit} query slots stayed taken for {gate.timeout:g} s "
                           f"(this server's --max-concurrency / --queue-timeout); retry later",
                      {"Retry-After": "1"})
    except MemoryError:
        return _error(503, "out of memory for this query; try a larger eps or a smaller k")
    except Exception as e:  # noqa: BLE001 - a bug: logged with its traceback, answered without it
        log.exception("internal error in %s", getattr(fn, "__name__", fn))
        return _error(500, f"internal error: {type(e).__name__}; see the server's log")


# ---------------------------------------------------------------- the app
def create_app(service, *, token=None, max_body=MAX_BODY, max_concurrency=MAX_CONCURRENCY,
               queue_timeout=QUEUE_TIMEOUT):
    """The ASGI app answering ``service``'s queries (see the module docstring).

    Parameters
    ----------
    service : Service
    token : str, optional
        Bearer token every path but ``/health`` requires; None: no authorization.
    max_body : int, default 1 MiB
        Largest request body in bytes (413 above).
    max_concurrency : int, default 4
        Queries computed at once.
    queue_timeout : float, default 30
        Seconds a query waits for a slot before 503; 0 answers 503 at once.

    Returns
    -------
    fastapi.FastAPI
    """
    from .. import __version__

    gate = Gate(max_concurrency, queue_timeout)
    app = FastAPI(
        title="seedwise",
        version=__version__,
        description="Influence maximization queries on one resident graph: the same answers, with the same "
                    "keys, as `seedwise select|cim|recommend|spread --json`. Errors are `{\"error\": \"...\"}` "
                    "with status 400 (bad input), 401 (token), 413 (body too large), 503 (busy)."
                    + (" Every path but /health needs `Authorization: Bearer <token>`." if token else ""),
        default_response_class=JSON,
    )
    app.state.service = service
    app.state.gate = gate
    _install_error_handlers(app)

    @app.get("/health", summary="the server is up; the graph it answers on")
    async def health():
        """`{"status": "ok", "graph": {"n", "m", "weights", "directed", "name"}}`; needs no token."""
        return service.health()

    @app.post("/select", summary="pick k seeds of largest spread (seedwise select)")
    async def select(body: SelectBody):
        """OPIM-C by default, with its certificate. Returns the keys of `seedwise select --json`:
        algorithm, model, k, seeds, spread, lower_bound, upper_bound, approximation, target, rr_sets,
        seconds, times, params."""
        return await _answer(gate, service.select, body)

    @app.post("/cim", summary="capacity constrained IM: up to k friends per AP (seedwise cim)")
    async def cim(body: CimBody):
        """RR-OPIM+ by default. Returns the keys of `seedwise cim --json`: algorithm, k, assignments,
        distinct_seeds, spread, lower_bound, upper_bound, approximation, rr_sets, seconds,
        aps_without_candidates."""
        return await _answer(gate, service.cim, body)

    @app.post("/recommend", summary="recommend invitees to inviters (seedwise recommend)")
    async def recommend(body: RecommendBody):
        """HeteroIM by default. Returns the keys of `seedwise recommend --json`: method, k,
        recommendations (inviter -> [{invitee, score}, ...])."""
        return await _answer(gate, service.recommend, body)

    @app.post("/spread", summary="expected spread of a seed set (seedwise spread)")
    async def spread(body: SpreadBody):
        """Monte-Carlo (or RR-set) estimate with a 95% interval. Returns the keys of
        `seedwise spread --json`: spread, ci95, simulations, method, seconds, model, seeds."""
        return await _answer(gate, service.spread, body)

    app.add_middleware(BodyLimit, max_body=max_body)
    if token is not None:
        app.add_middleware(BearerAuth, token=token)
    app.add_middleware(AccessLog)
    return app

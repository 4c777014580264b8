"""Running the app: the address rules, the token file, uvicorn.

A server binds 127.0.0.1 unless told otherwise and refuses an address other machines
can reach (anything but loopback) unless a token protects it.
"""
from __future__ import annotations

import ipaddress
import logging
import os
import re
import socket
import stat
import subprocess
import sys

from .._validation import SeedwiseError


def check_extras():
    """fastapi and uvicorn, or a SeedwiseError saying how to install them."""
    try:
        import fastapi  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        raise SeedwiseError("seedwise serve needs fastapi and uvicorn: pip install 'seedwise[serve]'") from None


def default_memory_budget(max_concurrency):
    """Each of ``max_concurrency`` queries gets an equal share of 80% of the available memory."""
    return f"{80.0 / max_concurrency:.4g}%"


def is_loopback(host):
    """True for 127.0.0.0/8, ::1 and ``localhost``; a name or a wildcard address is not."""
    if str(host).strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(str(host).strip("[]")).is_loopback
    except ValueError:
        return False


def read_token(path):
    """The token in ``path`` (surrounding whitespace removed).

    Raises
    ------
    SeedwiseError
        An unreadable or empty file, or a token with characters a header cannot carry.
    """
    try:
        with open(path, encoding="utf-8") as f:
            token = f.read().strip()
    except (OSError, UnicodeDecodeError) as e:
        raise SeedwiseError(f"--token-file {path}: cannot read it ({getattr(e, 'strerror', None) or e})") from None
    if not token:
        raise SeedwiseError(f"--token-file {path} is empty: write a long random token in it, e.g. "
                            f"python -c 'import secrets; print(secrets.token_urlsafe(32))' > {path}")
    if not token.isascii() or any(c.isspace() or not c.isprintable() for c in token):
        raise SeedwiseError(f"--token-file {path}: the token must be one word of printable ASCII characters")
    return token


def token_file_warning(path):
    """A warning when other users may read the token file, else None."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if mode & (stat.S_IRGRP | stat.S_IROTH):
        return f"--token-file {path} is readable by other users; chmod 600 it"
    return None


def check_address(host, port, token):
    """Refuse a non-loopback ``host`` without a token, and a port outside [0, 65535]."""
    if not 0 <= int(port) <= 65535:
        raise SeedwiseError(f"--port must be in [0, 65535] (0: any free port); got {port}")
    if token is None and not is_loopback(host):
        raise SeedwiseError(f"--host {host} can be reached from other machines: give --token-file FILE so "
                            f"that every query must carry the token (or serve on 127.0.0.1)")


def bind(host, port):
    """A listening TCP socket on (host, port); port 0 picks a free one."""
    family = socket.AF_INET6 if ":" in str(host) else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # accepted connections inherit it: without it an answer written in two pieces (head, body)
    # waits for the client's delayed ACK (40 ms on Linux) on a keep-alive connection
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    try:
        sock.bind((str(host).strip("[]"), int(port)))
    except OSError as e:
        sock.close()
        raise SeedwiseError(f"cannot listen on {host}:{port}: {e.strerror or e}") from None
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def configure_logging(stream=None):
    """One line per request on stderr: ``2026-01-01 12:00:00 POST /cim 200 41.7 ms``."""
    logger = logging.getLogger("seedwise.serve")
    if not logger.handlers:
        handler = logging.StreamHandler(stream or sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%Y-%m-%d %H:%M:%S"))
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    return logger


def run(app, sock, *, on_ready=None):
    """Serve ``app`` on the bound ``sock`` with uvicorn until interrupted.

    uvicorn's own access log is off: :class:`~seedwise.serve.asgi.AccessLog` writes
    one line per request instead.
    """
    import uvicorn

    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off",
                            timeout_graceful_shutdown=5)
    server = uvicorn.Server(config)
    if on_ready is not None:
        on_ready()
    server.run(sockets=[sock])


_LISTENING = re.compile(r"listening on (http://\S+?) ")


class Launched:
    """A ``seedwise serve`` process started by :func:`launch`.

    Attributes
    ----------
    process : subprocess.Popen
    url : str
        ``http://127.0.0.1:PORT``.
    log : list of str
        The server's stderr lines so far (one per request).
    """

    def __init__(self, process, url, log, reader):
        self.process, self.url, self.log, self._reader = process, url, log, reader

    def stop(self, timeout=30.0):
        """Terminate the server (as Ctrl-C would) and wait for it."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._reader.join(timeout)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def launch(args, *, timeout=600.0, env=None):
    """Start ``seedwise serve ARGS`` in a new process; return it once it listens.

    For tests, benchmarks and notebooks. ``--port 0`` lets the server pick a free port,
    which the returned URL names. A thread copies the server's stderr (one line per
    request) into ``log``, so that the pipe never fills up.

    Parameters
    ----------
    args : list
        The arguments after ``seedwise serve`` (turned into strings).
    timeout : float, default 600
        Seconds to wait for the graph to load and the kernels to warm.
    env : dict, optional
        The server's environment (default: this one).

    Returns
    -------
    Launched
        ``url``, ``log``, ``process``; ``stop()`` ends it (also as a context manager).

    Raises
    ------
    RuntimeError
        The server exited or did not listen in time; the message has its last lines.
    """
    import threading

    proc = subprocess.Popen([sys.executable, "-m", "seedwise", "serve", *map(str, args)], env=env,
                            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            text=True, bufsize=1)
    log, url, found = [], [], threading.Event()

    def read():
        with proc.stderr:
            for line in proc.stderr:
                log.append(line.rstrip("\n"))
                match = _LISTENING.search(line)
                if match and not url:
                    url.append(match.group(1))
                    found.set()
        found.set()  # the process ended

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    found.wait(timeout)
    server = Launched(proc, url[0] if url else None, log, reader)
    if not url:
        server.stop()
        raise RuntimeError("seedwise serve did not start: " + " | ".join(log[-5:]))
    return server

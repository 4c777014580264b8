"""The server's parts in-process: the app embedded with ``seedwise.serve.app``, the
query slots (wait or 503), the address and token rules of ``seedwise serve``."""
import asyncio
import threading

import pytest

import seedwise
from seedwise._validation import SeedwiseError

httpx = pytest.importorskip("httpx")
pytest.importorskip("fastapi")

from seedwise.serve.asgi import create_app  # noqa: E402
from seedwise.serve.server import check_address, is_loopback, read_token  # noqa: E402
from seedwise.serve.service import Service  # noqa: E402


def call(app, *requests):
    """Send ``(method, path, json)`` requests to ``app`` at once; their responses in order."""

    async def go():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return await asyncio.gather(*(client.request(m, p, json=j) for m, p, j in requests))

    return asyncio.run(go())


def test_the_embedded_app_documents_every_endpoint():
    app = seedwise.serve.app(seedwise.load_dataset("cim-physic"), name="physicians")
    health, spec = call(app, ("GET", "/health", None), ("GET", "/openapi.json", None))
    assert health.json() == {"status": "ok", "graph": {"n": 241, "m": 923, "weights": "wc", "directed": True,
                                                       "name": "physicians"}}
    paths = spec.json()["paths"]
    assert set(paths) == {"/health", "/select", "/cim", "/recommend", "/spread"}
    select = paths["/select"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert select["$ref"].endswith("SelectBody")
    assert "k" in spec.json()["components"]["schemas"]["SelectBody"]["required"]


class Blocking(Service):
    """A service whose /spread waits until released: a query that holds its slot."""

    def __init__(self, graph):
        super().__init__(graph)
        self.entered = threading.Event()
        self.release = threading.Event()

    def spread(self, **body):
        self.entered.set()
        assert self.release.wait(30)
        return super().spread(**body)


def held_slot_then(app, service, second):
    """Start a blocking /spread, send ``second`` once it runs, release it; both responses."""

    async def go():
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            first = asyncio.create_task(client.post("/spread", json={"seeds": [0], "simulations": 10}))
            while not service.entered.is_set():
                await asyncio.sleep(0.01)
            other = asyncio.create_task(client.post(second[0], json=second[1]))
            await asyncio.sleep(0.3)
            service.release.set()
            return await first, await other

    return asyncio.run(go())


def test_beyond_max_concurrency_a_query_gets_503_without_a_queue():
    service = Blocking(seedwise.load_dataset("cim-physic"))
    app = create_app(service, max_concurrency=1, queue_timeout=0)
    first, second = held_slot_then(app, service, ("/select", {"k": 2}))
    assert first.status_code == 200
    assert second.status_code == 503
    assert second.headers["retry-after"] == "1"
    assert "busy" in second.json()["error"]
    # the slot is free again
    assert call(app, ("POST", "/select", {"k": 2}))[0].status_code == 200


def test_beyond_max_concurrency_a_query_waits_for_a_slot():
    service = Blocking(seedwise.load_dataset("cim-physic"))
    app = create_app(service, max_concurrency=1, queue_timeout=20)
    first, second = held_slot_then(app, service, ("/select", {"k": 2, "seed": 1}))
    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json()["seeds"] == Service(service.graph).select(k=2, seed=1)["seeds"]


def test_an_internal_error_is_a_500_without_traceback_and_the_app_goes_on(caplog):
    class Broken(Service):
        def cim(self, **body):
            raise RuntimeError("secret detail")

    app = create_app(Broken(seedwise.load_dataset("cim-physic")))
    broken, fine = call(app, ("POST", "/cim", {"aps": [1], "k": 1}), ("POST", "/select", {"k": 1}))
    assert broken.status_code == 500
    assert broken.json() == {"error": "internal error: RuntimeError; see the server's log"}
    assert fine.status_code == 200
    assert "secret detail" in caplog.text  # the operator's log has it


@pytest.mark.parametrize("host,loopback", [("127.0.0.1", True), ("127.5.0.1", True), ("localhost", True),
                                           ("::1", True), ("[::1]", True), ("0.0.0.0", False), ("::", False),
                                           ("192.168.1.4", False), ("example.org", False)])
def test_loopback(host, loopback):
    assert is_loopback(host) is loopback


def test_a_reachable_address_needs_a_token():
    check_address("127.0.0.1", 8765, None)
    check_address("0.0.0.0", 8765, "tok")
    with pytest.raises(SeedwiseError, match="--token-file"):
        check_address("0.0.0.0", 8765, None)


def test_serve_refuses_before_loading_anything(tmp_path, capsys):
    from seedwise.cli import main

    assert main(["serve", "--graph", "no-such-file.txt", "--host", "0.0.0.0"]) == 2
    assert "--token-file" in capsys.readouterr().err
    empty = tmp_path / "token"
    empty.write_text("\n")
    assert main(["serve", "--graph", "no-such-file.txt", "--token-file", str(empty)]) == 2
    assert "is empty" in capsys.readouterr().err


def test_read_token(tmp_path):
    path = tmp_path / "t"
    path.write_text("  abc.DEF-123_x \n")
    assert read_token(path) == "abc.DEF-123_x"
    path.write_text("two words")
    with pytest.raises(SeedwiseError, match="one word"):
        read_token(path)
    with pytest.raises(SeedwiseError, match="cannot read"):
        read_token(tmp_path / "missing")

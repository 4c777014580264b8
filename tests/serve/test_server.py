"""``seedwise serve`` as a user meets it: a real uvicorn process on a loopback port,
driven over HTTP with httpx.

One server (email-eu-core, a token, a 64 KiB body limit, 2 query slots) answers every
test of this module, so the bad requests below also prove that it keeps answering.
"""
import json
import os
import threading
import time

import pytest

import seedwise
from seedwise._output import dumps

httpx = pytest.importorskip("httpx")
pytest.importorskip("fastapi")
pytest.importorskip("uvicorn")

from seedwise.serve.server import launch  # noqa: E402

TOKEN = "test-token-0123456789"
MAX_BODY = 64 * 1024
#: fields that time the run: they differ between any two runs
TIMING = ("seconds", "times")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    token_file = tmp_path_factory.mktemp("serve") / "token"
    token_file.write_text(TOKEN + "\n")
    os.chmod(token_file, 0o600)
    with launch(["--dataset", "email-eu-core", "--port", "0", "--token-file", token_file, "--max-body", MAX_BODY,
                 "--max-concurrency", 2, "--queue-timeout", 120, "--max-simulations", 20_000]) as running:
        with httpx.Client(base_url=running.url, headers={"Authorization": f"Bearer {TOKEN}"}, timeout=120) as client:
            yield client, running.log


@pytest.fixture(scope="module")
def graph():
    return seedwise.load_dataset("email-eu-core")


def without_timing(obj):
    """The JSON object as the client reads it, minus the fields that time the run."""
    obj = json.loads(dumps(obj))
    return {k: v for k, v in obj.items() if k not in TIMING}


def api_answer(graph, path, body):
    """What the API returns for ``body``, through the same Service the server uses."""
    from seedwise.serve.service import Service

    return getattr(Service(graph, name="email-eu-core"), path.strip("/"))(**body)


QUERIES = [
    ("/select", {"k": 5, "seed": 3}),
    ("/select", {"k": 4, "model": "lt", "algorithm": "imm", "eps": 0.3, "seed": 1}),
    ("/select", {"k": 6, "algorithm": "degree-discount"}),
    ("/cim", {"aps": [2, 5, 9, 14, 160], "k": 2, "seed": 4}),
    ("/cim", {"aps": [2, 5, 9], "k": 1, "capacities": {"5": 3}, "algorithm": "rr-opim", "eps": 0.2}),
    ("/recommend", {"aps": [2, 5], "k": 3, "eps": 0.3, "seed": 2}),
    ("/recommend", {"aps": [2, 5, 9], "k": 2, "method": "hetero-ir", "willingness": {"160": 0.5}}),
    ("/spread", {"seeds": [160, 82], "simulations": 2000, "seed": 5}),
    ("/spread", {"seeds": [160, 82, 160], "method": "rr", "rr_sets": 5000, "model": "lt"}),
]


@pytest.mark.parametrize("path,body", QUERIES, ids=[f"{p}-{i}" for i, (p, _) in enumerate(QUERIES)])
def test_every_endpoint_answers_as_the_api(server, graph, path, body):
    client, _ = server
    r = client.post(path, json=body)
    assert r.status_code == 200, r.text
    got = r.json()
    assert without_timing(got) == without_timing(api_answer(graph, path, body))


def test_answers_are_the_clis(server, graph, capsys):
    """select --json and POST /select: the same keys and the same seeds."""
    from seedwise.cli import main

    client, _ = server
    assert main(["select", "--dataset", "email-eu-core", "--k", "5", "--seed", "3", "--json"]) == 0
    cli = json.loads(capsys.readouterr().out)
    got = client.post("/select", json={"k": 5, "seed": 3}).json()
    assert list(got) == list(cli)
    assert without_timing(got) == without_timing(cli)


def test_health_is_open_and_names_the_graph(server, graph):
    client, _ = server
    r = httpx.get(str(client.base_url) + "/health")
    assert r.status_code == 200
    assert r.json() == {"status": "ok", "graph": {"n": graph.n, "m": graph.m, "weights": "wc", "directed": True,
                                                  "name": "email-eu-core"}}


@pytest.mark.parametrize("headers", [{}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN},
                                     {"Authorization": f"Basic {TOKEN}"}, {"Authorization": f"Bearer {TOKEN}x"},
                                     {"Authorization": "Bearer"}],
                         ids=["none", "wrong", "no-scheme", "basic", "longer", "empty"])
@pytest.mark.parametrize("method,path", [("POST", "/select"), ("POST", "/cim"), ("GET", "/docs"),
                                         ("GET", "/openapi.json")])
def test_without_the_token_the_answer_is_401(server, headers, method, path):
    client, _ = server
    r = httpx.request(method, str(client.base_url) + path, json={"k": 1}, headers=headers)
    assert r.status_code == 401
    assert r.headers["www-authenticate"] == "Bearer"
    assert "unauthorized" in r.json()["error"]


def test_the_scheme_is_case_insensitive(server):
    client, _ = server
    r = httpx.post(str(client.base_url) + "/select", json={"k": 1}, headers={"Authorization": f"bearer {TOKEN}"})
    assert r.status_code == 200


BAD = [
    ("/select", b'{"k": 3,', 400, "not valid JSON"),
    ("/select", b"", 400, "JSON object"),
    ("/select", b"[1, 2]", 400, "JSON object"),
    ("/select", b'{"k": "3"}', 400, "k: Input should be a valid integer"),
    ("/select", b'{"k": 3.0}', 400, "k: Input should be a valid integer"),
    ("/select", b'{"k": true}', 400, "k: Input should be a valid integer"),
    ("/select", b'{"kk": 3}', 400, "kk: Extra inputs are not permitted"),
    ("/select", b'{"k": 0}', 400, "k must be an int in [1, 1005]"),
    ("/select", b'{"k": 1006}', 400, "k must be an int in [1, 1005]"),
    ("/select", b'{"k": 100000000000000000000000}', 400, "k"),
    ("/select", b'{"k": 3, "eps": 1.5}', 400, "eps"),
    ("/select", b'{"k": 3, "eps": NaN}', 400, "eps"),
    ("/select", b'{"k": 3, "model": "sir"}', 400, "model must be one of"),
    ("/select", b'{"k": 3, "algorithm": "magic"}', 400, "algorithm must be one of"),
    ("/select", b'{"k": 3, "seed": -1}', 400, "seed"),
    ("/select", b'{"k": 2, "algorithm": "celf", "simulations": 10000000}', 400, "--max-simulations"),
    ("/cim", b'{"aps": "1,2", "k": 2}', 400, "aps: Input should be a valid list"),
    ("/cim", b'{"aps": [1, 2, 99999999], "k": 2}', 400, "unknown AP id"),
    ("/cim", b'{"aps": [], "k": 2}', 400, "aps is empty"),
    ("/cim", b'{"aps": [1, 2], "k": 0}', 400, "k must be an int"),
    ("/cim", b'{"aps": [1, 2], "k": 2, "capacities": {"1": "x"}}', 400, "capacities.1"),
    ("/recommend", b'{"aps": [1, 2], "k": 0}', 400, "k must be an int"),
    ("/recommend", b'{"aps": ["nobody"], "k": 2}', 400, "not nodes of the graph"),
    ("/recommend", b'{"aps": [1], "k": 2, "willingness": "/etc/passwd"}', 400, "willingness"),
    ("/recommend", b'{"aps": [1], "k": 2, "method": "hetero-ir", "willingness": {"1": 3}}', 400, "[0, 1]"),
    ("/spread", b'{"seeds": [1, 424242]}', 400, "unknown seed id"),
    ("/spread", b'{"seeds": []}', 400, "seeds is empty"),
    ("/spread", b'{"seeds": {"a": 1}}', 400, "seeds: Input should be a valid list"),
    ("/spread", b'{"seeds": [1], "simulations": 0}', 400, "simulations must be an int"),
    ("/spread", b'{"seeds": [1], "simulations": 20001}', 400, "--max-simulations"),
    ("/spread", b'{"seeds": [1], "method": "rr", "rr_sets": 3000000}', 400, "--max-rr-sets"),
    ("/select", b'{"k": 1, "pad": "' + b"x" * MAX_BODY + b'"}', 413, "body too large"),
    ("/nowhere", b"{}", 404, "Not Found"),
]


@pytest.mark.parametrize("path,raw,status,message", BAD, ids=[f"{i}-{p}" for i, (p, *_) in enumerate(BAD)])
def test_bad_requests_get_a_json_4xx_and_the_server_goes_on(server, path, raw, status, message):
    client, _ = server
    r = client.post(path, content=raw, headers={"content-type": "application/json"})
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert message in error
    assert "Traceback" not in error and "File \"" not in error
    assert client.post("/select", json={"k": 2, "seed": 1}).status_code == 200


def test_an_oversize_chunked_body_is_refused_as_it_arrives(server):
    client, _ = server

    def chunks():  # no Content-Length: the server counts
        for _ in range(20):
            yield b" " * 8192

    r = client.post("/select", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413
    assert client.get("/health").status_code == 200


def test_a_body_without_json_content_type_is_a_400(server):
    client, _ = server
    r = client.post("/select", content=b'{"k": 3}')
    assert r.status_code == 400
    assert "Content-Type: application/json" in r.json()["error"]


def test_eight_concurrent_clients_all_answered_and_correct(server, graph):
    client, _ = server
    bodies = [("/select", {"k": 3, "eps": 0.3, "seed": s}) for s in range(3)] + [
        ("/spread", {"seeds": [160, s], "simulations": 300, "seed": s}) for s in (1, 2)] + [
        ("/cim", {"aps": [2, 5, 9, 14], "k": 2, "eps": 0.3, "seed": 1})]
    expected = [without_timing(api_answer(graph, p, b)) for p, b in bodies]
    failures, answered = [], []
    lock = threading.Lock()

    def one_client(c):
        with httpx.Client(base_url=client.base_url, headers=client.headers, timeout=120) as mine:
            for i in range(25):
                j = (c * 25 + i) % len(bodies)
                r = mine.post(bodies[j][0], json=bodies[j][1])
                with lock:
                    answered.append(r.status_code)
                    if r.status_code != 200 or without_timing(r.json()) != expected[j]:
                        failures.append((bodies[j], r.status_code, r.text[:200]))

    threads = [threading.Thread(target=one_client, args=(c,)) for c in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(answered) == 200
    assert failures == []


def test_one_log_line_per_request(server):
    client, log = server
    client.post("/spread", json={"seeds": [1], "simulations": 10})
    client.post("/select", json={"k": 0})
    client.get("/health")  # answered after the two above: their lines are written by then
    deadline = time.monotonic() + 10
    while not any("GET /health 200" in line for line in log[-3:]) and time.monotonic() < deadline:
        time.sleep(0.05)
    for expected in ("POST /spread 200 ", "POST /select 400 "):
        assert any(expected in line and line.endswith(" ms") for line in log), log[-5:]
    assert not any("Traceback" in line for line in log)


def test_connections_send_small_answers_at_once():
    # TCP_NODELAY on the listening socket (accepted connections inherit it): otherwise the
    # body of an answer written after its head waits for the client's delayed ACK
    import socket

    from seedwise.serve.server import bind

    sock = bind("127.0.0.1", 0)
    try:
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        client = socket.create_connection(sock.getsockname())
        accepted, _ = sock.accept()
        assert accepted.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)
        accepted.close()
        client.close()
    finally:
        sock.close()

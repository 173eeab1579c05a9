"""Process-level behaviour: graceful shutdown, many concurrent clients, access log."""

from __future__ import annotations

import json
import signal
import socket
import threading
import time
from urllib.parse import unquote
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from httpkit import H11Client


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_graceful_shutdown_finishes_in_flight(start_server, sig):
    s = start_server("--access-log", "off")
    result: dict = {}

    def slow_call():
        try:
            with httpx.Client(timeout=10) as c:
                r = c.get(s.url("/slow?ms=1500"))
                result["status"], result["body"] = r.status_code, r.json()
        except Exception as e:  # recorded and asserted below
            result["error"] = repr(e)

    t = threading.Thread(target=slow_call)
    t.start()
    time.sleep(0.4)  # the request is now in flight
    t_sig = time.monotonic()
    s.signal(sig)
    t.join(timeout=10)
    assert result.get("status") == 200, f"in-flight request lost on shutdown: {result}"
    assert result["body"] == {"slept_ms": 1500}
    try:
        code = s.proc.wait(timeout=5)
    except Exception:
        pytest.fail("server did not exit within 5 s of the signal")
    assert code == 0, f"exit code {code} after {sig.name}"
    assert time.monotonic() - t_sig < 6
    with pytest.raises(ConnectionRefusedError):
        socket.create_connection(("127.0.0.1", s.port), timeout=2).close()


def test_shutdown_when_idle_is_quick(start_server):
    s = start_server()
    with H11Client(s.port) as c:  # an idle keep-alive connection must not hold the exit up
        assert c.request("GET", "/bench").status == 200
        t0 = time.monotonic()
        s.signal(signal.SIGTERM)
        assert s.proc.wait(timeout=5) == 0
    assert time.monotonic() - t0 < 3


def test_many_concurrent_clients(start_server):
    s = start_server("--access-log", "off")
    threads, per_thread = 50, 20
    expected_bench = httpx.get(s.url("/bench")).content

    def worker(n: int) -> int:
        ok = 0
        with httpx.Client(base_url=s.base_url, timeout=20) as c:
            for i in range(per_thread):
                kind = (n + i) % 5
                if kind == 0:
                    r = c.get("/bench")
                    assert r.status_code == 200 and r.content == expected_bench
                elif kind == 1:
                    payload = f"thread {n} request {i} ".encode() * (1 + i * 7)
                    r = c.post("/echo", content=payload)
                    assert r.status_code == 200 and r.content == payload
                elif kind == 2:
                    r = c.get(f"/items/t{n}-{i}")
                    assert r.json() == {"id": f"t{n}-{i}", "method": "GET"}
                elif kind == 3:
                    r = c.get("/async?ms=5")
                    assert r.json() == {"slept_ms": 5}
                else:
                    r = c.get("/slow?ms=5")
                    assert r.json() == {"slept_ms": 5}
                ok += 1
        return ok

    with ThreadPoolExecutor(max_workers=threads) as pool:
        results = list(pool.map(worker, range(threads)))
    assert sum(results) == threads * per_thread
    assert s.alive()


def test_loops_flag(start_server):
    s = start_server("--loops", "1", "--access-log", "off")
    with H11Client(s.port) as c:
        assert c.request("GET", "/bench").status == 200


def _request_lines(stderr: str) -> list[dict]:
    out = []
    for line in stderr.splitlines():
        line = line.strip()
        if not line.startswith("{"):
            continue
        try:
            obj = json.loads(line)
        except ValueError:
            continue
        if isinstance(obj, dict) and "method" in obj:
            out.append(obj)
    return out


def _field(obj: dict, *names):
    for n in names:
        if n in obj:
            return obj[n]
    return None


def test_access_log_one_json_line_per_request_without_query(start_server):
    s = start_server("--access-log", "on")
    ids = []
    with H11Client(s.port) as c:
        for method, target, body, status in [
            ("GET", "/bench?code=SECRET-CODE-123&state=xyz", b"", 200),
            ("POST", "/echo?access_token=SECRET-TOKEN-456", b"hi", 200),
            ("GET", "/nope?x=SECRET-789", b"", 404),
            ("GET", "/boom", b"", 500),
            ("GET", "/items/a%20b", b"", 200),
        ]:
            r = c.request(method, target, body=body)
            assert r.status == status
            ids.append((method, target.split("?")[0], status, r.header("x-request-id")))
    s.stop()
    stderr = s.stderr_text()
    assert "SECRET" not in stderr, "query string (secrets) leaked into the log"
    lines = _request_lines(stderr)
    assert len(lines) == len(ids), f"expected {len(ids)} request log lines, got {len(lines)}:\n{stderr[-3000:]}"
    for (method, path, status, rid), obj in zip(ids, lines):
        assert obj["method"] == method
        assert obj["path"] in (path, unquote(path)), obj
        assert int(obj["status"]) == status
        assert any(k.startswith("duration") for k in obj), f"no duration field in {obj}"
        assert _field(obj, "request_id", "requestId", "req_id") == rid, f"request id mismatch in {obj}"


def test_access_log_off_is_silent(start_server):
    s = start_server("--access-log", "off")
    with H11Client(s.port) as c:
        for _ in range(5):
            c.request("GET", "/bench")
    s.stop()
    assert _request_lines(s.stderr_text()) == []

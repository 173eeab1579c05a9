"""Well-formed exchanges through h11 (strict framing checks) and httpx:
routes, keep-alive, pipelining, HEAD, errors, SSE flushing, timeouts."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from httpkit import (H11Client, check_common_headers, connect, parse_bytes, raw_responses,
                     read_until_close, serialize, wait_closed)


def test_bench_route(echo):
    with H11Client(echo.port) as c:
        r = c.request("GET", "/bench")
    assert r.status == 200
    assert r.header("content-type").split(";")[0].strip() == "application/json"
    assert 200 <= len(r.body) <= 400, len(r.body)
    json.loads(r.body)
    check_common_headers(r)


def test_bench_post_same_body(echo):
    with H11Client(echo.port) as c:
        g = c.request("GET", "/bench")
        p = c.request("POST", "/bench", body=b"ignored")
    assert p.status == 200 and p.body == g.body


def test_head_bench_has_length_and_no_body(echo):
    with H11Client(echo.port) as c:
        get = c.request("GET", "/bench")
        head = c.request("HEAD", "/bench")
        # a body after HEAD would be parsed as the next response and break this one
        again = c.request("GET", "/bench")
    assert head.status == 200 and head.body == b""
    assert head.header("content-length") == str(len(get.body))
    assert again.status == 200 and again.body == get.body
    check_common_headers(head)


def test_echo_body_and_content_type(echo):
    with H11Client(echo.port) as c:
        a = c.request("POST", "/echo", headers=[("Content-Type", "application/x-custom")], body=b"\x00\xffabc")
        b = c.request("POST", "/echo", body=b"no type")
        e = c.request("POST", "/echo", headers=[("Content-Length", "0")])
    assert a.status == 200 and a.body == b"\x00\xffabc" and a.header("content-type") == "application/x-custom"
    assert b.body == b"no type" and b.header("content-type") == "application/octet-stream"
    assert e.status == 200 and e.body == b""


def test_headers_route_lowercased_in_order(echo):
    with H11Client(echo.port) as c:
        r = c.request("GET", "/headers", headers=[("X-First", "1"), ("X-Dup", "a"), ("x-MIXED-Case", "Value With Spaces"),
                                                  ("X-Dup", "b")])
    assert r.status == 200
    pairs = [tuple(p) for p in json.loads(r.body)]
    assert pairs == [("host", f"127.0.0.1:{echo.port}"), ("x-first", "1"), ("x-dup", "a"),
                     ("x-mixed-case", "Value With Spaces"), ("x-dup", "b")]


@pytest.mark.parametrize("raw_id,decoded", [
    ("abc", "abc"), ("a%20b", "a b"), ("%E2%9C%93", "\u2713"), ("a%2Fb", "a/b"), ("42", "42"),
])
def test_items_path_param_percent_decoded(echo, raw_id, decoded):
    with H11Client(echo.port) as c:
        r = c.request("GET", f"/items/{raw_id}")
        p = c.request("PUT", f"/items/{raw_id}", body=b"{}")
    assert r.status == 200, r.body
    assert json.loads(r.body) == {"id": decoded, "method": "GET"}
    assert p.status == 200 and json.loads(p.body) == {"id": decoded, "method": "PUT"}


def test_items_head_allowed(echo):
    with H11Client(echo.port) as c:
        r = c.request("HEAD", "/items/7")
    assert r.status == 200 and r.body == b""


@pytest.mark.parametrize("method", ["POST", "DELETE", "PATCH"])
def test_items_405_with_exact_allow(echo, method):
    with H11Client(echo.port) as c:
        r = c.request(method, "/items/7", body=b"x" if method != "DELETE" else b"")
    assert r.status == 405
    assert r.header_all("allow") == ["GET, HEAD, PUT"]
    check_common_headers(r)


@pytest.mark.parametrize("path", ["/nope", "/benchx", "/bench/extra", "/items", "/items/1/2", "/"])
def test_unknown_path_404(echo, path):
    with H11Client(echo.port) as c:
        r = c.request("GET", path)
        assert r.status == 404
        check_common_headers(r)
        # a routing miss is not a protocol error: the connection stays usable
        assert c.request("GET", "/bench").status == 200


def test_boom_500_with_request_id_and_server_keeps_serving(echo):
    with H11Client(echo.port) as c:
        r = c.request("GET", "/boom")
    assert r.status == 500
    assert r.header("content-type").split(";")[0].strip() == "application/json"
    body = json.loads(r.body)
    assert body["error"] == "internal_error"
    assert body["request_id"] == r.header("x-request-id") and body["request_id"]
    with H11Client(echo.port) as c:
        assert c.request("GET", "/bench").status == 200


def test_request_ids_unique(echo):
    with H11Client(echo.port) as c:
        ids = [c.request("GET", "/bench").header("x-request-id") for _ in range(50)]
    assert len(set(ids)) == 50


def test_keep_alive_many_requests_one_connection(echo):
    with H11Client(echo.port) as c:
        for i in range(200):
            kind = i % 3
            if kind == 0:
                r = c.request("GET", "/bench")
                assert r.status == 200
            elif kind == 1:
                r = c.request("POST", "/echo", body=f"req-{i}".encode())
                assert r.body == f"req-{i}".encode()
            else:
                r = c.request("GET", f"/items/{i}")
                assert json.loads(r.body)["id"] == str(i)
            assert "close" not in (r.header("connection") or "").lower()


def test_http10_without_keep_alive_closes(echo):
    sock = connect(echo.port)
    sock.sendall(b"GET /bench HTTP/1.0\r\n\r\n")
    data, closed = read_until_close(sock, timeout=5.0)
    sock.close()
    assert closed, "server kept an HTTP/1.0 connection without keep-alive open"
    (r,), leftover = parse_bytes(data, ["GET"])
    assert r.status == 200 and leftover == b""
    assert r.header("content-length") == str(len(r.body))


def test_connection_close_is_echoed_and_socket_closes(echo):
    c = H11Client(echo.port)
    r = c.request("GET", "/bench", headers=[("Connection", "close")])
    assert r.status == 200
    assert "close" in (r.header("connection") or "").lower()
    assert c.server_closed(timeout=3.0)
    c.close()


def test_pipelining_responses_in_request_order(echo):
    sock = connect(echo.port)
    batch = (serialize("GET", "/slow?ms=200")
             + serialize("GET", "/bench")
             + serialize("POST", "/echo", body=b"third")
             + serialize("GET", "/items/fourth")
             + serialize("GET", "/async?ms=50"))
    sock.sendall(batch)
    rs, _ = raw_responses(sock, ["GET", "GET", "POST", "GET", "GET"])
    sock.close()
    assert [r.status for r in rs] == [200] * 5
    assert json.loads(rs[0].body) == {"slept_ms": 200}
    json.loads(rs[1].body)
    assert rs[2].body == b"third"
    assert json.loads(rs[3].body)["id"] == "fourth"
    assert json.loads(rs[4].body) == {"slept_ms": 50}


@pytest.mark.parametrize("route", ["slow", "async"])
def test_slow_and_async(echo, route):
    t0 = time.monotonic()
    with H11Client(echo.port) as c:
        r = c.request("GET", f"/{route}?ms=120")
    took = time.monotonic() - t0
    assert r.status == 200 and json.loads(r.body) == {"slept_ms": 120}
    assert took >= 0.11


def test_slow_handlers_do_not_block_the_loop(echo):
    """While /slow sleeps on the worker pool, /bench on other connections is answered: all five
    answers arrive while the slow one is still outstanding (no wall-clock bound on them, which
    a loaded machine would break; the slow handler's 4 s are the margin)."""
    slow = connect(echo.port)
    slow.sendall(serialize("GET", "/slow?ms=4000"))
    for _ in range(5):
        with H11Client(echo.port) as c:
            assert c.request("GET", "/bench").status == 200
    slow.setblocking(False)
    try:
        early = slow.recv(1)
    except BlockingIOError:
        early = None
    assert early is None, "the slow answer came before the fast ones were served"
    slow.setblocking(True)
    (r,), _ = raw_responses(slow, ["GET"])
    slow.close()
    assert r.status == 200


def _sse_events(text: str) -> list[dict]:
    events = []
    for block in text.split("\n\n"):
        if not block.strip():
            continue
        ev = {}
        for line in block.split("\n"):
            k, _, v = line.partition(":")
            ev[k] = v[1:] if v.startswith(" ") else v
        events.append(ev)
    return events


def test_sse_events_arrive_incrementally(echo):
    """Flushing check (functional, not a benchmark): with 300 ms between events,
    the first event must arrive long before the last one is produced."""
    t0 = time.monotonic()
    arrivals = []
    buf = ""
    with httpx.Client(timeout=10) as client:
        with client.stream("GET", echo.url("/sse?count=3&interval_ms=300")) as r:
            assert r.status_code == 200
            assert r.headers["content-type"].split(";")[0].strip() == "text/event-stream"
            for chunk in r.iter_text():
                buf += chunk
                while "\n\n" in buf:
                    block, buf = buf.split("\n\n", 1)
                    arrivals.append((time.monotonic() - t0, block + "\n\n"))
        # the connection stays usable afterwards
        assert client.get(echo.url("/bench")).status_code == 200
    events = _sse_events("".join(b for _, b in arrivals))
    assert [e.get("id") for e in events] == ["1", "2", "3"]
    assert [e.get("event") for e in events] == ["tick"] * 3
    assert [json.loads(e["data"]) for e in events] == [{"n": 1}, {"n": 2}, {"n": 3}]
    first, last = arrivals[0][0], arrivals[-1][0]
    assert first < 0.45, f"first event only after {first:.3f}s: events are not flushed as produced"
    assert last - first > 0.4, f"events were not spaced out ({first:.3f}s .. {last:.3f}s)"


def test_sse_chunked_and_connection_reusable_h11(echo):
    with H11Client(echo.port) as c:
        r = c.request("GET", "/sse?count=2&interval_ms=10")
        assert r.status == 200
        assert (r.header("transfer-encoding") or "").lower() == "chunked"
        assert r.body == b'id: 1\nevent: tick\ndata: {"n":1}\n\nid: 2\nevent: tick\ndata: {"n":2}\n\n'
        assert c.request("GET", "/bench").status == 200


def test_header_timeout_partial_request_line(start_server):
    s = start_server("--header-timeout", "1")
    sock = connect(s.port)
    sock.sendall(b"GET /ben")
    t0 = time.monotonic()
    data, closed = read_until_close(sock, timeout=6.0)
    took = time.monotonic() - t0
    sock.close()
    assert closed, "server kept a stalled request open past --header-timeout 1"
    assert 0.7 <= took <= 4.0, f"closed after {took:.2f}s"
    assert data == b"" or data.startswith(b"HTTP/1.1 408 "), data[:200]


def test_header_timeout_slowloris(start_server):
    """Trickling a byte at a time must not extend the header deadline."""
    s = start_server("--header-timeout", "1")
    sock = connect(s.port)
    t0 = time.monotonic()
    payload = b"GET /bench HTTP/1.1\r\nX-Slow: " + b"a" * 200
    closed = False
    for b in payload:
        try:
            sock.sendall(bytes([b]))
        except (BrokenPipeError, ConnectionResetError):
            closed = True
            break
        if wait_closed_or_data(sock, 0.2):
            closed = True
            break
        if time.monotonic() - t0 > 5:
            break
    took = time.monotonic() - t0
    sock.close()
    assert closed and took <= 4.0, f"slowloris kept the connection open {took:.2f}s"


def wait_closed_or_data(sock, timeout) -> bool:
    sock.settimeout(timeout)
    try:
        data = sock.recv(4096)
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True
    return True  # EOF, or the server's 408: either way it reacted


@pytest.mark.parametrize("after_request", [False, True], ids=["fresh-connection", "after-a-request"])
def test_idle_timeout(start_server, after_request):
    s = start_server("--idle-timeout", "1")
    sock = connect(s.port)
    if after_request:
        sock.sendall(serialize("GET", "/bench"))
        raw_responses(sock, ["GET"])
    t0 = time.monotonic()
    closed = wait_closed(sock, timeout=5.0)
    took = time.monotonic() - t0
    sock.close()
    assert closed and took <= 4.0, f"idle connection still open after {took:.2f}s"


def test_a_silent_new_connection_is_cut_by_the_header_timeout_not_the_idle_one(start_server):
    """Issue 20: a socket that never sends a byte ends at the header timeout (here 1 s) like a
    slow request; a keep-alive connection between requests keeps the idle timeout (60 s)."""
    s = start_server("--header-timeout", "1", "--idle-timeout", "60")
    silent, kept = connect(s.port), connect(s.port)
    kept.sendall(serialize("GET", "/bench"))
    raw_responses(kept, ["GET"])
    t0 = time.monotonic()
    closed = wait_closed(silent, timeout=6.0)
    took = time.monotonic() - t0
    silent.close()
    assert closed and took <= 4.0, f"a silent connection stayed open {took:.2f}s"
    assert not wait_closed(kept, timeout=1.0), "the keep-alive connection was cut before its idle timeout"
    kept.sendall(serialize("GET", "/bench"))
    assert raw_responses(kept, ["GET"])[0][0].status == 200
    kept.close()


def test_fractional_header_timeout(start_server):
    s = start_server("--header-timeout", "0.5")
    sock = connect(s.port)
    sock.sendall(b"GET / HTTP/1.1\r\n")
    t0 = time.monotonic()
    _, closed = read_until_close(sock, timeout=4.0)
    took = time.monotonic() - t0
    sock.close()
    assert closed and took < 2.0, took


def test_max_body_flag(start_server):
    s = start_server("--max-body", "10")
    with H11Client(s.port) as c:
        assert c.request("POST", "/echo", body=b"0123456789").status == 200
    sock = connect(s.port)
    sock.sendall(serialize("POST", "/echo", body=b"0123456789A"))
    data, closed = read_until_close(sock, timeout=5.0)
    sock.close()
    assert data.startswith(b"HTTP/1.1 413 ") and closed


def test_deep_pipelining_in_order(echo):
    sock = connect(echo.port)
    n = 100
    sock.sendall(b"".join(serialize("GET", f"/items/p{i}") for i in range(n)))
    rs, _ = raw_responses(sock, ["GET"] * n)
    sock.close()
    assert [json.loads(r.body)["id"] for r in rs] == [f"p{i}" for i in range(n)]


@pytest.mark.parametrize("step", [1, 3, 7])
def test_fragmented_requests(echo, step):
    """The parser is incremental: requests split at every byte boundary still parse."""
    data = (serialize("POST", "/echo", headers=[("Content-Type", "text/plain")], body=b"fragmented body")
            + b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n4;e=1\r\nabcd\r\n0\r\n\r\n"
            + serialize("GET", "/items/frag"))
    sock = connect(echo.port)
    for i in range(0, len(data), step):
        sock.sendall(data[i:i + step])
        if i % (step * 16) == 0:
            time.sleep(0.001)
    rs, _ = raw_responses(sock, ["POST", "POST", "GET"])
    sock.close()
    assert rs[0].body == b"fragmented body"
    assert rs[1].body == b"abcd"
    assert json.loads(rs[2].body)["id"] == "frag"


def _abort(sock):
    """Close with RST (SO_LINGER 0), like a client that crashed."""
    import socket as _s
    import struct
    sock.setsockopt(_s.SOL_SOCKET, _s.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


@pytest.mark.parametrize("target", ["/slow?ms=300", "/async?ms=300", "/sse?count=50&interval_ms=20"])
def test_client_abort_mid_request_does_not_hurt_server(echo, target):
    """Writing to a socket the client has reset must not kill the process (SIGPIPE) or wedge a loop."""
    for _ in range(3):
        sock = connect(echo.port)
        sock.sendall(serialize("GET", target))
        if target.startswith("/sse"):
            sock.recv(1024)  # the stream has started
        _abort(sock)
    time.sleep(1.2)  # past the handler's completion
    assert echo.alive()
    with H11Client(echo.port) as c:
        assert c.request("GET", "/bench").status == 200

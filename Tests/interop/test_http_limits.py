"""Table-driven: malformed or over-limit requests sent as raw bytes, and the
exact outcome the HTTP core must produce. Errors from the core are
`text/plain; charset=utf-8`, one line, `Connection: close`, and the server closes.
The shared server runs with --max-body 65536."""

from __future__ import annotations

import re

import pytest

from httpkit import check_common_headers, connect, parse_bytes, raw_responses, read_until_close

MAX_BODY = 65536


def req(head: str, body: bytes = b"") -> bytes:
    return head.encode("latin-1") + body


def many_headers(n: int, size: int = 8) -> str:
    return "".join(f"X-H{i:03d}: {'v' * size}\r\n" for i in range(n))


def chunked(*chunks: bytes) -> bytes:
    return b"".join(b"%x\r\n%s\r\n" % (len(c), c) for c in chunks) + b"0\r\n\r\n"


H = "Host: x\r\n"

# (id, raw request, expected status)
CORE_ERRORS = [
    # size limits
    ("uri-over-8192", req(f"GET /bench?{'a' * 9000} HTTP/1.1\r\n{H}\r\n"), 414),
    ("header-block-over-16384", req(f"GET /bench HTTP/1.1\r\n{H}{many_headers(40, 490)}\r\n"), 431),
    ("single-header-over-16384", req(f"GET /bench HTTP/1.1\r\n{H}X-Big: {'a' * 17000}\r\n\r\n"), 431),
    ("101-header-fields", req(f"GET /bench HTTP/1.1\r\n{H}{many_headers(100)}\r\n"), 431),
    ("content-length-over-max-body",  # declared too big: refused before the body is sent
     req(f"POST /echo HTTP/1.1\r\n{H}Content-Length: {MAX_BODY + 1}\r\n\r\n"), 413),
    ("chunked-body-grows-past-max-body",
     req(f"POST /echo HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\n\r\n", chunked(*[b"z" * 16384] * 5)), 413),
    # transfer codings we do not implement
    ("te-gzip-chunked", req(f"POST /echo HTTP/1.1\r\n{H}Transfer-Encoding: gzip, chunked\r\n\r\n", chunked(b"hello")), 501),
    ("te-gzip", req(f"POST /echo HTTP/1.1\r\n{H}Transfer-Encoding: gzip\r\n\r\nhello"), 501),
    # message framing ambiguities (request smuggling vectors)
    ("cl-and-te", req(f"POST /echo HTTP/1.1\r\n{H}Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n", chunked(b"hello")), 400),
    ("te-and-cl", req(f"POST /echo HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n", chunked(b"hello")), 400),
    ("two-different-cl", req(f"POST /echo HTTP/1.1\r\n{H}Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!"), 400),
    ("cl-list-different", req(f"POST /echo HTTP/1.1\r\n{H}Content-Length: 5, 6\r\n\r\nhello!"), 400),
    ("cl-non-numeric", req(f"POST /echo HTTP/1.1\r\n{H}Content-Length: abc\r\n\r\nhello"), 400),
    ("cl-negative", req(f"POST /echo HTTP/1.1\r\n{H}Content-Length: -5\r\n\r\nhello"), 400),
    ("cl-plus-sign", req(f"POST /echo HTTP/1.1\r\n{H}Content-Length: +5\r\n\r\nhello"), 400),
    # malformed syntax
    ("garbage-request-line", b"GARBAGE\r\n\r\n", 400),
    ("request-line-missing-version", req(f"GET /bench\r\n{H}\r\n"), 400),
    ("request-line-lowercase-version", req(f"GET /bench http/1.1\r\n{H}\r\n"), 400),
    ("header-without-colon", req(f"GET /bench HTTP/1.1\r\n{H}X-Foo bar\r\n\r\n"), 400),
    ("space-before-colon", b"GET /bench HTTP/1.1\r\nHost : x\r\n\r\n", 400),
    ("obs-fold", req(f"GET /bench HTTP/1.1\r\n{H}X-A: a\r\n  b\r\n\r\n"), 400),
    ("bare-lf-line-endings", b"GET /bench HTTP/1.1\nHost: x\n\n", 400),
    ("control-char-in-header-value", req(f"GET /bench HTTP/1.1\r\n{H}X-A: a\x01b\r\n\r\n"), 400),
    ("nul-in-header-value", req(f"GET /bench HTTP/1.1\r\n{H}X-A: a\x00b\r\n\r\n"), 400),
    ("chunk-size-not-hex", req(f"POST /echo HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n"), 400),
    ("chunk-size-overflow", req(f"POST /echo HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\n\r\nffffffffffffffffff\r\nhello\r\n0\r\n\r\n"), 400),
    ("chunk-data-missing-crlf", req(f"POST /echo HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n"), 400),
    ("http11-without-host", b"GET /bench HTTP/1.1\r\n\r\n", 400),
    ("two-host-headers", b"GET /bench HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400),  # RFC 9112 3.2
    # versions
    ("http-2.0-request-line", req(f"GET /bench HTTP/2.0\r\n{H}\r\n"), 505),
    ("http-3.0-request-line", req(f"GET /bench HTTP/3.0\r\n{H}\r\n"), 505),
]


@pytest.mark.parametrize("raw,status", [pytest.param(r, s, id=i) for i, r, s in CORE_ERRORS])
def test_core_error(echo, raw, status):
    sock = connect(echo.port)
    try:
        sock.sendall(raw)
    except (BrokenPipeError, ConnectionResetError):
        pass  # the server may answer and close before reading everything
    data, closed = read_until_close(sock, timeout=5.0)
    sock.close()
    assert re.match(rb"HTTP/1\.1 %d [^\r\n]*\r\n" % status, data), \
        f"expected status line 'HTTP/1.1 {status} ...', got {data[:200]!r}"
    assert closed, "server did not close the connection after a core error"
    (resp,), leftover = parse_bytes(data, ["GET"])
    assert leftover == b"", f"bytes after the error response: {leftover[:200]!r}"
    assert resp.header("content-type") == "text/plain; charset=utf-8"
    assert resp.header("connection") is not None and "close" in resp.header("connection").lower()
    text = resp.body.decode("utf-8")
    assert text.strip() and "\n" not in text.rstrip("\n"), f"body must be one line: {text!r}"
    check_common_headers(resp)


# Requests at or inside the limits, and framings that must be accepted.
ACCEPTED = [
    ("uri-long-but-inside-limit", req(f"GET /bench?{'a' * 7900} HTTP/1.1\r\n{H}\r\n"), "GET", None),
    ("header-block-inside-limit", req(f"GET /bench HTTP/1.1\r\n{H}{many_headers(28, 490)}\r\n"), "GET", None),
    ("100-header-fields", req(f"GET /bench HTTP/1.1\r\n{H}{many_headers(99)}\r\n"), "GET", None),
    ("body-exactly-max-body",
     req(f"POST /echo HTTP/1.1\r\n{H}Content-Length: {MAX_BODY}\r\n\r\n", b"m" * MAX_BODY), "POST", b"m" * MAX_BODY),
    ("cl-list-identical", req(f"POST /echo HTTP/1.1\r\n{H}Content-Length: 5, 5\r\n\r\nhello"), "POST", b"hello"),
    ("cl-header-twice-identical",
     req(f"POST /echo HTTP/1.1\r\n{H}Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello"), "POST", b"hello"),
    ("chunked-with-extensions-and-trailers",
     req(f"POST /echo HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n"
         "5;foo=bar\r\nhello\r\n6;a=1;b=\"q v\"\r\n world\r\n0\r\nX-Trailer: t\r\nX-Other: u\r\n\r\n"),
     "POST", b"hello world"),
    ("chunked-uppercase-hex", req(f"POST /echo HTTP/1.1\r\n{H}Transfer-Encoding: chunked\r\n\r\nB\r\nhello world\r\n0\r\n\r\n"),
     "POST", b"hello world"),
    ("header-value-obs-text-and-tab", req(f"GET /bench HTTP/1.1\r\n{H}X-A: caf\xe9\tbar\r\n\r\n"), "GET", None),
]


@pytest.mark.parametrize("raw,method,body", [pytest.param(r, m, b, id=i) for i, r, m, b in ACCEPTED])
def test_accepted(echo, raw, method, body):
    sock = connect(echo.port)
    sock.sendall(raw)
    # then a second request on the same connection: the first must not have broken framing
    sock.sendall(b"GET /bench HTTP/1.1\r\nHost: x\r\n\r\n")
    (first, second), _ = raw_responses(sock, [method, "GET"])
    sock.close()
    assert first.status == 200, (first.status, first.body[:200])
    if body is not None:
        assert first.body == body
    check_common_headers(first)
    assert second.status == 200


def test_chunked_echo_content_type_copied(echo):
    sock = connect(echo.port)
    sock.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
                 b"Content-Type: text/plain\r\n\r\n3;ext\r\nabc\r\n0\r\nX-T: 1\r\n\r\n")
    (r,), _ = raw_responses(sock, ["POST"])
    sock.close()
    assert r.body == b"abc"
    assert r.header("content-type") == "text/plain"


def test_expect_100_continue(echo):
    sock = connect(echo.port)
    sock.sendall(b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
    sock.settimeout(5)
    interim = b""
    while not interim.endswith(b"\r\n\r\n"):
        chunk = sock.recv(1)
        assert chunk, f"connection closed while waiting for 100 Continue (got {interim!r})"
        interim += chunk
    assert re.fullmatch(rb"HTTP/1\.1 100 [^\r\n]*\r\n(?:[^\r\n]+\r\n)*\r\n", interim), interim
    sock.sendall(b"hello")
    (r,), _ = raw_responses(sock, ["POST"])
    sock.close()
    assert r.status == 200 and r.body == b"hello"


def test_expect_100_continue_too_large_gets_413_without_100(echo):
    sock = connect(echo.port)
    sock.sendall(f"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: {MAX_BODY + 1}\r\n"
                 "Expect: 100-continue\r\n\r\n".encode())
    data, closed = read_until_close(sock, timeout=5.0)
    sock.close()
    assert data.startswith(b"HTTP/1.1 413 "), f"expected 413 first and no 100 Continue, got {data[:200]!r}"
    assert closed


def test_core_error_closes_even_with_pipelined_followup(echo):
    """After a core error the rest of the bytes must not be processed as a new request."""
    sock = connect(echo.port)
    sock.sendall(b"GET /bench HTTP/1.1\r\nHost : x\r\n\r\nGET /bench HTTP/1.1\r\nHost: x\r\n\r\n")
    data, closed = read_until_close(sock, timeout=5.0)
    sock.close()
    assert data.startswith(b"HTTP/1.1 400 ")
    assert data.count(b"HTTP/1.1 ") == 1, f"server answered more than one request: {data!r}"
    assert closed

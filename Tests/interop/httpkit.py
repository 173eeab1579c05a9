"""Client helpers: h11 as the strict HTTP/1.1 client, plus raw sockets for bytes
no well-behaved client would send. Every response is parsed by h11, so the
server's framing (status line, headers, Content-Length / chunked) is validated
by code nobody here wrote."""

from __future__ import annotations

import socket
import time
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime

import h11

STATUS_LINE_RE = rb"HTTP/1\.[01] (\d{3}) [^\r\n]*\r\n"


@dataclass
class Resp:
    status: int
    reason: bytes
    http_version: bytes
    headers: list[tuple[str, str]]
    body: bytes = b""
    informational: list[int] = field(default_factory=list)

    def header(self, name: str) -> str | None:
        name = name.lower()
        values = [v for k, v in self.headers if k == name]
        return ", ".join(values) if values else None

    def header_all(self, name: str) -> list[str]:
        return [v for k, v in self.headers if k == name.lower()]


def connect(port: int, timeout: float = 5.0) -> socket.socket:
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def _decode_headers(hs) -> list[tuple[str, str]]:
    return [(k.decode("latin-1").lower(), v.decode("latin-1")) for k, v in hs]


def read_response(conn: h11.Connection, sock: socket.socket, deadline: float) -> Resp:
    """Pull events until one full response (with any 1xx before it) has arrived."""
    resp: Resp | None = None
    informational: list[int] = []
    body = bytearray()
    while True:
        ev = conn.next_event()
        if ev is h11.NEED_DATA:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("timed out waiting for a response")
            sock.settimeout(left)
            try:
                data = sock.recv(65536)
            except ConnectionResetError:
                data = b""
            conn.receive_data(data)
            continue
        if isinstance(ev, h11.InformationalResponse):
            informational.append(ev.status_code)
        elif isinstance(ev, h11.Response):
            resp = Resp(ev.status_code, ev.reason, ev.http_version, _decode_headers(ev.headers))
        elif isinstance(ev, h11.Data):
            body += ev.data
        elif isinstance(ev, h11.EndOfMessage):
            assert resp is not None
            resp.body = bytes(body)
            resp.informational = informational
            return resp
        elif isinstance(ev, h11.ConnectionClosed):
            raise ConnectionError("server closed the connection before a complete response")


class H11Client:
    """A persistent HTTP/1.1 connection driven by h11."""

    def __init__(self, port: int, timeout: float = 10.0):
        self.port = port
        self.timeout = timeout
        self.sock = connect(port, timeout)
        self.conn = h11.Connection(h11.CLIENT)

    def request(self, method: str, target: str, headers=(), body: bytes = b"") -> Resp:
        if self.conn.our_state is h11.DONE and self.conn.their_state is h11.DONE:
            self.conn.start_next_cycle()
        hs = [("Host", f"127.0.0.1:{self.port}"), *headers]
        if body and not any(k.lower() in ("content-length", "transfer-encoding") for k, _ in hs):
            hs.append(("Content-Length", str(len(body))))
        out = self.conn.send(h11.Request(method=method, target=target, headers=hs))
        if body:
            out += self.conn.send(h11.Data(data=body))
        out += self.conn.send(h11.EndOfMessage())
        self.sock.sendall(out)
        return read_response(self.conn, self.sock, time.monotonic() + self.timeout)

    def server_closed(self, timeout: float = 3.0) -> bool:
        return wait_closed(self.sock, timeout)

    def close(self) -> None:
        self.sock.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def serialize(method: str, target: str, headers=(), body: bytes = b"", host: str = "x") -> bytes:
    """Well-formed request bytes, produced by h11."""
    c = h11.Connection(h11.CLIENT)
    hs = [("Host", host), *headers]
    if body and not any(k.lower() in ("content-length", "transfer-encoding") for k, _ in hs):
        hs.append(("Content-Length", str(len(body))))
    out = c.send(h11.Request(method=method, target=target, headers=hs))
    if body:
        out += c.send(h11.Data(data=body))
    out += c.send(h11.EndOfMessage())
    return out


def raw_responses(sock: socket.socket, methods: list[str], timeout: float = 10.0) -> tuple[list[Resp], h11.Connection]:
    """Parse len(methods) responses from bytes already sent raw on `sock`.
    h11 needs to believe it sent the requests: we feed it stand-in requests
    with the same methods (that is what decides whether a body is expected)."""
    conn = h11.Connection(h11.CLIENT)
    deadline = time.monotonic() + timeout
    out: list[Resp] = []
    for i, m in enumerate(methods):
        if i:
            conn.start_next_cycle()
        conn.send(h11.Request(method=m, target="/", headers=[("Host", "x")]))
        conn.send(h11.EndOfMessage())
        out.append(read_response(conn, sock, deadline))
    return out, conn


def wait_closed(sock: socket.socket, timeout: float) -> bool:
    """True when the peer closes (EOF or RST) within `timeout` and sends nothing more."""
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        sock.settimeout(left)
        try:
            data = sock.recv(65536)
        except socket.timeout:
            return False
        except (ConnectionResetError, BrokenPipeError):
            return True
        if not data:
            return True
        raise AssertionError(f"unexpected bytes after the response: {data[:200]!r}")


def read_until_close(sock: socket.socket, timeout: float) -> tuple[bytes, bool]:
    """All bytes until EOF/RST; (data, closed) where closed is False on timeout."""
    deadline = time.monotonic() + timeout
    buf = bytearray()
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            return bytes(buf), False
        sock.settimeout(left)
        try:
            data = sock.recv(65536)
        except socket.timeout:
            return bytes(buf), False
        except ConnectionResetError:
            return bytes(buf), True
        if not data:
            return bytes(buf), True
        buf += data


def check_common_headers(r: Resp) -> None:
    """Every response carries X-Request-Id and a current IMF-fixdate Date."""
    rid = r.header("x-request-id")
    assert rid, f"missing X-Request-Id in {r.status} response: {r.headers}"
    date = r.header("date")
    assert date, f"missing Date in {r.status} response: {r.headers}"
    assert date.endswith(" GMT"), f"Date is not IMF-fixdate: {date!r}"
    dt = parsedate_to_datetime(date)
    assert abs(dt.timestamp() - time.time()) < 10, f"Date is off: {date!r}"


def parse_bytes(raw: bytes, methods: list[str]) -> tuple[list[Resp], bytes]:
    """Parse complete responses out of `raw` (everything the server sent before closing).
    Returns the responses and any bytes left over."""
    conn = h11.Connection(h11.CLIENT)
    conn.receive_data(raw)
    conn.receive_data(b"")
    out: list[Resp] = []
    for i, m in enumerate(methods):
        if i:
            conn.start_next_cycle()
        conn.send(h11.Request(method=m, target="/", headers=[("Host", "x")]))
        conn.send(h11.EndOfMessage())
        resp = None
        body = bytearray()
        informational = []
        while True:
            ev = conn.next_event()
            if ev is h11.NEED_DATA or isinstance(ev, h11.ConnectionClosed):
                raise AssertionError(f"incomplete response {i + 1} in {raw[:300]!r}")
            if isinstance(ev, h11.InformationalResponse):
                informational.append(ev.status_code)
            elif isinstance(ev, h11.Response):
                resp = Resp(ev.status_code, ev.reason, ev.http_version, _decode_headers(ev.headers))
            elif isinstance(ev, h11.Data):
                body += ev.data
            elif isinstance(ev, h11.EndOfMessage):
                resp.body = bytes(body)
                resp.informational = informational
                out.append(resp)
                break
    leftover, _closed = conn.trailing_data
    return out, bytes(leftover)

"""Native TLS (issue 20) on deskgate-echo, deskgate-auth, deskgate-mcp and `deskgate up --tls`,
driven by Python's `ssl` (OpenSSL underneath, but the client side written by others), httpx and
the official MCP SDK. Test certificates are made here with the `cryptography` package."""

from __future__ import annotations

import asyncio
import datetime
import ipaddress
import os
import selectors
import signal
import socket
import ssl
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
import httpx2
import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

import dbkit
import httpkit
from conftest import Server, binary, demo_workspace, read_output_until
from mcp_support import TENANT, make_deployment
from oauth_support import free_port

HSTS = "max-age=31536000"


# --- certificates ---------------------------------------------------------------------------

@dataclass
class Cert:
    cert: Path
    key: Path
    common_name: str

    @property
    def der(self) -> bytes:
        return x509.load_pem_x509_certificate(self.cert.read_bytes()).public_bytes(serialization.Encoding.DER)


def make_cert(directory: Path, stem: str, common_name: str, dns: list[str], ips: list[str] = ()) -> Cert:
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    alt = [x509.DNSName(d) for d in dns] + [x509.IPAddress(ipaddress.ip_address(i)) for i in ips]
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(minutes=5)).not_valid_after(now + datetime.timedelta(days=2))
            .add_extension(x509.SubjectAlternativeName(alt), critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    directory.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = directory / f"{stem}.crt", directory / f"{stem}.key"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    key_path.chmod(0o600)
    return Cert(cert_path, key_path, common_name)


@pytest.fixture(scope="module")
def certs(tmp_path_factory) -> dict[str, Cert]:
    root = tmp_path_factory.mktemp("tls-certs")
    return {
        "default": make_cert(root, "default", "localhost", ["localhost"], ["127.0.0.1"]),
        "other": make_cert(root, "other", "other.test", ["other.test", "*.wild.test"]),
    }


def tls_flags(*pairs: Cert) -> list[str]:
    flags = []
    for c in pairs:
        flags += ["--tls-cert", str(c.cert), "--tls-key", str(c.key)]
    return flags


def client_context(*trusted: Cert, minimum=ssl.TLSVersion.TLSv1_2, maximum=ssl.TLSVersion.MAXIMUM_SUPPORTED,
                   alpn: list[str] | None = None) -> ssl.SSLContext:
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    for c in trusted:
        ctx.load_verify_locations(cafile=str(c.cert))
    ctx.minimum_version = minimum
    ctx.maximum_version = maximum
    if alpn:
        ctx.set_alpn_protocols(alpn)
    return ctx


def tls_connect(port: int, ctx: ssl.SSLContext, server_hostname: str = "localhost",
                session: ssl.SSLSession | None = None) -> ssl.SSLSocket:
    raw = socket.create_connection(("127.0.0.1", port), timeout=5)
    try:
        return ctx.wrap_socket(raw, server_hostname=server_hostname, session=session)
    except BaseException:
        raw.close()
        raise


def get(sock: ssl.SSLSocket, path: str = "/bench", host: str = "localhost") -> httpkit.Resp:
    sock.sendall(httpkit.serialize("GET", path, host=host))
    [resp], _ = httpkit.raw_responses(sock, ["GET"])
    return resp


@pytest.fixture
def tls_echo(start_server, certs):
    return start_server("--header-timeout", "2", *tls_flags(certs["default"], certs["other"]))


# --- handshake, versions, ALPN, resumption ----------------------------------------------------

@pytest.mark.parametrize("version", [ssl.TLSVersion.TLSv1_3, ssl.TLSVersion.TLSv1_2])
def test_tls_13_and_12_handshake_and_serve(tls_echo, certs, version):
    assert tls_echo.scheme == "https"
    with tls_connect(tls_echo.port, client_context(certs["default"], minimum=version, maximum=version)) as s:
        assert s.version() == {ssl.TLSVersion.TLSv1_3: "TLSv1.3", ssl.TLSVersion.TLSv1_2: "TLSv1.2"}[version]
        cipher = s.cipher()[0]
        if version == ssl.TLSVersion.TLSv1_2:
            assert cipher.startswith("ECDHE-") and ("GCM" in cipher or "CHACHA20" in cipher), cipher
        r = get(s)
        assert r.status == 200 and r.header("strict-transport-security") == HSTS
        assert s.compression() is None
        # keep-alive: a second request on the same TLS connection
        assert get(s).status == 200


def test_tls_11_is_refused(tls_echo, certs):
    ctx = client_context(certs["default"], minimum=ssl.TLSVersion.MINIMUM_SUPPORTED, maximum=ssl.TLSVersion.TLSv1_1)
    ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
    with pytest.raises((ssl.SSLError, ConnectionResetError)):
        tls_connect(tls_echo.port, ctx).close()


def test_httpx_over_https(tls_echo, certs):
    with httpx.Client(verify=client_context(certs["default"])) as client:
        r = client.get(f"https://localhost:{tls_echo.port}/bench")
        assert r.status_code == 200 and r.http_version == "HTTP/1.1"
        assert client.post(f"https://localhost:{tls_echo.port}/echo", content=b"x" * 200_000).content == b"x" * 200_000


def test_event_stream_and_http10_over_tls(tls_echo, certs):
    with httpx.Client(verify=client_context(certs["default"])) as client:
        with client.stream("GET", f"https://localhost:{tls_echo.port}/sse?count=3&interval_ms=20") as r:
            assert r.headers["content-type"] == "text/event-stream"
            assert r.headers["strict-transport-security"] == HSTS
            text = "".join(r.iter_text())
    assert text.count("event: tick") == 3
    # HTTP/1.0: the response ends with the connection, after close_notify
    with tls_connect(tls_echo.port, client_context(certs["default"])) as s:
        s.sendall(b"GET /bench HTTP/1.0\r\n\r\n")
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    assert data.startswith(b"HTTP/1.1 200 OK\r\n") and data.endswith(b"}")


def test_alpn_http11_selected_and_h2_only_refused(tls_echo, certs):
    with tls_connect(tls_echo.port, client_context(certs["default"], alpn=["h2", "http/1.1"])) as s:
        assert s.selected_alpn_protocol() == "http/1.1"
        assert get(s).status == 200
    with pytest.raises(ssl.SSLError, match="NO_APPLICATION_PROTOCOL|no application protocol"):
        tls_connect(tls_echo.port, client_context(certs["default"], alpn=["h2"])).close()


@pytest.mark.parametrize("version", [ssl.TLSVersion.TLSv1_3, ssl.TLSVersion.TLSv1_2])
def test_session_resumption(tls_echo, certs, version):
    ctx = client_context(certs["default"], minimum=version, maximum=version)
    with tls_connect(tls_echo.port, ctx) as first:
        assert get(first).status == 200   # TLS 1.3 tickets arrive after the handshake
        session = first.session
        assert not first.session_reused
    assert session is not None
    # several times: SO_REUSEPORT spreads connections over the loops, which share ticket keys
    for _ in range(6):
        with tls_connect(tls_echo.port, ctx, session=session) as again:
            assert again.session_reused
            assert get(again).status == 200


# --- SNI ------------------------------------------------------------------------------------

@pytest.mark.parametrize("server_name,expected", [
    ("localhost", "default"), ("other.test", "other"), ("a.wild.test", "other"), ("OTHER.TEST", "other"),
])
def test_sni_picks_the_certificate(tls_echo, certs, server_name, expected):
    with tls_connect(tls_echo.port, client_context(certs["default"], certs["other"]), server_hostname=server_name) as s:
        assert s.getpeercert(binary_form=True) == certs[expected].der
        assert get(s, host=server_name).status == 200


def test_client_refuses_a_certificate_for_another_name(tls_echo, certs):
    # No certificate covers it: the default one is served, and the client rejects it.
    with pytest.raises(ssl.SSLCertVerificationError):
        tls_connect(tls_echo.port, client_context(certs["default"], certs["other"]), server_hostname="b.c.wild.test")
    ctx = client_context(certs["default"], certs["other"])
    ctx.check_hostname = False
    with tls_connect(tls_echo.port, ctx, server_hostname="nothing.test") as s:
        assert s.getpeercert(binary_form=True) == certs["default"].der


# --- what is not TLS ----------------------------------------------------------------------------

def test_plain_http_to_the_tls_port_gets_400(tls_echo):
    with httpkit.connect(tls_echo.port) as sock:
        sock.sendall(b"GET /bench HTTP/1.1\r\nHost: x\r\n\r\n")
        data, closed = httpkit.read_until_close(sock, 5)
    assert closed
    assert data.startswith(b"HTTP/1.1 400 Bad Request\r\n"), data[:200]
    assert b"plain HTTP request sent to the HTTPS port" in data
    assert b"strict-transport-security" not in data.lower()


@pytest.mark.parametrize("garbage", [b"\x00\x01\x02\x03", b"\x15\x03\x03\x00\x02\x02\x28", b"hello\r\n", b"\x16\x03\x01\x00\x05xxxxx"])
def test_non_tls_garbage_is_closed(tls_echo, garbage):
    with httpkit.connect(tls_echo.port) as sock:
        sock.sendall(garbage)
        data, closed = httpkit.read_until_close(sock, 5)
    assert closed
    assert not data.startswith(b"HTTP/")


def test_a_silent_client_is_cut_by_the_header_timeout(tls_echo):
    with httpkit.connect(tls_echo.port) as sock:
        start = time.monotonic()
        _, closed = httpkit.read_until_close(sock, 6)
        assert closed and time.monotonic() - start < 4.5


def test_a_stalled_handshake_is_cut_by_the_header_timeout(tls_echo):
    with httpkit.connect(tls_echo.port) as sock:
        sock.sendall(b"\x16\x03\x01\x02\x00\x01")   # the start of a ClientHello, never finished
        start = time.monotonic()
        _, closed = httpkit.read_until_close(sock, 6)
        assert closed and time.monotonic() - start < 4.5


MALFORMED = [
    b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
    b"GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost x\r\n\r\n",
    b"GET / HTTP/2.0\r\nHost: x\r\n\r\n",
    b"G@T / HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET / HTTP/1.1\r\nHost: x\r\nX: " + b"a" * 70_000 + b"\r\n\r\n",
    b"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
    b"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n",
]


def _status_line(sock: socket.socket, request: bytes) -> bytes:
    sock.sendall(request)
    data, _ = httpkit.read_until_close(sock, 5)
    return data.split(b"\r\n", 1)[0]


@pytest.mark.parametrize("request_bytes", MALFORMED, ids=range(len(MALFORMED)))
def test_malformed_http_behind_tls_gets_the_same_answer(start_server, certs, request_bytes):
    flags = ["--header-timeout", "2", "--max-body", "65536"]
    plain = start_server(*flags)
    secure = start_server(*flags, *tls_flags(certs["default"]))
    with httpkit.connect(plain.port) as sock:
        expected = _status_line(sock, request_bytes)
    with tls_connect(secure.port, client_context(certs["default"])) as sock:
        got = _status_line(sock, request_bytes)
    assert expected[:10] in (b"HTTP/1.1 4", b"HTTP/1.1 5"), expected
    assert got == expected


# --- reload ---------------------------------------------------------------------------------

def test_sighup_reloads_certificates_and_keeps_connections(start_server, tmp_path, certs):
    live = make_cert(tmp_path, "live", "localhost", ["localhost"], ["127.0.0.1"])
    before = live.der
    server = start_server("--idle-timeout", "30", *tls_flags(live))
    old_ca = Cert(tmp_path / "old-ca.crt", live.key, "localhost")
    old_ca.cert.write_bytes(live.cert.read_bytes())
    ctx_old = client_context(old_ca)
    kept = tls_connect(server.port, ctx_old)
    try:
        assert get(kept).status == 200
        with tls_connect(server.port, ctx_old) as s:
            assert get(s).status == 200
            session = s.session

        fresh = make_cert(tmp_path / "next", "live", "localhost", ["localhost"], ["127.0.0.1"])
        os.replace(fresh.cert, live.cert)
        os.replace(fresh.key, live.key)
        server.proc.send_signal(signal.SIGHUP)
        ctx_new = client_context(live)
        deadline = time.monotonic() + 5
        # (a client store holding both same-named certificates would pick one by name: poll unverified)
        peek = client_context()
        peek.check_hostname = False
        peek.verify_mode = ssl.CERT_NONE
        while True:
            with tls_connect(server.port, peek) as s:
                seen = s.getpeercert(binary_form=True)
            if seen != before or time.monotonic() > deadline:
                break
            time.sleep(0.05)
        assert seen == live.der and seen != before
        with tls_connect(server.port, ctx_new) as s:
            assert get(s).status == 200
        # the connection made before the reload still works
        assert get(kept).status == 200
        assert server.alive()
        # and a session from before the reload resumes (the ticket keys carry over)
        with tls_connect(server.port, ctx_old, session=session) as s:
            assert s.session_reused
            assert get(s).status == 200
        assert "tls_reloaded" in server.stderr_text()

        # a broken file: the reload fails, one line, no key material, the old certificate stays
        live.key.write_text("-----BEGIN PRIVATE KEY-----\nnot-a-key-SECRETBYTES\n-----END PRIVATE KEY-----\n")
        server.proc.send_signal(signal.SIGHUP)
        deadline = time.monotonic() + 5
        while "tls_reload_failed" not in server.stderr_text() and time.monotonic() < deadline:
            time.sleep(0.05)
        log = server.stderr_text()
        assert log.count("tls_reload_failed") == 1 and "SECRETBYTES" not in log
        with tls_connect(server.port, ctx_new) as s:
            assert get(s).status == 200
        assert get(kept).status == 200
    finally:
        kept.close()


# --- deskgate-auth and deskgate-mcp -------------------------------------------------------------

@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    return demo_workspace(tmp_path_factory, "tls-auth", tickets=5)


@pytest.mark.parametrize("tls", [True, False], ids=["https", "http"])
def test_auth_pages_secure_cookie_and_hsts(start_server, workspace, certs, tls):
    db, root, _ = workspace
    flags = ["--database", db, "--keys", str(root / "keys")] + (tls_flags(certs["default"]) if tls else [])
    auth = start_server(*flags, program="deskgate-auth")
    assert auth.scheme == ("https" if tls else "http")
    with httpx.Client(verify=client_context(certs["default"])) as client:
        r = client.get(f"{auth.scheme}://localhost:{auth.port}/t/acme/login")
        assert r.status_code == 200
        cookies = r.headers.get_list("set-cookie")
        assert cookies, r.headers
        if tls:
            assert r.headers["strict-transport-security"] == HSTS
            assert all("; Secure" in c for c in cookies), cookies
            # the issuer names https
            meta = client.get(f"https://localhost:{auth.port}/.well-known/oauth-authorization-server/t/acme").json()
            assert meta["issuer"].startswith("https://127.0.0.1:")
        else:
            assert "strict-transport-security" not in r.headers
            assert not any("Secure" in c for c in cookies), cookies


def test_mcp_sdk_over_https_with_a_pat(tmp_path_factory, certs):
    from mcp import Client
    from mcp.client.streamable_http import streamable_http_client

    dep = make_deployment(tmp_path_factory, start=False)
    dep.server = Server("deskgate-mcp", ["--database", dep.database, "--keys", str(dep.keys), *tls_flags(certs["default"])],
                        label="deskgate-mcp (tls)")
    try:
        assert dep.base_url.startswith("https://")
        url = f"https://localhost:{dep.server.port}/t/{TENANT}/mcp"

        async def go():
            async with httpx2.AsyncClient(verify=client_context(certs["default"]), timeout=httpx2.Timeout(30.0),
                                          headers={"Authorization": f"Bearer {dep.tokens['admin'].token}"}) as hc:
                async with Client(streamable_http_client(url, http_client=hc), read_timeout_seconds=30) as client:
                    tools = await client.list_tools()
                    assert "search_tickets" in {t.name for t in tools.tools}
                    result = await client.call_tool("get_ticket_metadata", {"ticket": 1})
                    assert not result.is_error, result
        asyncio.run(asyncio.wait_for(go(), timeout=60))
        # the protected-resource metadata names the https resource
        with httpx.Client(verify=client_context(certs["default"])) as client:
            prm = client.get(f"https://localhost:{dep.server.port}/.well-known/oauth-protected-resource/t/{TENANT}/mcp")
            assert prm.status_code == 200 and prm.json()["resource"].startswith("https://")
            assert prm.headers["strict-transport-security"] == HSTS
    finally:
        crashed = dep.server.crashed()
        dep.server.stop()
        dep.server.close()
        assert crashed is None, crashed


# --- deskgate up --tls ------------------------------------------------------------------------

def _up(tmp_path: Path, auth_port: int, mcp_port: int) -> subprocess.Popen:
    env = {**os.environ, "DESKGATE_AUTH_PORT": str(auth_port), "DESKGATE_MCP_PORT": str(mcp_port)}
    database = dbkit.database(tmp_path / "var" / "deskgate.sqlite")
    where = ["--database", database] if dbkit.is_url(database) else []
    return subprocess.Popen([str(binary("deskgate")), *where, "up", "--tls", "--tickets", "5"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def test_up_tls_serves_https_with_a_generated_certificate(tmp_path):
    auth_port, mcp_port = free_port(), free_port()
    cert = tmp_path / "keys" / "dev-tls.crt.pem"
    key = tmp_path / "keys" / "dev-tls.key.pem"
    fingerprints = []
    for round_ in range(2):   # the second run reuses the certificate
        proc = _up(tmp_path, auth_port, mcp_port)
        try:
            banner = read_output_until(proc, "NODE_EXTRA_CA_CERTS", timeout=60)
            assert "Deskgate is running" in banner, banner + proc.stderr.read1().decode() if proc.stderr else banner
            assert f"https://127.0.0.1:{mcp_port}/t/acme/mcp" in banner
            assert f"https://127.0.0.1:{auth_port}/t/acme/login" in banner
            assert f"curl --cacert keys/dev-tls.crt.pem" in banner and "SSL_CERT_FILE=keys/dev-tls.crt.pem" in banner
            assert key.stat().st_mode & 0o777 == 0o600
            parsed = x509.load_pem_x509_certificate(cert.read_bytes())
            assert isinstance(parsed.public_key(), ec.EllipticCurvePublicKey)
            assert parsed.public_key().curve.name == "secp256r1"
            names = parsed.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
            assert "localhost" in names.get_values_for_type(x509.DNSName)
            assert {str(i) for i in names.get_values_for_type(x509.IPAddress)} == {"127.0.0.1", "::1"}
            fingerprints.append(parsed.fingerprint(hashes.SHA256()))
            for host in ("127.0.0.1", "localhost"):
                for port in (auth_port, mcp_port):
                    r = httpx.get(f"https://{host}:{port}/readyz", verify=ssl.create_default_context(cafile=str(cert)))
                    assert r.json() == {"status": "ready"} and r.headers["strict-transport-security"] == HSTS
            with pytest.raises(httpx.ConnectError):
                httpx.get(f"https://127.0.0.1:{mcp_port}/readyz")   # not trusted by default
            proc.send_signal(signal.SIGINT)
            assert proc.wait(timeout=20) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    assert fingerprints[0] == fingerprints[1]


# --- back-pressure with input held inside OpenSSL -------------------------------------------------

class MemoryTLS:
    """A TLS client over a socket through memory BIOs, so several records leave in one send."""

    def __init__(self, port: int, ctx: ssl.SSLContext):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.incoming, self.outgoing = ssl.MemoryBIO(), ssl.MemoryBIO()
        self.tls = ctx.wrap_bio(self.incoming, self.outgoing, server_hostname="localhost")
        while True:
            try:
                self.tls.do_handshake()
                break
            except ssl.SSLWantReadError:
                self._pump()
        self.sock.sendall(self.outgoing.read())

    def _pump(self) -> None:
        pending = self.outgoing.read()
        if pending:
            self.sock.sendall(pending)
        data = self.sock.recv(65536)
        if not data:
            self.incoming.write_eof()
        self.incoming.write(data)

    def send_records(self, *plaintexts: bytes) -> None:
        for p in plaintexts:
            self.tls.write(p)   # one record each (all below 16 KB)
        self.sock.sendall(self.outgoing.read())   # all records in one segment

    def read_all(self, until: bytes, timeout: float) -> bytes:
        got = b""
        deadline = time.monotonic() + timeout
        while until not in got and time.monotonic() < deadline:
            try:
                got += self.tls.read(65536)
            except ssl.SSLWantReadError:
                self.sock.settimeout(max(0.01, deadline - time.monotonic()))
                try:
                    self._pump()
                except socket.timeout:
                    break
        return got


def test_input_held_inside_openssl_is_read_after_back_pressure(start_server, certs):
    """Reading pauses when buffered input passes the limit (here 4 KB); the next record is
    already inside OpenSSL (read ahead with the first, in one segment), where epoll cannot
    report it. Once the slow request is answered and reading resumes, that record must be
    served without the client sending anything more."""
    server = start_server("--max-buffered-input", "4096", *tls_flags(certs["default"]))
    client = MemoryTLS(server.port, client_context(certs["default"]))
    try:
        filler = b"".join(httpkit.serialize("GET", f"/items/{i}") for i in range(120))
        assert 4096 < len(filler) < 15_000
        first = httpkit.serialize("GET", "/slow?ms=300") + filler
        last = httpkit.serialize("GET", "/items/last")
        client.send_records(first, last)
        received = client.read_all(b'"id":"last"', timeout=10)
        assert received.count(b"HTTP/1.1 200 OK") == 122, received[-300:]
        assert b'"id":"last"' in received
    finally:
        client.sock.close()


def _send_while_reading(sock: ssl.SSLSocket, data: bytes, timeout: float) -> bytes:
    """Sends all of `data` on a non-blocking SSL socket, reading whatever arrives meanwhile;
    returns what was read. The socket is blocking again afterwards."""
    out, sent, received = memoryview(data), 0, bytearray()
    deadline = time.monotonic() + timeout
    sock.setblocking(False)
    with selectors.DefaultSelector() as sel:
        sel.register(sock, selectors.EVENT_READ | selectors.EVENT_WRITE)
        while sent < len(out):
            if time.monotonic() > deadline:
                raise TimeoutError(f"sent {sent} of {len(out)} bytes")
            for _, mask in sel.select(timeout=1):
                try:
                    if mask & selectors.EVENT_READ:
                        chunk = sock.recv(65536)
                        if not chunk:
                            raise ConnectionError("server closed the connection while we were sending")
                        received += chunk
                    if mask & selectors.EVENT_WRITE:
                        sent += sock.send(out[sent:sent + 65536])
                except (ssl.SSLWantReadError, ssl.SSLWantWriteError):
                    pass
    sock.setblocking(True)
    return bytes(received)


class _Prebuffered:
    """A socket whose first bytes were already read: `recv` gives those, then the socket's."""

    def __init__(self, sock: ssl.SSLSocket, data: bytes):
        self.sock, self.data = sock, data

    def settimeout(self, value: float) -> None:
        self.sock.settimeout(value)

    def recv(self, size: int) -> bytes:
        if self.data:
            chunk, self.data = self.data[:size], self.data[size:]
            return chunk
        return self.sock.recv(size)


def test_pipelined_flood_behind_a_slow_request_is_served_in_full(start_server, certs):
    """More pipelined input than the server buffers (2 MiB) behind a request that waits: every
    request is answered once the slow one is."""
    server = start_server("--max-body", "65536", *tls_flags(certs["default"]))
    body = b"y" * 60_000
    count = 60   # 3.6 MB of bodies
    requests = [httpkit.serialize("GET", "/slow?ms=400")] + \
        [httpkit.serialize("POST", "/echo", headers=[("Content-Type", "application/octet-stream")], body=body)] * count
    with tls_connect(server.port, client_context(certs["default"])) as sock:
        # One thread sends and reads (the server stops reading while its answers are not read):
        # an SSL socket used from two threads at once can crash the client's OpenSSL.
        early = _send_while_reading(sock, b"".join(requests), timeout=30)
        responses, _ = httpkit.raw_responses(_Prebuffered(sock, early), ["GET"] + ["POST"] * count, timeout=30)
    assert responses[0].status == 200
    assert all(r.status == 200 and r.body == body for r in responses[1:])

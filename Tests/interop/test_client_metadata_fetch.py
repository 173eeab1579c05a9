"""Client ID metadata document fetching (issue 4, "Clients"): `deskgate debug
fetch-client-metadata` runs the authorization server's fetcher against real TLS and HTTP
servers from Python's standard library, with certificates minted here by `cryptography`.

The TLS servers can only listen on loopback, which the fetcher rightly refuses; the tests
pin a made-up name to 127.0.0.1 (`--resolve`) and mark that one address as public
(`--trust-address`), two debug-command options that server configuration cannot set.
Everything else (resolution rules, certificate and host-name checks, HTTP handling,
document validation) is the code the authorization server runs."""

from __future__ import annotations

import datetime
import http.server
import ipaddress
import json
import os
import ssl
import subprocess
import threading
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from conftest import binary

HOST = "meta.test"


# ---------------------------------------------------------------- certificates

def _name(common_name: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def _write_key(path: Path, key) -> None:
    path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                       serialization.NoEncryption()))


def _certificate(subject: str, issuer_name: x509.Name, issuer_key, public_key, *, ca: bool, dns: list[str],
                 ips: tuple[str, ...] = (), expired: bool = False):
    now = datetime.datetime.now(datetime.timezone.utc)
    start = now - datetime.timedelta(days=3 if expired else 0, minutes=5)
    end = now - datetime.timedelta(days=1) if expired else now + datetime.timedelta(days=1)
    builder = (x509.CertificateBuilder()
               .subject_name(_name(subject)).issuer_name(issuer_name).public_key(public_key)
               .serial_number(x509.random_serial_number())
               .not_valid_before(start)
               .not_valid_after(end)
               .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True))
    if ca:
        builder = builder.add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                                      content_commitment=False, key_encipherment=False,
                                                      data_encipherment=False, key_agreement=False,
                                                      encipher_only=False, decipher_only=False), critical=True)
    else:
        builder = (builder
                   .add_extension(x509.SubjectAlternativeName([x509.DNSName(d) for d in dns] +
                                                              [x509.IPAddress(ipaddress.ip_address(a)) for a in ips]),
                                  critical=False)
                   .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False))
    return builder.sign(issuer_key, hashes.SHA256())


@dataclass
class Certificates:
    ca_file: Path
    good: tuple[Path, Path]            # for meta.test, issued by the test CA
    wrong_host: tuple[Path, Path]      # for other.test, issued by the test CA
    self_signed: tuple[Path, Path]     # for meta.test, issued by nobody we trust
    expired: tuple[Path, Path]         # for meta.test, issued by the test CA, expired yesterday
    ip: tuple[Path, Path]              # for the IP address 127.0.0.1 (no DNS name), by the test CA


@pytest.fixture(scope="module")
def certificates(tmp_path_factory) -> Certificates:
    directory = tmp_path_factory.mktemp("cimd-certs")
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = _certificate("Deskgate test CA", _name("Deskgate test CA"), ca_key, ca_key.public_key(), ca=True, dns=[])
    ca_file = directory / "ca.pem"
    ca_file.write_bytes(ca.public_bytes(serialization.Encoding.PEM))

    def leaf(label: str, dns: str, signed_by_ca: bool, **options) -> tuple[Path, Path]:
        key = ec.generate_private_key(ec.SECP256R1())
        if signed_by_ca:
            cert = _certificate(dns or label, ca.subject, ca_key, key.public_key(), ca=False, dns=[dns] if dns else [], **options)
        else:
            cert = _certificate(dns, _name(dns), key, key.public_key(), ca=False, dns=[dns])
        cert_path, key_path = directory / f"{label}.crt", directory / f"{label}.key"
        cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        _write_key(key_path, key)
        return cert_path, key_path

    return Certificates(ca_file=ca_file, good=leaf("good", HOST, True), wrong_host=leaf("wrong", "other.test", True),
                        self_signed=leaf("self", HOST, False), expired=leaf("expired", HOST, True, expired=True),
                        ip=leaf("ip", "", True, ips=("127.0.0.1",)))


# ---------------------------------------------------------------- document servers

@dataclass
class DocumentServer:
    scheme: str
    port: int
    requests: list[dict] = field(default_factory=list)
    server_names: list[str | None] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)

    def url(self, path: str, host: str = HOST) -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def paths(self) -> list[str]:
        return [r["path"] for r in self.requests]


def _handler(state: DocumentServer):
    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args):
            pass

        def _send(self, status: int, body: bytes, content_type: str = "application/json", extra=()):
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            for name, value in extra:
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(body)

        def _document(self, client_id: str, **fields) -> bytes:
            doc = {"client_id": client_id, "client_name": "Interop Client",
                   "redirect_uris": ["http://127.0.0.1/callback", "https://client.example/cb"],
                   "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"],
                   "token_endpoint_auth_method": "none", **fields}
            return json.dumps(doc).encode()

        def do_GET(self):
            host_header = self.headers.get("Host", "")
            state.requests.append({"path": self.path, "host": host_header, "accept": self.headers.get("Accept")})
            own_url = f"{state.scheme}://{host_header}{self.path}"
            if self.path == "/client.json":
                self._send(200, self._document(own_url), extra=[("Cache-Control", "public, max-age=900")])
            elif self.path == "/chunked.json":
                body = self._document(own_url)
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                for start in range(0, len(body), 17):
                    piece = body[start:start + 17]
                    self.wfile.write(f"{len(piece):x}\r\n".encode() + piece + b"\r\n")
                self.wfile.write(b"0\r\n\r\n")
            elif self.path == "/other-id.json":
                self._send(200, self._document(f"{state.scheme}://{host_header}/client.json"))
            elif self.path == "/secret.json":
                self._send(200, self._document(own_url, token_endpoint_auth_method="client_secret_basic"))
            elif self.path == "/big.json":
                self._send(200, self._document(own_url, client_uri="https://client.example/" + "x" * 6000))
            elif self.path == "/redirect.json":
                self._send(302, b"", extra=[("Location", f"{state.scheme}://{host_header}/client.json")])
            elif self.path == "/html.json":
                self._send(200, self._document(own_url), content_type="text/html")
            elif self.path == "/slow.json":
                state.release.wait(timeout=30)
                self._send(200, self._document(own_url))
            else:
                self._send(404, b'{"error":"not_found"}')

    return Handler


def _serve(state: DocumentServer, context: ssl.SSLContext | None):
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    server.daemon_threads = True
    if context is not None:
        server.socket = context.wrap_socket(server.socket, server_side=True)
    state.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server


@pytest.fixture
def tls_server(certificates):
    """Factory: tls_server(cert_pair) -> DocumentServer over HTTPS on 127.0.0.1."""
    running = []

    def start(pair: tuple[Path, Path]) -> DocumentServer:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(str(pair[0]), str(pair[1]))
        state = DocumentServer("https", 0)
        context.sni_callback = lambda sock, name, ctx: state.server_names.append(name)
        running.append((_serve(state, context), state))
        return state

    yield start
    for server, state in running:
        state.release.set()
        server.shutdown()
        server.server_close()


@pytest.fixture
def http_server():
    state = DocumentServer("http", 0)
    server = _serve(state, None)
    yield state
    state.release.set()
    server.shutdown()
    server.server_close()


# ---------------------------------------------------------------- the command

@dataclass
class Outcome:
    code: int
    document: dict | None
    error: str


def fetch(url: str, *options: str, ca_file: Path | None = None, env: dict | None = None, pin: bool = True) -> Outcome:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("DESKGATE_")}
    if ca_file is not None:
        environment["DESKGATE_CLIENT_METADATA_CA_FILE"] = str(ca_file)
    environment.update(env or {})
    pinning = ["--resolve", f"{HOST}=127.0.0.1", "--trust-address", "127.0.0.1"] if pin else []
    result = subprocess.run([str(binary("deskgate")), "debug", "fetch-client-metadata", url, *pinning, *options],
                            capture_output=True, text=True, env=environment, timeout=60)
    document = json.loads(result.stdout) if result.returncode == 0 else None
    return Outcome(result.returncode, document, result.stderr.strip())


def assert_refused(outcome: Outcome, fragment: str) -> None:
    assert outcome.code == 1, outcome
    assert outcome.document is None
    assert fragment in outcome.error, outcome.error


# ---------------------------------------------------------------- https

def test_good_document_over_verified_tls_is_accepted(tls_server, certificates):
    server = tls_server(certificates.good)
    url = server.url("/client.json")
    outcome = fetch(url, ca_file=certificates.ca_file)
    assert outcome.code == 0, outcome.error
    assert outcome.document == {
        "client_id": url, "client_name": "Interop Client",
        "redirect_uris": ["http://127.0.0.1/callback", "https://client.example/cb"],
        "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"],
        "token_endpoint_auth_method": "none", "max_age_seconds": 900,
    }
    # One GET, with the URL's host in SNI and Host, asking for JSON.
    assert server.requests == [{"path": "/client.json", "host": f"{HOST}:{server.port}", "accept": "application/json"}]
    assert server.server_names == [HOST]


def test_chunked_response_is_accepted(tls_server, certificates):
    server = tls_server(certificates.good)
    outcome = fetch(server.url("/chunked.json"), ca_file=certificates.ca_file)
    assert outcome.code == 0, outcome.error
    assert outcome.document["client_id"] == server.url("/chunked.json")
    assert outcome.document["max_age_seconds"] == 3600      # no cache headers: the default


def test_certificate_from_an_untrusted_issuer_is_refused(tls_server, certificates):
    server = tls_server(certificates.self_signed)
    assert_refused(fetch(server.url("/client.json"), ca_file=certificates.ca_file), "certificate verification failed")
    assert server.paths() == []


def test_test_ca_is_not_trusted_without_the_setting(tls_server, certificates):
    # The system trust store does not know the test CA.
    server = tls_server(certificates.good)
    assert_refused(fetch(server.url("/client.json")), "certificate verification failed")
    assert server.paths() == []


def test_expired_certificate_is_refused(tls_server, certificates):
    server = tls_server(certificates.expired)
    assert_refused(fetch(server.url("/client.json"), ca_file=certificates.ca_file), "certificate verification failed")
    assert server.paths() == []


def test_ip_literal_host_is_verified_against_the_certificate_ip(tls_server, certificates):
    # An IP-literal client_id: no SNI, and the certificate must name that IP address.
    server = tls_server(certificates.ip)
    url = f"https://127.0.0.1:{server.port}/client.json"
    trusted = ("--trust-address", "127.0.0.1")
    outcome = fetch(url, *trusted, ca_file=certificates.ca_file, pin=False)
    assert outcome.code == 0, outcome.error
    assert outcome.document["client_id"] == url
    assert server.server_names == [None]
    # The meta.test certificate does not cover 127.0.0.1.
    named = tls_server(certificates.good)
    assert_refused(fetch(f"https://127.0.0.1:{named.port}/client.json", *trusted, ca_file=certificates.ca_file, pin=False),
                   "certificate verification failed")
    assert named.paths() == []


def test_certificate_for_another_host_is_refused(tls_server, certificates):
    server = tls_server(certificates.wrong_host)
    assert_refused(fetch(server.url("/client.json"), ca_file=certificates.ca_file), "certificate verification failed")
    assert server.paths() == []


@pytest.mark.parametrize("path, fragment", [
    ("/other-id.json", "client_id does not match the URL"),
    ("/secret.json", "token_endpoint_auth_method must be none"),
    ("/big.json", "exceeds the size limit"),
    ("/redirect.json", "redirects are not followed"),
    ("/html.json", "must be served as application/json"),
    ("/missing.json", "HTTP status 404"),
])
def test_bad_responses_are_refused(tls_server, certificates, path, fragment):
    server = tls_server(certificates.good)
    assert_refused(fetch(server.url(path), ca_file=certificates.ca_file), fragment)
    assert server.paths() == [path]          # the redirect target was not fetched


def test_slow_server_times_out(tls_server, certificates):
    server = tls_server(certificates.good)
    assert_refused(fetch(server.url("/slow.json"), "--timeout-ms", "700", ca_file=certificates.ca_file), "timed out")


# ---------------------------------------------------------------- address rules

@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "169.254.169.254", "::1", "fd00::1", "::ffff:127.0.0.1"])
def test_names_resolving_to_internal_addresses_are_refused(tls_server, certificates, address):
    server = tls_server(certificates.good)
    outcome = fetch(server.url("/client.json"), "--resolve", f"{HOST}={address}", ca_file=certificates.ca_file, pin=False)
    assert_refused(outcome, "address not allowed")
    assert server.paths() == []


def test_one_internal_answer_among_public_ones_is_refused(tls_server, certificates):
    server = tls_server(certificates.good)
    outcome = fetch(server.url("/client.json"), "--resolve", f"{HOST}=93.184.215.14,10.0.0.7",
                    ca_file=certificates.ca_file, pin=False)
    assert_refused(outcome, "address not allowed")


@pytest.mark.parametrize("url", [
    "https://localhost:{port}/client.json",          # resolved by the system resolver: loopback
    "https://127.0.0.1:{port}/client.json",
    "https://[::1]:{port}/client.json",
    "https://10.0.0.1:{port}/client.json",
])
def test_internal_hosts_are_refused_without_pinning(tls_server, certificates, url):
    server = tls_server(certificates.good)
    assert_refused(fetch(url.format(port=server.port), ca_file=certificates.ca_file, pin=False), "address not allowed")
    assert server.paths() == []


def test_the_development_flag_does_not_open_https_to_loopback(tls_server, certificates):
    server = tls_server(certificates.good)
    outcome = fetch(f"https://localhost:{server.port}/client.json", "--allow-insecure-loopback",
                    ca_file=certificates.ca_file, pin=False)
    assert_refused(outcome, "address not allowed")


# ---------------------------------------------------------------- plain http (development flag)

@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_http_loopback_only_with_the_development_flag(http_server, host):
    url = http_server.url("/client.json", host=host)
    assert_refused(fetch(url, pin=False), "must use https")
    assert http_server.paths() == []

    flagged = fetch(url, "--allow-insecure-loopback", pin=False)
    assert flagged.code == 0, flagged.error
    assert flagged.document["client_id"] == url

    # The same switch from configuration, as deskgate-auth reads it.
    configured = fetch(url, env={"DESKGATE_DEV_ALLOW_HTTP_CLIENT_METADATA": "true"}, pin=False)
    assert configured.code == 0, configured.error
    assert http_server.paths() == ["/client.json", "/client.json"]


def test_development_flag_is_loopback_only(http_server):
    outcome = fetch(f"http://{HOST}:{http_server.port}/client.json", "--allow-insecure-loopback")
    assert_refused(outcome, "loopback development only")
    assert http_server.paths() == []


# ---------------------------------------------------------------- servers that hang up

def _hang_up_server(context: ssl.SSLContext | None, after_handshake: bool):
    """Accepts one connection at a time and closes it at once (after the TLS handshake, if asked)."""
    import socket
    listener = socket.create_server(("127.0.0.1", 0))
    stop = threading.Event()

    def loop():
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except OSError:
                continue
            try:
                if after_handshake and context is not None:
                    conn.settimeout(5)
                    conn = context.wrap_socket(conn, server_side=True)
            except (OSError, ssl.SSLError):
                pass
            finally:
                # SO_LINGER 0: a reset, so the client's next write fails with EPIPE/ECONNRESET.
                import struct
                try:
                    conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                except OSError:
                    pass
                conn.close()

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    return listener, stop


@pytest.mark.parametrize("after_handshake", [False, True])
def test_server_hanging_up_is_an_error_not_a_crash(certificates, after_handshake):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(certificates.good[0]), str(certificates.good[1]))
    # TLS 1.2: the server's flight ends the handshake, so the client writes into a connection
    # the server has already reset. Writes go out with MSG_NOSIGNAL: an error, never SIGPIPE.
    context.maximum_version = ssl.TLSVersion.TLSv1_2
    listener, stop = _hang_up_server(context, after_handshake)
    try:
        port = listener.getsockname()[1]
        outcome = fetch(f"https://{HOST}:{port}/client.json", ca_file=certificates.ca_file)
        # Death by a signal would show as a negative return code.
        assert outcome.code == 1, outcome
        assert "could not be fetched" in outcome.error, outcome.error
    finally:
        stop.set()
        listener.close()

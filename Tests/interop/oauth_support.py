"""Support for the OAuth interop tests (issue 4): both servers on one database, each told the
other's public URL; a browser stand-in that submits our login and consent forms over plain HTTP;
token minting with the deployment's own dev key (for forgeries that must differ from a valid
token in exactly one respect); read/write access to the grant rows.

Contract (briefs/oauth-contract.md): issuer AUTH/t/{tenant}, resource MCP/t/{tenant}/mcp, RFC 9068
claims, browser-facing forms, access-token lifetime from DESKGATE_ACCESS_TOKEN_LIFETIME_SECONDS."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import os
import secrets
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

import dbkit
from conftest import Server, binary
from mcp_support import PASSWORD, TENANT, Deployment, cli

OTHER_TENANT = "globex"
# The contract names DESKGATE_ACCESS_TOKEN_LIFETIME_SECONDS; the auth-server branch reads
# DESKGATE_ACCESS_TOKEN_LIFETIME (file key oauth.access_token_lifetime_seconds). Both are set.
LIFETIME_ENVS = ("DESKGATE_ACCESS_TOKEN_LIFETIME", "DESKGATE_ACCESS_TOKEN_LIFETIME_SECONDS")
REDIRECT_URI = "http://127.0.0.1:53682/callback"
SCOPES = ("tickets:read", "tickets:write", "directory:read")


def free_port() -> int:
    """A loopback port nobody listens on right now (the MCP server is started on it, so the
    authorization server can be told its public URL before it exists)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class EnvServer(Server):
    """`conftest.Server` with its own environment and, optionally, a fixed port."""

    def __init__(self, program: str, args: list[str], label: str, env: dict[str, str], port: int = 0):
        self.label = label
        self.args = [str(binary(program)), "--host", "127.0.0.1", "--port", str(port), *dbkit.as_server(list(args))]
        self._stderr_file = tempfile.NamedTemporaryFile(prefix="deskgate-", suffix=".stderr", delete=False)
        self.stderr_path = Path(self._stderr_file.name)
        self.proc = subprocess.Popen(self.args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                     stderr=self._stderr_file, env={**os.environ, **env})
        self.expected_exit = False
        self.port = self._wait_listening(timeout=20.0)
        self.host = "127.0.0.1"
        self.base_url = f"http://127.0.0.1:{self.port}"


@dataclass
class OAuthDeployment(Deployment):
    """acme and globex demo tenants; deskgate-auth and deskgate-mcp on one database."""

    auth: Server | None = None
    mcp_port: int = 0
    auth_env: dict[str, str] = field(default_factory=dict)

    # -- URLs
    @property
    def auth_url(self) -> str:
        assert self.auth is not None
        return self.auth.base_url

    def issuer(self, tenant: str = TENANT) -> str:
        return f"{self.auth_url}/t/{tenant}"

    def resource(self, tenant: str = TENANT) -> str:
        return self.mcp_url(tenant)

    # -- keys
    def dev_key(self) -> tuple[ec.EllipticCurvePrivateKey, str]:
        """The deployment's signing key (the PEM `deskgate init` wrote) and its kid."""
        pem = (self.keys / "es256.key.pem").read_bytes()
        key = serialization.load_pem_private_key(pem, password=None)
        kid = next(k["kid"] for k in cli(self.database, self.keys, "keys", "list", json_out=True)
                   if k["state"] == "active")
        return key, kid

    # -- grants, written the way deskgate-auth records a consent
    def writable(self) -> dbkit.Connection:
        """Autocommit unless a statement says BEGIN."""
        return dbkit.connect(self.database, readonly=False)

    def insert_grant(self, user: str, client_id: str = "interop-forge", tenant: str = TENANT,
                     scopes: str = " ".join(SCOPES)) -> int:
        tid = self.tenant_id(tenant)
        conn = self.writable()
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("""INSERT INTO oauth_clients (tenant_id, client_id, kind, name, created_at)
                            VALUES (?, ?, 'preregistered', 'Interop forge', 0)
                            ON CONFLICT (tenant_id, client_id) DO NOTHING""", (tid, client_id))
            gid = conn.execute("""INSERT INTO oauth_grants (tenant_id, user_id, client_id, scopes, resource, created_at)
                                  VALUES (?, ?, ?, ?, ?, ?) RETURNING id""",
                               (tid, self.user_id(user, tenant), client_id, scopes, self.resource(tenant),
                                int(time.time() * 1000))).fetchone()[0]
            conn.execute("COMMIT")
            return gid
        finally:
            conn.close()

    def revoke_grant(self, grant_id: int) -> None:
        """What `deskgate app revoke` does to the row; the grant_revoked trigger bumps the
        revocation counter in the same transaction."""
        conn = self.writable()
        try:
            conn.execute("UPDATE oauth_grants SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                         (int(time.time() * 1000), grant_id))
        finally:
            conn.close()

    # -- minting
    def claims(self, user: str, grant_id: int, *, tenant: str = TENANT, client_id: str = "interop-forge",
               scope: str = " ".join(SCOPES), lifetime: int = 3600, now: int | None = None) -> dict[str, Any]:
        now = int(time.time()) if now is None else now
        return {"iss": self.issuer(tenant), "sub": str(self.user_id(user, tenant)), "aud": self.resource(tenant),
                "client_id": client_id, "scope": scope, "tenant": tenant, "iat": now, "nbf": now,
                "exp": now + lifetime, "jti": secrets.token_urlsafe(16), "grant_id": grant_id}

    def mint(self, claims: dict[str, Any], *, headers: dict[str, Any] | None = None,
             key: ec.EllipticCurvePrivateKey | None = None) -> str:
        """ES256 with the dev key and the contract header, unless overridden."""
        dev, kid = self.dev_key()
        return jwt.encode(claims, key or dev, algorithm="ES256",
                          headers={"typ": "at+jwt", "kid": kid, **(headers or {})})


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def hand_made(header: dict[str, Any], claims: dict[str, Any], sign) -> str:
    """A compact JWS with any header: `sign(signing_input_bytes) -> signature bytes`."""
    signing_input = b64url(json.dumps(header).encode()) + "." + b64url(json.dumps(claims).encode())
    return signing_input + "." + b64url(sign(signing_input.encode()))


def hs256(secret: bytes):
    return lambda data: hmac.new(secret, data, hashlib.sha256).digest()


def make_oauth_deployment(tmp_path_factory, *, lifetime: int | None = None, tickets: int = 40) -> OAuthDeployment:
    root = tmp_path_factory.mktemp("oauth")
    dep = OAuthDeployment(root=root, database=dbkit.database(root / "deskgate.sqlite"), keys=root / "keys")
    cli(dep.database, dep.keys, "init")
    cli(dep.database, dep.keys, "demo", "--tenant", TENANT, "--tickets", str(tickets))
    cli(dep.database, dep.keys, "demo", "--tenant", OTHER_TENANT, "--tickets", "5")
    dep.mcp_port = free_port()
    dep.auth_env = {"DESKGATE_MCP_PUBLIC_URL": f"http://127.0.0.1:{dep.mcp_port}"}
    if lifetime is not None:
        for name in LIFETIME_ENVS:
            dep.auth_env[name] = str(lifetime)
    args = ["--database", dep.database, "--keys", str(dep.keys)]
    dep.auth = EnvServer("deskgate-auth", args, "deskgate-auth (oauth interop)", dep.auth_env)
    dep.server = EnvServer("deskgate-mcp", args, "deskgate-mcp (oauth interop)",
                           {"DESKGATE_AUTH_PUBLIC_URL": dep.auth.base_url}, port=dep.mcp_port)
    return dep


def stop_deployment(dep: OAuthDeployment, request) -> None:
    problems = []
    for name, server in (("auth", dep.auth), ("mcp", dep.server)):
        if server is None:
            continue
        crashed = server.crashed()
        if crashed:
            problems.append(crashed)
        server.stop()
        if request.session.testsfailed or crashed:
            server.save_stderr(f"oauth-{name}-{request.module.__name__}")
        server.close()
    if problems:
        pytest.fail("; ".join(problems))


@pytest.fixture(scope="module")
def oauth_deployment(tmp_path_factory, request):
    dep = make_oauth_deployment(tmp_path_factory)
    yield dep
    stop_deployment(dep, request)


# --- the authorization server, as far as these tests need it -----------------------------------

def authorization_server_ready(dep: OAuthDeployment) -> str | None:
    """None when deskgate-auth serves the OAuth endpoints of the contract; otherwise why not.
    Tests that need them fail with this reason (they are not skipped: the flow is required)."""
    try:
        r = httpx.get(f"{dep.auth_url}/.well-known/oauth-authorization-server/t/{TENANT}", timeout=10)
    except httpx.HTTPError as e:
        return f"deskgate-auth unreachable: {e}"
    if r.status_code != 200:
        return f"deskgate-auth has no RFC 8414 metadata yet (HTTP {r.status_code}): the auth-server branch is not merged"
    return None


def require_authorization_server(dep: OAuthDeployment) -> dict[str, Any]:
    reason = authorization_server_ready(dep)
    if reason:
        pytest.fail(reason)
    return httpx.get(f"{dep.auth_url}/.well-known/oauth-authorization-server/t/{TENANT}", timeout=10).json()


# --- a browser stand-in for the login and consent pages ----------------------------------------

@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str]
    buttons: list[tuple[str, str]]


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[Form] = []
        self._current: Form | None = None

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self._current = Form(action=a.get("action", ""), method=a.get("method", "get").lower(), fields={}, buttons=[])
            self.forms.append(self._current)
        elif self._current is not None and tag in ("input", "button"):
            kind = a.get("type", "submit" if tag == "button" else "text").lower()
            name = a.get("name")
            if not name:
                return
            if kind == "submit":
                self._current.buttons.append((name, a.get("value", "")))
            elif kind == "checkbox" and "checked" not in a:
                return  # a browser sends a checkbox only when it is ticked
            else:
                self._current.fields[name] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "form":
            self._current = None


def forms_in(html: str) -> list[Form]:
    p = _FormParser()
    p.feed(html)
    return p.forms


@dataclass
class Redirect:
    code: str | None
    state: str | None
    iss: str | None
    error: str | None
    query: dict[str, str]


class Browser:
    """Follows the authorization URL like a person's browser: keeps cookies, fills the login
    form (email, password), approves (or denies) on the consent page, and stops at the
    redirect to the client's redirect_uri, whose query it hands to the OAuth client."""

    def __init__(self, dep: OAuthDeployment, email: str, password: str = PASSWORD, decision: str = "approve",
                 redirect_uri: str = REDIRECT_URI):
        self.dep = dep
        self.email = email
        self.password = password
        self.decision = decision
        self.redirect_uri = redirect_uri
        self.cookies = httpx.Cookies()
        self.pages: list[str] = []          # "login" / "consent", in the order they were shown
        self.result: Redirect | None = None

    def visit(self, url: str) -> Redirect:
        self.result = None
        with httpx.Client(follow_redirects=False, timeout=30, cookies=self.cookies) as http:
            response = http.get(url)
            for _ in range(12):
                if response.status_code in (301, 302, 303, 307, 308):
                    target = urljoin(str(response.url), response.headers["location"])
                    if target.startswith(self.redirect_uri.split("?")[0]):
                        q = {k: v[0] for k, v in parse_qs(urlsplit(target).query).items()}
                        self.result = Redirect(q.get("code"), q.get("state"), q.get("iss"), q.get("error"), q)
                        self.cookies = http.cookies
                        return self.result
                    assert urlsplit(target).netloc == urlsplit(self.dep.auth_url).netloc, \
                        f"redirected off the authorization server to {target!r}"
                    response = http.get(target)
                    continue
                assert response.status_code in (200, 401), (response.status_code, response.text[:500])
                response = self._submit(http, response)
            raise AssertionError("no redirect to the client after 12 steps: " + " → ".join(self.pages))

    def _submit(self, http: httpx.Client, page: httpx.Response) -> httpx.Response:
        forms = [f for f in forms_in(page.text) if f.method == "post"]
        login = next((f for f in forms if "password" in f.fields), None)
        consent = next((f for f in forms if any(name == "decision" for name, _ in f.buttons)), None)
        if login is not None:
            assert "login" not in self.pages, f"the login page came back: wrong password? {page.text[:300]!r}"
            self.pages.append("login")
            data = {**login.fields, "email": self.email, "password": self.password}
            return http.post(urljoin(str(page.url), login.action), data=data)
        if consent is not None:
            self.pages.append("consent")
            values = [v for name, v in consent.buttons if name == "decision"]
            assert {"approve", "deny"} <= set(values), consent.buttons
            data = {**consent.fields, "decision": self.decision}
            return http.post(urljoin(str(page.url), consent.action), data=data)
        raise AssertionError(f"page with neither a login nor a consent form: {page.text[:500]!r}")

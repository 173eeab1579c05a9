"""Several processes, one deployment (docs/scale-out.md): TWO deskgate-auth and TWO deskgate-mcp
processes on ONE fresh PostgreSQL database, and clients nobody here wrote (the official MCP SDK
with its own OAuth client, httpx) whose consecutive requests land on different processes, the
way a load balancer without sticky sessions sends them:

1. the SDK's OAuth flow through a reverse proxy that sends /oauth/token (and revocation) to
   auth #2 and everything else to auth #1; the tokens work at both MCP processes;
2. the consent page shown by auth #1 is approved at auth #2, once;
3. the page flash with a new PAT, made at auth #1, is shown once by auth #2;
4. failed logins at both auth processes add up to one throttle;
5. a handshake-era MCP session opened at MCP #1 works at MCP #2, and its DELETE at MCP #2
   ends it at MCP #1;
6. a PAT revoked on auth #2's profile page is refused at both (warm) MCP processes at once;
7. legacy HTTP+SSE: a POST to /messages at the process without the stream gets 421;
8. kill -9 of MCP #1 during concurrent writes at both loses no acknowledged write.

Also: one consent form or one flash taken at both processes at the same moment (one wins),
sign-out at one process ending the session at the other, an app revoked on the profile page,
CLI deactivation and suspension, the shared registration limit, legacy SSE streams at both
processes closed when their token is revoked, and a handshake session outliving its process.
A made-up legacy session id, whatever its shape, gets 404 (ids carry a MAC under the deployment key).

Runs inside scripts/with-postgres (DESKGATE_TEST_DATABASE_URL); the module's database is made
fresh by the cluster's `postgres` superuser over the URL's socket directory, and dropped after."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import json
import os
import re
import secrets
import shutil
import signal
import subprocess
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace
from urllib.parse import parse_qs, urljoin, urlsplit, urlunsplit

import httpx
import httpx2
import jwt
import pytest
from mcp import Client
from mcp.client.auth import OAuthClientProvider
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.auth import AuthorizationCodeResult, OAuthClientMetadata
from pydantic import AnyUrl

import dbkit
from conftest import binary
from mcp_support import (ALL_TOOLS, BASE_HEADERS, PASSWORD, modern_body, modern_headers, next_id,
                         rpc_message)
from oauth_support import REDIRECT_URI, SCOPES, Browser, EnvServer, free_port
from test_oauth_mcp_sdk import MemoryStorage, Wire

URL = os.environ.get("DESKGATE_TEST_DATABASE_URL", "")
pytestmark = pytest.mark.skipif(not URL, reason="DESKGATE_TEST_DATABASE_URL not set (run inside scripts/with-postgres)")

TENANT = "acme"
THROTTLED_TENANT = "globex"          # the throttling test's failures stay out of acme's address window
FAILURES_BEFORE_THROTTLE = 3
# Per address and tenant: acme registers 4 clients in this module, SPARE_TENANT exactly this many.
REGISTRATIONS_PER_ADDRESS = 6
SPARE_TENANT = "initech"
REDIRECT = "http://127.0.0.1/callback"
PROFILE = f"/t/{TENANT}/profile/mcp"
HANDSHAKE = "2025-06-18"


# --- the database -----------------------------------------------------------------------------

def _psql_binary() -> str | None:
    bundled = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin")) / "psql"
    return str(bundled) if bundled.is_file() else shutil.which("psql")


@dataclass
class Postgres:
    """The module's own database, reached as the superuser over the cluster's socket directory."""
    url: str
    name: str
    admin: list[str]

    def query(self, sql: str) -> list[list[str]]:
        out = subprocess.run([*self.admin[:-2], "-d", self.name, "-A", "-t", "-F", "\t", "-c", sql],
                             capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        return [line.split("\t") for line in out.stdout.splitlines() if line]


def new_database() -> Postgres:
    """A fresh database owned by the URL's role (dbkit), and psql as the cluster's superuser
    for the checks the servers' own roles may not make (pg_stat_activity of other roles)."""
    parts = urlsplit(URL)
    socket_dir = parse_qs(parts.query).get("host", [""])[0]
    psql = _psql_binary()
    if not socket_dir or not psql:
        pytest.skip("needs the URL's socket directory and psql")
    url = dbkit.create_postgres_database("multi")
    admin = [psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", socket_dir, "-U", "postgres", "-d", "postgres"]
    return Postgres(url=url, name=urlsplit(url).path.lstrip("/"), admin=admin)


# --- a reverse proxy that splits the authorization server's paths between two processes ----------

HOP_BY_HOP = {"connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade",
              "content-length", "accept-encoding", "content-encoding"}


class SplitProxy:
    """The auth public URL: /oauth/token and /oauth/revoke go to `token_backend`, everything else
    to `default_backend`. Every forwarded request is recorded as (backend, method, path, status)."""

    def __init__(self):
        self.backends: dict[str, str] = {}
        self.log: list[tuple[str, str, str, int]] = []
        self._lock = threading.Lock()
        self._local = threading.local()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def forward(self):  # noqa: C901
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                path = urlsplit(self.path).path
                backend = owner.route(path)
                headers = [(k, v) for k, v in self.headers.items() if k.lower() not in HOP_BY_HOP]
                try:
                    r = owner.client().request(self.command, owner.backends[backend] + self.path,
                                               headers=headers, content=body)
                    status, out_headers, content = r.status_code, r.headers.multi_items(), r.content
                except httpx.HTTPError as e:
                    status, out_headers, content = 502, [("Content-Type", "text/plain")], str(e).encode()
                with owner._lock:
                    owner.log.append((backend, self.command, path, status))
                self.send_response(status)
                for k, v in out_headers:
                    if k.lower() not in HOP_BY_HOP:
                        self.send_header(k, v)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                if self.command != "HEAD":
                    self.wfile.write(content)

            do_GET = do_POST = do_PUT = do_DELETE = do_OPTIONS = do_HEAD = forward

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @staticmethod
    def route(path: str) -> str:
        return "token" if path.endswith("/oauth/token") or path.endswith("/oauth/revoke") else "default"

    def client(self) -> httpx.Client:
        c = getattr(self._local, "client", None)
        if c is None:
            c = self._local.client = httpx.Client(follow_redirects=False, timeout=30)
        return c

    def served(self) -> list[tuple[str, str, str, int]]:
        with self._lock:
            return list(self.log)

    def close(self):
        self.server.shutdown()
        self.server.server_close()


# --- the deployment ---------------------------------------------------------------------------

@dataclass
class Cluster:
    db: Postgres
    keys: Path
    proxy: SplitProxy
    auth1: EnvServer
    auth2: EnvServer
    mcp1: EnvServer
    mcp2: EnvServer
    mcp_public: str
    tokens: dict[str, dict] = field(default_factory=dict)

    def servers(self) -> dict[str, EnvServer]:
        return {"auth1": self.auth1, "auth2": self.auth2, "mcp1": self.mcp1, "mcp2": self.mcp2}

    def mcp(self, server: EnvServer, tenant: str = TENANT) -> str:
        return f"{server.base_url}/t/{tenant}/mcp"

    @property
    def resource(self) -> str:
        return f"{self.mcp_public}/t/{TENANT}/mcp"

    @property
    def issuer(self) -> str:
        return f"{self.proxy.base_url}/t/{TENANT}"

    def cli(self, *args: str) -> str:
        out = subprocess.run([str(binary("deskgate")), "--database", self.db.url, "--keys", str(self.keys), *args],
                             capture_output=True, text=True, timeout=300)
        assert out.returncode == 0, f"{args}: {out.stderr}{out.stdout}"
        return out.stdout

    def create_token(self, user: str, name: str, tenant: str = TENANT) -> dict:
        out = json.loads(self.cli("--json", "token", "create", "--tenant", tenant, "--user", user, "--name", name,
                                  *[a for s in SCOPES for a in ("--scope", s)]))
        assert out["token"].startswith("dgpat_"), out
        return out


@pytest.fixture(scope="module")
def cluster(tmp_path_factory, request):
    db = new_database()
    root = tmp_path_factory.mktemp("multi")
    keys = root / "keys"
    proxy = SplitProxy()
    servers: list[EnvServer] = []
    try:
        mcp1_port = free_port()
        mcp_public = f"http://127.0.0.1:{mcp1_port}"
        base = ["--database", db.url, "--keys", str(keys)]
        for args in (["init"], ["demo", "--tenant", TENANT, "--tickets", "40"],
                     ["demo", "--tenant", THROTTLED_TENANT, "--tickets", "5"]):
            out = subprocess.run([str(binary("deskgate")), *base, *args], capture_output=True, text=True, timeout=300)
            assert out.returncode == 0, f"{args}: {out.stderr}"
        for args in (["tenant", "create", SPARE_TENANT, "--name", "Initech"],
                     ["user", "create", "--tenant", SPARE_TENANT, "--email", f"admin@{SPARE_TENANT}.test",
                      "--name", "Initech admin", "--role", "admin"],
                     ["user", "create", "--tenant", TENANT, "--email", "leaver@acme.test", "--name", "Leaver",
                      "--role", "agent"]):
            out = subprocess.run([str(binary("deskgate")), *base, *args], capture_output=True, text=True, timeout=60)
            assert out.returncode == 0, f"{args}: {out.stderr}"
        # The servers connect as a role that owns no table, so PostgreSQL's row-level security
        # binds every one of their statements (the owner, who ran the CLI above, is not bound).
        server_role = os.environ.get("DESKGATE_TEST_SERVER_ROLE", "deskgate_server")
        out = subprocess.run([str(binary("deskgate")), *base, "store", "grant-server-role", server_role],
                             capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        parts = urlsplit(db.url)
        server_url = urlunsplit(parts._replace(netloc=parts.netloc.replace(f"{parts.username}:", f"{server_role}:", 1)))
        config = root / "deployment.json"
        config.write_text(json.dumps({
            "auth": {"public_url": proxy.base_url},
            "mcp": {"public_url": mcp_public},
            "http": {"sse_keepalive_seconds": 1},
            "oauth": {"login_failures_before_throttle": FAILURES_BEFORE_THROTTLE,
                      "registrations_per_address_per_hour": REGISTRATIONS_PER_ADDRESS},
        }))
        args = ["--database", server_url, "--keys", str(keys), "--config", str(config)]
        # All four start at once: whichever process needs a shared secret first makes it.
        plan = [("deskgate-auth", "auth #1", 0), ("deskgate-auth", "auth #2", 0),
                ("deskgate-mcp", "mcp #1", mcp1_port), ("deskgate-mcp", "mcp #2", 0)]
        with ThreadPoolExecutor(4) as pool:
            futures = [pool.submit(EnvServer, program, args, f"{program} ({label}, multi-process)", {}, port)
                       for program, label, port in plan]
            started = []
            for f in futures:
                try:
                    started.append(f.result())
                except BaseException as e:   # pytest.fail inside the constructor
                    started.append(e)
        servers = [s for s in started if isinstance(s, EnvServer)]
        for s in started:
            if not isinstance(s, EnvServer):
                raise s
        auth1, auth2, mcp1, mcp2 = servers
        # They did connect as the walled role.
        seen = subprocess.run([*db.admin, "-Atc", f"SELECT count(*) FROM pg_stat_activity WHERE usename = '{server_role}' "
                               f"AND datname = '{db.name}'"], capture_output=True, text=True, timeout=30)
        assert seen.returncode == 0 and int(seen.stdout.strip()) >= 4, (seen.stdout, seen.stderr)
        proxy.backends = {"default": auth1.base_url, "token": auth2.base_url}
        c = Cluster(db=db, keys=keys, proxy=proxy, auth1=auth1, auth2=auth2, mcp1=mcp1, mcp2=mcp2,
                    mcp_public=mcp_public)
        c.tokens["admin"] = c.create_token("admin@acme.test", "multi admin")
        c.tokens["dana"] = c.create_token("dana@acme.test", "multi dana")
        yield c
    finally:
        problems = []
        for i, s in enumerate(servers):
            crashed = s.crashed()
            if crashed:
                problems.append(crashed)
            s.stop()
            if request.session.testsfailed or crashed:
                s.save_stderr(f"multi-process-{i}-{s.label}")
            s.close()
        proxy.close()
        subprocess.run([*db.admin, "-c", f"DROP DATABASE IF EXISTS {db.name} WITH (FORCE)"],
                       capture_output=True, timeout=60)
        if problems:
            pytest.fail("; ".join(problems))


# --- small clients ----------------------------------------------------------------------------

def run(coro, timeout: float = 90):
    return asyncio.run(asyncio.wait_for(coro, timeout=timeout))


def modern(http: httpx.Client, url: str, token: str, method: str, params: dict | None = None) -> httpx.Response:
    name = (params or {}).get("name") if method == "tools/call" else None
    return http.post(url, content=json.dumps(modern_body(method, params)),
                     headers={**modern_headers(method, name), "Authorization": f"Bearer {token}"})


def modern_ok(http: httpx.Client, url: str, token: str, method: str, params: dict | None = None) -> dict:
    r = modern(http, url, token, method, params)
    msg = rpc_message(r) if r.status_code == 200 else None
    assert msg is not None and "result" in msg, f"{method} at {url}: HTTP {r.status_code} {r.text[:400]!r}"
    if method == "tools/call":
        assert msg["result"].get("isError") is not True, msg
    return msg["result"]


def handshake(http: httpx.Client, url: str, token: str, body: dict, session: str | None) -> httpx.Response:
    headers = {**BASE_HEADERS, "Authorization": f"Bearer {token}"}
    if session is not None:
        headers["Mcp-Session-Id"] = session
        headers["MCP-Protocol-Version"] = HANDSHAKE
    return http.post(url, content=json.dumps(body), headers=headers)


class Forms(HTMLParser):
    """Every <form>: action, method, and its successful controls as (name, value) pairs
    (checked checkboxes only), plus its submit buttons."""

    def __init__(self, html: str):
        super().__init__()
        self.forms: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = {k: (v or "") for k, v in attrs}
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "method": a.get("method", "get").lower(),
                               "fields": [], "buttons": []})
        elif self.forms and tag in ("input", "button") and a.get("name"):
            kind = a.get("type", "submit" if tag == "button" else "text").lower()
            if kind == "submit":
                self.forms[-1]["buttons"].append((a["name"], a.get("value", "")))
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.forms[-1]["fields"].append((a["name"], a.get("value", "on")))
            else:
                self.forms[-1]["fields"].append((a["name"], a.get("value", "")))


def form_named(html: str, action_suffix: str) -> dict:
    matches = [f for f in Forms(html).forms if f["method"] == "post" and urlsplit(f["action"]).path.endswith(action_suffix)]
    assert len(matches) == 1, f"no single form posting to *{action_suffix}: {[f['action'] for f in Forms(html).forms]}"
    return matches[0]


def form_data(pairs: list[tuple[str, str]]) -> dict[str, list[str]]:
    """Form pairs as httpx wants them (a name that repeats, like `scope`, keeps every value)."""
    out: dict[str, list[str]] = {}
    for k, v in pairs:
        out.setdefault(k, []).append(v)
    return out


def path_of(action: str) -> str:
    """A form's action as a path (the pages may write it absolute, under the public URL)."""
    parts = urlsplit(action)
    return parts.path + (f"?{parts.query}" if parts.query else "")


def signed_in(c: Cluster, email: str, page_at: EnvServer, post_at: EnvServer, tenant: str = TENANT) -> httpx.Client:
    """A cookie jar signed in with the login page from one process and its POST at another.
    Cookies are per host, not per port, so the jar serves both processes (as behind one name)."""
    http = httpx.Client(follow_redirects=False, timeout=30)
    page = http.get(f"{page_at.base_url}/t/{tenant}/login")
    assert page.status_code == 200, page.text[:300]
    form = form_named(page.text, f"/t/{tenant}/login")
    data = [(k, v) for k, v in form["fields"] if k not in ("email", "password")] + [("email", email), ("password", PASSWORD)]
    done = http.post(post_at.base_url + path_of(form["action"]), data=form_data(data))
    assert done.status_code == 303, (done.status_code, done.text[:400])
    return http


def login_attempt(http: httpx.Client, server: EnvServer, tenant: str, email: str, password: str) -> httpx.Response:
    page = http.get(f"{server.base_url}/t/{tenant}/login")
    assert page.status_code == 200, page.text[:300]
    form = form_named(page.text, f"/t/{tenant}/login")
    data = [(k, v) for k, v in form["fields"] if k not in ("email", "password")] + [("email", email), ("password", password)]
    return http.post(server.base_url + path_of(form["action"]), data=form_data(data))


def register_client(server: EnvServer, tenant: str = TENANT, name: str = "Multi") -> httpx.Response:
    return httpx.post(f"{server.base_url}/t/{tenant}/oauth/register", json={
        "redirect_uris": [REDIRECT], "token_endpoint_auth_method": "none", "client_name": name,
        "grant_types": ["authorization_code", "refresh_token"], "application_type": "native"}, timeout=30)


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def consent_page(http: httpx.Client, server: EnvServer, client_id: str, challenge: str) -> dict:
    page = http.get(f"{server.base_url}/t/{TENANT}/oauth/authorize", params={
        "response_type": "code", "client_id": client_id, "redirect_uri": REDIRECT, "state": "st-multi",
        "code_challenge": challenge, "code_challenge_method": "S256", "scope": " ".join(SCOPES)})
    assert page.status_code == 200, (page.status_code, page.headers.get("location"), page.text[:300])
    return form_named(page.text, f"/t/{TENANT}/consent")


def code_of(response: httpx.Response) -> dict[str, str]:
    assert response.status_code == 303, (response.status_code, response.text[:400])
    assert response.headers["location"].startswith(REDIRECT), response.headers
    query = {k: v[0] for k, v in parse_qs(urlsplit(response.headers["location"]).query).items()}
    assert query.get("code"), query
    return query


def token_request(server: EnvServer, **form: str) -> httpx.Response:
    return httpx.post(f"{server.base_url}/t/{TENANT}/oauth/token", data=form, timeout=30)


# --- 1. the SDK's OAuth flow split over both authorization servers ---------------------------------

def test_sdk_oauth_flow_with_authorize_at_auth1_and_tokens_at_auth2(cluster):
    c = cluster
    email = "sam@acme.test"
    metadata = httpx.get(f"{c.proxy.base_url}/.well-known/oauth-authorization-server/t/{TENANT}").json()
    assert metadata["issuer"] == c.issuer and metadata["token_endpoint"] == f"{c.issuer}/oauth/token"
    storage = MemoryStorage()
    browser = Browser(SimpleNamespace(auth_url=c.proxy.base_url), email)
    wire = Wire()

    async def redirect_handler(url: str) -> None:
        await asyncio.to_thread(browser.visit, url)

    async def callback_handler() -> AuthorizationCodeResult:
        result = browser.result
        assert result is not None and result.code, f"no code in the redirect: {result}"
        return AuthorizationCodeResult(code=result.code, state=result.state, iss=result.iss)

    client_metadata = OAuthClientMetadata(client_name="Deskgate multi-process (MCP SDK)",
                                          redirect_uris=[AnyUrl(REDIRECT_URI)], token_endpoint_auth_method="none")
    provider = OAuthClientProvider(server_url=c.mcp(c.mcp1), client_metadata=client_metadata, storage=storage,
                                   redirect_handler=redirect_handler, callback_handler=callback_handler)

    async def at_mcp2(token: str, ticket: int) -> None:
        async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=30) as hc:
            async with Client(streamable_http_client(c.mcp(c.mcp2), http_client=hc)) as client:
                assert {t.name for t in (await client.list_tools()).tools} == ALL_TOOLS
                tags = await client.call_tool("get_ticket_tags", {"ticket": ticket})
                assert not tags.is_error, tags
                assert "multi-oauth" in json.dumps(tags.structured_content), tags.structured_content

    async def go():
        async with httpx2.AsyncClient(auth=provider, timeout=httpx2.Timeout(30.0),
                                      event_hooks={"response": [wire.on_response]}) as hc:
            async with Client(streamable_http_client(c.mcp(c.mcp1), http_client=hc), mode="auto") as client:
                assert {t.name for t in (await client.list_tools()).tools} == ALL_TOOLS
                tagged = await client.call_tool("add_ticket_tags", {"ticket": 7, "tags": ["multi-oauth"]})
                assert not tagged.is_error, tagged
                first = storage.tokens
                await at_mcp2(first.access_token, 7)

                # The client's clock passes expires_in: its refresh goes to the token endpoint (auth #2).
                provider.context.token_expiry_time = time.time() - 1
                again = await client.call_tool("get_ticket_metadata", {"ticket": 7})
                assert not again.is_error, again
                second = storage.tokens
                assert second.access_token != first.access_token
                await at_mcp2(second.access_token, 7)

    run(go())

    assert browser.pages == ["login", "consent"], browser.pages
    assert wire.token_grants() == ["authorization_code", "refresh_token"], wire.entries
    served = c.proxy.served()
    token_posts = [(b, s) for b, m, p, s in served if m == "POST" and p == f"/t/{TENANT}/oauth/token"]
    assert token_posts == [("token", 200), ("token", 200)], served
    by_path = {(m, p): b for b, m, p, _ in served}
    for step in (("GET", f"/t/{TENANT}/oauth/authorize"), ("GET", f"/t/{TENANT}/login"),
                 ("POST", f"/t/{TENANT}/login"), ("POST", f"/t/{TENANT}/consent"),
                 ("POST", f"/t/{TENANT}/oauth/register")):
        assert by_path.get(step) == "default", (step, served)
    # Each process's own access log agrees: auth #2 issued the tokens, auth #1 showed the pages.
    assert "/oauth/token" in c.auth2.stderr_text() and "/oauth/token" not in c.auth1.stderr_text()
    assert "/consent" in c.auth1.stderr_text() and "/consent" not in c.auth2.stderr_text()

    # Both tokens: signed by the deployment's key, issued by the one public issuer, for the one resource.
    jwks = jwt.PyJWKClient(metadata["jwks_uri"])
    for token in storage.token_history:
        claims = jwt.decode(token.access_token, jwks.get_signing_key_from_jwt(token.access_token).key,
                            algorithms=["ES256"], audience=c.resource, issuer=c.issuer)
        assert claims["client_id"] == storage.client_info.client_id
    rows = c.db.query(f"""SELECT g.name FROM ticket_tags tt JOIN tags g ON g.id = tt.tag_id
                          JOIN tickets t ON t.id = tt.ticket_id JOIN tenants n ON n.id = t.tenant_id
                          WHERE n.slug = '{TENANT}' AND t.number = 7""")
    assert ["multi-oauth"] in rows, rows


# --- 2. pending consent -------------------------------------------------------------------------

def test_consent_page_from_auth1_is_approved_at_auth2_once(cluster):
    c = cluster
    registered = register_client(c.auth1, name="Multi consent")
    assert registered.status_code == 201, registered.text
    client_id = registered.json()["client_id"]
    verifier, challenge = pkce()
    http = signed_in(c, "lee@acme.test", page_at=c.auth1, post_at=c.auth1)
    try:
        form = consent_page(http, c.auth1, client_id, challenge)
        data = dict(form["fields"], decision="approve")
        assert {"csrf", "request"} <= set(data), data

        query = code_of(http.post(c.auth2.base_url + path_of(form["action"]), data=data))
        assert query["state"] == "st-multi" and query["iss"] == c.issuer, query

        # The same form again, at either process: the pending request is gone.
        for server in (c.auth2, c.auth1):
            again = http.post(server.base_url + path_of(form["action"]), data=data)
            assert again.status_code == 400 and "location" not in again.headers, (server.label, again.status_code)
    finally:
        http.close()
    # The code is good (at the other process than the one that issued it).
    exchanged = token_request(c.auth1, grant_type="authorization_code", code=query["code"], redirect_uri=REDIRECT,
                              client_id=client_id, code_verifier=verifier)
    assert exchanged.status_code == 200, exchanged.text
    assert set(exchanged.json()["scope"].split()) == set(SCOPES)


# --- 3. page flashes ----------------------------------------------------------------------------

NEW_TOKEN = re.compile(r'id="new-token">(dgpat_[A-Za-z0-9_\-]+)<')


def test_new_token_flash_made_at_auth1_is_shown_once_at_auth2(cluster):
    c = cluster
    # Signed in with auth #2's login page and auth #1's POST: the login form's CSRF is shared too.
    http = signed_in(c, "viewer@acme.test", page_at=c.auth2, post_at=c.auth1)
    try:
        page = http.get(c.auth1.url(PROFILE))
        assert page.status_code == 200, page.text[:300]
        form = form_named(page.text, "/profile/mcp/tokens")
        data = [(k, v) for k, v in form["fields"] if k != "name"] + [("name", "multi-process flash")]
        assert ("scope", "tickets:read") in data and any(k == "csrf" for k, _ in data), data

        made = http.post(c.auth1.base_url + path_of(form["action"]), data=form_data(data))
        assert made.status_code == 303, (made.status_code, made.text[:400])
        assert "dgpat_" not in made.headers["location"]
        target = urlsplit(urljoin(c.auth1.base_url + PROFILE, made.headers["location"]))
        assert target.path == PROFILE, made.headers["location"]

        shown = http.get(c.auth2.url(target.path))
        assert shown.status_code == 200
        found = NEW_TOKEN.search(shown.text)
        assert found, f"auth #2 did not show the new token: {shown.text[:1500]!r}"
        token = found.group(1)
        assert "generated" in shown.text

        for server in (c.auth1, c.auth2):
            reloaded = http.get(server.url(PROFILE))
            assert reloaded.status_code == 200
            assert token not in reloaded.text and 'id="new-token"' not in reloaded.text, server.label
    finally:
        http.close()
    with httpx.Client(timeout=30) as mcp:
        tools = modern_ok(mcp, c.mcp(c.mcp2), token, "tools/list", {})
        assert {t["name"] for t in tools["tools"]} == ALL_TOOLS
        found = modern_ok(mcp, c.mcp(c.mcp2), token, "tools/call", {"name": "search_tickets", "arguments": {}})
        assert isinstance(found["structuredContent"]["tickets"], list), found


def _at_once(*calls):
    """Runs the calls in threads released together; their results in order."""
    barrier = threading.Barrier(len(calls))

    def go(call):
        barrier.wait(timeout=10)
        return call()

    with ThreadPoolExecutor(len(calls)) as pool:
        return [f.result(timeout=30) for f in [pool.submit(go, call) for call in calls]]


def test_one_consent_form_posted_at_both_processes_at_once_issues_one_code(cluster):
    c = cluster
    registered = register_client(c.auth1, name="Multi consent race")
    assert registered.status_code == 201, registered.text
    client_id = registered.json()["client_id"]
    for email in ("admin@acme.test", "viewer@acme.test", "priya@acme.test", "sam@acme.test"):
        http = signed_in(c, email, page_at=c.auth1, post_at=c.auth2)
        try:
            _, challenge = pkce()
            form = consent_page(http, c.auth2, client_id, challenge)
            data = dict(form["fields"], decision="approve")
            answers = _at_once(*[lambda server=server: http.post(server.base_url + path_of(form["action"]), data=data)
                                 for server in (c.auth1, c.auth2)])
        finally:
            http.close()
        statuses = sorted(r.status_code for r in answers)
        assert statuses == [303, 400], (email, [(r.status_code, r.headers.get("location"), r.text[:200]) for r in answers])


def test_one_flash_read_at_both_processes_at_once_shows_the_token_once(cluster):
    c = cluster
    http = signed_in(c, "lee@acme.test", page_at=c.auth1, post_at=c.auth1)
    try:
        for round in range(3):
            page = http.get(c.auth2.url(PROFILE))
            form = form_named(page.text, "/profile/mcp/tokens")
            data = [(k, v) for k, v in form["fields"] if k != "name"] + [("name", f"multi race {round}")]
            made = http.post(c.auth2.base_url + path_of(form["action"]), data=form_data(data))
            assert made.status_code == 303, (made.status_code, made.text[:300])
            answers = _at_once(*[lambda server=server: http.get(server.url(PROFILE)) for server in (c.auth1, c.auth2)])
            shown = [NEW_TOKEN.search(r.text) for r in answers]
            assert [r.status_code for r in answers] == [200, 200]
            assert sum(1 for m in shown if m) == 1, (round, [bool(m) for m in shown])
    finally:
        http.close()


def test_signing_out_at_auth2_ends_the_session_at_auth1(cluster):
    c = cluster
    http = signed_in(c, "sam@acme.test", page_at=c.auth1, post_at=c.auth1)
    try:
        page = http.get(c.auth1.url(PROFILE))
        assert page.status_code == 200
        held = dict(http.cookies)
        assert "dg_session" in held, held.keys()
        form = form_named(page.text, f"/t/{TENANT}/logout")
        out = http.post(c.auth2.base_url + path_of(form["action"]), data=form_data(form["fields"]))
        assert out.status_code == 303, (out.status_code, out.text[:300])
    finally:
        http.close()
    # The old cookie, presented again (a browser that kept it), is dead at both processes.
    with httpx.Client(follow_redirects=False, timeout=30, cookies=held) as stale:
        for server in (c.auth1, c.auth2):
            again = stale.get(server.url(PROFILE))
            assert again.status_code == 303 and "/login" in again.headers["location"], (server.label, again.status_code)


# --- 4. login throttling --------------------------------------------------------------------------

def test_failed_logins_at_both_auth_processes_add_up_to_one_throttle(cluster):
    c = cluster
    email = f"dana@{THROTTLED_TENANT}.test"
    with httpx.Client(follow_redirects=False, timeout=30) as http:
        # 2 failures at auth #1 and 1 at auth #2: neither process alone saw the limit (3).
        for server in (c.auth1, c.auth2, c.auth1):
            wrong = login_attempt(http, server, THROTTLED_TENANT, email, "not-the-password")
            assert wrong.status_code == 401, (server.label, wrong.status_code)
        for server in (c.auth2, c.auth1):
            right = login_attempt(http, server, THROTTLED_TENANT, email, PASSWORD)
            assert right.status_code == 429, (server.label, right.status_code, right.text[:300])
            assert "Too many failed sign-in attempts" in right.text
        # Another account of the tenant is not locked by it.
        other = login_attempt(http, c.auth2, THROTTLED_TENANT, f"admin@{THROTTLED_TENANT}.test", PASSWORD)
        assert other.status_code == 303, other.status_code


# --- 5. handshake-era sessions --------------------------------------------------------------------

def test_handshake_session_from_mcp1_works_at_mcp2_and_its_delete_ends_it_everywhere(cluster):
    c = cluster
    admin, dana = c.tokens["admin"]["token"], c.tokens["dana"]["token"]
    one, two = c.mcp(c.mcp1), c.mcp(c.mcp2)

    def tools_list(http, url, token, session):
        return handshake(http, url, token, {"jsonrpc": "2.0", "id": next_id(), "method": "tools/list"}, session)

    with httpx.Client(timeout=30) as http:
        init = handshake(http, one, admin, {"jsonrpc": "2.0", "id": next_id(), "method": "initialize", "params": {
            "protocolVersion": HANDSHAKE, "capabilities": {}, "clientInfo": {"name": "multi", "version": "1"}}}, None)
        assert init.status_code == 200, init.text[:400]
        assert rpc_message(init)["result"]["protocolVersion"] == HANDSHAKE
        session = init.headers.get("mcp-session-id")
        assert session, dict(init.headers)
        note = handshake(http, two, admin, {"jsonrpc": "2.0", "method": "notifications/initialized"}, session)
        assert note.status_code == 202, (note.status_code, note.text[:300])

        for url in (two, one, two):          # each process confirms the session (and caches that)
            listed = tools_list(http, url, admin, session)
            assert listed.status_code == 200, (url, listed.status_code, listed.text[:300])
            assert {t["name"] for t in rpc_message(listed)["result"]["tools"]} == ALL_TOOLS

        made_up = "A" * len(session)
        for url in (one, two):
            assert tools_list(http, url, admin, made_up).status_code == 404
            # Another user's token with this user's live session id: not found, like any unknown id.
            assert tools_list(http, url, dana, session).status_code == 404

        ended = http.delete(two, headers={"Authorization": f"Bearer {admin}", "Mcp-Session-Id": session,
                                          "MCP-Protocol-Version": HANDSHAKE})
        assert ended.status_code == 204, (ended.status_code, ended.text[:300])
        for url in (one, two):
            gone = tools_list(http, url, admin, session)
            assert gone.status_code == 404, (url, gone.status_code, gone.text[:300])
        again = http.delete(one, headers={"Authorization": f"Bearer {admin}", "Mcp-Session-Id": session,
                                          "MCP-Protocol-Version": HANDSHAKE})
        assert again.status_code == 404, (again.status_code, again.text[:300])


# --- 6. revocation ------------------------------------------------------------------------------

def test_pat_revoked_on_auth2s_profile_page_is_refused_at_both_mcp_processes_at_once(cluster):
    c = cluster
    email = "priya@acme.test"
    made = c.create_token(email, "multi revoke me")
    token, token_id = made["token"], made["id"]
    with httpx.Client(timeout=30) as mcp:
        for server in (c.mcp1, c.mcp2, c.mcp1, c.mcp2):          # both caches hold the token as good
            modern_ok(mcp, c.mcp(server), token, "tools/list", {})
            modern_ok(mcp, c.mcp(server), token, "tools/call", {"name": "search_tickets", "arguments": {}})

        http = signed_in(c, email, page_at=c.auth1, post_at=c.auth1)
        try:
            confirm = http.get(c.auth2.url(f"{PROFILE}/tokens/{token_id}/revoke"))
            assert confirm.status_code == 200, confirm.text[:300]
            form = form_named(confirm.text, f"/tokens/{token_id}/revoke")
            revoked = http.post(c.auth2.base_url + path_of(form["action"]), data=form_data(form["fields"]))
            assert revoked.status_code == 303, (revoked.status_code, revoked.text[:300])

            # The very next request at each process.
            for server in (c.mcp1, c.mcp2):
                refused = modern(mcp, c.mcp(server), token, "tools/list", {})
                assert refused.status_code == 401, (server.label, refused.status_code, refused.text[:300])
                assert 'error="invalid_token"' in refused.headers.get("www-authenticate", "")

            banner = http.get(c.auth1.url(PROFILE))
            assert "revoked" in banner.text
        finally:
            http.close()
        # Another token of the same user still works at both.
        for server in (c.mcp1, c.mcp2):
            modern_ok(mcp, c.mcp(server), c.tokens["admin"]["token"], "tools/list", {})
    rows = c.db.query(f"SELECT revoked_at IS NOT NULL FROM personal_access_tokens WHERE id = {int(token_id)}")
    assert rows == [["t"]], rows


# --- 7. legacy HTTP+SSE ---------------------------------------------------------------------------

def _open_sse(http: httpx.Client, server: EnvServer, token: str):
    cm = http.stream("GET", server.url(f"/t/{TENANT}/sse"), headers={"Authorization": f"Bearer {token}"})
    stream = cm.__enter__()
    assert stream.status_code == 200 and stream.headers["content-type"].startswith("text/event-stream")
    lines = stream.iter_lines()
    assert next(lines) == "event: endpoint"
    endpoint = next(lines).removeprefix("data: ")
    assert endpoint.startswith(f"/t/{TENANT}/messages?session_id="), endpoint
    return cm, lines, endpoint


def test_legacy_sse_post_at_the_process_without_the_stream_is_misdirected(cluster):
    c = cluster
    admin = c.tokens["admin"]["token"]
    ping = {"jsonrpc": "2.0", "id": 4242, "method": "ping"}
    auth = {"Authorization": f"Bearer {admin}"}
    with httpx.Client(timeout=15) as http:
        cm, lines, endpoint = _open_sse(http, c.mcp1, admin)
        try:
            misdirected = http.post(c.mcp2.url(endpoint), json=ping, headers=auth)
            assert misdirected.status_code == 421, (misdirected.status_code, misdirected.text)
            text = misdirected.text
            assert "another deskgate-mcp process" in text and "session_id" in text and "sticky" in text, text
            assert "Streamable HTTP" in text, text

            held = http.post(c.mcp1.url(endpoint), json=ping, headers=auth)
            assert held.status_code == 202, (held.status_code, held.text)
            received = []
            for line in lines:
                received.append(line)
                if line.startswith("data:"):
                    break
            assert received[-2:] == ["event: message", received[-1]], received
            assert json.loads(received[-1].removeprefix("data: "))["id"] == 4242

            # A session id that never existed (in the old, untagged shape) is still 404 at both.
            for server in (c.mcp1, c.mcp2):
                unknown = http.post(server.url(f"/t/{TENANT}/messages?session_id={secrets.token_urlsafe(32)}"),
                                    json=ping, headers=auth)
                assert unknown.status_code == 404, (server.label, unknown.status_code, unknown.text)
            # ... and so is a made-up id under the holding process's own tag.
            own_tag = parse_qs(urlsplit(endpoint).query)["session_id"][0].split(".")[0]
            forged = http.post(c.mcp1.url(f"/t/{TENANT}/messages?session_id={own_tag}.{secrets.token_urlsafe(32)}"),
                               json=ping, headers=auth)
            assert forged.status_code == 404, (forged.status_code, forged.text)
        finally:
            cm.__exit__(None, None, None)


@pytest.mark.parametrize("shape", ["tag.random", "tag.random.mac"])
def test_legacy_sse_made_up_session_id_in_the_tagged_shape_is_404(cluster, shape):
    """Ids carry a MAC under the deployment's key: one no process issued is unknown (404)."""
    c = cluster
    made_up = f"{secrets.token_urlsafe(6)}.{secrets.token_urlsafe(32)}"
    if shape == "tag.random.mac":
        made_up += "." + secrets.token_urlsafe(12)
    r = httpx.post(c.mcp2.url(f"/t/{TENANT}/messages?session_id={made_up}"),
                   json={"jsonrpc": "2.0", "id": 1, "method": "ping"},
                   headers={"Authorization": f"Bearer {c.tokens['admin']['token']}"}, timeout=15)
    assert r.status_code == 404, (r.status_code, r.text)


# --- more revocation: an app grant on the profile page, a deactivated user, a suspended tenant ------

def test_app_revoked_on_auth1s_profile_page_ends_access_at_both_mcp_and_refresh_at_both_auth(cluster):
    c = cluster
    email = "dana@acme.test"
    registered = register_client(c.auth2, name="Multi app to revoke")
    assert registered.status_code == 201, registered.text
    client_id = registered.json()["client_id"]
    verifier, challenge = pkce()
    http = signed_in(c, email, page_at=c.auth1, post_at=c.auth2)
    try:
        form = consent_page(http, c.auth1, client_id, challenge)
        code = code_of(http.post(c.auth1.base_url + path_of(form["action"]), data=dict(form["fields"], decision="approve")))
        first = token_request(c.auth2, grant_type="authorization_code", code=code["code"], redirect_uri=REDIRECT,
                              client_id=client_id, code_verifier=verifier)
        assert first.status_code == 200, first.text
        # Refresh rotation across processes: a refresh token from auth #2 at auth #1, and back.
        second = token_request(c.auth1, grant_type="refresh_token", refresh_token=first.json()["refresh_token"],
                               client_id=client_id)
        assert second.status_code == 200, second.text
        third = token_request(c.auth2, grant_type="refresh_token", refresh_token=second.json()["refresh_token"],
                              client_id=client_id)
        assert third.status_code == 200, third.text
        access = third.json()["access_token"]
        grant_id = jwt.decode(access, options={"verify_signature": False})["grant_id"]
        with httpx.Client(timeout=30) as mcp:
            for server in (c.mcp1, c.mcp2):
                modern_ok(mcp, c.mcp(server), access, "tools/list", {})

            confirm = http.get(c.auth2.url(f"{PROFILE}/apps/{grant_id}/revoke"))
            assert confirm.status_code == 200, confirm.text[:300]
            form = form_named(confirm.text, f"/apps/{grant_id}/revoke")
            done = http.post(c.auth1.base_url + path_of(form["action"]), data=form_data(form["fields"]))
            assert done.status_code == 303, (done.status_code, done.text[:300])

            for server in (c.mcp1, c.mcp2):
                refused = modern(mcp, c.mcp(server), access, "tools/list", {})
                assert refused.status_code == 401, (server.label, refused.status_code, refused.text[:300])
    finally:
        http.close()
    for server in (c.auth1, c.auth2):
        r = token_request(server, grant_type="refresh_token", refresh_token=third.json()["refresh_token"],
                          client_id=client_id)
        assert r.status_code == 400 and r.json()["error"] == "invalid_grant", (server.label, r.text)


def test_deactivation_and_suspension_from_the_cli_are_refused_at_both_mcp_processes(cluster):
    c = cluster
    leaver = c.create_token("leaver@acme.test", "multi leaver")["token"]
    spare = c.create_token(f"admin@{SPARE_TENANT}.test", "multi spare", tenant=SPARE_TENANT)["token"]
    with httpx.Client(timeout=30) as mcp:
        for server in (c.mcp1, c.mcp2):
            modern_ok(mcp, c.mcp(server), leaver, "tools/list", {})
            modern_ok(mcp, c.mcp(server, SPARE_TENANT), spare, "tools/list", {})
        c.cli("user", "deactivate", "--tenant", TENANT, "--email", "leaver@acme.test")
        c.cli("tenant", "suspend", SPARE_TENANT)
        try:
            for server in (c.mcp1, c.mcp2):
                gone = modern(mcp, c.mcp(server), leaver, "tools/list", {})
                assert gone.status_code == 401, (server.label, gone.status_code, gone.text[:300])
                suspended = modern(mcp, c.mcp(server, SPARE_TENANT), spare, "tools/list", {})
                assert suspended.status_code == 403, (server.label, suspended.status_code, suspended.text[:300])
                assert suspended.json()["error"] == "tenant_suspended", suspended.text
        finally:
            c.cli("tenant", "resume", SPARE_TENANT)
        for server in (c.mcp1, c.mcp2):
            modern_ok(mcp, c.mcp(server, SPARE_TENANT), spare, "tools/list", {})


def test_the_registration_limit_is_shared_by_both_auth_processes(cluster):
    c = cluster
    for i in range(REGISTRATIONS_PER_ADDRESS):
        server = (c.auth1, c.auth2)[i % 2]
        r = register_client(server, SPARE_TENANT, name=f"Multi limit {i}")
        assert r.status_code == 201, (server.label, i, r.status_code, r.text)
    for server in (c.auth1, c.auth2):
        r = register_client(server, SPARE_TENANT, name="Multi limit over")
        assert r.status_code == 429, (server.label, r.status_code, r.text)
        assert r.json()["error"] == "temporarily_unavailable"


def test_legacy_sse_streams_at_both_processes_end_when_the_token_is_revoked_at_auth2(cluster):
    c = cluster
    made = c.create_token("admin@acme.test", "multi sse")
    with httpx.Client(timeout=15) as one, httpx.Client(timeout=15) as two:
        streams = [(c.mcp1, *_open_sse(one, c.mcp1, made["token"])), (c.mcp2, *_open_sse(two, c.mcp2, made["token"]))]
        try:
            http = signed_in(c, "admin@acme.test", page_at=c.auth2, post_at=c.auth2)
            try:
                confirm = http.get(c.auth2.url(f"{PROFILE}/tokens/{made['id']}/revoke"))
                form = form_named(confirm.text, f"/tokens/{made['id']}/revoke")
                done = http.post(c.auth2.base_url + path_of(form["action"]), data=form_data(form["fields"]))
                assert done.status_code == 303, (done.status_code, done.text[:300])
            finally:
                http.close()
            revoked_at = time.monotonic()
            for server, _, lines, _ in streams:
                rest = []
                for line in lines:                   # keep-alives every second hand control back here
                    rest.append(line)
                    assert time.monotonic() - revoked_at < 10, f"{server.label} still streams: {rest[-6:]}"
                assert all(line in ("", ": keep-alive") for line in rest), rest
        finally:
            for _, cm, _, _ in streams:
                cm.__exit__(None, None, None)


# --- limits and retries across processes (issue 19, docs/limits.md) -----------------------------

DEFAULT_LIMITS = ("--rate", "1200", "--tenant-rate", "6000", "--write-quota", "500", "--tenant-write-quota", "5000")


def _call(http: httpx.Client, server: EnvServer, token: str, name: str, arguments: dict) -> tuple[int, dict | None]:
    r = modern(http, cluster_url(server), token, "tools/call", {"name": name, "arguments": arguments})
    return r.status_code, (rpc_message(r) if r.status_code == 200 else r.json())


def cluster_url(server: EnvServer) -> str:
    return f"{server.base_url}/t/{TENANT}/mcp"


def test_a_tokens_request_rate_is_shared_by_both_mcp_processes(cluster):
    """Each process alone would admit the whole burst (20) and then some: 40 or more over both.
    Shared through mcp_usage, the two admit the burst once, plus the steady refill and at most
    what the other process admitted within one sync interval (docs/limits.md)."""
    c = cluster
    token = c.create_token("admin@acme.test", "multi rate 20")["token"]
    c.cli("tenant", "settings", TENANT, "--rate", "20")
    try:
        admitted = {c.mcp1.label: 0, c.mcp2.label: 0}
        refused = {c.mcp1.label: 0, c.mcp2.label: 0}
        started = time.monotonic()
        with httpx.Client(timeout=30) as http:
            for i in range(60):
                server = (c.mcp1, c.mcp2)[i % 2]
                status, body = _call(http, server, token, "get_ticket_metadata", {"ticket": 1})
                if status == 200:
                    admitted[server.label] += 1
                else:
                    assert status == 429 and body["error"]["code"] == -32029, (status, body)
                    refused[server.label] += 1
                time.sleep(0.1)
        elapsed = time.monotonic() - started
        total = sum(admitted.values())
        print(f"shared rate: admitted {admitted}, refused {refused} in {elapsed:.1f} s")
        # The burst, one more every 3 s of steady rate, and at most what the other process
        # admitted in two sync intervals (its own sync, then this one's: 2 s, one request every
        # 0.2 s there: 10, and 1 for the edge).
        bound = 20 + int(elapsed / 3) + 1 + 11
        assert 15 <= total <= min(bound, 39), (admitted, elapsed)
        assert all(refused.values()), f"both processes refused once the shared window was full: {refused}"
    finally:
        c.cli("tenant", "settings", TENANT, *DEFAULT_LIMITS)


def test_a_tokens_write_quota_is_shared_by_both_mcp_processes(cluster):
    c = cluster
    now = time.gmtime()
    if 3600 - (now.tm_min * 60 + now.tm_sec) < 30:       # the quota renews on the hour
        time.sleep(3600 - (now.tm_min * 60 + now.tm_sec) + 1)
    made = c.create_token("admin@acme.test", "multi quota 6")
    c.cli("tenant", "settings", TENANT, "--write-quota", "6")
    try:
        ok, refusals = [], []
        with httpx.Client(timeout=30) as http:
            for i in range(20):
                server = (c.mcp1, c.mcp2)[i % 2]
                status, msg = _call(http, server, made["token"], "add_ticket_tags", {"ticket": 7, "tags": [f"mpq-{i}"]})
                assert status == 200, (status, msg)
                result = msg["result"]
                if result.get("isError"):
                    assert result["structuredContent"]["error"] == "write_quota_exceeded", result
                    refusals.append((server.label, f"mpq-{i}"))
                else:
                    ok.append(f"mpq-{i}")
                time.sleep(0.5)
        # Alone, each process would make 6 (12 in all); shared, 6 plus at most the other's writes
        # within two sync intervals (2 s, one write a second there).
        print(f"shared write quota: {len(ok)} made, {len(refusals)} refused")
        assert 6 <= len(ok) <= 9, ok
        assert {label for label, _ in refusals} == {c.mcp1.label, c.mcp2.label}, refusals
        stored = {r[0] for r in c.db.query(
            "SELECT g.name FROM ticket_tags tt JOIN tags g ON g.id = tt.tag_id JOIN tickets t ON t.id = tt.ticket_id "
            "JOIN tenants n ON n.id = t.tenant_id WHERE n.slug = 'acme' AND t.number = 7") if r[0].startswith("mpq-")}
        assert stored == set(ok), "a refused write wrote nothing; every admitted one is stored"
    finally:
        c.cli("tenant", "settings", TENANT, *DEFAULT_LIMITS)


def test_an_idempotent_retry_at_the_other_process_replays_the_first_result(cluster):
    c = cluster
    token = c.tokens["admin"]["token"]
    key = f"mp-{uuid.uuid4().hex[:10]}"
    note = {"ticket": 9, "body": f"Called back ({key})", "idempotency_key": key}
    with httpx.Client(timeout=30) as http:
        status, first = _call(http, c.mcp1, token, "add_ticket_note", note)
        assert status == 200 and not first["result"].get("isError"), first
        status, again = _call(http, c.mcp2, token, "add_ticket_note", note)
        assert status == 200 and not again["result"].get("isError"), again
        assert again["result"]["structuredContent"] == first["result"]["structuredContent"]
        status, other = _call(http, c.mcp2, token, "add_ticket_note", {**note, "body": "Something else"})
        assert status == 200 and other["result"].get("isError") is True, other
        assert "idempotency_key" in other["result"]["content"][0]["text"]
    rows = c.db.query(f"SELECT count(*) FROM messages WHERE body = 'Called back ({key})'")
    assert rows == [["1"]], rows


# --- 8. kill -9 during concurrent writes (last: it ends MCP #1) --------------------------------------

def test_a_key_rotated_from_the_cli_signs_at_both_auth_processes_and_verifies_at_both_mcp(cluster):
    """`deskgate keys rotate` (the keys directory both auth processes read, the public key in
    the database): the next tokens either process mints carry the new kid and are accepted at
    both MCP processes; a token signed before, by the retiring key, still is."""
    c = cluster
    registered = register_client(c.auth1, name="Multi rotation")
    assert registered.status_code == 201, registered.text
    client_id = registered.json()["client_id"]
    verifier, challenge = pkce()
    http = signed_in(c, "dana@acme.test", page_at=c.auth2, post_at=c.auth1)
    try:
        form = consent_page(http, c.auth2, client_id, challenge)
        code = code_of(http.post(c.auth2.base_url + path_of(form["action"]), data=dict(form["fields"], decision="approve")))
    finally:
        http.close()
    before = token_request(c.auth1, grant_type="authorization_code", code=code["code"], redirect_uri=REDIRECT,
                           client_id=client_id, code_verifier=verifier)
    assert before.status_code == 200, before.text
    old_kid = jwt.get_unverified_header(before.json()["access_token"])["kid"]
    c.cli("keys", "rotate")
    refresh = before.json()["refresh_token"]
    minted = []
    for server in (c.auth2, c.auth1):
        r = token_request(server, grant_type="refresh_token", refresh_token=refresh, client_id=client_id)
        assert r.status_code == 200, (server.label, r.text)
        refresh = r.json()["refresh_token"]
        minted.append(r.json()["access_token"])
    kids = {jwt.get_unverified_header(t)["kid"] for t in minted}
    assert len(kids) == 1 and old_kid not in kids, (old_kid, kids)
    with httpx.Client(timeout=30) as mcp:
        for token in [before.json()["access_token"], *minted]:
            for server in (c.mcp1, c.mcp2):
                modern_ok(mcp, c.mcp(server), token, "tools/list", {})


def test_kill_9_of_one_mcp_process_loses_no_acknowledged_write(cluster):
    c = cluster
    token = c.tokens["admin"]["token"]
    run_id = uuid.uuid4().hex[:8]
    marker = f"mp-kill {run_id}"
    workers = [(i, server) for i, server in enumerate([c.mcp1, c.mcp2] * 4)]     # 4 threads at each
    acked: list[tuple[str, str, float]] = []          # (body, process, time)
    errored: list[tuple[str, str, str]] = []          # (body, process, why)
    attempted: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()
    killed_at: list[float] = []

    def work(i: int, server: EnvServer):
        url = c.mcp(server)
        with httpx.Client(timeout=15) as http:
            n = 0
            while not stop.is_set():
                body = f"{marker} w{i} n{n}"
                n += 1
                with lock:
                    attempted.append(body)
                why = None
                try:
                    r = modern(http, url, token, "tools/call",
                               {"name": "add_ticket_note", "arguments": {"ticket": 11 + i, "body": body}})
                    msg = rpc_message(r) if r.status_code == 200 else None
                    if msg is None or "result" not in msg or msg["result"].get("isError"):
                        why = f"HTTP {r.status_code} {r.text[:200]!r}"
                except (httpx.HTTPError, ValueError, AssertionError) as e:
                    why = f"{type(e).__name__}: {e}"
                with lock:
                    if why is None:
                        acked.append((body, server.label, time.monotonic()))
                    else:
                        errored.append((body, server.label, why))
                if why is not None and server is c.mcp1 and killed_at:
                    return                        # the process is gone; this client gives up

    def acked_by(server: EnvServer, after: float = 0.0) -> int:
        with lock:
            return sum(1 for _, label, t in acked if label == server.label and t > after)

    # A handshake session opened at MCP #1 before it dies.
    with httpx.Client(timeout=30) as http:
        init = handshake(http, c.mcp(c.mcp1), token, {"jsonrpc": "2.0", "id": next_id(), "method": "initialize",
                         "params": {"protocolVersion": HANDSHAKE, "capabilities": {},
                                    "clientInfo": {"name": "multi", "version": "1"}}}, None)
        assert init.status_code == 200, init.text[:300]
        session = init.headers["mcp-session-id"]

    threads = [threading.Thread(target=work, args=w, daemon=True) for w in workers]
    for t in threads:
        t.start()
    try:
        deadline = time.monotonic() + 20
        while acked_by(c.mcp1) < 25 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert acked_by(c.mcp1) >= 25, f"MCP #1 acknowledged only {acked_by(c.mcp1)} writes: {errored[:5]}"
        c.mcp1.expected_exit = True
        os.kill(c.mcp1.proc.pid, signal.SIGKILL)
        killed_at.append(time.monotonic())
        c.mcp1.proc.wait(timeout=5)
        # MCP #2 goes on acknowledging writes after the kill.
        deadline = time.monotonic() + 20
        while acked_by(c.mcp2, after=killed_at[0]) < 40 and time.monotonic() < deadline:
            time.sleep(0.01)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=30)
    assert not any(t.is_alive() for t in threads)
    assert c.mcp1.proc.returncode == -signal.SIGKILL
    assert acked_by(c.mcp2, after=killed_at[0]) >= 40, f"MCP #2 stalled after the kill: {errored[-5:]}"
    assert all(label == c.mcp1.label for _, label, _ in errored), [e for e in errored if e[1] != c.mcp1.label][:5]

    stored = [r[0] for r in c.db.query(
        f"SELECT body FROM messages WHERE kind = 'note' AND body LIKE '{marker} %' ORDER BY id")]
    assert len(stored) == len(set(stored)), "a note was written twice"
    missing = [body for body, _, _ in acked if body not in set(stored)]
    assert not missing, f"{len(missing)} acknowledged writes are not in the database: {missing[:10]}"
    assert set(stored) <= set(attempted)
    lost_in_flight = [b for b, _, _ in errored if b not in set(stored)]
    landed_in_flight = [b for b, _, _ in errored if b in set(stored)]
    print(f"kill -9: {len(acked)} acknowledged ({acked_by(c.mcp1)} at MCP #1), {len(errored)} errored "
          f"({len(landed_in_flight)} of them landed anyway, {len(lost_in_flight)} not), {len(stored)} stored")
    # ... lives on at MCP #2.
    with httpx.Client(timeout=30) as http:
        listed = handshake(http, c.mcp(c.mcp2), token, {"jsonrpc": "2.0", "id": next_id(), "method": "tools/list"},
                           session)
        assert listed.status_code == 200, (listed.status_code, listed.text[:300])

    # MCP #2 reads (through the tool) the last note MCP #1 acknowledged before it died.
    last_at_mcp1 = [body for body, label, _ in acked if label == c.mcp1.label][-1]
    ticket = 11 + int(last_at_mcp1.split(" w")[1].split(" ")[0])
    seen, cursor = [], None
    with httpx.Client(timeout=30) as http:
        for _ in range(100):
            args = {"ticket": ticket, **({"cursor": cursor} if cursor else {})}
            page = modern_ok(http, c.mcp(c.mcp2), token, "tools/call",
                             {"name": "get_ticket_messages", "arguments": args})["structuredContent"]
            seen.append(json.dumps(page))
            cursor = page.get("next_cursor")
            if not cursor:
                break
    assert any(last_at_mcp1 in chunk for chunk in seen), f"{last_at_mcp1!r} not read back at MCP #2"

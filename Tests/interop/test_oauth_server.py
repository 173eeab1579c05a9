"""The authorization server (issue 4): deskgate-auth driven over HTTP the way an MCP client and a
browser would: discovery, dynamic registration, login and consent forms (submitted with a cookie
jar, like a browser), the code flow with PKCE, refresh rotation, revocation, introspection, and
the attack table's refusals. Access tokens are checked with PyJWT against /t/acme/jwks.json."""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import subprocess
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import jwt
import pytest

import dbkit
from conftest import Server, binary

PASSWORD = "deskgate-demo"
MCP_PUBLIC = "http://127.0.0.1:8002"
REDIRECT = "http://127.0.0.1/callback"
ALL_SCOPES = {"tickets:read", "tickets:write", "directory:read"}


# --- deployment ------------------------------------------------------------------------------

def cli(root: Path, *args: str, json_out: bool = False):
    cmd = [str(binary("deskgate")), "--database", dbkit.database(root / "db.sqlite"), "--keys", str(root / "keys")]
    if json_out:
        cmd.append("--json")
    proc = subprocess.run(cmd + list(args), capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, f"{args}: {proc.stderr}{proc.stdout}"
    return json.loads(proc.stdout) if json_out else proc.stdout


@dataclass
class Deployment:
    root: Path
    server: Server       # grace window 30 s: a concurrent refresh of one token succeeds
    strict: Server       # same database, grace 0, tight registration and login limits

    def db(self) -> dbkit.Connection:
        return dbkit.connect(dbkit.database(self.root / "db.sqlite"))

    def one(self, sql: str, *params):
        with self.db() as conn:
            return conn.execute(sql, params).fetchone()


def _config(root: Path, name: str, oauth: dict) -> str:
    path = root / f"{name}.json"
    path.write_text(json.dumps({"mcp": {"public_url": MCP_PUBLIC}, "oauth": oauth}))
    return str(path)


@pytest.fixture(scope="module")
def dep(tmp_path_factory, request):
    root = tmp_path_factory.mktemp("oauth")
    cli(root, "init")
    cli(root, "demo", "--tenant", "acme", "--tickets", "0")
    cli(root, "demo", "--tenant", "globex", "--tickets", "0")
    cli(root, "tenant", "create", "initech", "--name", "Initech")
    cli(root, "tenant", "suspend", "initech")
    common = ["--database", dbkit.database(root / "db.sqlite"), "--keys", str(root / "keys")]
    relaxed = Server("deskgate-auth", common + ["--config", _config(root, "relaxed", {
        "refresh_reuse_grace_seconds": 30, "registrations_per_address_per_hour": 1000})], label="deskgate-auth relaxed")
    strict = Server("deskgate-auth", common + ["--config", _config(root, "strict", {
        "refresh_reuse_grace_seconds": 0, "registrations_per_address_per_hour": 3,
        "login_failures_before_throttle": 3})], label="deskgate-auth strict")
    deployment = Deployment(root=root, server=relaxed, strict=strict)
    yield deployment
    for i, s in enumerate((relaxed, strict)):
        crashed = s.crashed()
        s.stop()
        if request.session.testsfailed or crashed:
            s.save_stderr(f"oauth-server-{i}")
        s.close()
        assert crashed is None, crashed


# --- a browser and an OAuth client over httpx ----------------------------------------------------

class Forms(HTMLParser):
    """Every <form> with its action, method, inputs and submit buttons."""

    def __init__(self, html: str):
        super().__init__()
        self.forms: list[dict] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action"), "method": a.get("method"), "inputs": {}, "buttons": [],
                               "unchecked": {}})
        elif tag == "input" and self.forms and a.get("name"):
            # As a browser submits: a checkbox only when it is ticked.
            if a.get("type") == "checkbox" and "checked" not in a:
                self.forms[-1]["unchecked"][a["name"]] = a.get("value") or "on"
            else:
                self.forms[-1]["inputs"][a["name"]] = a.get("value", "")
        elif tag == "button" and self.forms and a.get("name"):
            self.forms[-1]["buttons"].append((a["name"], a.get("value", "")))


def only_form(response: httpx.Response) -> dict:
    forms = Forms(response.text).forms
    assert len(forms) == 1, response.text
    return forms[0]


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(64)[:96]
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def query_of(location: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}


class Browser:
    def __init__(self, server: Server, tenant: str = "acme"):
        self.server = server
        self.tenant = tenant
        self.http = httpx.Client(base_url=server.base_url, follow_redirects=False, timeout=30)

    def close(self):
        self.http.close()

    def login(self, email: str, password: str = PASSWORD, next_path: str | None = None) -> httpx.Response:
        page = self.http.get(f"/t/{self.tenant}/login", params={"next": next_path} if next_path else None)
        assert page.status_code == 200, page.text
        form = only_form(page)
        assert form["method"] == "post" and form["action"] == f"/t/{self.tenant}/login"
        data = dict(form["inputs"], email=email, password=password)
        return self.http.post(form["action"], data=data)

    def authorize(self, client_id: str, challenge: str, redirect_uri: str = REDIRECT, **extra) -> httpx.Response:
        params = {"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri,
                  "code_challenge": challenge, "code_challenge_method": "S256", "state": "st-" + secrets.token_hex(4)}
        params.update({k: v for k, v in extra.items() if v is not None})
        for k in [k for k, v in extra.items() if v is None]:
            params.pop(k, None)
        return self.http.get(f"/t/{self.tenant}/oauth/authorize", params=params)

    def code_for(self, client_id: str, email: str = "admin@acme.test", redirect_uri: str = REDIRECT,
                 approve: bool = True, untick: tuple[str, ...] = (), tick: tuple[str, ...] = (),
                 **extra) -> tuple[str, str, dict]:
        """Runs authorize → (login) → (consent) like a browser; returns (code, verifier, final query)."""
        verifier, challenge = pkce()
        response = self.authorize(client_id, challenge, redirect_uri, **extra)
        if response.status_code == 303 and "/login" in response.headers["location"]:
            next_path = query_of(response.headers["location"])["next"]
            response = self.login(email, next_path=next_path)
            assert response.status_code == 303, response.text
            assert response.headers["location"] == next_path
            response = self.http.get(next_path)
        if response.status_code == 200:
            form = only_form(response)
            assert form["action"] == f"/t/{self.tenant}/consent"
            offered = form["inputs"].get("offered", "").split()
            assert offered and set(form["inputs"]) == {"csrf", "request", "offered"} | {f"allow:{s}" for s in offered}
            assert ("decision", "approve") in form["buttons"] and ("decision", "deny") in form["buttons"]
            data = {k: v for k, v in form["inputs"].items() if k not in {f"allow:{s}" for s in untick}}
            data.update({name: form["unchecked"][name] for name in tick})
            response = self.http.post(form["action"], data=dict(data, decision="approve" if approve else "deny"))
        assert response.status_code in (302, 303), response.text
        location = response.headers["location"]
        assert location.startswith(redirect_uri)
        result = query_of(location)
        return result.get("code", ""), verifier, result


def register(server: Server, tenant: str = "acme", **metadata) -> dict:
    body = {"redirect_uris": [REDIRECT], "token_endpoint_auth_method": "none",
            "grant_types": ["authorization_code", "refresh_token"], "client_name": "Interop " + secrets.token_hex(3),
            "application_type": "native"}
    body.update(metadata)
    response = httpx.post(server.url(f"/t/{tenant}/oauth/register"), json=body)
    assert response.status_code == 201, response.text
    return response.json()


def token(server: Server, tenant: str = "acme", auth=None, **form) -> httpx.Response:
    return httpx.post(server.url(f"/t/{tenant}/oauth/token"), data=form, auth=auth)


def exchange(server: Server, client: dict, code: str, verifier: str, tenant: str = "acme", **extra) -> httpx.Response:
    form = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT,
            "client_id": client["client_id"], "code_verifier": verifier, **extra}
    auth = (client["client_id"], client["client_secret"]) if "client_secret" in client else None
    return token(server, tenant, auth=auth, **form)


def refresh(server: Server, client: dict, refresh_token: str, tenant: str = "acme") -> httpx.Response:
    auth = (client["client_id"], client["client_secret"]) if "client_secret" in client else None
    return token(server, tenant, auth=auth, grant_type="refresh_token", refresh_token=refresh_token,
                 client_id=client["client_id"])


def issuer(server: Server, tenant: str = "acme") -> str:
    return f"{server.base_url}/t/{tenant}"


def full_flow(dep: Deployment, server: Server | None = None, email: str = "admin@acme.test", tenant: str = "acme",
              client: dict | None = None, **extra) -> tuple[dict, dict]:
    server = server or dep.server
    client = client or register(server, tenant)
    browser = Browser(server, tenant)
    try:
        code, verifier, _ = browser.code_for(client["client_id"], email=email, **extra)
    finally:
        browser.close()
    response = exchange(server, client, code, verifier, tenant)
    assert response.status_code == 200, response.text
    return client, response.json()


# --- discovery -------------------------------------------------------------------------------

def test_discovery_metadata_at_every_path_with_every_field(dep):
    server = dep.server
    paths = ["/.well-known/oauth-authorization-server/t/acme", "/.well-known/openid-configuration/t/acme",
             "/t/acme/.well-known/openid-configuration"]
    documents = [httpx.get(server.url(p)) for p in paths]
    for response in documents:
        assert response.status_code == 200 and response.headers["content-type"].startswith("application/json")
    doc = documents[0].json()
    assert all(r.json() == doc for r in documents)
    iss = issuer(server)
    assert doc["issuer"] == iss
    assert doc["authorization_endpoint"] == iss + "/oauth/authorize"
    assert doc["token_endpoint"] == iss + "/oauth/token"
    assert doc["registration_endpoint"] == iss + "/oauth/register"
    assert doc["revocation_endpoint"] == iss + "/oauth/revoke"
    assert doc["introspection_endpoint"] == iss + "/oauth/introspect"
    assert doc["jwks_uri"] == iss + "/jwks.json"
    assert doc["response_types_supported"] == ["code"]
    assert set(doc["grant_types_supported"]) == {"authorization_code", "refresh_token"}
    assert doc["code_challenge_methods_supported"] == ["S256"]
    assert set(doc["token_endpoint_auth_methods_supported"]) == {"none", "client_secret_basic", "client_secret_post"}
    assert set(doc["scopes_supported"]) == ALL_SCOPES
    assert doc["client_id_metadata_document_supported"] is True
    assert doc["authorization_response_iss_parameter_supported"] is True
    assert "?" not in doc["authorization_endpoint"]

    unknown = httpx.get(server.url("/.well-known/oauth-authorization-server/t/nobody"))
    assert unknown.status_code == 404 and unknown.json()["error"]
    suspended = httpx.get(server.url("/.well-known/oauth-authorization-server/t/initech"))
    assert suspended.status_code == 403 and "suspended" in suspended.json()["error_description"]
    assert suspended.json()["error"] == "access_denied"


def test_issuer_follows_the_configured_public_url(dep, start_server):
    server = start_server("--database", dbkit.database(dep.root / "db.sqlite"), "--keys", str(dep.root / "keys"),
                          "--public-url", "https://auth.example.com/", program="deskgate-auth")
    doc = httpx.get(server.url("/.well-known/oauth-authorization-server/t/acme")).json()
    assert doc["issuer"] == "https://auth.example.com/t/acme"
    assert doc["token_endpoint"] == "https://auth.example.com/t/acme/oauth/token"
    # Over https the session cookies take the __Host- prefix and Secure.
    page = httpx.get(server.url("/t/acme/login"))
    cookie = page.headers["set-cookie"]
    assert cookie.startswith("__Host-") and "Secure" in cookie and "Path=/;" in cookie and "HttpOnly" in cookie


def test_a_suspended_tenant_refuses_sign_in_authorization_registration_and_tokens(dep):
    server = dep.server
    login = httpx.get(server.url("/t/initech/login"))
    assert login.status_code == 403 and "suspended" in login.text
    authorize = httpx.get(server.url("/t/initech/oauth/authorize"), params={"client_id": "x"})
    assert authorize.status_code == 403 and "location" not in authorize.headers
    registration = httpx.post(server.url("/t/initech/oauth/register"), json={"redirect_uris": [REDIRECT]})
    assert registration.status_code == 403 and "suspended" in registration.json()["error_description"]
    tokens = httpx.post(server.url("/t/initech/oauth/token"), data={"grant_type": "refresh_token", "refresh_token": "x",
                                                                   "client_id": "x"})
    assert tokens.status_code == 403 and "suspended" in tokens.json()["error_description"]
    unknown = httpx.post(server.url("/t/nobody/oauth/token"), data={"grant_type": "refresh_token", "client_id": "x"})
    assert unknown.status_code == 404


def test_every_oauth_endpoint_gives_a_suspended_tenant_one_answer(dep):
    """403 `access_denied` naming the suspension: a code every client library knows, and not one
    (`invalid_grant`, `invalid_client`) that makes a client discard credentials; 404 when unknown."""
    server = dep.server
    form = {"grant_type": "refresh_token", "refresh_token": "x", "token": "x", "client_id": "x", "client_secret": "y"}
    calls = [("GET", "/.well-known/oauth-authorization-server/t/{}", None),
             ("GET", "/.well-known/openid-configuration/t/{}", None),
             ("POST", "/t/{}/oauth/register", {"json": {"redirect_uris": [REDIRECT]}}),
             ("POST", "/t/{}/oauth/token", {"data": form}),
             ("POST", "/t/{}/oauth/revoke", {"data": form}),
             ("POST", "/t/{}/oauth/introspect", {"data": form})]
    for method, path, body in calls:
        suspended = httpx.request(method, server.url(path.format("initech")), **(body or {}))
        assert suspended.status_code == 403, (path, suspended.status_code, suspended.text)
        assert suspended.json()["error"] == "access_denied", (path, suspended.text)
        assert suspended.json()["error_description"] == "tenant 'initech' is suspended", (path, suspended.text)
        assert suspended.headers["cache-control"] == "no-store"
        unknown = httpx.request(method, server.url(path.format("nobody")), **(body or {}))
        assert unknown.status_code == 404 and unknown.json()["error"] == "not_found", (path, unknown.text)


def test_every_page_gives_a_suspended_tenant_one_answer(dep):
    """The 403 "Help desk suspended" page (and a 404 page for an unknown tenant) on every page of
    the flow and the signed-in pages. /consent used to say 404 "There is no help desk here"."""
    server = dep.server
    pages = [("GET", "/t/{}/login", None), ("POST", "/t/{}/login", {"email": "a@b.test", "password": "x", "csrf": "x"}),
             ("GET", "/t/{}/oauth/authorize?client_id=x", None), ("GET", "/t/{}/consent?request=x", None),
             ("POST", "/t/{}/consent", {"request": "x", "decision": "approve", "csrf": "x"}),
             ("GET", "/t/{}/profile/mcp", None), ("GET", "/t/{}/admin", None)]
    for method, path, form in pages:
        suspended = httpx.request(method, server.url(path.format("initech")), data=form)
        assert suspended.status_code == 403, (path, suspended.status_code)
        assert suspended.headers["content-type"].startswith("text/html")
        assert "Help desk suspended" in suspended.text and "Initech is suspended" in suspended.text, path
        assert "location" not in suspended.headers
        unknown = httpx.request(method, server.url(path.format("nobody")), data=form)
        assert unknown.status_code == 404 and "There is no help desk here." in unknown.text, (path, unknown.status_code)


def test_prompt_none_never_shows_a_page(dep):
    client = register(dep.server)
    browser = Browser(dep.server)
    try:
        _, challenge = pkce()
        signed_out = browser.authorize(client["client_id"], challenge, prompt="none", state="pn")
        assert signed_out.status_code == 302 and query_of(signed_out.headers["location"])["error"] == "login_required"
        browser.login("admin@acme.test")
        not_approved = browser.authorize(client["client_id"], challenge, prompt="none", state="pn")
        answer = query_of(not_approved.headers["location"])
        assert answer["error"] == "consent_required" and answer["state"] == "pn" and answer["iss"] == issuer(dep.server)
    finally:
        browser.close()


def test_an_app_the_admin_has_not_allowed_is_refused_at_authorize(dep):
    """A tenant admin's allowed apps (issue 18): any other app gets a page saying so, with no
    redirect back to it, and no new tokens from a grant it already had; a metadata document URL
    is judged by its host before it is fetched; an empty list allows every app again."""
    unlisted = register(dep.server, client_name="Unlisted helper")
    listed = register(dep.server, client_name="Listed helper")
    browser = Browser(dep.server)
    _, challenge = pkce()
    # Authorized while every app was allowed: it holds a refresh token when the list changes.
    code, verifier, _ = browser.code_for(unlisted["client_id"])
    issued = exchange(dep.server, unlisted, code, verifier)
    assert issued.status_code == 200, issued.text
    try:
        cli(dep.root, "tenant", "settings", "acme", "--allow-apps", listed["client_id"] + ",Tools.Allowed.Example")
        # No new tokens for it, however it was authorized.
        refused_refresh = refresh(dep.server, unlisted, issued.json()["refresh_token"])
        assert refused_refresh.status_code == 400 and refused_refresh.json()["error"] == "unauthorized_client"
        refused = browser.authorize(unlisted["client_id"], challenge)
        assert refused.status_code == 403 and "location" not in refused.headers
        assert "has not allowed Unlisted helper to connect" in refused.text
        allowed = browser.authorize(listed["client_id"], challenge)                          # on to consent
        assert allowed.status_code in (200, 302, 303) and "has not allowed" not in allowed.text
        document = browser.authorize("https://tools.other.example/oauth/client.json", challenge)
        assert document.status_code == 403 and "tools.other.example" in document.text
        shown = cli(dep.root, "--json", "tenant", "settings", "acme")
        assert json.loads(shown)["allowed_apps"] == sorted([listed["client_id"], "tools.allowed.example"])
    finally:
        cli(dep.root, "tenant", "settings", "acme", "--allow-apps", "")
    try:
        again = browser.authorize(unlisted["client_id"], challenge)
        assert again.status_code in (200, 302, 303) and "has not allowed" not in again.text
        # The refused refresh spent nothing: with every app allowed again it works.
        assert refresh(dep.server, unlisted, issued.json()["refresh_token"]).status_code == 200
    finally:
        browser.close()


# --- registration ------------------------------------------------------------------------------

def test_dynamic_registration_public_and_confidential(dep):
    server = dep.server
    public = register(server, scope=None, client_name="Public app")
    assert public["client_id"] and "client_secret" not in public
    assert public["token_endpoint_auth_method"] == "none"
    assert public["redirect_uris"] == [REDIRECT]
    assert public["grant_types"] == ["authorization_code", "refresh_token"]
    assert public["application_type"] == "native"
    assert isinstance(public["client_id_issued_at"], int)

    # The same client registering again on every start does not pile up registrations.
    again = register(server, scope=None, client_name="Public app")
    assert again["client_id"] == public["client_id"]
    with dep.db() as conn:
        assert conn.execute("SELECT count(*) FROM oauth_clients WHERE client_id = ?",
                            (public["client_id"],)).fetchone()[0] == 1

    confidential = register(server, token_endpoint_auth_method="client_secret_basic", application_type="web",
                            redirect_uris=["https://app.example.com/cb"], scope="tickets:read offline_access")
    assert confidential["client_secret"] and confidential["client_secret_expires_at"] == 0
    assert confidential["scope"] == "tickets:read"
    stored = dep.one("SELECT secret_hash FROM oauth_clients WHERE client_id = ?", confidential["client_id"])
    assert stored["secret_hash"] == hashlib.sha256(confidential["client_secret"].encode()).digest()
    second = register(server, token_endpoint_auth_method="client_secret_basic", application_type="web",
                      redirect_uris=["https://app.example.com/cb"], scope="tickets:read offline_access")
    assert second["client_id"] != confidential["client_id"]   # a secret is never shown twice

    # RFC 7591 default method is client_secret_basic; loopback with a port and custom schemes for native apps.
    default = register(server, token_endpoint_auth_method=None, redirect_uris=["http://localhost:33418/cb"])
    assert default["token_endpoint_auth_method"] == "client_secret_basic" and default["client_secret"]
    native = register(server, redirect_uris=["com.example.app:/oauth", "vscode://deskgate/cb", "http://[::1]/cb"])
    assert native["redirect_uris"] == ["com.example.app:/oauth", "vscode://deskgate/cb", "http://[::1]/cb"]


@pytest.mark.parametrize("metadata, error", [
    ({"redirect_uris": ["http://app.example.com/cb"]}, "invalid_redirect_uri"),
    ({"redirect_uris": ["https://app.example.com/cb#frag"]}, "invalid_redirect_uri"),
    ({"redirect_uris": ["javascript:alert(1)"]}, "invalid_redirect_uri"),
    ({"redirect_uris": ["com.example.app:/cb"], "application_type": "web"}, "invalid_redirect_uri"),
    ({"redirect_uris": []}, "invalid_redirect_uri"),
    ({"redirect_uris": None}, "invalid_redirect_uri"),
    ({"redirect_uris": "https://app.example.com/cb"}, "invalid_redirect_uri"),
    ({"token_endpoint_auth_method": "private_key_jwt"}, "invalid_client_metadata"),
    ({"grant_types": ["implicit"]}, "invalid_client_metadata"),
    ({"grant_types": ["refresh_token"]}, "invalid_client_metadata"),
    ({"response_types": ["token"]}, "invalid_client_metadata"),
    ({"application_type": "desktop"}, "invalid_client_metadata"),
    ({"client_name": 42}, "invalid_client_metadata"),
])
def test_dynamic_registration_refusals(dep, metadata, error):
    body = {"redirect_uris": [REDIRECT], "token_endpoint_auth_method": "none", "application_type": "native"}
    body.update(metadata)
    body = {k: v for k, v in body.items() if v is not None}
    response = httpx.post(dep.server.url("/t/acme/oauth/register"), json=body)
    assert response.status_code == 400, response.text
    assert response.json()["error"] == error and response.json()["error_description"]


def test_registration_needs_a_json_object_and_is_rate_limited(dep):
    not_json = httpx.post(dep.server.url("/t/acme/oauth/register"), content=b"redirect_uris=x",
                          headers={"content-type": "application/x-www-form-urlencoded"})
    assert not_json.status_code == 400 and not_json.json()["error"] == "invalid_client_metadata"
    array = httpx.post(dep.server.url("/t/acme/oauth/register"), json=[REDIRECT])
    assert array.status_code == 400 and array.json()["error"] == "invalid_client_metadata"

    # The strict server admits 3 registrations per address and hour.
    statuses = [httpx.post(dep.strict.url("/t/globex/oauth/register"),
                           json={"redirect_uris": [REDIRECT], "token_endpoint_auth_method": "none",
                                 "client_name": f"burst {i}"}).status_code for i in range(5)]
    assert statuses[:3] == [201, 201, 201] and statuses[3:] == [429, 429]


# --- login page -------------------------------------------------------------------------------

def test_login_page_headers_cookie_and_csrf(dep):
    browser = Browser(dep.server)
    try:
        page = browser.http.get("/t/acme/login")
        assert page.status_code == 200
        csp = page.headers["content-security-policy"]
        assert "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp and "default-src 'none'" in csp
        assert page.headers["x-frame-options"] == "DENY"
        assert page.headers["referrer-policy"] == "no-referrer"
        assert page.headers["x-content-type-options"] == "nosniff"
        assert page.headers["cache-control"] == "no-store"
        assert "<style" not in page.text and "<script" not in page.text and "style=" not in page.text
        css = browser.http.get("/assets/deskgate.css")
        assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
        form = only_form(page)
        assert set(form["inputs"]) == {"csrf", "next", "email", "password"}

        # Without the form's CSRF value, or with another one, nothing is checked or signed in.
        forged = browser.http.post("/t/acme/login", data={"email": "admin@acme.test", "password": PASSWORD,
                                                          "csrf": "x" * 32, "next": "/t/acme/x"})
        assert forged.status_code == 403 and "set-cookie" not in forged.headers

        ok = browser.http.post("/t/acme/login", data=dict(form["inputs"], email="Admin@Acme.test", password=PASSWORD))
        assert ok.status_code == 303
        cookies = ok.headers.get_list("set-cookie")
        session = next(c for c in cookies if c.startswith("dg_session="))
        assert "HttpOnly" in session and "SameSite=Lax" in session and "Path=/t/acme/" in session
        assert "Secure" not in session   # plain http public URL in this deployment
    finally:
        browser.close()
    with dep.db() as conn:
        kinds = [r["kind"] for r in conn.execute(
            "SELECT kind FROM security_events e JOIN tenants t ON t.id = e.tenant_id WHERE t.slug = 'acme'")]
    assert "login_succeeded" in kinds


def test_login_failures_are_generic_then_throttled(dep):
    browser = Browser(dep.strict, tenant="globex")
    try:
        wrong = browser.login("dana@globex.test", "not-the-password")
        unknown = browser.login("nobody@globex.test", "not-the-password")
        assert wrong.status_code == unknown.status_code == 401
        assert "The email or password is not correct." in wrong.text
        assert "The email or password is not correct." in unknown.text
        assert "set-cookie" not in wrong.headers or "dg_session=" not in wrong.headers["set-cookie"]
        browser.login("dana@globex.test", "still-wrong")
        browser.login("dana@globex.test", "wrong-again")
        # Three failures for this account: even the right password is refused for a while.
        throttled = browser.login("dana@globex.test", PASSWORD)
        assert throttled.status_code == 429 and "Too many failed sign-in attempts" in throttled.text
        # Another account is not locked by it.
        assert browser.login("admin@globex.test", PASSWORD).status_code == 303
    finally:
        browser.close()
    failed = dep.one("""SELECT count(*) AS n FROM security_events e JOIN tenants t ON t.id = e.tenant_id
                        WHERE t.slug = 'globex' AND e.kind = 'login_failed'""")["n"]
    assert failed >= 3


@pytest.mark.parametrize("next_path", [
    "https://evil.example/", "//evil.example/x", "/\\evil.example", "/t/acme/../../evil", "/t/globex/profile",
    "/t/acme/%2e%2e/%2e%2e/evil", "/t/acme//evil.example", "javascript:alert(1)", "/t/acme/x\r\nSet-Cookie: a=b",
])
def test_open_redirect_attempts_on_next_land_on_the_tenant(dep, next_path):
    browser = Browser(dep.server)
    try:
        response = browser.login("dana@acme.test", next_path=next_path)
        assert response.status_code == 303
        assert response.headers["location"] == "/t/acme/profile/mcp"
    finally:
        browser.close()


def test_logout_ends_the_session(dep):
    client = register(dep.server)
    browser = Browser(dep.server)
    try:
        browser.code_for(client["client_id"])
        verifier, challenge = pkce()
        assert browser.authorize(client["client_id"], challenge).status_code == 302   # remembered, signed in
        page = browser.http.get("/t/acme/login")
        # The session's CSRF token is on the consent form; get one through a fresh consent page.
        consent = browser.authorize(client["client_id"], challenge, prompt="consent")
        csrf = only_form(consent)["inputs"]["csrf"]
        assert browser.http.post("/t/acme/logout", data={"csrf": "wrong"}).status_code == 403
        out = browser.http.post("/t/acme/logout", data={"csrf": csrf})
        assert out.status_code == 303 and out.headers["location"] == "/t/acme/login"
        again = browser.authorize(client["client_id"], challenge)
        assert again.status_code == 303 and "/t/acme/login?next=" in again.headers["location"]
        assert page.status_code == 200
    finally:
        browser.close()


# --- the code flow ----------------------------------------------------------------------------

def test_full_code_flow_with_pkce_and_a_verifiable_jwt(dep):
    server = dep.server
    client = register(server)
    browser = Browser(server)
    try:
        verifier, challenge = pkce()
        first = browser.authorize(client["client_id"], challenge, state="xyz-123", scope="tickets:read directory:read")
        assert first.status_code == 303
        location = first.headers["location"]
        assert location.startswith("/t/acme/login?next=")
        next_path = query_of(location)["next"]
        assert next_path.startswith("/t/acme/oauth/authorize?")
        signed_in = browser.login("admin@acme.test", next_path=next_path)
        assert signed_in.headers["location"] == next_path
        consent = browser.http.get(next_path)
        assert consent.status_code == 200
        assert consent.headers["x-frame-options"] == "DENY" and consent.headers["cache-control"] == "no-store"
        text = consent.text
        assert client["client_name"] in text and client["client_id"] in text and "127.0.0.1" in text
        assert "Acme" in text and "Read tickets" in text and "tickets:write" not in text
        form = only_form(consent)
        done = browser.http.post(form["action"], data=dict(form["inputs"], decision="approve"))
        assert done.status_code == 303
        answer = query_of(done.headers["location"])
        assert done.headers["location"].startswith(REDIRECT + "?")
        assert answer["state"] == "xyz-123" and answer["iss"] == issuer(server) and len(answer["code"]) >= 43
    finally:
        browser.close()

    response = exchange(server, client, answer["code"], verifier)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "Bearer" and body["expires_in"] == 3600
    assert body["scope"] == "tickets:read directory:read" and body["refresh_token"].startswith("dgrt_")

    keys = httpx.get(server.url("/t/acme/jwks.json")).json()
    header = jwt.get_unverified_header(body["access_token"])
    assert header["alg"] == "ES256" and header["typ"] == "at+jwt" and header["kid"] in {k["kid"] for k in keys["keys"]}
    key = jwt.PyJWK(next(k for k in keys["keys"] if k["kid"] == header["kid"]))
    claims = jwt.decode(body["access_token"], key.key, algorithms=["ES256"], audience=MCP_PUBLIC + "/t/acme/mcp",
                        issuer=issuer(server))
    admin = dep.one("SELECT u.id FROM users u JOIN tenants t ON t.id = u.tenant_id "
                    "WHERE t.slug = 'acme' AND u.email = 'admin@acme.test'")["id"]
    assert claims["sub"] == str(admin) and claims["client_id"] == client["client_id"]
    assert claims["scope"] == "tickets:read directory:read" and claims["tenant"] == "acme"
    assert claims["exp"] - claims["iat"] == 3600 and claims["nbf"] == claims["iat"]
    assert isinstance(claims["grant_id"], int) and len(claims["jti"]) >= 16
    grant = dep.one("SELECT * FROM oauth_grants WHERE id = ?", claims["grant_id"])
    assert grant["revoked_at"] is None and grant["client_id"] == client["client_id"] and grant["last_used_at"]
    assert dep.one("SELECT last_used_at FROM oauth_clients WHERE client_id = ?", client["client_id"])["last_used_at"]
    # Secrets are stored hashed only.
    with dep.db() as conn:
        dump = "\n".join(str(tuple(r)) for t in ("oauth_codes", "oauth_refresh_tokens", "login_sessions")
                         for r in conn.execute(f"SELECT * FROM {t}"))
    assert answer["code"] not in dump and body["refresh_token"] not in dump
    approved = dep.one("SELECT detail_json FROM security_events WHERE kind = 'app_approved' ORDER BY id DESC LIMIT 1")
    assert client["client_id"] in approved["detail_json"]
    stderr = server.stderr_text()
    assert answer["code"] not in stderr and body["refresh_token"] not in stderr and body["access_token"] not in stderr
    assert PASSWORD not in stderr
    events = [json.loads(line) for line in stderr.splitlines() if '"security_event"' in line]
    assert any(e.get("kind") == "app_approved" and e.get("client_id") == client["client_id"] for e in events)
    assert any(e.get("kind") == "login_succeeded" and e.get("user_id") == admin for e in events)


def test_the_consent_boxes_narrow_what_the_app_gets(dep):
    """Unticking a scope on the consent screen (issue 18) keeps it out of the grant and the
    token; unticking everything is a denial."""
    client = register(dep.server, scope="tickets:read tickets:write directory:read")
    browser = Browser(dep.server)
    try:
        code, verifier, _ = browser.code_for(client["client_id"], scope="tickets:read tickets:write directory:read",
                                             untick=("tickets:write",), prompt="consent")
        answer = exchange(dep.server, client, code, verifier)
        assert answer.status_code == 200, answer.text
        assert set(answer.json()["scope"].split()) == {"tickets:read", "directory:read"}
        claims = jwt.decode(answer.json()["access_token"], options={"verify_signature": False})
        assert "tickets:write" not in claims["scope"].split()
        _, _, nothing = browser.code_for(client["client_id"], scope="tickets:read", untick=("tickets:read",), prompt="consent")
        assert nothing["error"] == "access_denied" and "code" not in nothing
    finally:
        browser.close()


def test_ask_me_before_this_app_changes_tickets_is_kept_on_the_grant(dep):
    """The consent screen's own approval rule (issue 18): ticked, the grant asks for a person's
    approval of every write the app makes; left unticked (the default), it adds nothing."""
    client = register(dep.server, scope="tickets:read tickets:write")
    browser = Browser(dep.server)
    try:
        browser.code_for(client["client_id"], scope="tickets:read tickets:write", tick=("ask_first",), prompt="consent")
        grant = dep.one("SELECT approval FROM oauth_grants WHERE client_id = ? AND revoked_at IS NULL", client["client_id"])
        assert grant["approval"] == "writes"
        event = dep.one("SELECT detail_json FROM security_events WHERE kind = 'app_approved' ORDER BY id DESC LIMIT 1")
        assert json.loads(event["detail_json"])["approval"] == "writes"
        browser.code_for(client["client_id"], scope="tickets:read tickets:write", prompt="consent")
        grant = dep.one("SELECT approval FROM oauth_grants WHERE client_id = ? AND revoked_at IS NULL", client["client_id"])
        assert grant["approval"] == "", "the person's own rule follows their latest consent"
        # A read-only app is not offered the box: it cannot change tickets.
        reader = register(dep.server, scope="tickets:read")
        page = browser.authorize(reader["client_id"], pkce()[1], scope="tickets:read", prompt="consent")
        assert page.status_code == 200 and "ask_first" not in page.text
    finally:
        browser.close()


def test_remembered_consent_skips_the_page_unless_more_is_asked(dep):
    client = register(dep.server)
    browser = Browser(dep.server)
    try:
        browser.code_for(client["client_id"], scope="tickets:read")
        verifier, challenge = pkce()
        again = browser.authorize(client["client_id"], challenge, scope="tickets:read", state="s2")
        assert again.status_code == 302
        answer = query_of(again.headers["location"])
        assert answer["state"] == "s2" and answer["iss"] == issuer(dep.server) and answer["code"]
        assert exchange(dep.server, client, answer["code"], verifier).json()["scope"] == "tickets:read"

        wider = browser.authorize(client["client_id"], challenge, scope="tickets:read tickets:write")
        assert wider.status_code == 200 and "Change tickets" in wider.text
        form = only_form(wider)
        assert browser.http.post(form["action"], data=dict(form["inputs"], decision="approve")).status_code == 303
        grant = dep.one("SELECT scopes FROM oauth_grants WHERE client_id = ? AND revoked_at IS NULL", client["client_id"])
        assert set(grant["scopes"].split()) == {"tickets:read", "tickets:write"}   # union of both approvals
        narrower = browser.authorize(client["client_id"], challenge, scope="tickets:write")
        assert narrower.status_code == 302
    finally:
        browser.close()


def test_authorize_also_accepts_a_form_post(dep):
    client = register(dep.server)
    browser = Browser(dep.server)
    try:
        verifier, challenge = pkce()
        form = {"response_type": "code", "client_id": client["client_id"], "redirect_uri": REDIRECT,
                "code_challenge": challenge, "code_challenge_method": "S256", "state": "posted"}
        first = browser.http.post("/t/acme/oauth/authorize", data=form)
        assert first.status_code == 303 and first.headers["location"].startswith("/t/acme/login?next=")
        next_path = query_of(first.headers["location"])["next"]
        assert query_of(next_path) == form            # the same request, now as a GET
        assert browser.login("admin@acme.test", next_path=next_path).headers["location"] == next_path
        consent = browser.http.post("/t/acme/oauth/authorize", data=form)
        page = only_form(consent)
        done = browser.http.post(page["action"], data=dict(page["inputs"], decision="approve"))
        answer = query_of(done.headers["location"])
        assert answer["state"] == "posted"
    finally:
        browser.close()
    assert exchange(dep.server, client, answer["code"], verifier).status_code == 200


def test_deny_returns_access_denied_with_state_and_iss(dep):
    client = register(dep.server)
    browser = Browser(dep.server)
    try:
        code, _, answer = browser.code_for(client["client_id"], approve=False, state="deny-me")
    finally:
        browser.close()
    assert code == "" and answer["error"] == "access_denied"
    assert answer["state"] == "deny-me" and answer["iss"] == issuer(dep.server)
    assert dep.one("SELECT count(*) AS n FROM oauth_grants WHERE client_id = ?", client["client_id"])["n"] == 0


def test_scopes_are_narrowed_to_client_and_role(dep):
    _, viewer = full_flow(dep, email="viewer@acme.test", scope="tickets:read tickets:write")
    assert viewer["scope"] == "tickets:read"
    _, everything = full_flow(dep, email="viewer@acme.test")
    assert set(everything["scope"].split()) == {"tickets:read", "directory:read"}

    limited = register(dep.server, scope="tickets:read")
    _, token_body = full_flow(dep, client=limited)
    assert token_body["scope"] == "tickets:read"
    browser = Browser(dep.server)
    try:
        browser.login("admin@acme.test")
        _, challenge = pkce()
        refused = browser.authorize(limited["client_id"], challenge, scope="directory:read", state="sc")
        assert refused.status_code == 302
        answer = query_of(refused.headers["location"])
        assert answer["error"] == "invalid_scope" and answer["state"] == "sc" and answer["iss"] == issuer(dep.server)
    finally:
        browser.close()


def test_resource_indicator(dep):
    client = register(dep.server)
    browser = Browser(dep.server)
    try:
        browser.login("admin@acme.test")
        _, challenge = pkce()
        foreign = browser.authorize(client["client_id"], challenge, resource="https://other.example/mcp")
        assert foreign.status_code == 302 and query_of(foreign.headers["location"])["error"] == "invalid_target"
    finally:
        browser.close()
    # Upper-case host and a trailing slash name the same resource.
    _, body = full_flow(dep, resource="HTTP://127.0.0.1:8002/t/acme/mcp/")
    assert jwt.decode(body["access_token"], options={"verify_signature": False})["aud"] == MCP_PUBLIC + "/t/acme/mcp"
    _, omitted = full_flow(dep)
    assert jwt.decode(omitted["access_token"], options={"verify_signature": False})["aud"] == MCP_PUBLIC + "/t/acme/mcp"


# --- the attack table ---------------------------------------------------------------------------

def test_pkce_missing_or_plain_is_redirected_as_invalid_request(dep):
    client = register(dep.server)
    browser = Browser(dep.server)
    try:
        browser.login("admin@acme.test")
        for extra in ({"code_challenge": None, "code_challenge_method": None},
                      {"code_challenge_method": "plain"}, {"code_challenge_method": None}):
            _, challenge = pkce()
            response = browser.authorize(client["client_id"], challenge, state="pk", **extra)
            assert response.status_code == 302, extra
            answer = query_of(response.headers["location"])
            assert answer["error"] == "invalid_request" and answer["state"] == "pk" and answer["iss"] == issuer(dep.server)
        token_only = browser.authorize(client["client_id"], pkce()[1], response_type="token")
        assert query_of(token_only.headers["location"])["error"] == "unsupported_response_type"
    finally:
        browser.close()


def test_wrong_or_missing_verifier_is_invalid_grant(dep):
    client = register(dep.server)
    browser = Browser(dep.server)
    try:
        code, verifier, _ = browser.code_for(client["client_id"])
    finally:
        browser.close()
    wrong = exchange(dep.server, client, code, pkce()[0])
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
    missing = token(dep.server, grant_type="authorization_code", code=code, redirect_uri=REDIRECT,
                    client_id=client["client_id"])
    assert missing.status_code == 400 and missing.json()["error"] == "invalid_request"
    other_redirect = exchange(dep.server, client, code, verifier, redirect_uri="http://127.0.0.1/other")
    assert other_redirect.json()["error"] == "invalid_grant"
    assert exchange(dep.server, client, code, verifier).status_code == 200


def test_redirect_mismatch_and_unknown_client_are_shown_not_redirected(dep):
    client = register(dep.server, redirect_uris=["http://127.0.0.1/callback", "https://app.example.com/cb"])
    browser = Browser(dep.server)
    try:
        browser.login("admin@acme.test")
        _, challenge = pkce()
        for redirect in ("https://evil.example/cb", "https://app.example.com/cb/../evil", "https://app.example.com/cb?x=1",
                         "http://127.0.0.1.evil.example/callback", "http://localhost/callback"):
            response = browser.authorize(client["client_id"], challenge, redirect_uri=redirect)
            assert response.status_code == 400 and "location" not in response.headers, redirect
            assert "did not register" in response.text
        unknown = browser.authorize("dgc_nope", challenge)
        assert unknown.status_code == 400 and "location" not in unknown.headers and "not registered" in unknown.text
        missing = browser.authorize(client["client_id"], challenge, redirect_uri=None)
        assert missing.status_code == 400 and "location" not in missing.headers
        # Loopback redirect URIs match on any port (RFC 8252 §7.3).
        ported = browser.authorize(client["client_id"], challenge, redirect_uri="http://127.0.0.1:54321/callback")
        assert ported.status_code == 200 and only_form(ported)["action"] == "/t/acme/consent"
    finally:
        browser.close()


def test_consent_csrf_and_session_binding(dep):
    client = register(dep.server)
    browser = Browser(dep.server)
    other = Browser(dep.server)
    try:
        browser.login("admin@acme.test")
        _, challenge = pkce()
        page = browser.authorize(client["client_id"], challenge)
        form = only_form(page)
        missing = browser.http.post("/t/acme/consent", data={"request": form["inputs"]["request"], "decision": "approve"})
        wrong = browser.http.post("/t/acme/consent", data={"request": form["inputs"]["request"], "decision": "approve",
                                                           "csrf": "A" * 32})
        for refused in (missing, wrong):
            assert refused.status_code == 403 and "location" not in refused.headers
        # Another signed-in browser, with its own valid CSRF token, cannot complete this request.
        other.login("dana@acme.test")
        other_page = other.authorize(client["client_id"], challenge)
        other_csrf = only_form(other_page)["inputs"]["csrf"]
        hijack = other.http.post("/t/acme/consent", data={"request": form["inputs"]["request"], "decision": "approve",
                                                          "csrf": other_csrf})
        assert hijack.status_code == 400 and "location" not in hijack.headers
        # Not signed in at all: refused.
        anonymous = httpx.post(dep.server.url("/t/acme/consent"), data=dict(form["inputs"], decision="approve"))
        assert anonymous.status_code == 401 and "location" not in anonymous.headers
        # The real form still works, once.
        ok = browser.http.post("/t/acme/consent", data=dict(form["inputs"], decision="approve"))
        assert ok.status_code == 303 and "code=" in ok.headers["location"]
        twice = browser.http.post("/t/acme/consent", data=dict(form["inputs"], decision="approve"))
        assert twice.status_code == 400 and "location" not in twice.headers
    finally:
        browser.close()
        other.close()


def test_code_replay_revokes_what_the_code_minted(dep):
    client = register(dep.server)
    browser = Browser(dep.server)
    try:
        code, verifier, _ = browser.code_for(client["client_id"])
    finally:
        browser.close()
    first = exchange(dep.server, client, code, verifier)
    assert first.status_code == 200
    replay = exchange(dep.server, client, code, verifier)
    assert replay.status_code == 400 and replay.json()["error"] == "invalid_grant"
    grant_id = jwt.decode(first.json()["access_token"], options={"verify_signature": False})["grant_id"]
    assert dep.one("SELECT revoked_at FROM oauth_grants WHERE id = ?", grant_id)["revoked_at"] is not None
    assert refresh(dep.server, client, first.json()["refresh_token"]).json()["error"] == "invalid_grant"


def test_refresh_rotates_and_a_concurrent_refresh_inside_the_grace_window_succeeds(dep):
    client, body = full_flow(dep)
    first = refresh(dep.server, client, body["refresh_token"])
    assert first.status_code == 200, first.text
    rotated = first.json()
    assert rotated["refresh_token"] != body["refresh_token"] and rotated["access_token"] != body["access_token"]
    assert rotated["expires_in"] == 3600 and rotated["token_type"] == "Bearer"
    # A second process of the same client refreshing with the same (now rotated) token, within the window.
    sibling = refresh(dep.server, client, body["refresh_token"])
    assert sibling.status_code == 200, sibling.text
    assert sibling.json()["refresh_token"] not in (rotated["refresh_token"], body["refresh_token"])
    # Both successors keep working.
    assert refresh(dep.server, client, rotated["refresh_token"]).status_code == 200
    assert refresh(dep.server, client, sibling.json()["refresh_token"]).status_code == 200


def test_refresh_reuse_after_the_window_revokes_the_grant(dep):
    client = register(dep.server)
    _, body = full_flow(dep, server=dep.strict, client=client)   # the strict server has no grace window
    rotated = refresh(dep.strict, client, body["refresh_token"])
    assert rotated.status_code == 200
    reuse = refresh(dep.strict, client, body["refresh_token"])
    assert reuse.status_code == 400 and reuse.json()["error"] == "invalid_grant"
    # The whole grant is gone: the successor token too, and the access token is no longer active.
    assert refresh(dep.strict, client, rotated.json()["refresh_token"]).json()["error"] == "invalid_grant"
    grant_id = jwt.decode(body["access_token"], options={"verify_signature": False})["grant_id"]
    assert dep.one("SELECT revoked_at FROM oauth_grants WHERE id = ?", grant_id)["revoked_at"] is not None
    events = dep.one("SELECT count(*) AS n FROM security_events WHERE kind = 'refresh_token_reused'")["n"]
    assert events >= 1


def test_tokens_of_tenant_b_are_refused_at_tenant_a(dep):
    globex_client, globex = full_flow(dep, email="admin@globex.test", tenant="globex")
    # Tenant A does not know B's client, code or refresh token.
    at_acme = refresh(dep.server, globex_client, globex["refresh_token"], tenant="acme")
    assert at_acme.status_code == 401 and at_acme.json()["error"] == "invalid_client"
    acme_client = register(dep.server)
    foreign_refresh = refresh(dep.server, acme_client, globex["refresh_token"], tenant="acme")
    assert foreign_refresh.status_code == 400 and foreign_refresh.json()["error"] == "invalid_grant"
    confidential = register(dep.server, token_endpoint_auth_method="client_secret_post")
    peek = httpx.post(dep.server.url("/t/acme/oauth/introspect"),
                      data={"token": globex["access_token"], "client_id": confidential["client_id"],
                            "client_secret": confidential["client_secret"]})
    assert peek.status_code == 200 and peek.json() == {"active": False}
    claims = jwt.decode(globex["access_token"], options={"verify_signature": False})
    assert claims["iss"] == issuer(dep.server, "globex") and claims["aud"] == MCP_PUBLIC + "/t/globex/mcp"


def test_token_endpoint_errors(dep):
    client = register(dep.server)
    unsupported = token(dep.server, grant_type="client_credentials", client_id=client["client_id"])
    assert unsupported.status_code == 400 and unsupported.json()["error"] == "unsupported_grant_type"
    assert unsupported.headers["cache-control"] == "no-store"
    missing = token(dep.server, client_id=client["client_id"])
    assert missing.json()["error"] == "invalid_request"
    as_json = httpx.post(dep.server.url("/t/acme/oauth/token"), json={"grant_type": "refresh_token"})
    assert as_json.status_code == 400 and as_json.json()["error"] == "invalid_request"
    garbage = token(dep.server, grant_type="authorization_code", code="nope", redirect_uri=REDIRECT,
                    client_id=client["client_id"], code_verifier=pkce()[0])
    assert garbage.json()["error"] == "invalid_grant"
    anonymous = token(dep.server, grant_type="refresh_token", refresh_token="x")
    assert anonymous.status_code == 401 and anonymous.json()["error"] == "invalid_client"

    confidential = register(dep.server, token_endpoint_auth_method="client_secret_basic")
    bad_secret = token(dep.server, auth=(confidential["client_id"], "wrong"), grant_type="refresh_token", refresh_token="x")
    assert bad_secret.status_code == 401 and bad_secret.json()["error"] == "invalid_client"
    assert bad_secret.headers["www-authenticate"].startswith("Basic")
    no_secret = token(dep.server, grant_type="refresh_token", refresh_token="x", client_id=confidential["client_id"])
    assert no_secret.status_code == 401
    public_with_refresh_off = register(dep.server, grant_types=["authorization_code"])
    _, body = full_flow(dep, client=public_with_refresh_off)
    assert "refresh_token" not in body
    denied = token(dep.server, grant_type="refresh_token", refresh_token="dgrt_x",
                   client_id=public_with_refresh_off["client_id"])
    assert denied.json()["error"] == "unauthorized_client"


def test_confidential_client_flow_with_introspection_and_revocation(dep):
    client = register(dep.server, token_endpoint_auth_method="client_secret_basic")
    _, body = full_flow(dep, client=client)
    auth = (client["client_id"], client["client_secret"])
    introspect = lambda tok: httpx.post(dep.server.url("/t/acme/oauth/introspect"), data={"token": tok}, auth=auth)
    active = introspect(body["access_token"]).json()
    assert active["active"] is True and active["client_id"] == client["client_id"]
    assert active["aud"] == MCP_PUBLIC + "/t/acme/mcp" and active["iss"] == issuer(dep.server)
    assert active["scope"] == body["scope"] and isinstance(active["exp"], int)
    assert introspect(body["refresh_token"]).json()["active"] is True
    assert introspect("dgrt_nonsense").json() == {"active": False}
    assert introspect("a.b.c").json() == {"active": False}

    public = register(dep.server)
    refused = httpx.post(dep.server.url("/t/acme/oauth/introspect"),
                         data={"token": body["access_token"], "client_id": public["client_id"]})
    assert refused.status_code == 401 and refused.json()["error"] == "invalid_client"

    revoke = lambda tok, who=auth: httpx.post(dep.server.url("/t/acme/oauth/revoke"), data={"token": tok}, auth=who)
    assert revoke("dgrt_unknown_token").status_code == 200
    # Another client cannot revoke this client's token (200, nothing happens).
    assert httpx.post(dep.server.url("/t/acme/oauth/revoke"),
                      data={"token": body["refresh_token"], "client_id": public["client_id"]}).status_code == 200
    assert introspect(body["refresh_token"]).json()["active"] is True
    assert revoke(body["refresh_token"]).status_code == 200
    assert introspect(body["refresh_token"]).json() == {"active": False}
    assert introspect(body["access_token"]).json() == {"active": False}
    assert refresh(dep.server, client, body["refresh_token"]).json()["error"] == "invalid_grant"

    # Revoking an access token revokes its grant too.
    _, second = full_flow(dep, client=client, prompt="consent")
    assert revoke(second["access_token"]).status_code == 200
    assert refresh(dep.server, client, second["refresh_token"]).json()["error"] == "invalid_grant"


def test_authorized_apps_cli_lists_and_revokes(dep):
    client, body = full_flow(dep, email="dana@acme.test")
    apps = cli(dep.root, "app", "list", "--tenant", "acme", "--user", "dana@acme.test", json_out=True)
    mine = [a for a in apps if a["client_id"] == client["client_id"]]
    assert len(mine) == 1 and mine[0]["client_name"] == client["client_name"] and mine[0]["user"] == "dana@acme.test"
    assert set(mine[0]["scopes"]) == ALL_SCOPES and mine[0]["approved_at"] and mine[0]["last_used_at"]
    cli(dep.root, "app", "revoke", "--tenant", "acme", str(mine[0]["id"]))
    assert refresh(dep.server, client, body["refresh_token"]).json()["error"] == "invalid_grant"
    after = cli(dep.root, "app", "list", "--tenant", "acme", "--user", "dana@acme.test", json_out=True)
    assert client["client_id"] not in {a["client_id"] for a in after}


def test_preregistered_clients_from_the_cli(dep):
    created = cli(dep.root, "client", "create", "--tenant", "acme", "--name", "Ops console",
                  "--redirect-uri", REDIRECT, "--auth-method", "client_secret_post", json_out=True)
    assert created["kind"] == "preregistered" and created["client_secret"]
    listed = cli(dep.root, "client", "list", "--tenant", "acme", json_out=True)
    assert created["client_id"] in {c["client_id"] for c in listed}
    assert all("client_secret" not in c and created["client_secret"] not in json.dumps(c) for c in listed)
    client = {"client_id": created["client_id"]}
    browser = Browser(dep.server)
    try:
        code, verifier, _ = browser.code_for(client["client_id"])
    finally:
        browser.close()
    post = token(dep.server, grant_type="authorization_code", code=code, redirect_uri=REDIRECT,
                 client_id=created["client_id"], client_secret=created["client_secret"], code_verifier=verifier)
    assert post.status_code == 200, post.text
    cli(dep.root, "client", "delete", "--tenant", "acme", created["client_id"])
    assert dep.one("SELECT count(*) AS n FROM oauth_grants WHERE client_id = ?", created["client_id"])["n"] == 0
    gone = token(dep.server, grant_type="refresh_token", refresh_token=post.json()["refresh_token"],
                 client_id=created["client_id"], client_secret=created["client_secret"])
    assert gone.status_code == 401


def test_key_rotation_signs_the_next_token_with_the_new_key(dep):
    client, body = full_flow(dep)
    before = jwt.get_unverified_header(body["access_token"])["kid"]
    rotated = cli(dep.root, "keys", "rotate", json_out=True)
    assert rotated["previous_key_id"] == before
    after = refresh(dep.server, client, body["refresh_token"]).json()
    assert jwt.get_unverified_header(after["access_token"])["kid"] == rotated["key_id"]
    keys = {k["kid"]: jwt.PyJWK(k) for k in httpx.get(dep.server.url("/t/acme/jwks.json")).json()["keys"]}
    for access in (body["access_token"], after["access_token"]):   # the retiring key still verifies its tokens
        kid = jwt.get_unverified_header(access)["kid"]
        jwt.decode(access, keys[kid].key, algorithms=["ES256"], audience=MCP_PUBLIC + "/t/acme/mcp", issuer=issuer(dep.server))


def test_purge_removes_idle_registered_clients_with_their_grants(dep):
    client, _ = full_flow(dep)
    kept = cli(dep.root, "client", "create", "--tenant", "acme", "--name", "Kept", "--redirect-uri", REDIRECT, json_out=True)
    # Nothing is idle for 30 days yet; with 0 idle days everything registered goes, pre-registered stays.
    assert cli(dep.root, "client", "purge", "--tenant", "globex", json_out=True)["purged"] == 0
    purged = cli(dep.root, "client", "purge", "--tenant", "acme", "--idle-days", "0", json_out=True)["purged"]
    assert purged >= 1
    with dep.db() as conn:
        assert conn.execute("SELECT count(*) FROM oauth_clients WHERE client_id = ?", (client["client_id"],)).fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM oauth_grants WHERE client_id = ?", (client["client_id"],)).fetchone()[0] == 0
        assert conn.execute("SELECT count(*) FROM oauth_clients WHERE client_id = ?", (kept["client_id"],)).fetchone()[0] == 1

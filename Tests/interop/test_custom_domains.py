"""Custom domains (issue 20): `deskgate tenant host add acme help.acme.example` makes requests
whose Host is help.acme.example reach tenant acme without the /t/acme prefix, on both servers.
The issuer and the resource are then built on that host, the OAuth flow runs there end to end,
and the access token it yields works only there: refused at the path URL and at another host of
the same tenant, as a path token is refused at the host. Path URLs keep working.

The host names resolve to 127.0.0.1 inside this test process (socket.getaddrinfo is wrapped),
so every client (httpx here) sends the real Host header, port included, as it would in production."""

from __future__ import annotations

import base64
import hashlib
import secrets
import socket
from urllib.parse import parse_qs, urlsplit

import httpx
import jwt
import pytest

from mcp_support import TENANT, auth_headers, modern_body, modern_headers, rpc_message, www_auth_params
from oauth_support import REDIRECT_URI, SCOPES, OAuthDeployment, forms_in, make_oauth_deployment, stop_deployment

HOST = "help.acme.example"
SECOND = "desk.acme.example"      # another host of the same tenant
GLOBEX = "support.globex.example"
UNKNOWN = "nobody.example"
ADMIN = "admin@acme.test"
PASSWORD = "deskgate-demo"


@pytest.fixture(scope="module", autouse=True)
def example_hosts_resolve_to_loopback():
    original = socket.getaddrinfo

    def resolve(host, *args, **kwargs):
        # anyio (the MCP SDK's transport) passes the name IDNA-encoded, as bytes.
        name = host.decode() if isinstance(host, bytes) else host
        if isinstance(name, str) and name.endswith(".example"):
            host = "127.0.0.1"
        return original(host, *args, **kwargs)

    socket.getaddrinfo = resolve
    yield
    socket.getaddrinfo = original


@pytest.fixture(scope="module")
def dep(tmp_path_factory, request):
    d = make_oauth_deployment(tmp_path_factory)
    for slug, host in ((TENANT, HOST), (TENANT, SECOND), ("globex", GLOBEX)):
        d_cli(d, "tenant", "host", "add", slug, host)
    yield d
    stop_deployment(d, request)


def pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(64)[:96]
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    return verifier, challenge


def d_cli(d: OAuthDeployment, *args: str):
    from mcp_support import cli
    return cli(d.database, d.keys, *args)


def auth_on(d: OAuthDeployment, host: str = HOST) -> str:
    return f"http://{host}:{d.auth.port}"


def mcp_on(d: OAuthDeployment, host: str = HOST) -> str:
    return f"http://{host}:{d.mcp_port}"


def call_tool(url: str, token: str, name: str = "list_departments", arguments: dict | None = None) -> httpx.Response:
    body = modern_body("tools/call", {"name": name, "arguments": arguments or {}})
    return httpx.post(url, json=body, headers={**modern_headers("tools/call", name), **auth_headers(token)}, timeout=30)


# --- discovery -----------------------------------------------------------------------------------

def test_discovery_documents_on_the_host_name_the_host(dep):
    auth, mcp = auth_on(dep), mcp_on(dep)
    for path in ("/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"):
        r = httpx.get(auth + path, timeout=10)
        assert r.status_code == 200, (path, r.text)
        doc = r.json()
        assert doc["issuer"] == auth
        assert doc["authorization_endpoint"] == auth + "/oauth/authorize"
        assert doc["token_endpoint"] == auth + "/oauth/token"
        assert doc["registration_endpoint"] == auth + "/oauth/register"
        assert doc["jwks_uri"] == auth + "/jwks.json"
    assert httpx.get(auth + "/jwks.json", timeout=10).json()["keys"]
    for path in ("/.well-known/oauth-protected-resource/mcp", "/.well-known/oauth-protected-resource"):
        r = httpx.get(mcp + path, timeout=10)
        assert r.status_code == 200, (path, r.text)
        assert r.json()["resource"] == mcp + "/mcp"
        assert r.json()["authorization_servers"] == [auth]
    # The 401 of the MCP endpoint points at the host's metadata.
    r = httpx.post(mcp + "/mcp", json=modern_body("tools/list"), headers=modern_headers("tools/list"), timeout=10)
    assert r.status_code == 401
    assert www_auth_params(r.headers["www-authenticate"])["resource_metadata"] == \
        mcp + "/.well-known/oauth-protected-resource/mcp"
    # The other tenant's host names the other tenant.
    assert httpx.get(auth_on(dep, GLOBEX) + "/.well-known/oauth-authorization-server", timeout=10).json()["issuer"] == \
        auth_on(dep, GLOBEX)


def test_path_urls_keep_working_on_any_host(dep):
    doc = httpx.get(f"{dep.auth_url}/.well-known/oauth-authorization-server/t/{TENANT}", timeout=10).json()
    assert doc["issuer"] == dep.issuer()
    # A path URL wins on a tenant's host too, and keeps its path-based names.
    doc = httpx.get(f"{auth_on(dep)}/.well-known/oauth-authorization-server/t/{TENANT}", timeout=10).json()
    assert doc["issuer"] == dep.issuer()
    prm = httpx.get(f"{mcp_on(dep)}/.well-known/oauth-protected-resource/t/{TENANT}/mcp", timeout=10).json()
    assert prm["resource"] == dep.resource()


def test_an_unknown_host_without_a_prefix_is_a_404(dep):
    for url in (f"http://{UNKNOWN}:{dep.mcp_port}/mcp", f"http://{UNKNOWN}:{dep.auth.port}/.well-known/oauth-authorization-server",
                f"http://127.0.0.1:{dep.mcp_port}/mcp", f"http://127.0.0.1:{dep.auth.port}/login",
                f"{mcp_on(dep)}/", f"{auth_on(dep)}/.well-known/security.txt"):
        r = httpx.post(url, json={}) if url.endswith("/mcp") else httpx.get(url)
        assert r.status_code == 404, (url, r.status_code, r.text[:200])
    # Health stays where it is, whatever the host.
    assert httpx.get(f"{mcp_on(dep)}/healthz", timeout=10).status_code == 200


# --- the OAuth flow at the host --------------------------------------------------------------------

def oauth_flow_at(dep: OAuthDeployment, host: str) -> dict:
    """Registration, authorize → login → consent → code, token exchange, all on `host`; checks
    every page's form and redirect stays on the host without the /t/ prefix. Returns the tokens."""
    auth, mcp = auth_on(dep, host), mcp_on(dep, host)
    reg = httpx.post(auth + "/oauth/register", json={
        "redirect_uris": [REDIRECT_URI], "token_endpoint_auth_method": "none", "application_type": "native",
        "grant_types": ["authorization_code", "refresh_token"], "client_name": "Host app " + secrets.token_hex(3)})
    assert reg.status_code == 201, reg.text
    client_id = reg.json()["client_id"]
    verifier, challenge = pkce()
    state = "st-" + secrets.token_hex(4)
    with httpx.Client(base_url=auth, follow_redirects=False, timeout=30) as browser:
        r = browser.get("/oauth/authorize", params={
            "response_type": "code", "client_id": client_id, "redirect_uri": REDIRECT_URI, "state": state,
            "code_challenge": challenge, "code_challenge_method": "S256", "scope": " ".join(SCOPES),
            "resource": mcp + "/mcp"})
        assert r.status_code == 303, r.text
        location = r.headers["location"]
        assert location.startswith("/login?next="), location
        next_path = parse_qs(urlsplit(location).query)["next"][0]
        assert next_path.startswith("/oauth/authorize?"), next_path
        page = browser.get(location)
        assert page.status_code == 200, page.text
        login = next(f for f in forms_in(page.text) if "password" in f.fields)
        assert login.action == "/login"
        r = browser.post(login.action, data={**login.fields, "email": ADMIN, "password": PASSWORD})
        assert r.status_code == 303, r.text
        assert r.headers["location"] == next_path
        cookie = r.headers["set-cookie"]
        assert "Path=/;" in cookie, cookie
        page = browser.get(next_path)
        assert page.status_code == 200, page.text
        consent = next(f for f in forms_in(page.text) if any(n == "decision" for n, _ in f.buttons))
        assert consent.action == "/consent"
        r = browser.post(consent.action, data={**consent.fields, "decision": "approve"})
        assert r.status_code in (302, 303), r.text
        back = parse_qs(urlsplit(r.headers["location"]).query)
        assert r.headers["location"].startswith(REDIRECT_URI)
        assert back["state"] == [state]
        assert back["iss"] == [auth]
        # The signed-in pages live at the host's root too.
        profile = browser.get("/profile/mcp")
        assert profile.status_code == 200, profile.text
        assert mcp + "/mcp" in profile.text and "/t/acme" not in profile.text
    r = httpx.post(auth + "/oauth/token", data={
        "grant_type": "authorization_code", "code": back["code"][0], "redirect_uri": REDIRECT_URI,
        "client_id": client_id, "code_verifier": verifier}, timeout=30)
    assert r.status_code == 200, r.text
    return {"client_id": client_id, **r.json()}


def test_the_oauth_flow_at_the_host_mints_a_token_for_that_host_only(dep):
    tokens = oauth_flow_at(dep, HOST)
    access = tokens["access_token"]
    claims = jwt.decode(access, options={"verify_signature": False})
    assert claims["iss"] == auth_on(dep)
    assert claims["aud"] in (mcp_on(dep) + "/mcp", [mcp_on(dep) + "/mcp"])
    assert claims["tenant"] == TENANT
    # It calls a tool at the host…
    r = call_tool(mcp_on(dep) + "/mcp", access)
    assert r.status_code == 200, r.text
    message = rpc_message(r)
    assert "result" in message and not message["result"].get("isError"), message
    # …and is refused at the path URL and at another host of the same tenant.
    for url in (dep.mcp_url(), mcp_on(dep, SECOND) + "/mcp"):
        r = call_tool(url, access)
        assert r.status_code == 401, (url, r.status_code, r.text)
        assert "invalid_token" in r.headers["www-authenticate"]
    # A refresh at the host keeps the host's issuer.
    r = httpx.post(auth_on(dep) + "/oauth/token", data={
        "grant_type": "refresh_token", "refresh_token": tokens["refresh_token"], "client_id": tokens["client_id"]})
    assert r.status_code == 200, r.text
    assert jwt.decode(r.json()["access_token"], options={"verify_signature": False})["iss"] == auth_on(dep)


def test_a_path_token_is_refused_at_the_host_and_a_pat_is_not_bound(dep):
    grant = dep.insert_grant(ADMIN)
    path_token = dep.mint(dep.claims(ADMIN, grant))
    assert call_tool(dep.mcp_url(), path_token).status_code == 200
    r = call_tool(mcp_on(dep) + "/mcp", path_token)
    assert r.status_code == 401, r.text
    # A host token minted by hand for the other tenant's host is not acme's either.
    forged = dep.mint({**dep.claims(ADMIN, grant), "iss": auth_on(dep, GLOBEX), "aud": mcp_on(dep, GLOBEX) + "/mcp"})
    assert call_tool(mcp_on(dep) + "/mcp", forged).status_code == 401
    # Personal access tokens carry no URL: one works on the path and on the host.
    pat = dep.create_token(ADMIN)
    assert call_tool(dep.mcp_url(), pat.token).status_code == 200
    assert call_tool(mcp_on(dep) + "/mcp", pat.token).status_code == 200
    # The other tenant's host serves the other tenant: acme's PAT is refused there.
    assert call_tool(mcp_on(dep, GLOBEX) + "/mcp", pat.token).status_code == 401


def test_the_legacy_sse_endpoint_names_the_host_path(dep):
    pat = dep.create_token(ADMIN)
    with httpx.stream("GET", mcp_on(dep) + "/sse", headers=auth_headers(pat.token), timeout=10) as r:
        assert r.status_code == 200
        for line in r.iter_lines():
            if line.startswith("data:"):
                assert line[5:].strip().startswith("/messages?session_id="), line
                break


def test_removing_a_host_makes_it_a_404_in_every_process(dep):
    from oauth_support import EnvServer
    # A second deskgate-mcp on the same database, as behind a load balancer.
    other = EnvServer("deskgate-mcp", ["--database", dep.database, "--keys", str(dep.keys)], "deskgate-mcp #2 (hosts)",
                      {"DESKGATE_AUTH_PUBLIC_URL": dep.auth.base_url})
    try:
        urls = [f"http://{SECOND}:{port}/.well-known/oauth-protected-resource/mcp" for port in (dep.mcp_port, other.port)]
        urls.append(auth_on(dep, SECOND) + "/.well-known/oauth-authorization-server")
        for url in urls:     # every process has the host cached
            assert httpx.get(url, timeout=10).status_code == 200, url
        d_cli(dep, "tenant", "host", "remove", TENANT, SECOND)
        # The removal bumped the revocation counter: every cache lets go on the next request.
        for url in urls:
            assert httpx.get(url, timeout=10).status_code == 404, url
        # Added back, it answers again at once.
        d_cli(dep, "tenant", "host", "add", TENANT, SECOND)
        for url in urls:
            assert httpx.get(url, timeout=10).status_code == 200, url
        d_cli(dep, "tenant", "host", "remove", TENANT, SECOND)
    finally:
        other.stop()
        other.close()
    assert httpx.get(auth_on(dep, SECOND) + "/.well-known/oauth-authorization-server", timeout=10).status_code == 404
    # The tenant's other host is untouched.
    assert httpx.get(mcp_on(dep) + "/.well-known/oauth-protected-resource/mcp", timeout=10).status_code == 200


def test_the_mcp_sdk_discovers_signs_in_and_calls_tools_at_the_host(dep):
    """The official MCP Python SDK's OAuth client, pointed at the host's MCP URL only: from the
    401 it finds the host's metadata, registers, signs in (the browser stand-in) and calls tools."""
    import asyncio
    from types import SimpleNamespace

    import httpx2
    from mcp import Client
    from mcp.client.auth import OAuthClientProvider
    from mcp.client.streamable_http import streamable_http_client
    from mcp.shared.auth import AuthorizationCodeResult, OAuthClientMetadata
    from pydantic import AnyUrl

    from oauth_support import Browser
    from test_oauth_mcp_sdk import MemoryStorage

    auth, server_url = auth_on(dep), mcp_on(dep) + "/mcp"
    browser = Browser(SimpleNamespace(auth_url=auth), "dana@acme.test")
    storage = MemoryStorage()
    seen: list[str] = []

    async def redirect_handler(url: str) -> None:
        await asyncio.to_thread(browser.visit, url)

    async def callback_handler() -> AuthorizationCodeResult:
        assert browser.result is not None and browser.result.code, browser.result
        return AuthorizationCodeResult(code=browser.result.code, state=browser.result.state, iss=browser.result.iss)

    async def note(resp) -> None:
        seen.append(str(resp.request.url).split("?")[0])

    async def go():
        provider = OAuthClientProvider(
            server_url=server_url, storage=storage, redirect_handler=redirect_handler, callback_handler=callback_handler,
            client_metadata=OAuthClientMetadata(client_name="Deskgate interop (host)", redirect_uris=[AnyUrl(REDIRECT_URI)],
                                                token_endpoint_auth_method="none"))
        async with httpx2.AsyncClient(auth=provider, timeout=httpx2.Timeout(30.0), event_hooks={"response": [note]}) as hc:
            async with Client(streamable_http_client(server_url, http_client=hc), mode="auto") as client:
                assert "search_tickets" in {t.name for t in (await client.list_tools()).tools}
                found = await client.call_tool("search_tickets", {})
                assert not found.is_error, found

    asyncio.run(asyncio.wait_for(go(), timeout=120))
    assert browser.pages == ["login", "consent"]
    assert browser.result.iss == auth
    claims = jwt.decode(storage.tokens.access_token, options={"verify_signature": False})
    assert claims["iss"] == auth and claims["aud"] in (server_url, [server_url])
    # Every request the SDK made stayed on the host, without a /t/ prefix.
    assert seen and all(u.startswith((auth + "/", mcp_on(dep) + "/")) and "/t/" not in u for u in seen), seen

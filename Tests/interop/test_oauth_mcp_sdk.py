"""The whole OAuth flow driven by the official MCP Python SDK's own OAuth client
(`OAuthClientProvider`, `mcp` 2.3.0) against the two built servers (issue 4): discovery from
deskgate-mcp's 401, RFC 9728 → RFC 8414, dynamic registration, PKCE, our login and consent
forms submitted over HTTP by the redirect handler as a browser would, the token exchange, tool
calls checked against the database, a refresh after the client's clock passes `expires_in`, a
second connection whose consent is remembered, and the authorized app revoked → 401.

Access tokens are checked by PyJWT against the issuer's `jwks.json`."""

from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field

import httpx
import httpx2
import jwt
import pytest
from mcp import Client
from mcp.client.auth import OAuthClientProvider, TokenStorage
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.auth import AuthorizationCodeResult, OAuthClientInformationFull, OAuthClientMetadata, OAuthToken
from pydantic import AnyUrl

from mcp_support import ALL_TOOLS, TENANT, Raw, cli, www_auth_params
from oauth_support import (REDIRECT_URI, SCOPES, Browser, make_oauth_deployment, require_authorization_server,
                           stop_deployment)

# The shortest access-token lifetime deskgate-auth accepts; the test then moves the *client's*
# clock past it instead of sleeping (the resource server's 60 s leeway would hide a real expiry
# for another minute anyway: expired tokens are covered by test_oauth_attacks).
LIFETIME = 60
AGENT = "dana@acme.test"


@pytest.fixture(scope="module")
def dep(tmp_path_factory, request):
    d = make_oauth_deployment(tmp_path_factory, lifetime=LIFETIME)
    yield d
    stop_deployment(d, request)


class MemoryStorage(TokenStorage):
    def __init__(self, client_info: OAuthClientInformationFull | None = None):
        self.tokens: OAuthToken | None = None
        self.client_info = client_info
        self.token_history: list[OAuthToken] = []

    async def get_tokens(self) -> OAuthToken | None:
        return self.tokens

    async def set_tokens(self, tokens: OAuthToken) -> None:
        self.tokens = tokens
        self.token_history.append(tokens)

    async def get_client_info(self) -> OAuthClientInformationFull | None:
        return self.client_info

    async def set_client_info(self, client_info: OAuthClientInformationFull) -> None:
        self.client_info = client_info


@dataclass
class Wire:
    """Every request the SDK's HTTP client sent (MCP calls and the OAuth flow's own)."""
    entries: list[tuple[str, str, int]] = field(default_factory=list)
    bodies: dict[int, bytes] = field(default_factory=dict)

    async def on_response(self, resp: httpx2.Response) -> None:
        req = resp.request
        self.entries.append((req.method, str(req.url).split("?")[0], resp.status_code))
        if req.method == "POST":
            self.bodies[len(self.entries) - 1] = req.content

    def paths(self, base: str) -> list[tuple[str, str, int]]:
        return [(m, u[len(base):] if u.startswith(base) else u, s) for m, u, s in self.entries]

    def token_grants(self) -> list[str]:
        out = []
        for i, (method, url, status) in enumerate(self.entries):
            if method == "POST" and url.endswith("/oauth/token"):
                body = self.bodies.get(i, b"").decode()
                out.append(next((p.split("=", 1)[1] for p in body.split("&") if p.startswith("grant_type=")), "?"))
        return out


def provider_for(dep, storage: MemoryStorage, browser: Browser) -> OAuthClientProvider:
    async def redirect_handler(url: str) -> None:
        await asyncio.to_thread(browser.visit, url)

    async def callback_handler() -> AuthorizationCodeResult:
        result = browser.result
        assert result is not None and result.code, f"no code in the redirect: {result}"
        return AuthorizationCodeResult(code=result.code, state=result.state, iss=result.iss)

    metadata = OAuthClientMetadata(client_name="Deskgate interop (MCP SDK)", redirect_uris=[AnyUrl(REDIRECT_URI)],
                                   token_endpoint_auth_method="none")
    return OAuthClientProvider(server_url=dep.mcp_url(), client_metadata=metadata, storage=storage,
                               redirect_handler=redirect_handler, callback_handler=callback_handler)


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, timeout=120))


def verified_claims(dep, token: str, metadata: dict) -> dict:
    """PyJWT checks signature (key from jwks_uri by kid), iss, aud, exp and required claims."""
    jwks = jwt.PyJWKClient(metadata["jwks_uri"])
    key = jwks.get_signing_key_from_jwt(token)
    header = jwt.get_unverified_header(token)
    assert header["alg"] == "ES256" and header["typ"].lower() in ("at+jwt", "application/at+jwt"), header
    return jwt.decode(token, key.key, algorithms=["ES256"], audience=dep.resource(), issuer=dep.issuer(),
                      options={"require": ["iss", "sub", "aud", "exp", "iat", "jti", "client_id"]})


def live_grant(dep, client_id: str, email: str = AGENT):
    return dep.one("""SELECT * FROM oauth_grants WHERE tenant_id = ? AND user_id = ? AND client_id = ?
                      AND revoked_at IS NULL""", dep.tenant_id(), dep.user_id(email), client_id)


# --- discovery documents (resource server side: no authorization server needed) ------------------

def test_the_401_and_the_protected_resource_metadata_point_at_the_tenants_issuer(dep):
    r = httpx.post(dep.mcp_url(), json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
                   headers={"Accept": "application/json, text/event-stream"})
    assert r.status_code == 401
    challenge = www_auth_params(r.headers["www-authenticate"])
    assert "error" not in challenge, challenge          # no token was sent (RFC 6750 §3)
    assert challenge["resource_metadata"] == dep.prm_url()
    assert set(challenge["scope"].split()) == set(SCOPES)

    # The SDK sends its newest protocol version on discovery requests: it must not matter here.
    prm = httpx.get(challenge["resource_metadata"], headers={"MCP-Protocol-Version": "2026-07-28"})
    assert prm.status_code == 200 and prm.headers["content-type"].startswith("application/json")
    doc = prm.json()
    assert doc["resource"] == dep.mcp_url()
    assert doc["authorization_servers"] == [dep.issuer()]   # built from the configured auth public URL
    assert set(doc["scopes_supported"]) == set(SCOPES) and "offline_access" not in doc["scopes_supported"]
    assert doc["bearer_methods_supported"] == ["header"]
    assert httpx.get(dep.prm_url("nobody")).status_code == 404


# --- the full flow -------------------------------------------------------------------------------

def test_sdk_oauth_client_runs_the_whole_flow(dep):
    metadata = require_authorization_server(dep)
    assert metadata["issuer"] == dep.issuer()
    storage = MemoryStorage()
    browser = Browser(dep, AGENT)
    wire = Wire()

    async def go():
        provider = provider_for(dep, storage, browser)
        async with httpx2.AsyncClient(auth=provider, timeout=httpx2.Timeout(30.0),
                                      event_hooks={"response": [wire.on_response]}) as hc:
            async with Client(streamable_http_client(dep.mcp_url(), http_client=hc), mode="auto") as client:
                tools = {t.name for t in (await client.list_tools()).tools}
                assert tools == ALL_TOOLS, tools

                found = await client.call_tool("search_tickets", {})
                assert not found.is_error, found
                visible = [t["number"] for t in found.structured_content["tickets"]]
                assert visible, found.structured_content
                number = visible[0]
                tagged = await client.call_tool("add_ticket_tags", {"ticket": number, "tags": ["sdk-oauth"]})
                assert not tagged.is_error, tagged
                first_token = storage.tokens.access_token

                # The client's clock passes expires_in: it refreshes before the next call.
                provider.context.token_expiry_time = time.time() - 1
                again = await client.call_tool("get_ticket_tags", {"ticket": number})
                assert not again.is_error, again
                return number, first_token

    number, first_token = run(go())

    # Discovery went from the 401 to our documents, then registration, then the token endpoint.
    steps = wire.paths(dep.auth_url)
    mcp_path = dep.mcp_url()
    assert steps[0] == ("POST", mcp_path, 401), steps
    assert ("GET", dep.prm_url(), 200) in steps, steps
    assert ("GET", f"/.well-known/oauth-authorization-server/t/{TENANT}", 200) in steps, steps
    assert any(m == "POST" and u == f"/t/{TENANT}/oauth/register" and s in (200, 201) for m, u, s in steps), steps
    assert wire.token_grants() == ["authorization_code", "refresh_token"], steps
    assert browser.pages == ["login", "consent"]
    assert browser.result.iss == dep.issuer()

    # The tokens: JWTs per RFC 9068, for this resource, naming the user, client and grant.
    client_id = storage.client_info.client_id
    grant = live_grant(dep, client_id)
    assert grant is not None, "no live grant for the approved app"
    assert set(grant["scopes"].split()) == set(SCOPES)
    tokens = storage.token_history
    assert len(tokens) == 2 and tokens[0].expires_in == LIFETIME and tokens[0].refresh_token
    assert tokens[1].access_token != first_token and tokens[1].refresh_token != tokens[0].refresh_token
    for token in tokens:
        claims = verified_claims(dep, token.access_token, metadata)
        assert claims["sub"] == str(dep.user_id(AGENT)) and claims["client_id"] == client_id
        assert claims["tenant"] == TENANT and claims["grant_id"] == grant["id"]
        assert set(claims["scope"].split()) == set(SCOPES)
        assert claims["exp"] - claims["iat"] == LIFETIME

    # What the tools did is in the database, under the agent's name and the app's client id.
    assert "sdk-oauth" in dep.ticket_tags(number)
    rows = dep.query("""SELECT a.* FROM activity a JOIN tickets t ON t.id = a.ticket_id
                        WHERE a.tenant_id = ? AND t.number = ? AND a.client_id = ?""",
                     dep.tenant_id(), number, client_id)
    assert rows and all(r["via"] == "mcp" and r["actor_user_id"] == dep.user_id(AGENT) and r["token_id"] is None
                        for r in rows), [dict(r) for r in rows]

    # --- a second connection of the same app: the consent is remembered (a login, no consent page).
    second = MemoryStorage(client_info=storage.client_info)
    returning = Browser(dep, AGENT)

    async def reconnect():
        provider = provider_for(dep, second, returning)
        async with httpx2.AsyncClient(auth=provider, timeout=httpx2.Timeout(30.0)) as hc:
            async with Client(streamable_http_client(dep.mcp_url(), http_client=hc), mode="legacy") as client:
                assert {t.name for t in (await client.list_tools()).tools} == ALL_TOOLS

    run(reconnect())
    assert returning.pages == ["login"], returning.pages
    assert live_grant(dep, client_id)["id"] == grant["id"], "remembered consent must reuse the grant"

    # --- the user revokes the app: the very next MCP call with its token is refused.
    held = second.tokens.access_token
    raw = Raw(dep, held)
    try:
        assert raw.modern("tools/list", {}).status_code == 200
        revoke_app(dep, grant["id"])
        refused = raw.modern("tools/list", {})
    finally:
        raw.close()
    assert refused.status_code == 401, refused.text[:300]
    challenge = www_auth_params(refused.headers["www-authenticate"])
    assert challenge["error"] == "invalid_token" and challenge["resource_metadata"] == dep.prm_url()
    # ... and its refresh token with it.
    r = httpx.post(metadata["token_endpoint"], data={"grant_type": "refresh_token", "client_id": client_id,
                                                     "refresh_token": second.tokens.refresh_token})
    assert r.status_code == 400 and r.json()["error"] == "invalid_grant", r.text


def revoke_app(dep, grant_id: int) -> None:
    """`deskgate app revoke` (the operator CLI of the authorized-apps list)."""
    apps = cli(dep.database, dep.keys, "app", "list", "--tenant", TENANT, "--user", AGENT, json_out=True)
    assert any(a.get("id") == grant_id or a.get("grant_id") == grant_id for a in apps), apps
    cli(dep.database, dep.keys, "app", "revoke", "--tenant", TENANT, str(grant_id))
    assert live_grant(dep, dep.one("SELECT client_id FROM oauth_grants WHERE id = ?", grant_id)["client_id"]) is None

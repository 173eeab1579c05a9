"""A confidential client (client_secret_basic) driven by authlib's OAuth 2 client (issue 4):
dynamic registration, authorization code with PKCE through our login and consent forms, code
exchange, an MCP call with the access token, refresh, token introspection (RFC 7662) and
revocation (RFC 7009)."""

from __future__ import annotations

import httpx
import pytest
from authlib.common.security import generate_token
from authlib.integrations.httpx_client import OAuth2Client
from authlib.oauth2.rfc7636 import create_s256_code_challenge

from mcp_support import ALL_TOOLS, TENANT, Raw, rpc_message
from oauth_support import REDIRECT_URI, SCOPES, Browser, oauth_deployment, require_authorization_server

__all__ = ["oauth_deployment"]

ADMIN = "admin@acme.test"


@pytest.fixture(scope="module")
def confidential(oauth_deployment):
    """Registers a confidential client by RFC 7591 and returns (metadata, registration)."""
    metadata = require_authorization_server(oauth_deployment)
    r = httpx.post(metadata["registration_endpoint"], json={
        "client_name": "Deskgate interop (authlib)", "redirect_uris": [REDIRECT_URI],
        "token_endpoint_auth_method": "client_secret_basic", "grant_types": ["authorization_code", "refresh_token"],
        "response_types": ["code"], "scope": " ".join(SCOPES), "application_type": "web"})
    assert r.status_code == 201, r.text
    registration = r.json()
    assert registration["token_endpoint_auth_method"] == "client_secret_basic"
    assert registration["client_secret"] and "client_secret_expires_at" in registration
    return metadata, registration


def authlib_client(registration: dict, **kw) -> OAuth2Client:
    return OAuth2Client(client_id=registration["client_id"], client_secret=registration["client_secret"],
                        token_endpoint_auth_method="client_secret_basic", redirect_uri=REDIRECT_URI,
                        scope=" ".join(SCOPES), code_challenge_method="S256", **kw)


def test_authlib_confidential_client_flow(oauth_deployment, confidential):
    dep = oauth_deployment
    metadata, registration = confidential
    assert "client_secret_basic" in metadata["token_endpoint_auth_methods_supported"]
    assert metadata["code_challenge_methods_supported"] == ["S256"]

    with authlib_client(registration) as client:
        verifier = generate_token(64)
        url, state = client.create_authorization_url(metadata["authorization_endpoint"], code_verifier=verifier,
                                                     resource=dep.resource())
        assert create_s256_code_challenge(verifier) in url
        redirect = Browser(dep, ADMIN).visit(url)
        assert redirect.state == state and redirect.iss == dep.issuer() and redirect.code, redirect

        token = client.fetch_token(metadata["token_endpoint"], grant_type="authorization_code", code=redirect.code,
                                   code_verifier=verifier, resource=dep.resource())
        assert token["token_type"].lower() == "bearer" and token["expires_in"] > 0 and token["refresh_token"]
        assert set(token["scope"].split()) == set(SCOPES)

        # The access token works at the resource server.
        raw = Raw(dep, token["access_token"])
        try:
            listed = raw.modern("tools/list", {})
            assert listed.status_code == 200, listed.text[:300]
            assert {t["name"] for t in rpc_message(listed)["result"]["tools"]} == ALL_TOOLS
        finally:
            raw.close()

        # Introspection authenticates the client the same way (RFC 7662 §2.1).
        seen = client.introspect_token(metadata["introspection_endpoint"], token=token["access_token"]).json()
        assert seen["active"] is True, seen
        assert seen["client_id"] == registration["client_id"] and seen["sub"] == str(dep.user_id(ADMIN))
        assert set(seen["scope"].split()) == set(SCOPES)
        if "iss" in seen:
            assert seen["iss"] == dep.issuer()

        # Refresh rotates the refresh token; the new access token works too.
        refreshed = client.refresh_token(metadata["token_endpoint"], refresh_token=token["refresh_token"])
        assert refreshed["access_token"] != token["access_token"]
        assert refreshed["refresh_token"] != token["refresh_token"]
        raw = Raw(dep, refreshed["access_token"])
        try:
            assert raw.modern("tools/list", {}).status_code == 200
        finally:
            raw.close()

        # Revoking the refresh token (RFC 7009) makes introspection report it inactive.
        revoked = client.revoke_token(metadata["revocation_endpoint"], token=refreshed["refresh_token"],
                                      token_type_hint="refresh_token")
        assert revoked.status_code == 200, revoked.text
        after = client.introspect_token(metadata["introspection_endpoint"], token=refreshed["refresh_token"],
                                        token_type_hint="refresh_token").json()
        assert after == {"active": False} or after.get("active") is False, after


def test_introspection_needs_the_clients_secret(oauth_deployment, confidential):
    dep = oauth_deployment
    metadata, registration = confidential
    wrong = dict(registration, client_secret="not-the-secret")
    with authlib_client(wrong) as client:
        r = client.introspect_token(metadata["introspection_endpoint"], token="anything")
    assert r.status_code == 401 and r.json()["error"] == "invalid_client", r.text
    # An unknown token from a properly authenticated client is simply inactive.
    with authlib_client(registration) as client:
        r = client.introspect_token(metadata["introspection_endpoint"], token="no-such-token")
    assert r.status_code == 200 and r.json()["active"] is False, r.text
    assert dep.one("SELECT 1 AS x FROM oauth_clients WHERE client_id = ?", registration["client_id"]) is not None

"""The resource server's half of the attack table (issue 4): forged and misdirected JWT access
tokens presented to deskgate-mcp, each refused with 401 `invalid_token` and the RFC 9728
challenge, next to a control token that differs from each forgery in one respect only and is
accepted. Tokens are signed here with PyJWT / `cryptography`, with the deployment's own dev key
(the PEM `deskgate init` wrote) for the control and with other keys or algorithms for the attacks;
the grant rows they name are written the way deskgate-auth records a consent.

(PKCE, redirect URI, code replay, refresh reuse and CSRF are the authorization server's cases and
live with its tests.)"""

from __future__ import annotations

import json
import time

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from joserfc import jwt as jose_jwt
from joserfc.jwk import KeySet

from mcp_support import (ALL_TOOLS, READ_TOOLS, TENANT, WORKFLOW_READ_TOOLS, WORKFLOW_WRITE_TOOLS, WRITE_TOOLS, Raw,
                         rpc_message, www_auth_params)
from mcp_support import cli
from oauth_support import OTHER_TENANT, SCOPES, b64url, hand_made, hs256, oauth_deployment

__all__ = ["oauth_deployment"]

DANA = "dana@acme.test"


@pytest.fixture(scope="module")
def grants(oauth_deployment):
    dep = oauth_deployment
    return {
        "dana": dep.insert_grant(DANA),
        "globex": dep.insert_grant("admin@globex.test", tenant=OTHER_TENANT),
        "admin": dep.insert_grant("admin@acme.test"),
        "read": dep.insert_grant("admin@acme.test", client_id="interop-read-only", scopes="tickets:read"),
    }


def tools_list(dep, token: str | None, tenant: str = TENANT) -> httpx.Response:
    raw = Raw(dep, token, tenant)
    try:
        return raw.modern("tools/list", {})
    finally:
        raw.close()


def assert_refused(dep, token: str, why: str, tenant: str = TENANT) -> dict[str, str]:
    response = tools_list(dep, token, tenant)
    assert response.status_code == 401, (why, response.status_code, response.text[:300])
    challenge = www_auth_params(response.headers["www-authenticate"])
    assert challenge.get("error") == "invalid_token", (why, challenge)
    assert challenge.get("resource_metadata") == dep.prm_url(tenant), (why, challenge)
    assert set(challenge.get("scope", "").split()) == set(SCOPES), (why, challenge)
    assert response.json()["error"] == "invalid_token"
    return challenge


def assert_accepted(dep, token: str, tenant: str = TENANT) -> set[str]:
    response = tools_list(dep, token, tenant)
    assert response.status_code == 200, (response.status_code, response.text[:300])
    return {t["name"] for t in rpc_message(response)["result"]["tools"]}


# --- the control ---------------------------------------------------------------------------------

def test_a_token_minted_like_deskgate_auth_is_accepted_and_verifies_from_jwks(oauth_deployment, grants):
    dep = oauth_deployment
    claims = dep.claims(DANA, grants["dana"])
    token = dep.mint(claims)
    assert assert_accepted(dep, token) == ALL_TOOLS

    # A JOSE library nobody here wrote verifies it against the issuer's published key set.
    keys = KeySet.import_key_set(httpx.get(f"{dep.auth_url}/t/{TENANT}/jwks.json").json())
    decoded = jose_jwt.decode(token, keys, algorithms=["ES256"])
    assert decoded.header["typ"] == "at+jwt" and decoded.claims["grant_id"] == grants["dana"]


# --- forged signatures and headers --------------------------------------------------------------

def test_alg_none_is_refused(oauth_deployment, grants):
    dep = oauth_deployment
    _, kid = dep.dev_key()
    claims = dep.claims(DANA, grants["dana"])
    for alg in ("none", "None", "NONE"):
        token = hand_made({"alg": alg, "typ": "at+jwt", "kid": kid}, claims, lambda _: b"")
        assert_refused(dep, token, f"alg {alg}")
    # ... also with the real signature of a valid token pasted onto the unsigned header.
    valid = dep.mint(claims)
    header = b64url(json.dumps({"alg": "none", "typ": "at+jwt", "kid": kid}).encode())
    assert_refused(dep, header + valid[valid.index("."):], "alg none + real signature")


def test_hs256_signed_with_the_public_key_is_refused(oauth_deployment, grants):
    """Algorithm confusion: a verifier that let the token choose its algorithm would check an
    HMAC keyed with the (public) verification key, which anyone can compute."""
    dep = oauth_deployment
    key, kid = dep.dev_key()
    public = key.public_key()
    jwk = next(k for k in httpx.get(f"{dep.auth_url}/t/{TENANT}/jwks.json").json()["keys"] if k["kid"] == kid)
    secrets = {
        "PEM": public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo),
        "DER": public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo),
        "JWK": json.dumps(jwk).encode(),
        "raw point": public.public_bytes(serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint),
    }
    claims = dep.claims(DANA, grants["dana"])
    for alg in ("HS256", "HS384", "HS512"):
        for name, secret in secrets.items():
            token = hand_made({"alg": alg, "typ": "at+jwt", "kid": kid}, claims, hs256(secret))
            assert_refused(dep, token, f"{alg} keyed with the {name} public key")


def test_other_asymmetric_algorithms_are_refused(oauth_deployment, grants):
    dep = oauth_deployment
    _, kid = dep.dev_key()
    claims = dep.claims(DANA, grants["dana"])
    p384 = ec.generate_private_key(ec.SECP384R1())
    assert_refused(dep, jwt.encode(claims, p384, algorithm="ES384", headers={"typ": "at+jwt", "kid": kid}), "ES384")
    valid = dep.mint(claims)
    for alg in ("RS256", "PS256", "EdDSA", "ES256K", ""):
        header = b64url(json.dumps({"alg": alg, "typ": "at+jwt", "kid": kid}).encode())
        assert_refused(dep, header + valid[valid.index("."):], f"alg {alg!r} over an ES256 signature")


def test_a_jwt_signed_with_an_unknown_key_is_refused(oauth_deployment, grants):
    dep = oauth_deployment
    _, kid = dep.dev_key()
    stranger = ec.generate_private_key(ec.SECP256R1())
    claims = dep.claims(DANA, grants["dana"])
    # Its own kid: unknown to the deployment.
    assert_refused(dep, dep.mint(claims, key=stranger, headers={"kid": "attacker-key-1"}), "unknown kid")
    # The deployment's kid: the signature does not verify.
    assert_refused(dep, dep.mint(claims, key=stranger), "published kid, foreign signature")
    # No kid at all.
    no_kid = jwt.encode(claims, stranger, algorithm="ES256", headers={"typ": "at+jwt"})
    assert "kid" not in jwt.get_unverified_header(no_kid)
    assert_refused(dep, no_kid, "no kid")
    # A key embedded in the header (jwk / jku) is never trusted.
    from joserfc.jwk import ECKey
    embedded = ECKey.import_key(stranger).as_dict(private=False)
    assert_refused(dep, dep.mint(claims, key=stranger, headers={"kid": "attacker-key-2", "jwk": embedded}), "embedded jwk")
    assert_refused(dep, dep.mint(claims, key=stranger, headers={"jku": f"{dep.auth_url}/t/{TENANT}/jwks.json"}), "jku")


def test_tampered_claims_break_the_signature(oauth_deployment, grants):
    dep = oauth_deployment
    valid = dep.mint(dep.claims(DANA, grants["dana"], scope="tickets:read"))
    head, payload, sig = valid.split(".")
    claims = json.loads(jwt.utils.base64url_decode(payload))
    claims["scope"] = " ".join(SCOPES)
    assert_refused(dep, ".".join([head, b64url(json.dumps(claims).encode()), sig]), "scope widened after signing")
    assert_refused(dep, ".".join([head, payload, sig[:-4] + ("AAAA" if sig[-4:] != "AAAA" else "BBBB")]), "bit flips")
    assert_refused(dep, ".".join([head, payload]), "two segments")
    assert_refused(dep, valid + ".", "four segments")


def test_a_token_that_is_not_an_access_token_is_refused(oauth_deployment, grants):
    """RFC 9068 §4: `typ` must be at+jwt, so an ID token (typ JWT) from the same issuer and key
    cannot be replayed as an access token."""
    dep = oauth_deployment
    claims = dep.claims(DANA, grants["dana"])
    key, kid = dep.dev_key()
    for typ in ("JWT", "id_token+jwt", "jwt", "at+jwt+x"):
        assert_refused(dep, dep.mint(claims, headers={"typ": typ}), f"typ {typ!r}")
    assert_refused(dep, hand_made({"alg": "ES256", "kid": kid}, claims, _es256(key)), "no typ")
    # The control: the same hand-made signer with the right typ is accepted.
    assert assert_accepted(dep, hand_made({"alg": "ES256", "typ": "at+jwt", "kid": kid}, claims, _es256(key)))
    assert_accepted(dep, dep.mint(claims, headers={"typ": "application/at+jwt"}))


def _es256(key):
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature

    def sign(data: bytes) -> bytes:
        r, s = decode_dss_signature(key.sign(data, ec.ECDSA(hashes.SHA256())))
        return r.to_bytes(32, "big") + s.to_bytes(32, "big")
    return sign


# --- misdirected tokens ----------------------------------------------------------------------------

def test_a_token_for_tenant_b_is_refused_at_tenant_a(oauth_deployment, grants):
    dep = oauth_deployment
    globex = dep.mint(dep.claims("admin@globex.test", grants["globex"], tenant=OTHER_TENANT))
    assert assert_accepted(dep, globex, tenant=OTHER_TENANT) == ALL_TOOLS
    challenge = assert_refused(dep, globex, "globex token at acme", tenant=TENANT)
    assert "different tenant" in challenge.get("error_description", "")
    # Relabelled claims cannot help: re-signing needs the key.
    relabelled = dep.claims("admin@globex.test", grants["globex"], tenant=OTHER_TENANT)
    relabelled.update(iss=dep.issuer(TENANT), aud=dep.resource(TENANT), tenant=TENANT)
    assert_refused(dep, dep.mint(relabelled), "globex grant relabelled as acme")  # grant is not acme's


def test_a_token_for_another_audience_is_refused(oauth_deployment, grants):
    dep = oauth_deployment
    for aud in ("https://api.example.com/mcp", dep.issuer(TENANT), f"{dep.base_url}/t/{OTHER_TENANT}/mcp",
                dep.resource(TENANT) + "/", [f"{dep.base_url}/t/{OTHER_TENANT}/mcp"]):
        claims = dep.claims(DANA, grants["dana"])
        claims["aud"] = aud
        assert_refused(dep, dep.mint(claims), f"aud {aud!r}")
    claims = dep.claims(DANA, grants["dana"])
    claims["aud"] = ["https://api.example.com/mcp", dep.resource(TENANT)]
    assert assert_accepted(dep, dep.mint(claims)) == ALL_TOOLS


def test_a_token_from_another_issuer_is_refused(oauth_deployment, grants):
    dep = oauth_deployment
    for iss in ("https://evil.example/t/acme", dep.auth_url, dep.issuer(TENANT) + "/", None):
        claims = dep.claims(DANA, grants["dana"])
        if iss is None:
            del claims["iss"]
        else:
            claims["iss"] = iss
        assert_refused(dep, dep.mint(claims), f"iss {iss!r}")


def test_expiry_and_not_before_allow_60_seconds_of_clock_skew(oauth_deployment, grants):
    dep = oauth_deployment
    now = int(time.time())
    expired = dep.mint(dep.claims(DANA, grants["dana"], now=now - 3700, lifetime=3600))   # 100 s ago
    challenge = assert_refused(dep, expired, "expired")
    assert "expired" in challenge.get("error_description", "")
    assert_accepted(dep, dep.mint(dep.claims(DANA, grants["dana"], now=now - 3620, lifetime=3600)))  # 20 s ago
    future = dep.claims(DANA, grants["dana"], now=now)
    future["nbf"] = now + 600
    assert_refused(dep, dep.mint(future), "not yet valid")
    no_exp = dep.claims(DANA, grants["dana"])
    del no_exp["exp"]
    assert_refused(dep, dep.mint(no_exp), "no exp")


def test_claims_must_name_a_live_grant_of_that_user_and_client(oauth_deployment, grants):
    dep = oauth_deployment
    for change, why in ((dict(grant_id=grants["dana"] + 10_000), "unknown grant"),
                        (dict(grant_id=grants["globex"]), "another tenant's grant"),
                        (dict(client_id="someone-else"), "grant of another client"),
                        (dict(sub=str(dep.user_id("admin@acme.test"))), "grant of another user"),
                        (dict(sub=dep.user_id(DANA)), "numeric sub"),
                        (dict(grant_id=str(grants["dana"])), "grant_id as a string")):
        claims = dep.claims(DANA, grants["dana"])
        claims.update(change)
        assert_refused(dep, dep.mint(claims), why)


# --- scopes, activity, revocation ---------------------------------------------------------------

def test_token_scopes_filter_tools_and_step_up_with_403(oauth_deployment, grants):
    dep = oauth_deployment
    token = dep.mint(dep.claims("admin@acme.test", grants["read"], client_id="interop-read-only",
                                scope="tickets:read"))
    listed = assert_accepted(dep, token)
    assert "get_ticket_metadata" in listed and listed <= READ_TOOLS | WORKFLOW_READ_TOOLS, listed
    assert not listed & (WRITE_TOOLS | WORKFLOW_WRITE_TOOLS), listed
    # More scope in the token than the user approved for that app counts for nothing.
    greedy = dep.mint(dep.claims("admin@acme.test", grants["read"], client_id="interop-read-only"))
    assert assert_accepted(dep, greedy) == listed

    raw = Raw(dep, token)
    try:
        r = raw.modern("tools/call", {"name": "add_ticket_tags", "arguments": {"ticket": 3, "tags": ["x"]}})
    finally:
        raw.close()
    assert r.status_code == 403, (r.status_code, r.text[:300])
    challenge = www_auth_params(r.headers["www-authenticate"])
    assert challenge["error"] == "insufficient_scope" and "tickets:write" in challenge["scope"].split(), challenge
    assert challenge["resource_metadata"] == dep.prm_url()


def test_oauth_writes_name_the_client_in_the_activity_history(oauth_deployment, grants):
    dep = oauth_deployment
    token = dep.mint(dep.claims("admin@acme.test", grants["admin"]))
    mark = dep.one("SELECT coalesce(max(id), 0) AS m FROM activity")["m"]
    raw = Raw(dep, token)
    try:
        result = raw.tool("add_ticket_tags", {"ticket": 3, "tags": ["oauth-interop"]})
    finally:
        raw.close()
    assert result.get("isError") is not True, result
    assert "oauth-interop" in dep.ticket_tags(3)
    rows = dep.query("SELECT * FROM activity WHERE id > ? AND tenant_id = ?", mark, dep.tenant_id())
    assert rows, "no activity written"
    for row in rows:
        assert row["via"] == "mcp" and row["client_id"] == "interop-forge" and row["token_id"] is None, dict(row)
        assert row["actor_user_id"] == dep.user_id("admin@acme.test"), dict(row)


def test_revoking_the_grant_refuses_the_very_next_request(oauth_deployment):
    dep = oauth_deployment
    grant = dep.insert_grant("viewer@acme.test", client_id="interop-revoked")
    token = dep.mint(dep.claims("viewer@acme.test", grant, client_id="interop-revoked"))
    for _ in range(3):  # verified once, then served from the cache
        assert assert_accepted(dep, token)
    dep.revoke_grant(grant)
    challenge = assert_refused(dep, token, "revoked grant")
    assert "revoked" in challenge.get("error_description", "")
    # A new consent is a new grant: the old token stays dead.
    fresh = dep.insert_grant("viewer@acme.test", client_id="interop-revoked")
    assert fresh != grant
    assert_refused(dep, token, "revoked grant after re-consent")
    assert assert_accepted(dep, dep.mint(dep.claims("viewer@acme.test", fresh, client_id="interop-revoked")))


def test_deactivated_users_and_suspended_tenants_are_refused(oauth_deployment):
    dep = oauth_deployment
    email = "viewer@acme.test"
    grant = dep.insert_grant(email, client_id="interop-lifecycle")
    token = dep.mint(dep.claims(email, grant, client_id="interop-lifecycle"))
    assert assert_accepted(dep, token)
    conn = dep.writable()
    try:
        conn.execute("UPDATE users SET is_active = 0 WHERE email = ? AND tenant_id = ?", (email, dep.tenant_id()))
        assert_refused(dep, token, "deactivated user")
        conn.execute("UPDATE users SET is_active = 1 WHERE email = ? AND tenant_id = ?", (email, dep.tenant_id()))
        assert assert_accepted(dep, token)
        conn.execute("UPDATE tenants SET status = 'suspended' WHERE slug = ?", (TENANT,))
        # Not a 401: the token is fine, the tenant is not (the one MCP answer, like a PAT's).
        assert_tenant_suspended(tools_list(dep, token))
    finally:
        conn.execute("UPDATE tenants SET status = 'active' WHERE slug = ?", (TENANT,))
        conn.close()
    assert assert_accepted(dep, token)


def assert_tenant_suspended(response: httpx.Response) -> None:
    assert response.status_code == 403, (response.status_code, response.text[:300])
    assert "www-authenticate" not in response.headers
    body = response.json()
    assert body["error"] == "tenant_suspended" and "suspended" in body["error_description"], body


def test_a_suspended_or_unknown_tenant_gets_one_answer_whatever_the_credential(oauth_deployment):
    """MCP over HTTP: 403 `tenant_suspended` for an OAuth access token, a PAT and no token at all;
    404 `not_found` for a tenant that does not exist; the metadata (RFC 9728) says the same."""
    dep = oauth_deployment
    grant = dep.insert_grant(DANA, client_id="interop-suspension")
    jwt_token = dep.mint(dep.claims(DANA, grant, client_id="interop-suspension"))
    pat = cli(dep.database, dep.keys, "token", "create", "--tenant", TENANT, "--user", DANA, json_out=True)["token"]
    for token in (jwt_token, pat):
        assert assert_accepted(dep, token)
    for unknown in (tools_list(dep, None, "nobody"), tools_list(dep, pat, "nobody"), httpx.get(dep.prm_url("nobody"))):
        assert unknown.status_code == 404 and unknown.json()["error"] == "not_found", unknown.text[:300]
    conn = dep.writable()
    try:
        conn.execute("UPDATE tenants SET status = 'suspended' WHERE slug = ?", (TENANT,))
        for token in (jwt_token, pat, None):
            assert_tenant_suspended(tools_list(dep, token))
        assert_tenant_suspended(httpx.get(dep.prm_url(TENANT)))
    finally:
        conn.execute("UPDATE tenants SET status = 'active' WHERE slug = ?", (TENANT,))
        conn.close()
    for token in (jwt_token, pat):
        assert assert_accepted(dep, token)


def test_tokens_are_only_read_from_headers(oauth_deployment, grants):
    dep = oauth_deployment
    token = dep.mint(dep.claims(DANA, grants["dana"]))
    raw = Raw(dep, None)
    try:
        r = raw.http.post(dep.mcp_url() + "?access_token=" + token, content=b"{}",
                          headers={"Accept": "application/json", "Content-Type": "application/json"})
        assert r.status_code == 401 and "error=" not in r.headers["www-authenticate"], r.headers
        alt = raw.modern("tools/list", {}, headers={"X-Deskgate-Access-Token": token})
        assert alt.status_code == 200, alt.text[:300]
    finally:
        raw.close()


def test_access_tokens_work_on_the_2024_11_05_sse_transport_too(oauth_deployment, grants):
    import asyncio

    from mcp import Client
    from mcp.client.sse import sse_client

    dep = oauth_deployment
    token = dep.mint(dep.claims(DANA, grants["dana"]))

    async def go():
        headers = {"Authorization": f"Bearer {token}"}
        async with Client(sse_client(f"{dep.base_url}/t/{TENANT}/sse", headers=headers), mode="legacy") as client:
            return {t.name for t in (await client.list_tools()).tools}

    assert asyncio.run(asyncio.wait_for(go(), timeout=60)) == ALL_TOOLS
    forged = dep.mint(dep.claims(DANA, grants["dana"]), key=ec.generate_private_key(ec.SECP256R1()))
    r = httpx.get(f"{dep.base_url}/t/{TENANT}/sse", headers={"Authorization": f"Bearer {forged}"})
    assert r.status_code == 401 and 'error="invalid_token"' in r.headers["www-authenticate"], r.headers


def test_mcp_use_shows_as_the_apps_last_use(tmp_path_factory, request):
    """deskgate-mcp notes each grant's use in memory and writes `last_used_at` in batches (and
    when it stops): `deskgate app list` then tells when the app last worked on the user's behalf."""
    from mcp_support import cli
    from oauth_support import make_oauth_deployment, stop_deployment

    dep = make_oauth_deployment(tmp_path_factory, tickets=5)
    try:
        grant = dep.insert_grant(DANA, client_id="interop-last-use")
        assert dep.one("SELECT last_used_at FROM oauth_grants WHERE id = ?", grant)["last_used_at"] is None
        before = int(time.time() * 1000)
        assert assert_accepted(dep, dep.mint(dep.claims(DANA, grant, client_id="interop-last-use")))
        assert dep.server.stop() == 0
        used = dep.one("SELECT last_used_at FROM oauth_grants WHERE id = ?", grant)["last_used_at"]
        assert used is not None and used >= before - 1000, used
        apps = cli(dep.database, dep.keys, "app", "list", "--tenant", TENANT, "--user", DANA, json_out=True)
        listed = [a for a in apps if a.get("client_id") == "interop-last-use"]
        assert listed and listed[0]["last_used_at"], apps
    finally:
        stop_deployment(dep, request)


def test_an_sse_stream_opened_with_an_access_token_lives_until_its_grant_is_revoked(tmp_path_factory, request):
    """The HTTP+SSE heartbeat re-checks each stream's credential: a JWT's stream keeps getting
    keep-alives, and closes once the app's grant is revoked."""
    from oauth_support import EnvServer, make_oauth_deployment, stop_deployment

    dep = make_oauth_deployment(tmp_path_factory, tickets=5)
    try:
        dep.server.stop()
        dep.server.close()
        dep.server = EnvServer("deskgate-mcp", ["--database", str(dep.database), "--keys", str(dep.keys)],
                               "deskgate-mcp (sse heartbeat)", {"DESKGATE_AUTH_PUBLIC_URL": dep.auth.base_url,
                                                                "DESKGATE_SSE_KEEPALIVE": "1"}, port=dep.mcp_port)
        grant = dep.insert_grant(DANA, client_id="interop-sse")
        token = dep.mint(dep.claims(DANA, grant, client_id="interop-sse"))
        with httpx.Client(timeout=15) as http:
            with http.stream("GET", f"{dep.base_url}/t/{TENANT}/sse", headers={"Authorization": f"Bearer {token}"}) as s:
                assert s.status_code == 200, s.read()
                lines = s.iter_lines()
                assert next(lines) == "event: endpoint"
                seen = [next(lines) for _ in range(6)]      # data, blank, then beats (one a second)
                assert seen.count(": keep-alive") >= 2, seen  # survived two re-checks
                dep.revoke_grant(grant)
                rest = []
                for line in lines:                           # the server ends the stream at the next beat
                    rest.append(line)
                    assert len(rest) < 20, f"the stream outlived its revoked grant: {rest}"
                assert all(line in ("", ": keep-alive") for line in rest), rest
    finally:
        stop_deployment(dep, request)

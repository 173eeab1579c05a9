"""user_list's full record (issue 16): an alias set with `deskgate user create/update --alias` or
on the admin agent page is what search_value finds; simple=false returns Loonflow's full user
record (type, label, lang, phone, creator_info, created_at, updated_at, last_login); signing in on
the authorization server keeps last_login. Driven with the official MCP SDK against both servers
on one database; pages are submitted over plain HTTP with a cookie jar, as a browser would."""

from __future__ import annotations

import asyncio
import subprocess
from contextlib import asynccontextmanager
from datetime import datetime, timezone

import httpx
import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from conftest import binary
from mcp_support import PASSWORD, TENANT, cli
from oauth_support import forms_in, oauth_deployment  # noqa: F401  (module-scoped fixture)

ADMIN = f"/t/{TENANT}/admin"


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, timeout=90))


@asynccontextmanager
async def mcp(dep):
    token = dep.tokens.get("profiles") or dep.create_token("dana@acme.test", name="interop profiles")
    dep.tokens["profiles"] = token
    async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {token.token}"}, timeout=httpx2.Timeout(30.0)) as http:
        async with Client(streamable_http_client(dep.mcp_url(), http_client=http), read_timeout_seconds=30) as c:
            yield c


async def users(c, **arguments) -> list[dict]:
    result = await c.call_tool("user_list", arguments)
    assert not result.is_error, result.content
    return result.structured_content["user_list"]


def signed_in(dep, email: str) -> httpx.Client:
    http = httpx.Client(base_url=dep.auth_url, follow_redirects=False, timeout=30)
    page = http.get(f"/t/{TENANT}/login")
    assert page.status_code == 200, page.text
    form = next(f for f in forms_in(page.text) if "password" in f.fields)
    done = http.post(form.action, data={**form.fields, "email": email, "password": PASSWORD})
    assert done.status_code == 303, done.text
    return http


def iso_ms(text: str) -> int:
    return int(datetime.fromisoformat(text.replace("Z", "+00:00")).astimezone(timezone.utc).timestamp() * 1000)


def test_the_cli_sets_the_alias_that_search_finds_and_the_full_record(oauth_deployment):
    dep = oauth_deployment
    cli(dep.database, dep.keys, "user", "update", "--tenant", TENANT, "--email", "dana@acme.test", "--alias", "Danny Support",
        "--label", "night shift", "--lang", "en-GB", "--phone", "+44 20 7946 0000")
    made = cli(dep.database, dep.keys, "user", "create", "--tenant", TENANT, "--email", "kim@acme.test", "--name", "Kim Park",
               "--role", "agent", "--alias", "KP", json_out=True)
    assert made["alias"] == "KP" and made["lang"] is None
    row = dep.one("SELECT * FROM users WHERE tenant_id = ? AND email = 'dana@acme.test'", dep.tenant_id())

    async def go():
        async with mcp(dep) as c:
            found = await users(c, search_value="danny")                   # the alias, any case
            assert [u["email"] for u in found] == ["dana@acme.test"] and found[0]["alias"] == "Danny Support"
            assert "phone" not in found[0] and "last_login" not in found[0]   # simple=true: the essentials
            full = (await users(c, search_value="danny", simple=False))[0]
            assert (full["type"], full["label"], full["lang"], full["phone"]) == ("agent", "night shift", "en-GB", "+44 20 7946 0000")
            assert full["creator_info"] is None                             # made by the operator's CLI (the demo)
            assert iso_ms(full["created_at"]) == row["created_at"] and iso_ms(full["updated_at"]) == row["updated_at"]
            assert row["updated_at"] >= row["created_at"]
            assert [u["email"] for u in await users(c, search_value="kp")] == ["kim@acme.test"]
            assert [u["email"] for u in await users(c, search_value="sammy")] == ["sam@acme.test"]   # the demo's aliases
    run(go())

    cli(dep.database, dep.keys, "user", "update", "--tenant", TENANT, "--email", "dana@acme.test", "--alias", "")
    bad = subprocess.run([str(binary("deskgate")), "--database", dep.database, "--keys", str(dep.keys), "user", "update",
                          "--tenant", TENANT, "--email", "dana@acme.test", "--lang", "english please"],
                         capture_output=True, text=True, timeout=60)
    assert bad.returncode != 0 and "lang" in bad.stderr
    after = dep.one("SELECT alias, lang, label FROM users WHERE tenant_id = ? AND email = 'dana@acme.test'", dep.tenant_id())
    assert (after["alias"], after["lang"], after["label"]) == (None, "en-GB", "night shift")   # "" cleared only the alias

    async def cleared():
        async with mcp(dep) as c:
            assert await users(c, search_value="danny") == []
    run(cleared())


def test_signing_in_keeps_last_login_and_the_admin_page_edits_the_profile(oauth_deployment):
    dep = oauth_deployment
    lee = dep.user_id("lee@acme.test")
    admin = dep.user_id("admin@acme.test")
    assert dep.one("SELECT last_login_at FROM users WHERE id = ?", lee)["last_login_at"] is None
    signed_in(dep, "lee@acme.test").close()
    login_at = dep.one("SELECT last_login_at FROM users WHERE id = ?", lee)["last_login_at"]
    assert login_at is not None

    page = signed_in(dep, "admin@acme.test")
    try:
        agent = page.get(f"{ADMIN}/agents/{lee}")
        assert agent.status_code == 200
        form = next(f for f in forms_in(agent.text) if f.action.endswith("/profile"))
        assert form.fields["alias"] == "Netops Lee" and form.fields["lang"] == "cs"   # shows what is stored
        saved = page.post(form.action, data={**form.fields, "alias": "Lee from the NOC", "phone": "+420 601 123 456"})
        assert saved.status_code == 303, saved.text
        before = dbkit_row(dep, lee)
        refused = page.post(form.action, data={**form.fields, "phone": "call me maybe"})
        assert refused.status_code == 422 and "phone number" in refused.text and "call me maybe" in refused.text
        assert dbkit_row(dep, lee) == before                               # nothing written
        # An agent the admin creates on the agents page names them as its creator.
        listing = page.get(ADMIN)
        create = next(f for f in forms_in(listing.text) if f.action.endswith("/admin/agents"))
        made = page.post(create.action, data={**create.fields, "email": "noa@acme.test", "name": "Noa Levi", "role": "agent",
                                              "password": "noa-interop-password"})
        assert made.status_code == 303, made.text
    finally:
        page.close()

    async def go():
        async with mcp(dep) as c:
            found = await users(c, search_value="the noc", simple=False)
            assert [u["id"] for u in found] == [lee]
            assert found[0]["phone"] == "+420 601 123 456" and found[0]["alias"] == "Lee from the NOC"
            assert iso_ms(found[0]["last_login"]) == login_at
            assert iso_ms(found[0]["updated_at"]) >= login_at               # the edit came after the sign-in
            noa = (await users(c, search_value="noa@acme.test", simple=False))[0]
            assert noa["creator_info"]["id"] == admin and noa["creator_info"]["name"] == "Alex Morgan"
            assert noa["last_login"] is None
    run(go())


def dbkit_row(dep, user_id: int) -> dict:
    return dict(dep.one("SELECT alias, label, lang, phone, updated_at FROM users WHERE id = ?", user_id))


"""The per-call `access_token` tool argument (issue 5's third token route), driven by the official
MCP Python SDK client with NO Authorization header.

Off by default: a token-less request gets the 401 challenge and an `access_token` argument is
refused with a clear tool error, never checked. Switched on per tenant (`deskgate tenant
settings SLUG --access-token-argument on`): a token-less client may initialize and list tools
(each tool then declares the optional `access_token` argument), and every tools/call runs as the
token it brings, with the same validation, scopes, role permissions and activity history as a
header token. The token never appears in a result or in the server's log."""

from __future__ import annotations

import asyncio

import httpx
import httpx2
import pytest
from mcp import Client
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamable_http_client

from mcp_support import cli, deployment

__all__ = ["deployment"]

MODES = ["auto", "legacy"]


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, timeout=90))


def settings(dep, value: str) -> None:
    cli(dep.database, dep.keys, "tenant", "settings", "acme", "--access-token-argument", value)


@pytest.fixture
def argument_on(deployment):
    settings(deployment, "on")
    yield deployment
    settings(deployment, "off")


def client(dep, mode: str, headers: dict[str, str] | None = None):
    """An SDK client whose HTTP client sends no credential unless `headers` gives one."""
    http = httpx2.AsyncClient(headers=headers or {}, timeout=httpx2.Timeout(30.0))
    return http, Client(streamable_http_client(dep.mcp_url(), http_client=http), mode=mode, read_timeout_seconds=30)


def text_of(result) -> str:
    return " ".join(getattr(c, "text", "") for c in result.content)


def test_off_by_default_no_header_is_401_and_the_argument_is_refused_unchecked(deployment):
    dep = deployment
    r = httpx.post(dep.mcp_url(), json={"jsonrpc": "2.0", "id": 1, "method": "initialize",
                                        "params": {"protocolVersion": "2025-11-25", "capabilities": {},
                                                   "clientInfo": {"name": "t", "version": "1"}}},
                   headers={"Accept": "application/json, text/event-stream"})
    assert r.status_code == 401 and "resource_metadata=" in r.headers["www-authenticate"]

    async def go():
        http, c = client(dep, "auto", {"Authorization": f"Bearer {dep.tokens['admin'].token}"})
        async with http, c:
            tools = (await c.list_tools()).tools
            assert all("access_token" not in (t.input_schema.get("properties") or {}) for t in tools)
            before = dep.snapshot()
            refused = await c.call_tool("add_ticket_tags", {"ticket": 12, "tags": ["arg-off"],
                                                            "access_token": dep.tokens["dana"].token})
            assert refused.is_error and "does not accept access_token" in text_of(refused)
            assert dep.snapshot() == before
    run(go())


@pytest.mark.parametrize("mode", MODES)
def test_token_less_client_lists_tools_and_each_call_brings_its_token(argument_on, mode):
    dep = argument_on
    admin = dep.tokens["admin"]

    async def go():
        http, c = client(dep, mode)
        async with http, c:
            tools = {t.name: t for t in (await c.list_tools()).tools}
            assert {"get_ticket_metadata", "ticket_list", "add_ticket_tags"} <= set(tools)
            prop = tools["get_ticket_metadata"].input_schema["properties"]["access_token"]
            assert prop["type"] == "string" and "model" in prop["description"]
            assert "access_token" not in tools["get_ticket_metadata"].input_schema.get("required", [])

            ok = await c.call_tool("get_ticket_metadata", {"ticket": 7, "access_token": admin.token})
            assert not ok.is_error, ok
            assert ok.structured_content["number"] == 7
            assert admin.token not in text_of(ok) and admin.token not in str(ok.structured_content)

            # A leading "Bearer " is tolerated (clients paste the header value).
            ok = await c.call_tool("ticket_list", {"category": "all", "per_page": 5,
                                                   "access_token": f"Bearer {admin.token}"})
            assert not ok.is_error, ok
            assert ok.structured_content["per_page"] == 5

            missing = await c.call_tool("get_ticket_metadata", {"ticket": 7})
            assert missing.is_error and "access_token is required" in text_of(missing)

            forged = admin.token[:-4] + ("AAAA" if not admin.token.endswith("AAAA") else "BBBB")
            bad = await c.call_tool("get_ticket_metadata", {"ticket": 7, "access_token": forged})
            assert bad.is_error and "refused" in text_of(bad) and forged not in text_of(bad)

            foreign = await c.call_tool("get_ticket_metadata", {"ticket": 7, "access_token": dep.tokens["globex"].token})
            assert foreign.is_error and "different tenant" in text_of(foreign)

            wrong_type = await c.call_tool("get_ticket_metadata", {"ticket": 7, "access_token": 42})
            assert wrong_type.is_error and "non-empty string" in text_of(wrong_type)
    run(go())


def test_calls_run_as_the_argument_token_with_its_scopes_roles_and_activity(argument_on):
    dep = argument_on
    dana, read_only, viewer = dep.tokens["dana"], dep.tokens["read"], dep.tokens["viewer"]

    async def go():
        http, c = client(dep, "auto")
        async with http, c:
            # Scope: a read-only token cannot write, and the model is told which scope is missing.
            before = dep.snapshot()
            refused = await c.call_tool("add_ticket_tags", {"ticket": 9, "tags": ["by-arg"], "access_token": read_only.token})
            assert refused.is_error and "tickets:write" in text_of(refused)
            # Role: a viewer's token may not change tickets whatever its scopes.
            refused = await c.call_tool("add_ticket_tags", {"ticket": 9, "tags": ["by-arg"], "access_token": viewer.token})
            assert refused.is_error
            assert dep.snapshot() == before

            number = dep.one("SELECT t.number FROM tickets t JOIN departments d ON d.id = t.department_id "
                             "WHERE t.tenant_id = ? AND d.name = 'Support' AND t.status NOT IN ('resolved', 'closed') "
                             "ORDER BY t.number LIMIT 1", dep.tenant_id())["number"]
            mark = dep.one("SELECT coalesce(max(id), 0) AS m FROM activity")["m"]
            done = await c.call_tool("add_ticket_tags", {"ticket": number, "tags": ["by-arg"], "access_token": dana.token})
            assert not done.is_error, done
            assert "by-arg" in dep.ticket_tags(number)
            rows = dep.query("SELECT * FROM activity WHERE id > ? AND tenant_id = ?", mark, dep.tenant_id())
            assert rows and all(r["via"] == "mcp" and str(r["token_id"]) == dana.id
                                and r["actor_user_id"] == dep.user_id("dana@acme.test") for r in rows), [dict(r) for r in rows]

            # Revocation takes effect on the very next call.
            temp = dep.create_token("dana@acme.test", name="interop arg revoke")
            ok = await c.call_tool("get_ticket_tags", {"ticket": number, "access_token": temp.token})
            assert not ok.is_error
            dep.revoke(temp)
            gone = await c.call_tool("get_ticket_tags", {"ticket": number, "access_token": temp.token})
            assert gone.is_error and "revoked" in text_of(gone)
    run(go())
    log = dep.server.stderr_text()
    for token in (dana.token, read_only.token, viewer.token):
        assert token not in log


def test_a_header_session_is_not_reachable_token_less(argument_on):
    """A session opened with a header token is bound to that user: a token-less request naming
    it is not the same party and gets 404, so switching the setting on opens no session to
    anyone who merely learns its id."""
    dep = argument_on
    init = {"jsonrpc": "2.0", "id": 1, "method": "initialize",
            "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}}}
    accept = {"Accept": "application/json, text/event-stream"}
    r = httpx.post(dep.mcp_url(), json=init, headers={**accept, "Authorization": f"Bearer {dep.tokens['admin'].token}"})
    assert r.status_code == 200
    session = r.headers["mcp-session-id"]
    r = httpx.post(dep.mcp_url(), json={"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
                   headers={**accept, "Mcp-Session-Id": session, "MCP-Protocol-Version": "2025-11-25"})
    assert r.status_code == 404


def test_legacy_sse_transport_token_less(argument_on):
    dep = argument_on

    async def go():
        async with Client(sse_client(f"{dep.base_url}/t/acme/sse"), mode="legacy") as c:
            names = {t.name for t in (await c.list_tools()).tools}
            assert "get_ticket_metadata" in names
            ok = await c.call_tool("get_ticket_metadata", {"ticket": 3, "access_token": dep.tokens["admin"].token})
            assert not ok.is_error and ok.structured_content["number"] == 3
    run(go())


def test_switching_the_setting_off_applies_to_the_next_request(deployment):
    dep = deployment
    settings(dep, "on")
    try:
        async def go():
            http, c = client(dep, "auto")
            async with http, c:
                ok = await c.call_tool("get_ticket_metadata", {"ticket": 5, "access_token": dep.tokens["admin"].token})
                assert not ok.is_error
                settings(dep, "off")
                with pytest.raises(Exception):
                    await c.call_tool("get_ticket_metadata", {"ticket": 5, "access_token": dep.tokens["admin"].token})
        run(go())
    finally:
        settings(dep, "off")

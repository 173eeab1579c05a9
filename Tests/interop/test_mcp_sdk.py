"""deskgate-mcp driven by the official MCP Python SDK client (`mcp` 2.3.0, issue 3), in each
era: the SDK default (`mode="auto"`: `server/discover` probe, 2026-07-28 stateless), a pinned
modern version (no probe), and the forced handshake (`mode="legacy"`: initialize + session).
Authentication is a PAT on a pre-configured httpx2 client (`streamable_http_client` has no
auth argument). Results are checked against the SQLite database and each tool's outputSchema."""

from __future__ import annotations

import asyncio
import re
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import httpx2
import jsonschema
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError

import dbkit
from mcp_support import (ALL_TOOLS, MODERN, READ_TOOLS, WRITE_TOOLS, ArgHints, Token, build_arguments, deployment,
                         www_auth_params)

__all__ = ["deployment"]

MODES = ["auto", MODERN, "legacy"]
EXPECTED_VERSION = {"auto": MODERN, MODERN: MODERN, "legacy": "2025-11-25"}


@dataclass
class Wire:
    """What the SDK put on the wire (requests) and what came back (status, headers; bodies are
    not read here: the GET stream never ends)."""
    requests: list[tuple[str, dict[str, str], bytes]] = field(default_factory=list)
    responses: list[tuple[str, str, int, dict[str, str]]] = field(default_factory=list)

    async def on_request(self, req: httpx2.Request) -> None:
        body = req.content if req.method == "POST" else b""
        self.requests.append((req.method, {k.lower(): v for k, v in req.headers.items()}, body))

    async def on_response(self, resp: httpx2.Response) -> None:
        self.responses.append((resp.request.method, resp.request.headers.get("mcp-method", ""), resp.status_code,
                               {k.lower(): v for k, v in resp.headers.items()}))

    def methods(self) -> list[str]:
        import json
        out = []
        for method, _, body in self.requests:
            if method == "POST" and body:
                out.append(json.loads(body).get("method", "<response>"))
            else:
                out.append(method)
        return out


@asynccontextmanager
async def sdk(dep, token: Token | None, mode: str, tenant: str = "acme", header: str = "authorization"):
    wire = Wire()
    headers = {}
    if token is not None:
        headers = {"Authorization": f"Bearer {token.token}"} if header == "authorization" else \
            {"X-Deskgate-Access-Token": token.token}
    async with httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(30.0),
                                  event_hooks={"request": [wire.on_request], "response": [wire.on_response]}) as hc:
        async with Client(streamable_http_client(dep.mcp_url(tenant), http_client=hc), mode=mode,
                          read_timeout_seconds=30) as client:
            yield client, wire


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, timeout=90))


def _validate(tool, structured) -> None:
    schema = tool.output_schema
    assert schema is not None, f"{tool.name} has no outputSchema"
    cls = jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)
    cls.check_schema(schema)
    cls(schema).validate(structured)


def _tool_dict(tool) -> dict:
    return tool.model_dump(by_alias=True, mode="json", exclude_none=True)


@pytest.mark.parametrize("mode", MODES)
def test_sdk_connects_in_each_era(deployment, mode):
    async def go():
        async with sdk(deployment, deployment.tokens["admin"], mode) as (client, wire):
            assert client.protocol_version == EXPECTED_VERSION[mode]
            if mode != MODERN:  # a pinned version skips discovery: no serverInfo or capabilities to read
                assert client.server_info is not None and client.server_info.name == "deskgate"
                assert client.server_capabilities.tools is not None
            await client.list_tools()
            # The SDK sends notifications/initialized in the background: read the wire after a round trip.
            methods = wire.methods()
            if mode == "auto":
                assert methods[0] == "server/discover" and "initialize" not in methods, methods
            elif mode == MODERN:
                assert "server/discover" not in methods and "initialize" not in methods, methods
            else:
                assert methods[0] == "initialize" and "notifications/initialized" in methods, methods
                init_resp = wire.responses[0]
                assert init_resp[2] == 200 and init_resp[3].get("mcp-session-id"), init_resp
            if mode == "legacy":
                sid = wire.responses[0][3]["mcp-session-id"]
                last = wire.requests[-1][1]
                assert last.get("mcp-session-id") == sid and last.get("mcp-protocol-version") == "2025-11-25", last
            else:
                last = wire.requests[-1][1]
                assert last.get("mcp-protocol-version") == MODERN and last.get("mcp-method") == "tools/list", last
                assert all(r[3].get("mcp-session-id") is None for r in wire.responses), "no sessions in 2026-07-28"
        return wire

    wire = run(go())
    if mode == "legacy":
        deletes = [r for r in wire.responses if r[0] == "DELETE"]
        assert deletes and deletes[-1][2] in (200, 202, 204), wire.responses
    statuses = [(r[0], r[1], r[2]) for r in wire.responses if r[0] == "POST"]
    assert all(s in (200, 202) for _, _, s in statuses), statuses


@pytest.mark.parametrize("mode", MODES)
def test_sdk_lists_tools_and_reads_ticket_metadata(deployment, mode):
    async def go():
        async with sdk(deployment, deployment.tokens["admin"], mode) as (client, _):
            tools = {t.name: t for t in (await client.list_tools()).tools}
            assert set(tools) == ALL_TOOLS
            for n in (3, 88, 199):
                result = await client.call_tool("get_ticket_metadata",
                                                build_arguments(_tool_dict(tools["get_ticket_metadata"]), ArgHints(ticket=n)))
                assert not result.is_error, result
                sc = result.structured_content
                _validate(tools["get_ticket_metadata"], sc)
                row = deployment.ticket(n)
                assert (sc["subject"], sc["status"]) == (row["subject"], row["status"])
                assert any(c.type == "text" and c.text for c in result.content)

    run(go())


@pytest.mark.parametrize("mode", MODES)
def test_sdk_every_read_tool_validates(deployment, mode):
    async def go():
        async with sdk(deployment, deployment.tokens["admin"], mode) as (client, _):
            tools = {t.name: t for t in (await client.list_tools()).tools}
            for name in sorted(READ_TOOLS):
                result = await client.call_tool(name, build_arguments(_tool_dict(tools[name]), ArgHints(ticket=12)))
                assert not result.is_error, (name, result)
                _validate(tools[name], result.structured_content)

    run(go())


@pytest.mark.parametrize("mode", MODES)
def test_sdk_tool_errors_are_results(deployment, mode):
    async def go():
        async with sdk(deployment, deployment.tokens["admin"], mode) as (client, _):
            await client.list_tools()
            missing = await client.call_tool("get_ticket_metadata", {"ticket": 424242})
            assert missing.is_error and "not found" in missing.content[0].text.lower(), missing
            bad = await client.call_tool("get_ticket_metadata", {"ticket": "not a number"})
            assert bad.is_error, bad
            try:
                unknown = await client.call_tool("no_such_tool", {})
            except MCPError as e:
                assert e.code == -32602, e
            else:
                assert unknown.is_error, unknown

    run(go())


@pytest.mark.parametrize("mode", MODES)
def test_sdk_dry_run_then_write_with_activity(deployment, mode):
    token = deployment.tokens["admin"]
    n = {"auto": 150, MODERN: 151, "legacy": 152}[mode]
    tag = f"sdk-{mode}".replace("-07-28", "")

    async def go():
        async with sdk(deployment, token, mode) as (client, _):
            tools = {t.name: t for t in (await client.list_tools()).tools}
            tool = _tool_dict(tools["add_ticket_tags"])
            before = deployment.snapshot()
            dry = await client.call_tool("add_ticket_tags", build_arguments(tool, ArgHints(ticket=n, tags=(tag,)), dry_run=True))
            assert not dry.is_error, dry
            _validate(tools["add_ticket_tags"], dry.structured_content)
            assert deployment.snapshot() == before
            mark = deployment.one("SELECT coalesce(max(id), 0) AS m FROM activity")["m"]
            real = await client.call_tool("add_ticket_tags", build_arguments(tool, ArgHints(ticket=n, tags=(tag,)), dry_run=False))
            assert not real.is_error, real
            assert tag in deployment.ticket_tags(n)
            rows = deployment.query("SELECT * FROM activity WHERE id > ? AND tenant_id = ?", mark, deployment.tenant_id())
            assert rows and all(r["via"] == "mcp" and str(r["token_id"]) == token.id for r in rows), [dict(r) for r in rows]
            ticket_id = deployment.ticket(n)["id"]
            assert any(r["ticket_id"] == ticket_id for r in rows)

    run(go())


@pytest.mark.parametrize("mode", MODES)
def test_sdk_read_only_token(deployment, mode):
    async def go():
        async with sdk(deployment, deployment.tokens["read"], mode) as (client, wire):
            names = {t.name for t in (await client.list_tools()).tools}
            assert not names & WRITE_TOOLS and "get_ticket_metadata" in names
            ok = await client.call_tool("get_ticket_metadata", {"ticket": 7})
            assert not ok.is_error
            with pytest.raises(MCPError):
                await client.call_tool("resolve_ticket", {"ticket": 7, "dry_run": True})
            refused = [r for r in wire.responses if r[2] == 403]
            assert refused, wire.responses
            challenge = www_auth_params(refused[-1][3]["www-authenticate"])
            assert challenge["error"] == "insufficient_scope" and "tickets:write" in challenge["scope"].split()

    run(go())


def test_sdk_alternative_header(deployment):
    async def go():
        async with sdk(deployment, deployment.tokens["admin"], "auto", header="x-deskgate") as (client, _):
            assert len((await client.list_tools()).tools) == len(ALL_TOOLS)

    run(go())


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("who", ["nobody", "other-tenant"])
def test_sdk_without_a_valid_token_cannot_connect(deployment, mode, who):
    token = None if who == "nobody" else deployment.tokens["globex"]

    async def go():
        async with sdk(deployment, token, mode) as (client, _):
            await client.list_tools()

    with pytest.raises(BaseException) as info:  # MCPError, or an ExceptionGroup around it
        run(go())
    assert "401" in repr(info.value) or isinstance(info.value, (MCPError, BaseExceptionGroup)), info.value


def test_sdk_tags_keep_their_case_and_match_in_any_case(deployment):
    """A tag is shown as first typed ("Hello World") and found, added and removed in any case."""
    first, second = 160, 161

    async def go():
        async with sdk(deployment, deployment.tokens["admin"], MODERN) as (client, _):
            added = await client.call_tool("add_ticket_tags", {"ticket": first, "tags": ["Hello World", "hello WORLD"]})
            assert not added.is_error, added
            assert "Hello World" in added.structured_content["summary"], added.structured_content
            again = await client.call_tool("add_ticket_tags", {"ticket": second, "tags": ["HELLO world"]})
            assert not again.is_error and "Hello World" in again.structured_content["summary"], again
            for n in (first, second):
                tags = (await client.call_tool("get_ticket_tags", {"ticket": n})).structured_content["tags"]
                assert "Hello World" in tags and "hello world" not in tags, tags
            found = await client.call_tool("search_tickets", {"tag": "  hello world ", "limit": 50})
            assert not found.is_error, found
            assert {t["number"] for t in found.structured_content["tickets"]} == {first, second}
            removed = await client.call_tool("remove_ticket_tags", {"ticket": first, "tags": ["HELLO WORLD"]})
            assert not removed.is_error, removed
            assert "Hello World" not in (await client.call_tool("get_ticket_tags", {"ticket": first})).structured_content["tags"]
            bad = await client.call_tool("add_ticket_tags", {"ticket": first, "tags": ["héllo"]})
            assert bad.is_error and "not a valid tag" in bad.content[0].text, bad

    run(go())
    rows = deployment.query("SELECT name FROM tags WHERE tenant_id = ? AND lower(name) = 'hello world'", deployment.tenant_id())
    assert [r["name"] for r in rows] == ["Hello World"]


def test_sdk_search_words_phrases_and_prefixes(deployment):
    """search_tickets (issue 16): every word somewhere in the ticket, "a phrase" within the subject
    or one message, prefix* for words starting so; expectations read from the rows themselves."""
    tid = deployment.tenant_id()
    texts: dict[int, list[str]] = {}
    for r in deployment.query("SELECT number, subject FROM tickets WHERE tenant_id = ?", tid):
        texts.setdefault(r["number"], []).append(r["subject"])
    for r in deployment.query("SELECT t.number, m.body FROM messages m JOIN tickets t ON t.id = m.ticket_id "
                              "WHERE m.tenant_id = ?", tid):
        texts.setdefault(r["number"], []).append(r["body"])

    def words(text: str) -> list[str]:
        return re.findall(r"[^\W_]+", text.lower())

    def holds(number: int, check) -> bool:
        return any(check(words(text)) for text in texts[number])

    def phrase(tokens: list[str]):
        return lambda ws: any(ws[i:i + len(tokens)] == tokens for i in range(len(ws) - len(tokens) + 1))

    expected = {
        "password reset": {n for n in texts if holds(n, phrase(["password"])) and holds(n, phrase(["reset"]))},
        '"password reset"': {n for n in texts if holds(n, phrase(["password", "reset"]))},
        "invoi*": {n for n in texts if holds(n, lambda ws: any(w.startswith("invoi") for w in ws))},
        "vat crashes": {n for n in texts if holds(n, phrase(["vat"])) and holds(n, phrase(["crashes"]))},
    }
    assert expected["invoi*"] and expected['"password reset"'] and not expected["vat crashes"]
    assert expected['"password reset"'] <= expected["password reset"]

    async def go():
        async with sdk(deployment, deployment.tokens["admin"], MODERN) as (client, _):
            for query, numbers in expected.items():
                found: set[int] = set()
                cursor = None
                while True:
                    args = {"query": query, "limit": 100} | ({"cursor": cursor} if cursor else {})
                    page = await client.call_tool("search_tickets", args)
                    assert not page.is_error, page
                    found |= {t["number"] for t in page.structured_content["tickets"]}
                    if query == "invoi*" and dbkit.backend() == "sqlite":
                        # SQLite searches a prefix of few words as those words (migration 23),
                        # so the snippet marks the word it found, not only whole "invoi".
                        for ticket in page.structured_content["tickets"]:
                            assert re.search(r"\[invoi[^\]]*\]", ticket["snippet"] or "", re.IGNORECASE), ticket
                    cursor = page.structured_content.get("next_cursor")
                    if not cursor:
                        break
                assert found == numbers, query
    run(go())

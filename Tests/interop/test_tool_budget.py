"""Answers that fit a model's budget (issue 19, docs/tools.md "Budgets"), through the official
MCP SDK client, which validates every `structuredContent` against the tool's listed outputSchema:

- `tools/list` with both tool families on and every scope stays under 6,000 tokens (cl100k_base,
  counted offline), its schemas are valid JSON Schema, and docs/tool-tokens.tsv (the per-tool
  cost docs/tools.md shows) matches the server.
- On a tenant of 1,000 tickets, every list tool walked to its last page under a small
  `max_chars` returns each row exactly once (checked against the database, or against the
  same listing read by page numbers), and no page is longer than the budget in either rendering.
- A long customer message is cut inside its fence, at a marker with a cursor, and the pieces put
  back together are the whole body.
- `fields` keeps what was asked (plus id, number and author kinds); an unknown field is a tool
  error naming the fields."""

from __future__ import annotations

import asyncio
import json
import re
import time

import httpx2
import jsonschema
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

import dbkit
import tool_costs
from conftest import REPO_ROOT, Server
from mcp_support import ALL_TOOLS, TENANT, Deployment, cli

TICKETS = 1000
WORKFLOW_TICKETS = 300
BUDGET = 2000          # the smallest max_chars: many pages
WHOLE = 200000         # the largest: one page holds everything asked for
LONG_BODY = "".join(f"Line {i}: the printer on floor {i % 7} prints \"ghosts\" — café ☕ {'x' * (i % 13)}\n"
                    for i in range(160))
CATEGORIES = ("duty", "owner", "relation", "view", "worked", "intervene", "all")


# --- tools/list in tokens ----------------------------------------------------------------------

def test_the_catalogue_is_under_6000_tokens_with_both_families_on(tmp_path):
    tools = tool_costs.list_tools(tmp_path)
    assert {t["name"] for t in tools} == ALL_TOOLS, "both families and every scope"
    total = tool_costs.total_tokens(tools)
    assert total < tool_costs.BUDGET_TOKENS, f"tools/list is {total} tokens"
    for tool in tools:
        for key in ("inputSchema", "outputSchema"):
            jsonschema.Draft202012Validator.check_schema(tool[key])
            assert tool[key]["type"] == "object", (tool["name"], key)
        assert len(tool["description"]) >= 20, tool["name"]
    enc = tool_costs.encoder()
    costs = [tool_costs.ToolCost(t["name"], len(tool_costs.listing_json(t).encode()), len(enc.encode(tool_costs.listing_json(t))))
             for t in tools]
    committed = (REPO_ROOT / "docs" / "tool-tokens.tsv").read_text()
    assert committed == tool_costs.tsv(costs), "docs/tool-tokens.tsv is stale: run scripts/tool-tokens --write, then " \
                                               "DESKGATE_WRITE_DOCS=1 swift test --filter toolReferenceIsUpToDate"


def test_the_token_counter_works_offline_and_counts_what_it_should():
    enc = tool_costs.encoder()
    assert enc.encode("hello world") == [15339, 1917]      # cl100k_base's ids, as published
    assert len(enc.encode(json.dumps({"name": "search_tickets"}))) < 10


# --- a tenant of 1,000 tickets -------------------------------------------------------------------

@pytest.fixture(scope="module")
def big(tmp_path_factory, request):
    root = tmp_path_factory.mktemp("budget")
    dep = Deployment(root=root, database=dbkit.database(root / "deskgate.sqlite"), keys=root / "keys")
    cli(dep.database, dep.keys, "init")
    cli(dep.database, dep.keys, "demo", "--tenant", TENANT, "--tickets", str(TICKETS), "--workflow-tickets", str(WORKFLOW_TICKETS))
    dep.tokens["admin"] = dep.create_token("admin@acme.test", name="budget walk")
    with dbkit.connect(dep.database, readonly=False) as conn:
        ticket = conn.execute("SELECT t.id, t.number, t.tenant_id, t.requester_contact_id AS requester FROM tickets t "
                              "WHERE t.requester_contact_id IS NOT NULL AND t.workflow_version_id IS NULL "
                              "ORDER BY t.number LIMIT 1").fetchone()
        for i in range(30):   # a long thread: short replies around one long customer message
            body = LONG_BODY if i == 12 else f"Reply {i}: still waiting for the toner."
            conn.execute("INSERT INTO messages (tenant_id, ticket_id, kind, author_type, author_contact_id, body, created_at) "
                         "VALUES (?, ?, 'reply', 'contact', ?, ?, ?)",
                         (ticket["tenant_id"], ticket["id"], ticket["requester"], body, 4102444800000 + i))
        conn.commit()
    dep.long_ticket = ticket["number"]  # type: ignore[attr-defined]
    dep.server = Server("deskgate-mcp", ["--database", dep.database, "--keys", str(dep.keys)], label="deskgate-mcp (budgets)")
    yield dep
    crashed = dep.server.crashed()
    dep.server.stop()
    if request.session.testsfailed or crashed:
        dep.server.save_stderr("mcp-budgets")
    dep.server.close()
    if crashed:
        pytest.fail(crashed)


def session(dep, work):
    async def go():
        headers = {"Authorization": f"Bearer {dep.tokens['admin'].token}"}
        async with httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(60.0)) as hc:
            async with Client(streamable_http_client(dep.mcp_url(TENANT), http_client=hc), mode="legacy") as client:
                await client.list_tools()   # the SDK validates structuredContent against these schemas
                return await work(client)
    return asyncio.run(asyncio.wait_for(go(), timeout=120))


def text_of(result) -> str:
    return "".join(getattr(block, "text", "") for block in result.content)


async def call(client, tool: str, arguments: dict):
    result = await client.call_tool(tool, arguments)
    assert not result.is_error, (tool, arguments, text_of(result)[:500])
    return result


async def walk(client, tool: str, arguments: dict, rows: str, budget: int = BUDGET) -> tuple[list[dict], int, dict]:
    """Every row of a listing, following next_cursor from the first page to the last; each page
    within the budget in both renderings. Returns the rows, the page count and the first page."""
    seen: list[dict] = []
    cursor, pages, first = None, 0, None
    while True:
        result = await call(client, tool, {**arguments, "max_chars": budget, **({"cursor": cursor} if cursor else {})})
        sc = result.structured_content
        first = first or sc
        assert len(json.dumps(sc, ensure_ascii=False, separators=(",", ":")).encode()) <= budget, (tool, pages)
        assert len(text_of(result).encode()) <= budget, (tool, pages)
        assert sc[rows] or not seen, f"{tool}: an empty page in the middle"
        seen += sc[rows]
        pages += 1
        cursor = sc["next_cursor"]
        if not cursor:
            return seen, pages, first
        assert pages < 3000, f"{tool}: no end after {pages} pages"


def once(values: list) -> list:
    assert len(values) == len(set(values)), f"repeated: {sorted(v for v in set(values) if values.count(v) > 1)[:10]}"
    return values


def test_every_list_tool_walks_to_its_end_under_a_small_budget(big):
    dep = big
    tid = dep.tenant_id()
    tickets = {r["number"] for r in dep.query("SELECT number FROM tickets WHERE tenant_id = ?", tid)}
    users = {r["id"] for r in dep.query("SELECT id FROM users WHERE tenant_id = ?", tid)}
    departments = {r["id"] for r in dep.query("SELECT id FROM departments WHERE tenant_id = ?", tid)}
    assert len(tickets) >= TICKETS
    started = time.monotonic()

    async def work(client):
        found, pages, _ = await walk(client, "search_tickets", {"limit": 100}, "tickets", budget=8000)
        assert set(once([t["number"] for t in found])) == tickets, "search_tickets: every ticket once"
        assert pages >= len(tickets) // 100 + 1
        # Only the number asked for: about a hundred rows a page, and still each once.
        numbers, _, _ = await walk(client, "search_tickets", {"limit": 100, "fields": ["number"]}, "tickets")
        assert set(once([t["number"] for t in numbers])) == tickets
        assert all(set(t) <= {"id", "number", "subject_author_kind"} for t in numbers)

        for category in CATEGORIES:
            # Whole rows for "all" (a few a page), two fields for the others.
            fields = {} if category == "all" else {"fields": ["title", "act_state"]}
            rows, _, first = await walk(client, "ticket_list", {"category": category, "per_page": 100, **fields}, "ticket_list")
            ids = once([t["id"] for t in rows])
            assert first["total_is_lower_bound"] is False
            assert len(ids) == first["total"], (category, len(ids), first["total"])
            # The same listing by page numbers, in one answer a page: the same tickets.
            by_page, page = [], 1
            while True:
                sc = (await call(client, "ticket_list", {"category": category, "per_page": 100, "page": page,
                                                        "fields": ["title"], "max_chars": WHOLE})).structured_content
                if sc["page"] != page or not sc["ticket_list"]:
                    break
                by_page += [t["id"] for t in sc["ticket_list"]]
                page += 1
            assert ids == by_page, category
        assert first["total"] >= WORKFLOW_TICKETS, "category all lists every workflow ticket"

        listed, _, _ = await walk(client, "user_list", {"per_page": 100, "simple": False}, "user_list")
        assert set(once([u["id"] for u in listed])) == users
        agents, _, _ = await walk(client, "list_agents", {}, "agents")
        assert set(once([a["id"] for a in agents])) == users
        walked, _, _ = await walk(client, "list_departments", {}, "departments")
        assert set(once([d["id"] for d in walked])) == departments

        for _ in range(12):   # history to page through: tag changes
            await call(client, "add_ticket_tags", {"ticket": dep.long_ticket, "tags": [f"budget-{_}"]})
        changes, _, _ = await walk(client, "get_ticket_activity", {"ticket": dep.long_ticket, "limit": 100}, "activity")
        every = (await call(client, "get_ticket_activity", {"ticket": dep.long_ticket, "limit": 100, "max_chars": WHOLE})).structured_content
        assert once([c["id"] for c in changes]) == [c["id"] for c in every["activity"]] and every["next_cursor"] is None
    session(dep, work)
    assert time.monotonic() - started < 90


def test_a_long_message_is_cut_inside_its_fence_and_read_on_with_the_cursor(big):
    dep = big

    async def work(client):
        whole = (await call(client, "get_ticket_messages", {"ticket": dep.long_ticket, "limit": 100, "max_chars": WHOLE})).structured_content
        assert whole["next_cursor"] is None
        order = [m["id"] for m in whole["messages"]]
        bodies = {m["id"]: m["body"] for m in whole["messages"]}
        assert LONG_BODY.rstrip("\n") in bodies.values() or LONG_BODY in bodies.values()
        pieces: dict[int, str] = {}
        ids: list[int] = []
        markers = 0
        cursor = None
        while True:
            args = {"ticket": dep.long_ticket, "limit": 100, "max_chars": BUDGET, **({"cursor": cursor} if cursor else {})}
            result = await call(client, "get_ticket_messages", args)
            sc, text = result.structured_content, text_of(result)
            assert len(text.encode()) <= BUDGET and len(json.dumps(sc, ensure_ascii=False, separators=(",", ":")).encode()) <= BUDGET
            for m in sc["messages"]:
                assert m.get("body_from", 0) == len(pieces.get(m["id"], "")), "a piece continues where the last ended"
                pieces[m["id"]] = pieces.get(m["id"], "") + m["body"]
                if not ids or ids[-1] != m["id"]:
                    ids.append(m["id"])
                if "body_cut" in m:
                    markers += 1
                    assert m["body_cut"]["next_cursor"] == sc["next_cursor"] and m is sc["messages"][-1]
                    assert m["body_cut"]["more_chars"] == len(bodies[m["id"]]) - len(pieces[m["id"]])
                    # The text: the piece inside the fence, the fence closed, then the marker.
                    boundary = re.match(r"Text between <<<customer-text ([0-9a-f]{16}) and", text).group(1)
                    tail = re.escape(f"customer-text {boundary}>>>") + r"\n\[message cut here: (\d+) more characters; " \
                        r"get_ticket_messages with cursor (\S+) reads on\]"
                    found = re.search(tail, text)
                    assert found and int(found.group(1)) == m["body_cut"]["more_chars"] and found.group(2) == sc["next_cursor"], text[-400:]
                    assert text.count(f"<<<customer-text {boundary}\n") == text.count(f"\ncustomer-text {boundary}>>>")
            cursor = sc["next_cursor"]
            if not cursor:
                break
        assert markers >= 3, "the long message took several pages"
        assert ids == order, "every message once, in order"
        assert pieces == bodies, "the pieces make the whole bodies"

        # get_ticket_context keeps the newest messages; under a small budget, fewer of them.
        context = (await call(client, "get_ticket_context", {"ticket": dep.long_ticket, "recent_messages": 50,
                                                             "max_chars": BUDGET})).structured_content
        assert context["recent_messages"] and context["has_more_messages"] is True
        assert [m["id"] for m in context["recent_messages"]] == order[-len(context["recent_messages"]):]
    session(dep, work)


def test_fields_keep_what_was_asked_and_refuse_unknown_names(big):
    dep = big

    async def work(client):
        meta = (await call(client, "get_ticket_metadata", {"ticket": dep.long_ticket, "fields": ["status"]})).structured_content
        assert set(meta) == {"id", "number", "status", "subject_author_kind"}
        full = (await call(client, "get_ticket_metadata", {"ticket": dep.long_ticket})).structured_content
        assert meta["status"] == full["status"] and "allowed_actions" in full
        messages = (await call(client, "get_ticket_messages", {"ticket": dep.long_ticket, "fields": ["created_at"],
                                                               "limit": 5})).structured_content
        assert all(set(m) == {"id", "author_kind", "created_at"} for m in messages["messages"])
        detail_ticket = dep.one("SELECT number FROM tickets WHERE tenant_id = ? AND workflow_version_id IS NOT NULL "
                                "ORDER BY number LIMIT 1", dep.tenant_id())["number"]
        detail = (await call(client, "ticket_detail", {"ticket_id": detail_ticket, "fields": ["actions"]})).structured_content
        assert set(detail) == {"ticket", "actions"}
        wrong = await client.call_tool("search_tickets", {"fields": ["subjet"]})
        assert wrong.is_error and "'subjet' is not a field here" in text_of(wrong) and "subject" in text_of(wrong)
        small = await client.call_tool("search_tickets", {"max_chars": 10})
        assert small.is_error and "max_chars" in text_of(small)
        foreign = await client.call_tool("ticket_list", {"category": "duty", "cursor": (await call(
            client, "ticket_list", {"category": "all", "per_page": 1})).structured_content["next_cursor"]})
        assert foreign.is_error and "not a next_cursor of this listing" in text_of(foreign)
    session(dep, work)


def test_ticket_detail_gives_up_the_oldest_history_first(big):
    dep = big
    tid = dep.tenant_id()
    number = dep.one("SELECT t.number FROM tickets t JOIN activity a ON a.ticket_id = t.id WHERE t.tenant_id = ? "
                     "AND t.workflow_version_id IS NOT NULL GROUP BY t.number ORDER BY count(*) DESC, t.number LIMIT 1", tid)["number"]

    async def work(client):
        for i in range(8):   # history with some weight: comments
            await call(client, "ticket_handle", {"ticket_id": number, "action_type": "add_comment", "action_id": "add_comment",
                                                 "action_props": {"comment": f"Checked the valve, round {i}. " + "ok " * 60}})
        whole = (await call(client, "ticket_detail", {"ticket_id": number, "max_chars": WHOLE})).structured_content
        size = len(json.dumps(whole, ensure_ascii=False, separators=(",", ":")).encode())
        assert size > BUDGET and len(whole["flow_log"]) >= 8, size
        result = await call(client, "ticket_detail", {"ticket_id": number, "max_chars": BUDGET + 1500})
        cut = result.structured_content
        assert cut["flow_log_omitted"] > 0
        assert cut["flow_log"] == whole["flow_log"][cut["flow_log_omitted"]:], "the newest entries stay"
        assert cut["form_schema"] == whole["form_schema"] and cut["actions"] == whole["actions"]
        assert len(json.dumps(cut, ensure_ascii=False, separators=(",", ":")).encode()) <= BUDGET + 1500
        assert len(text_of(result).encode()) <= BUDGET + 1500
    session(dep, work)

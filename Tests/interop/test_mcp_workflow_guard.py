"""The help-desk write tools on tickets of stored workflows, with the official MCP SDK client in
both eras: they take the workflow's own step of the same meaning or refuse and name the
ticket_handle actions, and never skip a step (dana once resolved a refund waiting for her review
and finance's). Also: hostile input that used to reach SQL or the token check badly (U+0000 in a
search, two Authorization headers). Expected values come from the database."""

from __future__ import annotations

import asyncio
import json
import socket

import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from mcp_support import Raw, deployment

__all__ = ["deployment"]

MODES = ["auto", "legacy"]
NORTHWIND = "Refund: duplicate charge, Northwind"      # waits at Finance review and Support lead review (dana)
INITECH = "Refund: seats, Initech"                     # refunded: the workflow has ended


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, timeout=90))


async def with_client(dep, who: str, mode: str, body):
    headers = {"Authorization": f"Bearer {dep.tokens[who].token}"}
    async with httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(30.0)) as http:
        async with Client(streamable_http_client(dep.mcp_url(), http_client=http), mode=mode, read_timeout_seconds=30) as c:
            return await body(c)


def number_of(dep, subject: str) -> int:
    return dep.one("SELECT number FROM tickets WHERE tenant_id = ? AND subject = ?", dep.tenant_id(), subject)["number"]


def place(dep, number: int) -> tuple:
    """Everything that says where a workflow ticket is."""
    t = dep.ticket(number)
    nodes = dep.query("""SELECT n.key, p.assignee_ids FROM ticket_positions p JOIN workflow_nodes n ON n.id = p.node_id
                         WHERE p.ticket_id = ? ORDER BY p.id""", t["id"])
    return (t["status"], t["act_state"], t["node_id"], t["department_id"], t["assignee_id"], [tuple(r) for r in nodes])


def text(result) -> str:
    return " ".join(c.text for c in result.content if getattr(c, "type", "") == "text")


@pytest.mark.parametrize("mode", MODES)
def test_help_desk_writes_cannot_skip_a_workflows_steps(deployment, mode):
    dep = deployment
    northwind, initech = number_of(dep, NORTHWIND), number_of(dep, INITECH)
    before = {n: place(dep, n) for n in (northwind, initech)}
    activity = dep.activity_count()
    calls = [
        ("resolve_ticket", {"ticket": northwind}, "resolve_ticket does not apply"),
        ("resolve_ticket", {"ticket": northwind, "note": "refund sent"}, "resolve_ticket does not apply"),
        ("reopen_ticket", {"ticket": initech}, "reopen_ticket does not apply: a workflow that has ended has no way back"),
        ("transfer_ticket", {"ticket": northwind, "department": "Billing"}, "transfer_ticket does not apply"),
        ("assign_ticket", {"ticket": northwind, "assignee": None}, "cannot be unassigned"),
    ]

    async def go(c):
        for name, arguments, reason in calls:
            for dry_run in (True, False):
                result = await c.call_tool(name, {**arguments, "dry_run": dry_run})
                assert result.is_error, (name, dry_run, result.content)
                said = text(result)
                assert reason in said, said
                number = arguments["ticket"]
                assert f"ticket #{number} follows the workflow 'Refund approval'" in said, said
                if number == northwind:
                    assert "waits at 'Finance review'" in said and "'Support lead review' (Dana" in said, said
                    assert "Use ticket_handle with one of the actions open to you: agree:lead_done (Reviewed) at lead_review" in said, said
                else:
                    assert "has ended (finished)" in said, said
        # The workflow family: the Support workflow's resolve is no action of this ticket either.
        handled = await c.call_tool("ticket_handle", {"ticket_id": northwind, "action_type": "agree", "action_id": "resolve"})
        assert handled.is_error and "is not available to you" in text(handled), handled.content

    run(with_client(dep, "dana", mode, go))
    assert {n: place(dep, n) for n in (northwind, initech)} == before
    assert dep.activity_count() == activity


def test_assign_is_the_workflows_forward_for_the_person_at_the_node(deployment):
    dep = deployment
    northwind = number_of(dep, NORTHWIND)
    lee = dep.user_id("lee@acme.test")

    async def go(c):
        planned = await c.call_tool("assign_ticket", {"ticket": northwind, "assignee": "lee@acme.test", "dry_run": True})
        assert not planned.is_error, planned.content
        s = planned.structured_content
        assert s["applied"] is False and s["after"]["workflow_action"] == "forward:forward", s
        assert s["summary"].startswith(f"Would assign ticket #{northwind} in its workflow 'Refund approval' with forward:forward"), s
        return planned

    run(with_client(dep, "dana", "auto", go))
    before = dict(place(dep, northwind)[5])
    assert before["lead_review"] == str(dep.user_id("dana@acme.test"))   # the dry run wrote nothing

    async def real(c):
        done = await c.call_tool("assign_ticket", {"ticket": northwind, "assignee": "lee@acme.test"})
        assert not done.is_error and done.structured_content["applied"] is True, done.content

    run(with_client(dep, "dana", "auto", real))
    after = dict(place(dep, northwind)[5])
    # dana's branch moved to lee; finance's branch is untouched.
    assert after == {**before, "lead_review": str(lee)}
    row = dep.one("SELECT action, actor_user_id, via FROM activity WHERE ticket_id = ? ORDER BY id DESC LIMIT 1",
                  dep.ticket(northwind)["id"])
    assert tuple(row) == ("workflow.forward", dep.user_id("dana@acme.test"), "mcp")


def test_search_results_say_which_workflow_and_node(deployment):
    dep = deployment
    northwind = number_of(dep, NORTHWIND)

    async def go(c):
        return await c.call_tool("search_tickets", {"query": "Northwind duplicate", "limit": 100})

    result = run(with_client(dep, "admin", "auto", go))
    assert not result.is_error, result.content
    rows = {t["number"]: t for t in result.structured_content["tickets"]}
    expected_nodes = [r["name"] for r in dep.query(
        """SELECT n.name FROM ticket_positions p JOIN workflow_nodes n ON n.id = p.node_id
           WHERE p.ticket_id = ? ORDER BY p.id""", dep.ticket(northwind)["id"])]
    assert rows[northwind]["workflow"] == "Refund approval" and rows[northwind]["workflow_nodes"] == expected_nodes
    assert f"#{northwind} " in text(result) and "(workflow Refund approval at " in text(result)
    for number, row in rows.items():
        if number != northwind and dep.ticket(number)["workflow_version_id"] is None:
            assert row["workflow"] == "Support" and len(row["workflow_nodes"]) == 1, row


@pytest.mark.parametrize("query", ["\u0000", "printer\u0000", "a\u0000b"])
def test_a_nul_in_a_search_is_a_tool_error_not_an_internal_error(deployment, query):
    async def go(c):
        return await c.call_tool("search_tickets", {"query": query})

    result = run(with_client(deployment, "admin", "auto", go))
    assert result.is_error, result.content
    assert "contains the control character U+0000" in text(result), text(result)

    # The workflow family's substring search has no query language: U+0000 is just a character.
    async def listing(c):
        return await c.call_tool("ticket_list", {"category": "all", "search_value": query})

    listed = run(with_client(deployment, "admin", "auto", listing))
    assert not listed.is_error, listed.content
    assert listed.structured_content["ticket_list"] == []


def test_two_authorization_headers_are_refused(deployment):
    dep = deployment
    body = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "tools/list"}).encode()
    good = dep.tokens["admin"].token
    for second in (good, dep.tokens["viewer"].token, "garbage"):
        request = (f"POST /t/acme/mcp HTTP/1.1\r\nHost: {dep.server.host}:{dep.server.port}\r\n"
                   f"Authorization: Bearer {good}\r\nAuthorization: Bearer {second}\r\n"
                   "Content-Type: application/json\r\nAccept: application/json, text/event-stream\r\n"
                   f"MCP-Protocol-Version: 2025-06-18\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
        with socket.create_connection((dep.server.host, dep.server.port), timeout=10) as s:
            s.sendall(request)
            answer = b""
            while chunk := s.recv(65536):
                answer += chunk
        head = answer.split(b"\r\n\r\n", 1)[0].decode()
        assert head.startswith("HTTP/1.1 400 "), head
        assert "more than one Authorization header" in answer.decode(errors="replace")
    # One header is still served.
    raw = Raw(dep, dep.tokens["admin"])
    try:
        assert raw.modern_result("tools/list")["tools"]
    finally:
        raw.close()

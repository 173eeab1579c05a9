"""Writes that are safe to retry (issue 19): every write tool takes an `idempotency_key` (the
same key with the same arguments returns the first result and writes nothing; with other
arguments it is refused), and the tools that declare `idempotentHint: true` keep it without any
key. Adding a tag the ticket has, removing one it
lacks, resolving a resolved ticket, reopening an open one, assigning to the current assignee and
transferring to the current department succeed with `changed: false`, write nothing and add no
history; driven by the official MCP SDK client, checked in the database."""

from __future__ import annotations

import asyncio

import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from mcp_support import TENANT, deployment  # noqa: F401 (fixture)


def run(dep, calls):
    async def go():
        headers = {"Authorization": f"Bearer {dep.tokens['admin'].token}"}
        async with httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(30.0)) as hc:
            async with Client(streamable_http_client(dep.mcp_url(TENANT), http_client=hc), mode="legacy") as client:
                tools = {t.name: t for t in (await client.list_tools()).tools}
                return tools, [await client.call_tool(name, arguments) for name, arguments in calls]
    return asyncio.run(go())


def test_retrying_an_idempotent_write_changes_nothing_the_second_time(deployment):
    dep = deployment
    number = dep.one("""SELECT t.number FROM tickets t WHERE t.tenant_id = ? AND t.status = 'open'
                        AND t.workflow_version_id IS NULL AND t.department_id IS NOT NULL ORDER BY t.number LIMIT 1""",
                     dep.tenant_id())["number"]
    department = dep.one("SELECT d.name FROM departments d JOIN tickets t ON t.department_id = d.id WHERE t.tenant_id = ? AND t.number = ?",
                         dep.tenant_id(), number)["name"]
    once = [("add_ticket_tags", {"ticket": number, "tags": ["retry-safe"]}),
            ("assign_ticket", {"ticket": number, "assignee": "admin@acme.test"}),
            ("resolve_ticket", {"ticket": number})]
    tools, first = run(dep, once)
    for result in first:
        assert not result.is_error, result.content
        assert result.structured_content["changed"] is True
    before = dep.snapshot()
    again = once + [("remove_ticket_tags", {"ticket": number, "tags": ["never-there"]}),
                    ("transfer_ticket", {"ticket": number, "department": department, "keep_assignee": True}),
                    ("reopen_ticket", {"ticket": number}), ("reopen_ticket", {"ticket": number})]
    _, second = run(dep, again)
    for (name, _), result in zip(again[:-2], second[:-2]):
        assert not result.is_error, (name, result.content)
        assert result.structured_content["changed"] is False and result.structured_content["applied"] is True, name
        assert "nothing changed" in result.content[0].text, name
        assert tools[name].annotations.idempotent_hint is True, name
    # Until the reopen, the retries wrote nothing at all, history included.
    reopened, reopened_again = second[-2:]
    assert reopened.structured_content["changed"] is True and reopened_again.structured_content["changed"] is False
    after = dep.snapshot()
    assert after["tickets"] != before["tickets"], "the one real change (the reopen) landed"
    assert after["activity"][0] == before["activity"][0] + 1, "one history row: the reopen"
    assert after["ticket_tags"] == before["ticket_tags"]


def test_the_same_idempotency_key_returns_the_first_result_and_writes_nothing(deployment):
    dep = deployment
    number = dep.one("SELECT number FROM tickets WHERE tenant_id = ? AND workflow_version_id IS NULL ORDER BY number DESC LIMIT 1",
                     dep.tenant_id())["number"]
    note = {"ticket": number, "body": "Called the customer back", "idempotency_key": "retry-7f3a"}
    _, (first,) = run(dep, [("add_ticket_note", note)])
    assert not first.is_error, first.content
    before = dep.snapshot()
    _, (again, reordered, other, fresh) = run(dep, [
        ("add_ticket_note", note),
        ("add_ticket_note", dict(reversed(list(note.items())))),
        ("add_ticket_note", {**note, "body": "Something else"}),
        ("add_ticket_note", {**note, "idempotency_key": "retry-other"}),
    ])
    for replay in (again, reordered):
        assert not replay.is_error, replay.content
        assert replay.structured_content == first.structured_content
        assert replay.content[0].text == first.content[0].text
        assert "first_called_at" in replay.meta["io.deskgate/idempotent_replay"]
    assert other.is_error and "idempotency_key" in other.content[0].text
    assert not fresh.is_error and fresh.structured_content["applied"] is True
    after = dep.snapshot()
    assert after["messages"][0] == before["messages"][0] + 1, "only the call under a new key wrote a note"

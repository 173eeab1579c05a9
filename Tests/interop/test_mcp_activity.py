"""A ticket's history people can read (issue 18): get_ticket_activity through the official MCP
SDK client lists each change under the agent's name and the door it came through (the
personal access token masked as the CLI showed it), oldest first, and pages with its cursor;
ticket_detail shows the latest of it as its flow log."""

from __future__ import annotations

import asyncio
import json

import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from conftest import demo_workspace


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    _db, _, cli = demo_workspace(tmp_path_factory, "activity", tickets=5)
    token = json.loads(cli("--json", "token", "create", "--tenant", "acme", "--user", "admin@acme.test"))
    return {"db": _db, "token": token}


@pytest.fixture
def server(start_server, setup):
    return start_server("--database", setup["db"], program="deskgate-mcp")


def test_changes_are_listed_under_the_agent_and_the_token(server, setup):
    async def go():
        headers = {"Authorization": f"Bearer {setup['token']['token']}"}
        async with httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(30.0)) as hc:
            async with Client(streamable_http_client(server.url("/t/acme/mcp"), http_client=hc), mode="legacy") as client:
                for tag in ("history-one", "history-two"):
                    added = await client.call_tool("add_ticket_tags", {"ticket": 2, "tags": [tag]})
                    assert not added.is_error, added.content
                whole = await client.call_tool("get_ticket_activity", {"ticket": 2, "limit": 100})
                pages, cursor, first_cursor = [], None, None
                while True:
                    page = await client.call_tool("get_ticket_activity", {"ticket": 2, "limit": 1, **({"cursor": cursor} if cursor else {})})
                    assert not page.is_error, page.content
                    pages += page.structured_content["activity"]
                    cursor = page.structured_content["next_cursor"]
                    first_cursor = first_cursor or cursor
                    if cursor is None:
                        break
                # A cursor of ticket 2's history does not page ticket 3's.
                foreign = await client.call_tool("get_ticket_activity", {"ticket": 3, "cursor": first_cursor})
                detail = await client.call_tool("ticket_detail", {"ticket_id": 2})
                return whole, pages, foreign, detail

    whole, pages, foreign, detail = asyncio.run(go())
    assert not whole.is_error
    entries = whole.structured_content["activity"]
    assert pages == entries, "paging one at a time walks the same history"
    mine = [e for e in entries if e["token"] == setup["token"]["masked"]]
    assert [e["after"].get("tags") for e in mine][-2:] and mine[-2]["action"] == "ticket.add_tags" == mine[-1]["action"]
    assert "history-one" in mine[-2]["after"]["tags"] and "history-two" in mine[-1]["after"]["tags"]
    assert all(e["via"] == "mcp" and e["actor"]["email"] == "admin@acme.test" and e["app"] is None for e in mine)
    assert [e["id"] for e in entries] == sorted(e["id"] for e in entries)
    text = "".join(block.text for block in whole.content)
    assert f"via MCP with {setup['token']['masked']}: ticket.add_tags" in text
    assert foreign.is_error and "cursor" in "".join(block.text for block in foreign.content)
    # ticket_detail carries the same history as its flow log (the latest changes).
    assert not detail.is_error
    assert detail.structured_content["flow_log"] == entries[-20:]
    assert f"via MCP with {setup['token']['masked']}: ticket.add_tags" in "".join(block.text for block in detail.content)

"""`deskgate tenant settings` sets the MCP data limit by department and tag names; the MCP
server applies it on the next call (the official SDK client), and bad names are refused with
nothing written."""

from __future__ import annotations

import asyncio
import subprocess

import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from conftest import binary
from mcp_support import cli, deployment

__all__ = ["deployment"]


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, timeout=90))


async def department_of_every_ticket(dep, token) -> set[str]:
    async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=httpx2.Timeout(30.0)) as http:
        async with Client(streamable_http_client(dep.mcp_url(), http_client=http), read_timeout_seconds=30) as c:
            found = (await c.call_tool("search_tickets", {"limit": 50})).structured_content
            return {t["department"] for t in found["tickets"] if t.get("department")}


def test_cli_sets_and_clears_the_data_limit_by_name(deployment):
    dep = deployment
    token = dep.tokens["admin"].token
    assert len(run(department_of_every_ticket(dep, token))) > 1
    try:
        shown = cli(dep.database, dep.keys, "tenant", "settings", "acme", "--limit-departments", "support",
                    "--limit-writes", "off", json_out=True)
        assert shown["data_limit"] == {"departments": ["Support"], "tags": [], "allow_writes": False}
        assert run(department_of_every_ticket(dep, token)) == {"Support"}

        before = dep.one("SELECT settings_json FROM tenants WHERE slug = 'acme'")["settings_json"]
        cmd = [str(binary("deskgate")), "--database", str(dep.database), "--keys", str(dep.keys),
               "tenant", "settings", "acme", "--limit-tags", "no-such-tag"]
        refused = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        assert refused.returncode != 0 and "no tag named 'no-such-tag'" in refused.stderr
        assert dep.one("SELECT settings_json FROM tenants WHERE slug = 'acme'")["settings_json"] == before
    finally:
        cleared = cli(dep.database, dep.keys, "tenant", "settings", "acme", "--limit-departments", "",
                      "--limit-writes", "on", json_out=True)
    assert cleared["data_limit"] == {"departments": [], "tags": [], "allow_writes": True}
    assert len(run(department_of_every_ticket(dep, token))) > 1

"""deskgate on PostgreSQL (issue 17), end to end: `deskgate init` and `demo` against a
`postgresql://` URL, a PAT from the CLI, deskgate-mcp on the same URL, and the official MCP SDK
client reading and writing tickets through it. Runs when DESKGATE_TEST_DATABASE_URL names a
PostgreSQL server (`scripts/with-postgres`, which `scripts/test` runs pytest inside), on a fresh
database of its own there (dbkit), on either DESKGATE_TEST_BACKEND; skipped otherwise. Also
checks the URL's password never reaches the CLI's output or the server's log."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
from urllib.parse import urlsplit

import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

import dbkit
from conftest import binary

URL = os.environ.get("DESKGATE_TEST_DATABASE_URL", "")
pytestmark = pytest.mark.skipif(not URL, reason="DESKGATE_TEST_DATABASE_URL not set (run inside scripts/with-postgres)")


def _cli(url, keys, *args: str) -> tuple[str, str]:
    out = subprocess.run([str(binary("deskgate")), "--database", url, "--keys", str(keys), *args],
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    return out.stdout, out.stderr


def test_mcp_tools_read_and_write_on_postgres(tmp_path, start_server):
    url = dbkit.create_postgres_database("pg")
    password = urlsplit(url).password or ""
    keys = tmp_path / "keys"
    said = _cli(url, keys, "init") + _cli(url, keys, "demo", "--tenant", "acme", "--tickets", "40")
    printed, logged = _cli(url, keys, "--json", "token", "create", "--tenant", "acme", "--user", "admin@acme.test",
                           "--name", "pg")
    token = json.loads(printed)["token"]
    said += (logged,)
    mcp = start_server("--database", url, "--keys", str(keys), program="deskgate-mcp")

    async def go():
        async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=30) as hc:
            async with Client(streamable_http_client(f"{mcp.base_url}/t/acme/mcp", http_client=hc),
                              read_timeout_seconds=30) as client:
                before = await client.call_tool("get_ticket_metadata", {"ticket": 3})
                listed = await client.call_tool("ticket_list", {})
                resolved = await client.call_tool("resolve_ticket", {"ticket": 3})
                after = await client.call_tool("get_ticket_metadata", {"ticket": 3})
                return before, listed, resolved, after

    before, listed, resolved, after = asyncio.run(asyncio.wait_for(go(), timeout=90))
    assert not before.is_error and before.structured_content["number"] == 3
    assert not listed.is_error and listed.structured_content["ticket_list"], listed
    if before.structured_content["status"] != "resolved":
        assert not resolved.is_error, resolved
        assert resolved.structured_content["after"]["status"] == "resolved"
    assert after.structured_content["status"] == "resolved"
    if password:
        assert all(password not in text for text in said)
        log = mcp.stderr_path.read_text(errors="replace")
        assert ":***@" in log  # the server does name its database, masked
        role = os.environ.get("DESKGATE_TEST_SERVER_ROLE")
        if role and dbkit.on_postgres():
            # The PostgreSQL pass runs every server as the role row-level security binds.
            assert f"//{role}:***@" in log, log[-500:]
        assert password not in log

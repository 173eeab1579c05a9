"""The 2024-11-05 HTTP+SSE transport (`/t/{tenant}/sse` + `/messages`), driven by the official
SDK's `sse_client`: the endpoint event, a session, tool calls answered on the stream."""

from __future__ import annotations

import asyncio
import json
import subprocess

import httpx
import pytest
from mcp import Client
from mcp.client.sse import sse_client

import dbkit
from conftest import binary, demo_workspace


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    db, root, cli = demo_workspace(tmp_path_factory, "sse", tickets=10)
    admin = json.loads(cli("--json", "token", "create", "--tenant", "acme", "--user", "admin@acme.test"))
    viewer = json.loads(cli("--json", "token", "create", "--tenant", "acme", "--user", "viewer@acme.test"))
    return {"db": db, "root": root, "admin": admin["token"], "viewer": viewer["token"]}


def test_sdk_over_http_sse(start_server, setup):
    server = start_server("--database", setup["db"], program="deskgate-mcp")

    async def go():
        headers = {"Authorization": f"Bearer {setup['admin']}"}
        async with Client(sse_client(server.url("/t/acme/sse"), headers=headers), mode="legacy") as client:
            names = {tool.name for tool in (await client.list_tools()).tools}
            assert "get_ticket_context" in names and "list_agents" in names
            result = await client.call_tool("get_ticket_metadata", {"ticket": 4})
            assert not result.is_error
            agents = await client.call_tool("list_agents", {})          # a worker-pool tool
            assert any(a["email"] == "admin@acme.test" for a in agents.structured_content["agents"])
            return result.structured_content

    metadata = asyncio.run(asyncio.wait_for(go(), timeout=60))
    with dbkit.connect(setup["db"]) as db:
        assert metadata["subject"] == db.execute("SELECT subject FROM tickets WHERE number = 4").fetchone()[0]


def test_sse_refuses_missing_tokens_and_foreign_sessions(start_server, setup):
    server = start_server("--database", setup["db"], program="deskgate-mcp")
    assert httpx.get(server.url("/t/acme/sse")).status_code == 401
    with httpx.Client(timeout=10) as http:
        with http.stream("GET", server.url("/t/acme/sse"), headers={"Authorization": f"Bearer {setup['admin']}"}) as stream:
            assert stream.headers["content-type"].startswith("text/event-stream")
            lines = stream.iter_lines()
            assert next(lines) == "event: endpoint"
            endpoint = next(lines).removeprefix("data: ")
            assert endpoint.startswith("/t/acme/messages?session_id=")
            body = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
            other = http.post(server.url(endpoint), json=body, headers={"Authorization": f"Bearer {setup['viewer']}"})
            assert other.status_code == 404                      # another user cannot ride the session
            mine = http.post(server.url(endpoint), json=body, headers={"Authorization": f"Bearer {setup['admin']}"})
            assert mine.status_code == 202
            received = [next(lines) for _ in range(3)]
            assert received[1] == "event: message" and json.loads(received[2].removeprefix("data: "))["id"] == 1


def test_idle_streams_get_keep_alives_and_close_when_the_token_is_revoked(start_server, setup, tmp_path):
    config = tmp_path / "sse.json"
    config.write_text(json.dumps({"http": {"sse_keepalive_seconds": 1}}))
    server = start_server("--database", setup["db"], "--config", str(config), program="deskgate-mcp")
    root = setup["root"]
    created = json.loads(subprocess.run([str(binary("deskgate")), "--database", setup["db"], "--keys", str(root / "keys"),
                                         "--json", "token", "create", "--tenant", "acme", "--user", "dana@acme.test"],
                                        capture_output=True, text=True, check=True).stdout)
    import time
    with httpx.Client(timeout=15) as http:
        with http.stream("GET", server.url("/t/acme/sse"), headers={"Authorization": f"Bearer {created['token']}"}) as stream:
            lines = stream.iter_lines()
            assert next(lines) == "event: endpoint"
            seen = [next(lines) for _ in range(4)]          # data line, blank, then a comment within a second or two
            assert ": keep-alive" in seen, seen
            subprocess.run([str(binary("deskgate")), "--database", setup["db"], "--keys", str(root / "keys"),
                            "token", "revoke", "--tenant", "acme", str(created["id"])], check=True, capture_output=True)
            started = time.monotonic()
            rest = list(lines)                              # the server ends the stream
            assert time.monotonic() - started < 10
            assert all(line in ("", ": keep-alive") for line in rest), rest

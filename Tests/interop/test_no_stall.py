"""No query can stall the server (issue 16): a runaway read ends with a tool error within its
time budget while other calls, a write and `/readyz` keep answering; a legacy SSE client that
disconnects is noticed at once, not at the next keep-alive.

The runaway is `debug_runaway_read`, a tool compiled into debug builds only and registered only
with DESKGATE_DEBUG_RUNAWAY_TOOL=1: an unbounded recursive CTE run on a pooled reader through
the real path (dispatcher, worker pool, snapshot, statement budget, tool error). Nothing here
asserts a latency: only what finished before what (the runaways cannot end before their 3 s
budget; the write and probes must not wait for them), and that they end at all."""

from __future__ import annotations

import asyncio
import json
import re
import socket
import time

import httpx
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

import dbkit
from conftest import demo_workspace

BUDGET_MS = 3000   # the margin the probe, the write and the point read must finish within


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    db, _, cli = demo_workspace(tmp_path_factory, "nostall", tickets=10)
    admin = json.loads(cli("--json", "token", "create", "--tenant", "acme", "--user", "admin@acme.test"))
    return {"db": db, "admin": admin["token"]}


@pytest.fixture
def server(start_server, setup, monkeypatch):
    monkeypatch.setenv("DESKGATE_DEBUG_RUNAWAY_TOOL", "1")
    monkeypatch.setenv("DESKGATE_READ_BUDGET_MS", str(BUDGET_MS))
    monkeypatch.setenv("DESKGATE_HTTP_WORKERS", "2")            # the machine: two worker threads
    monkeypatch.setenv("DESKGATE_HTTP_RESERVED_WORKERS", "2")
    monkeypatch.setenv("DESKGATE_SSE_KEEPALIVE", "60")          # no keep-alive write can be what notices a close
    return start_server("--database", setup["db"], program="deskgate-mcp")


def text_of(result) -> str:
    return " ".join(getattr(block, "text", "") for block in result.content)


def test_a_runaway_read_ends_with_a_tool_error_while_writes_and_readyz_answer(server, setup):
    async def go():
        headers = {"Authorization": f"Bearer {setup['admin']}"}
        async with httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(60.0)) as hc, \
                httpx.AsyncClient(timeout=30) as probe:
            async with Client(streamable_http_client(server.url("/t/acme/mcp"), http_client=hc), mode="legacy",
                              read_timeout_seconds=60) as client:
                tools = {tool.name for tool in (await client.list_tools()).tools}
                if "debug_runaway_read" not in tools:
                    pytest.skip("release build: debug_runaway_read is compiled into debug builds only")
                started = time.monotonic()
                finished: dict[str, float] = {}

                async def runaway(n: int):
                    result = await client.call_tool("debug_runaway_read", {})
                    finished[f"runaway{n}"] = time.monotonic() - started
                    return result

                # Three runaways for two general worker threads: both are taken, one call queues.
                runaways = [asyncio.create_task(runaway(n)) for n in range(3)]
                await asyncio.sleep(0.3)
                ready = await probe.get(server.url("/readyz"))
                finished["readyz"] = time.monotonic() - started
                write = await client.call_tool("add_ticket_tags", {"ticket": 1, "tags": ["no-stall"]})
                finished["write"] = time.monotonic() - started
                point = await client.call_tool("get_ticket_metadata", {"ticket": 1})   # the loop's own reader
                finished["point_read"] = time.monotonic() - started
                results = await asyncio.gather(*runaways)
                after = await client.call_tool("list_agents", {})                  # pooled readers serve on
                return ready, write, point, results, after, finished

    ready, write, point, results, after, finished = asyncio.run(asyncio.wait_for(go(), timeout=120))
    assert ready.status_code == 200 and ready.json()["status"] == "ready"
    assert not write.is_error, text_of(write)
    assert not point.is_error and "no-stall" in point.structured_content["tags"]
    for result in results:
        assert result.is_error
        assert text_of(result) == f"the query took longer than its {BUDGET_MS} ms budget; narrow the filters"
    assert not after.is_error
    # Nothing waited for a runaway: each of them ran for its whole budget, and the probe, the
    # write and the point read were all answered before the first of them ended.
    first_runaway = min(finished[f"runaway{n}"] for n in range(3))
    assert first_runaway >= BUDGET_MS / 1000
    assert max(finished["readyz"], finished["write"], finished["point_read"]) < first_runaway, finished
    assert '"tool_over_budget"' in server.stderr_text()
    with dbkit.connect(setup["db"]) as db:
        assert db.execute("SELECT count(*) FROM tags WHERE name = 'no-stall'").fetchone()[0] == 1


def _open_legacy_stream(server, token: str) -> tuple[socket.socket, str]:
    sock = socket.create_connection(("127.0.0.1", server.port), timeout=10)
    sock.sendall((f"GET /t/acme/sse HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n"
                  "Accept: text/event-stream\r\n\r\n").encode())
    received = b""
    while b"session_id=" not in received or not received.endswith(b"\n\n") and b"\n\n" not in received.split(b"session_id=")[1]:
        chunk = sock.recv(4096)
        assert chunk, received
        received += chunk
    endpoint = re.search(rb"data: (/t/acme/messages\?session_id=[^\r\n]+)", received).group(1).decode()
    return sock, endpoint


def test_a_legacy_sse_client_that_disconnects_is_noticed_at_once(server, setup):
    headers = {"Authorization": f"Bearer {setup['admin']}"}
    ping = {"jsonrpc": "2.0", "id": 1, "method": "ping"}
    sock, endpoint = _open_legacy_stream(server, setup["admin"])
    # While the stream is open, its session takes messages.
    assert httpx.post(server.url(endpoint), json=ping, headers=headers, timeout=10).status_code == 202
    sock.close()
    # The keep-alive is 60 s away; the server must see the close by itself. Generous bound:
    # a failing server would keep answering 202 for a minute.
    deadline = time.monotonic() + 5
    status = 202
    while time.monotonic() < deadline:
        status = httpx.post(server.url(endpoint), json=ping, headers=headers, timeout=10).status_code
        if status == 404:
            break
        time.sleep(0.05)
    assert status == 404

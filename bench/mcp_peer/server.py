"""Benchmark peer: the official MCP Python SDK (`mcp` 2.x, MCPServer) serving one tool,
`get_ticket_metadata`, read with sqlite3 from the same database deskgate-mcp serves.

Run (see bench/mcp.sh):
    DESKGATE_DATABASE=var/bench.sqlite DESKGATE_PEER_TOKEN=dgpat_... \
    uvicorn server:app --app-dir bench/mcp_peer --host 127.0.0.1 --port 8765 \
        --workers 2 --loop uvloop --http httptools --no-access-log

Fairness (bench-notes.md "A fair Python SDK peer"): the tool is `async def` (a plain
`def` runs in a thread pool), the HTTP app is stateless with JSON responses (no
session, no SSE), uvicorn runs 2 workers on uvloop + httptools (TCP_NODELAY set).
The bearer token is checked against one expected value (constant-time compare):
cheaper than deskgate's PAT lookup, so the peer gets the benefit of the doubt.
One read-only SQLite connection per worker process with a cached prepared statement.
"""

from __future__ import annotations

import hmac
import os
import sqlite3
from typing import Any

from mcp.server.mcpserver import MCPServer
from mcp.types import ToolAnnotations
from pydantic import BaseModel

DATABASE = os.environ.get("DESKGATE_DATABASE", "var/deskgate.sqlite")
TENANT = os.environ.get("DESKGATE_PEER_TENANT", "acme")
TOKEN = os.environ.get("DESKGATE_PEER_TOKEN", "").encode()

_db = sqlite3.connect(f"file:{DATABASE}?mode=ro", uri=True, check_same_thread=False)
_db.execute("PRAGMA query_only = 1")
(_tenant_id,) = _db.execute("SELECT id FROM tenants WHERE slug = ?", (TENANT,)).fetchone()

_QUERY = """
SELECT t.number, t.subject, t.status, t.priority, d.name, u.email, t.created_at, t.updated_at
FROM tickets t
LEFT JOIN departments d ON d.tenant_id = t.tenant_id AND d.id = t.department_id
LEFT JOIN users u ON u.tenant_id = t.tenant_id AND u.id = t.assignee_id
WHERE t.tenant_id = ? AND t.number = ?
"""


class TicketMetadata(BaseModel):
    number: int
    subject: str
    status: str
    priority: str
    department: str | None
    assignee: str | None
    created_at: int
    updated_at: int


mcp = MCPServer("deskgate-python-peer", version="1")


@mcp.tool(
    title="Ticket metadata",
    description="Subject, status, priority, department and assignee of one ticket.",
    annotations=ToolAnnotations(readOnlyHint=True, openWorldHint=False),
)
async def get_ticket_metadata(ticket: int | str) -> TicketMetadata:
    number = int(str(ticket).lstrip("#"))
    row = _db.execute(_QUERY, (_tenant_id, number)).fetchone()
    if row is None:
        raise ValueError(f"ticket #{number} not found")
    return TicketMetadata(number=row[0], subject=row[1], status=row[2], priority=row[3], department=row[4],
                          assignee=row[5], created_at=row[6], updated_at=row[7])


_inner = mcp.streamable_http_app(stateless_http=True, json_response=True, streamable_http_path="/t/acme/mcp")


async def app(scope: dict[str, Any], receive, send) -> None:
    """Bearer check in front of the SDK app (lifespan and other scopes pass through)."""
    if scope["type"] == "http" and TOKEN:
        got = b""
        for k, v in scope["headers"]:
            if k == b"authorization":
                got = v[7:] if v[:7].lower() == b"bearer " else b""
                break
        if not hmac.compare_digest(got, TOKEN):
            await send({"type": "http.response.start", "status": 401,
                        "headers": [(b"content-type", b"application/json"),
                                    (b"www-authenticate", b'Bearer error="invalid_token"')]})
            await send({"type": "http.response.body", "body": b'{"error":"invalid_token"}'})
            return
    await _inner(scope, receive, send)

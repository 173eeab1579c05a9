"""Per-call latency of the workflow tools on a large tenant (bench/workflow.sh drives it).

Sequential calls over one keep-alive connection in the 2025-11-25 session era, so each number
is one request's server time plus loopback, not queueing under load. Prints one JSON line per case."""

from __future__ import annotations

import gc
import itertools
import json
import os
import sqlite3
import statistics
import sys
import time

import httpx

if sys.argv[1] == "--table":                 # render the JSON lines of a run as a markdown table
    for line in open(sys.argv[2]):
        r = json.loads(line)
        total = "-" if r["total"] is None else r["total"]
        print(f"| {r['case']} | {r['p50_ms']} ms | {r['p99_ms']} ms | {r['max_ms']} ms | {total} |")
    raise SystemExit(0)

URL, DB, ADMIN, LEE = sys.argv[1:5]
CALLS = int(sys.argv[5]) if len(sys.argv) > 5 else 300
# CASES (env): comma-separated words; only cases whose label contains one of them run.
CASES = [c.strip() for c in os.environ.get("CASES", "").split(",") if c.strip()]
ids = itertools.count(1)


class Session:
    def __init__(self, token: str):
        self.http = httpx.Client(timeout=30, headers={"Authorization": f"Bearer {token}",
                                                      "Accept": "application/json, text/event-stream"})
        r = self.rpc("initialize", {"protocolVersion": "2025-11-25", "capabilities": {},
                                    "clientInfo": {"name": "workflow-bench", "version": "1"}})
        self.http.headers["Mcp-Session-Id"] = r.headers["mcp-session-id"]
        self.http.headers["MCP-Protocol-Version"] = "2025-11-25"
        self.http.post(URL, json={"jsonrpc": "2.0", "method": "notifications/initialized"})

    def rpc(self, method: str, params: dict) -> httpx.Response:
        r = self.http.post(URL, json={"jsonrpc": "2.0", "id": next(ids), "method": method, "params": params})
        r.raise_for_status()
        return r

    def tool(self, name: str, arguments: dict) -> dict:
        body = self.rpc("tools/call", {"name": name, "arguments": arguments}).json()
        result = body.get("result") or {}
        if "error" in body or result.get("isError"):
            raise SystemExit(f"{name} {arguments} failed: {json.dumps(body)[:400]}")
        return result["structuredContent"]


def measure(label: str, session: Session, calls) -> None:
    if CASES and not any(c in label for c in CASES):
        return
    times, last = [], None
    # The client's own garbage collections would land in the server's numbers (timeit does the same).
    gc.collect()
    gc.disable()
    for name, arguments in calls:
        t0 = time.perf_counter()
        last = session.tool(name, arguments)
        times.append((time.perf_counter() - t0) * 1000)
    gc.enable()
    times.sort()
    q = statistics.quantiles(times, n=100)
    print(json.dumps({"case": label, "calls": len(times), "p50_ms": round(q[49], 2), "p99_ms": round(q[98], 2),
                      "max_ms": round(times[-1], 2), "total": last.get("total") if last else None}), flush=True)


admin, lee = Session(ADMIN), Session(LEE)
for s in (admin, lee):                      # warm caches and statements
    for _ in range(20):
        s.tool("ticket_list", {"category": "duty"})

measure("ticket_list duty (lee)", lee, [("ticket_list", {"category": "duty"})] * CALLS)
measure("ticket_list all (admin)", admin, [("ticket_list", {"category": "all"})] * CALLS)
measure("ticket_list all, page 500 (admin)", admin, [("ticket_list", {"category": "all", "page": 500})] * CALLS)
measure("ticket_list owner + search (lee)", lee,
        [("ticket_list", {"category": "owner", "search_value": "provision"})] * CALLS)

with sqlite3.connect(f"file:{DB}?mode=ro", uri=True) as db:
    waiting = [r[0] for r in db.execute(
        "SELECT t.number FROM tickets t JOIN workflow_nodes n ON n.id = t.node_id "
        "WHERE n.key = 'it_approval' AND t.act_state = 'on_going' ORDER BY t.id LIMIT ?", (CALLS,))]
if len(waiting) < CALLS:
    raise SystemExit(f"only {len(waiting)} tickets wait at it_approval; raise WORKFLOW_TICKETS")
measure("ticket_handle agree (lee; gateway, new assignee)", lee,
        [("ticket_handle", {"ticket_id": n, "action_type": "agree", "action_id": "approve"}) for n in waiting])
measure("ticket_detail (lee)", lee, [("ticket_detail", {"ticket_id": n}) for n in waiting])

"""Per-call latency of the workflow tools on a large tenant (bench/workflow.sh drives it).

Sequential calls over one keep-alive connection in the 2025-11-25 session era, so each number
is one request's server time plus loopback, not queueing under load. Prints one JSON line per case."""

from __future__ import annotations

import gc
import http.client
import itertools
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import time
import urllib.parse


if sys.argv[1] == "--table":                 # render the JSON lines of a run as a markdown table
    for line in open(sys.argv[2]):
        r = json.loads(line)
        total = "-" if r["total"] is None else r["total"]
        print(f"| {r['case']} | {r['p50_ms']} ms | {r['p99_ms']} ms | {r['max_ms']} ms | {total} |")
    raise SystemExit(0)

URL, DB, ADMIN, LEE = sys.argv[1:5]      # DB: a SQLite file or a PostgreSQL URL
CALLS = int(sys.argv[5]) if len(sys.argv) > 5 else 300
# CASES (env): comma-separated words; only cases whose label contains one of them run.
CASES = [c.strip() for c in os.environ.get("CASES", "").split(",") if c.strip()]
ids = itertools.count(1)


class Session:
    """One keep-alive connection in the 2025-11-25 session era.

    Plain http.client with the request bytes encoded before the clock starts and the answer
    decoded after it stops: the timed part is the exchange itself. (httpx added ~1 ms per call
    and most of the tail to what was measured: its own work, not the server's.)"""

    def __init__(self, token: str):
        parts = urllib.parse.urlsplit(URL)
        self.path = parts.path
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=30)
        self.headers = {"Authorization": f"Bearer {token}", "Accept": "application/json, text/event-stream",
                        "Content-Type": "application/json"}
        status, headers, _ = self.exchange(self.encode("initialize", {
            "protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "workflow-bench", "version": "1"}}))
        self.headers["Mcp-Session-Id"] = headers["mcp-session-id"]
        self.headers["MCP-Protocol-Version"] = "2025-11-25"
        self.exchange(json.dumps({"jsonrpc": "2.0", "method": "notifications/initialized"}).encode())

    @staticmethod
    def encode(method: str, params: dict) -> bytes:
        return json.dumps({"jsonrpc": "2.0", "id": next(ids), "method": method, "params": params}).encode()

    def exchange(self, body: bytes) -> tuple[int, dict, bytes]:
        self.conn.request("POST", self.path, body=body, headers=self.headers)
        r = self.conn.getresponse()
        data = r.read()
        if r.status >= 300:
            raise SystemExit(f"HTTP {r.status}: {data[:400]!r}")
        return r.status, {k.lower(): v for k, v in r.getheaders()}, data

    def call(self, name: str, arguments: dict) -> bytes:
        """The request bytes of one tools/call."""
        return self.encode("tools/call", {"name": name, "arguments": arguments})

    @staticmethod
    def result(name: str, data: bytes) -> dict:
        body = json.loads(data)
        result = body.get("result") or {}
        if "error" in body or result.get("isError"):
            raise SystemExit(f"{name} failed: {json.dumps(body)[:400]}")
        return result["structuredContent"]

    def tool(self, name: str, arguments: dict) -> dict:
        return self.result(name, self.exchange(self.call(name, arguments))[2])


def measure(label: str, session: Session, calls) -> None:
    if CASES and not any(c in label for c in CASES):
        return
    requests = [(name, session.call(name, arguments)) for name, arguments in calls]
    # A session idle through other cases may find its keep-alive connection closed by the
    # server: start each case on a fresh connection, opened by an untimed ping.
    session.conn.close()
    session.exchange(session.encode("ping", {}))
    times, answers = [], []
    # The client's own garbage collections would land in the server's numbers (timeit does the same).
    gc.collect()
    gc.disable()
    for name, body in requests:
        t0 = time.perf_counter()
        answers.append((name, session.exchange(body)[2]))
        times.append((time.perf_counter() - t0) * 1000)
    gc.enable()
    last = [session.result(name, data) for name, data in answers][-1] if answers else None
    times.sort()
    # Inclusive: the default (exclusive) method extrapolates past the slowest call when there
    # are fewer than 100, so a p99 of 60 calls could exceed their max.
    q = statistics.quantiles(times, n=100, method="inclusive")
    print(json.dumps({"case": label, "calls": len(times), "p50_ms": round(q[49], 2), "p99_ms": round(q[98], 2),
                      "max_ms": round(times[-1], 2),
                      "total": (last.get("total", len(last.get("tickets", []))) if last else None)}), flush=True)


admin, lee = Session(ADMIN), Session(LEE)
for s in (admin, lee):                      # warm caches and statements
    for _ in range(20):
        s.tool("ticket_list", {"category": "duty"})

measure("ticket_list duty (lee)", lee, [("ticket_list", {"category": "duty"})] * CALLS)
measure("ticket_list all (admin)", admin, [("ticket_list", {"category": "all"})] * CALLS)
measure("ticket_list all, page 500 (admin)", admin, [("ticket_list", {"category": "all", "page": 500})] * CALLS)
measure("ticket_list owner + search (lee)", lee,
        [("ticket_list", {"category": "owner", "search_value": "provision"})] * CALLS)

def rows(sql: str) -> list[tuple]:
    """Rows of a read-only query against the benchmark's database: a SQLite file, or a PostgreSQL
    URL (through psql, as the tables' owner). The SQL is spelled for both and binds nothing."""
    if DB.startswith(("postgres://", "postgresql://")):
        psql = os.environ.get("PSQL", "/usr/lib/postgresql/15/bin/psql")
        out = subprocess.run([psql, "-X", "-At", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-d", DB, "-c", sql],
                             check=True, capture_output=True, text=True).stdout
        return [tuple(int(v) if v.lstrip("-").isdigit() else v for v in line.split("\t")) for line in out.splitlines()]
    with sqlite3.connect(f"file:{DB}?mode=ro", uri=True) as db:
        return db.execute(sql).fetchall()


waiting = [r[0] for r in rows(
    "SELECT t.number FROM tickets t JOIN workflow_nodes n ON n.id = t.node_id "
    f"WHERE n.key = 'it_approval' AND t.act_state = 'on_going' ORDER BY t.id LIMIT {int(CALLS)}")]
if len(waiting) < CALLS:
    raise SystemExit(f"only {len(waiting)} tickets wait at it_approval; raise WORKFLOW_TICKETS")
measure("ticket_handle agree (lee; gateway, new assignee)", lee,
        [("ticket_handle", {"ticket_id": n, "action_type": "agree", "action_id": "approve"}) for n in waiting])
measure("ticket_detail (lee)", lee, [("ticket_detail", {"ticket_id": n}) for n in waiting])

# Search (issue 16): ticket_list's search_value in every category, and search_tickets' words,
# phrases, prefixes and narrow filters. Words are picked from the data, not assumed.
it_department = rows("SELECT id FROM departments WHERE name = 'IT' ORDER BY id LIMIT 1")[0][0]
# A title word of a few workflow tickets (the hand-made demo ones), for the rare case.
rare_title = os.environ.get("RARE_TITLE", "vpn")
rare_word = os.environ.get("RARE_WORD", "duplicate")

TITLE_WORDS = [("rare", rare_title), ("absent", "zzz-none"), ("common", "bulk"), ("2 chars", "vp")]
for category, session, who in [("duty", lee, "lee"), ("owner", lee, "lee"), ("relation", lee, "lee"), ("worked", lee, "lee"),
                               ("view", admin, "admin"), ("intervene", admin, "admin"), ("all", admin, "admin")]:
    for kind, word in TITLE_WORDS:
        measure(f"ticket_list {category} + search_value {kind} '{word}' ({who})", session,
                [("ticket_list", {"category": category, "search_value": word})] * CALLS)
# Text that many titles hold but few of the caller's listing (lee is assigned no refund), and a
# page of a common one deeper than the first rows of the listing hold.
measure("ticket_list duty + search_value sparse 'Refund approval' (lee)", lee,
        [("ticket_list", {"category": "duty", "search_value": "Refund approval"})] * CALLS)
measure("ticket_list all + search_value deep page 1000 'bulk' (admin)", admin,
        [("ticket_list", {"category": "all", "search_value": "bulk", "page": 1000})] * CALLS)

SEARCHES = [
    ("common words 'password reset'", admin, {"query": "password reset"}),
    ("common word 'thanks'", admin, {"query": "thanks"}),
    (f"rare word '{rare_word}'", admin, {"query": rare_word}),
    ("phrase '\"password reset\"'", admin, {"query": "\"password reset\""}),
    ("two common words never together 'vat crashes'", admin, {"query": "vat crashes"}),
    ("prefix 'invoi*'", admin, {"query": "invoi*"}),
    ("absent word 'zzz-none'", admin, {"query": "zzz-none"}),
    ("'invoice' + status open + department IT", admin, {"query": "invoice", "status": ["open"], "department_id": it_department}),
    ("'thanks' as lee (sees only IT)", lee, {"query": "thanks"}),
    ("'thanks' created before 2025-01-10 (matches sparse in update order)", admin,
     {"query": "thanks", "created_before": "2025-01-10"}),
    ("'password reset' as lee (sees only IT)", lee, {"query": "password reset"}),
]
for label, session, arguments in SEARCHES:
    measure(f"search_tickets {label}", session, [("search_tickets", arguments)] * CALLS)

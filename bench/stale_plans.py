"""Issue 16's stall, reproduced in seconds: ticket_list's statements as main issued them before
the plans were pinned and as they are now, timed on a large demo database under stale planner
statistics written into its sqlite_stat1 (docs/benchmarks.md, "Plans that stale statistics cannot
change").

    python3 bench/stale_plans.py COPY_OF_DB [SECONDS]

COPY_OF_DB: a copy of a `deskgate demo --workflow-tickets N` database (its sqlite_stat1 is
rewritten; the fresh statistics are put back at the end). Each statement is stopped after
SECONDS (20). Prints a markdown table: state, statement, plan, time.
"""

from __future__ import annotations

import sqlite3
import sys
import time

DB = sys.argv[1]
LIMIT_S = float(sys.argv[2]) if len(sys.argv) > 2 else 20.0

PAGE = "t.id, t.number, t.subject, t.act_state, t.created_at"
PINNED_P = "ticket_participants p INDEXED BY workflow_participants_as_assignee CROSS JOIN tickets t NOT INDEXED"
DUTY = ("p.tenant_id = ?1 AND p.user_id = ?2 AND p.in_workflow = 1 AND p.as_assignee = 1 AND t.tenant_id = ?1 "
        "AND t.workflow_version_id IS NOT NULL AND t.created_at >= ?3 AND t.created_at <= ?4")
ON = "ON t.tenant_id = p.tenant_id AND t.id = p.ticket_id"


def walk(source: str, order: str) -> str:
    """listDense: the listing's first rows, each probed in the trigram index ('bulk')."""
    return (f"SELECT w.id, EXISTS (SELECT 1 FROM workflow_subject_trigrams s WHERE s.workflow_subject_trigrams MATCH '\"bulk\"' "
            f"AND s.rowid = w.id) FROM (SELECT t.id AS id, t.created_at AS at FROM {source} {ON} WHERE {DUTY} "
            f"ORDER BY {order} LIMIT 500) AS w ORDER BY w.at DESC, w.id DESC")


STATEMENTS = [
    ("duty + search_value 'bulk' (the walk)", "before",
     walk("ticket_participants p CROSS JOIN tickets t", "p.ticket_created_at DESC, p.ticket_id DESC")),
    ("duty + search_value 'bulk' (the walk)", "after", walk(PINNED_P, "p.ticket_created_at DESC, p.ticket_id DESC")),
    ("duty + act_state (the count)", "before",
     f"SELECT count(*) FROM ticket_participants p CROSS JOIN tickets t {ON} WHERE {DUTY} AND t.act_state IN (SELECT value FROM json_each('[\"on_going\"]'))"),
    ("duty + act_state (the count)", "after",
     f"SELECT count(*) FROM {PINNED_P} {ON} WHERE {DUTY} AND t.act_state IN (SELECT value FROM json_each('[\"on_going\"]'))"),
    ("duty (the page)", "before",
     f"SELECT {PAGE} FROM ticket_participants p JOIN tickets t {ON} WHERE {DUTY} ORDER BY t.created_at DESC, t.id DESC LIMIT 20"),
    ("duty (the page)", "after",
     f"SELECT {PAGE} FROM {PINNED_P} {ON} WHERE {DUTY} ORDER BY p.ticket_created_at DESC, p.ticket_id DESC LIMIT 20"),
]


def states(fresh: list[tuple]) -> list[tuple[str, list[tuple]]]:
    def unique(row: tuple) -> tuple:
        table, index, stat = row
        if index is None:
            return row
        parts = stat.split()
        return (table, index, " ".join([parts[0]] + ["1" for p in parts[1:] if p.isdigit()]))
    def before_workflows(rows: list[tuple]) -> list[tuple]:
        # ANALYZE before any workflow ticket existed writes no row for the (empty) partial
        # workflow indexes: the planner then guesses them, beside real numbers for the rest.
        return [r for r in rows if not (r[1] or "").startswith("workflow_")]
    return [
        ("fresh", fresh),
        ("before workflows", before_workflows(fresh)),
        # Each table analyzed when it held a row or so: every key looks unique.
        ("every key unique", [unique(r) for r in fresh]),
        ("every key unique, before workflows", before_workflows([unique(r) for r in fresh])),
    ]


def install(rows: list[tuple]) -> None:
    with sqlite3.connect(DB) as db:
        db.execute("DELETE FROM sqlite_stat1")
        db.executemany("INSERT INTO sqlite_stat1 (tbl, idx, stat) VALUES (?, ?, ?)", rows)


def main() -> None:
    with sqlite3.connect(DB) as db:
        fresh = db.execute("SELECT tbl, idx, stat FROM sqlite_stat1").fetchall()
        tenant, lee = db.execute("SELECT u.tenant_id, u.id FROM users u JOIN tenants n ON n.id = u.tenant_id "
                                 "WHERE n.slug = 'acme' AND u.email = 'lee@acme.test'").fetchone()
    now = int(time.time() * 1000)
    values = (tenant, lee, now - 3 * 365 * 86_400_000, now + 3_600_000)
    print("| statistics | statement | code | plan | time |")
    print("|---|---|---|---|---:|")
    try:
        for name, rows in states(fresh):
            install(rows)
            db = sqlite3.connect(DB)   # a new connection reads the statistics
            for label, code, sql in STATEMENTS:
                plan = " / ".join(r[3] for r in db.execute("EXPLAIN QUERY PLAN " + sql, values))
                deadline = time.monotonic() + LIMIT_S
                db.set_progress_handler(lambda: time.monotonic() > deadline, 10_000)
                start = time.monotonic()
                try:
                    db.execute(sql, values).fetchall()
                    took = f"{(time.monotonic() - start) * 1000:.1f} ms"
                except sqlite3.OperationalError:
                    took = f"stopped at {LIMIT_S:.0f} s"
                db.set_progress_handler(None, 0)
                print(f"| {name} | {label} | {code} | {plan} | {took} |", flush=True)
            db.close()
    finally:
        install(fresh)


main()

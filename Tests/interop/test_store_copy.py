"""`deskgate store copy` end to end: a SQLite installation (init, demo, a PAT) copied into a
fresh PostgreSQL database, deskgate-mcp serving that copy to the official MCP SDK client with
the PAT made before the copy, and the PostgreSQL copy copied back to a new SQLite file with every
table's row count equal to the original's. Runs inside scripts/with-postgres (which sets
DESKGATE_TEST_DATABASE_URL); the fresh database is made by the cluster's `postgres` superuser
over the URL's socket directory, and the test is skipped when that is not possible."""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

import dbkit
from conftest import binary

URL = os.environ.get("DESKGATE_TEST_DATABASE_URL", "")
pytestmark = pytest.mark.skipif(not URL, reason="DESKGATE_TEST_DATABASE_URL not set (run inside scripts/with-postgres)")


@pytest.fixture
def fresh_database():
    """A new, empty database owned by the URL's role; its URL (the cluster is thrown away)."""
    return dbkit.create_postgres_database("copy")


def _cli(database: str, keys: Path, *args: str) -> subprocess.CompletedProcess:
    out = subprocess.run([str(binary("deskgate")), "--database", database, "--keys", str(keys), *args],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr
    return out


def _row_counts(path: Path) -> dict[str, int]:
    """Rows per table, the FTS5 indexes counted by their rows but not by their shadow tables
    (how an index is split into segments depends on how it was built). A contentless index
    (migration 13's ticket_words) has no rows to count: it is derived, rebuilt by the copy, and
    counted by the tickets whose document holds their status token, per status."""
    with sqlite3.connect(path) as db:
        tables = {name: sql for name, sql in db.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
        virtual = [name for name, sql in tables.items() if sql.upper().startswith("CREATE VIRTUAL TABLE")]
        kept = [t for t in tables if not any(t.startswith(v + "_") for v in virtual)
                and "content=''" not in (tables[t] or "")]
        counts = {table: db.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0] for table in kept}
        if "ticket_words" in tables:
            for status in ("new", "open", "pending", "resolved", "closed"):
                counts[f"ticket_words {status}"] = db.execute(
                    "SELECT count(*) FROM ticket_words WHERE ticket_words MATCH ?", (f'"\ue000s\ue000{status}"',)).fetchone()[0]
        return counts


def test_copy_to_postgres_serves_mcp_and_copies_back(tmp_path, start_server, fresh_database):
    password = urlsplit(URL).password or ""
    keys = tmp_path / "keys"
    source = tmp_path / "source.sqlite"
    said = [_cli(str(source), keys, "init"), _cli(str(source), keys, "demo", "--tenant", "acme", "--tickets", "60")]
    token = json.loads(_cli(str(source), keys, "--json", "token", "create", "--tenant", "acme",
                            "--user", "admin@acme.test", "--name", "copy").stdout)["token"]
    with sqlite3.connect(source) as db:
        subject = db.execute("SELECT t.subject FROM tickets t JOIN tenants n ON n.id = t.tenant_id "
                             "WHERE n.slug = 'acme' AND t.number = 3").fetchone()[0]

    there = _cli(str(source), keys, "--json", "store", "copy", "--to", fresh_database)
    said.append(there)
    report = json.loads(there.stdout)
    assert all(t["source"] == t["target"] for t in report["tables"]), report
    assert {t["table"]: t["target"] for t in report["tables"]}["tickets"] > 60  # demo tickets + workflow tickets
    assert report["sequences_set"] > 0

    # Copying again is refused: the target is no longer empty.
    again = subprocess.run([str(binary("deskgate")), "--database", str(source), "store", "copy", "--to", fresh_database],
                           capture_output=True, text=True, timeout=120)
    assert again.returncode == 1 and "not empty" in again.stderr
    said.append(again)

    mcp = start_server("--database", fresh_database, "--keys", str(keys), program="deskgate-mcp")

    async def read_ticket():
        async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=30) as hc:
            async with Client(streamable_http_client(f"{mcp.base_url}/t/acme/mcp", http_client=hc),
                              read_timeout_seconds=30) as client:
                return await client.call_tool("get_ticket_metadata", {"ticket": 3})

    ticket = asyncio.run(asyncio.wait_for(read_ticket(), timeout=90))
    assert not ticket.is_error, ticket
    assert ticket.structured_content["number"] == 3
    assert ticket.structured_content["subject"] == subject
    mcp.stop()

    back = tmp_path / "back.sqlite"
    said.append(_cli(fresh_database, keys, "store", "copy", "--to", str(back)))
    assert "every table's row count matches" in said[-1].stdout
    original, returned = _row_counts(source), _row_counts(back)
    # The ledger is each database's own (the copy migrates its target), and deskgate-mcp made
    # the deployment's keys on the copy while it served (the session-id key and the approvals'
    # request-state key), counted the call it served (one usage row for the token, one for
    # the tenant) and recorded it in the audit log (one row); every other table, the FTS5
    # indexes included, has the original's rows.
    assert original.keys() == returned.keys()
    own = {"schema_migrations", "deployment_secrets", "mcp_usage", "mcp_audit"}
    assert {t: n for t, n in original.items() if t not in own} == {t: n for t, n in returned.items() if t not in own}
    assert returned["deployment_secrets"] == original["deployment_secrets"] + 2
    assert (original["mcp_usage"], returned["mcp_usage"]) == (0, 2)
    assert (original["mcp_audit"], returned["mcp_audit"]) == (0, 1)

    if password:
        for out in said:
            assert password not in out.stdout and password not in out.stderr

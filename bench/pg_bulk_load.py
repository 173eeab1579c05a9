"""Bulk-loads a SQLite deskgate database into an empty, migrated PostgreSQL one, for benchmarks
(bench/workflow.sh BACKEND=postgres PG_LOAD=bulk): the rows `deskgate store copy` would copy.

`store copy` is itself a bulk load into PostgreSQL now (COPY with its triggers off, secondary
indexes and foreign keys added after, as the owner, with its guarantees: one transaction, keys
validated, counts and trigger-kept data checked): 218 s at 1M tickets and 3.7M messages on this
machine, where this script takes 213 s (row by row it was ~350 tickets/s, hours). This script
stays for comparison only. Here, as the superuser, in one transaction:
triggers and foreign-key checks off (`session_replication_role = replica`), secondary indexes
dropped, every data table of the source COPY'd with its ids and its summary columns as they are,
the indexes built again, `ticket_words` (the only table triggers derive and the source lacks) filled
by migration 13's own function, identity sequences moved past the copied ids; then every table's
row count is checked against the source's. Not a product path: it skips the copy's checks.

Usage: pg_bulk_load.py SQLITE_FILE POSTGRES_CONNINFO (a superuser's)."""

from __future__ import annotations

import sqlite3
import sys
import time

import psycopg

SOURCE, TARGET = sys.argv[1:3]
DERIVED = {"ticket_words"}
SKIP = {"schema_migrations"} | DERIVED


def log(message: str, started: float) -> None:
    print(f"    {message} ({time.monotonic() - started:.1f} s)", flush=True)


source = sqlite3.connect(f"file:{SOURCE}?mode=ro", uri=True)
source_tables = {r[0] for r in source.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
begun = time.monotonic()
with psycopg.connect(TARGET, autocommit=False) as pg, pg.cursor() as cur:
    cur.execute("SET session_replication_role = replica")
    cur.execute("SET maintenance_work_mem = '1GB'")
    cur.execute("""SELECT table_name FROM information_schema.tables
                   WHERE table_schema = 'public' AND table_type = 'BASE TABLE'""")
    tables = sorted(r[0] for r in cur.fetchall() if r[0] in source_tables and r[0] not in SKIP)
    # Secondary indexes go, and come back after the rows (constraint indexes stay).
    cur.execute("""SELECT i.indexname, i.tablename, i.indexdef FROM pg_indexes i
                   WHERE i.schemaname = 'public' AND NOT EXISTS (
                       SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)""")
    indexes = cur.fetchall()
    for name, _, _ in indexes:
        cur.execute(f'DROP INDEX "{name}"')
    counts: dict[str, int] = {}
    for table in tables:
        cur.execute("""SELECT column_name FROM information_schema.columns
                       WHERE table_schema = 'public' AND table_name = %s AND is_generated = 'NEVER'
                       ORDER BY ordinal_position""", (table,))
        columns = [r[0] for r in cur.fetchall()]
        quoted = ", ".join(f'"{c}"' for c in columns)
        cur.execute(f'DELETE FROM "{table}"')   # rows the migrations seeded (the revocation counter)
        started = time.monotonic()
        rows = 0
        with cur.copy(f'COPY "{table}" ({quoted}) FROM STDIN') as copy:
            for row in source.execute(f'SELECT {quoted} FROM "{table}"'):
                copy.write_row(row)
                rows += 1
        counts[table] = rows
        if rows > 10_000:
            log(f"{table}: {rows} rows", started)
    started = time.monotonic()
    for name, table, definition in indexes:
        if table not in DERIVED:
            cur.execute(definition)
    log(f"{sum(t not in DERIVED for _, t, _ in indexes)} indexes built", started)
    started = time.monotonic()
    cur.execute("""INSERT INTO ticket_words (tenant_id, ticket_id, words)
                   SELECT t.tenant_id, t.id, deskgate_ticket_words(t.tenant_id, t.id) FROM tickets t""")
    for name, table, definition in indexes:
        if table in DERIVED:
            cur.execute(definition)
    log("ticket_words filled and indexed", started)
    cur.execute("""SELECT table_name, column_name FROM information_schema.columns
                   WHERE table_schema = 'public' AND is_identity = 'YES'""")
    for table, column in cur.fetchall():
        cur.execute(f"""SELECT setval(pg_get_serial_sequence(%s, %s), COALESCE(MAX("{column}"), 0) + 1, false)
                        FROM "{table}" """, (table, column))
    for table, rows in counts.items():
        cur.execute(f'SELECT count(*) FROM "{table}"')
        target = cur.fetchone()[0]
        if target != rows:
            raise SystemExit(f"{table}: {target} rows on PostgreSQL, {rows} in the source")
    cur.execute("SELECT (SELECT count(*) FROM ticket_words) = (SELECT count(*) FROM tickets)")
    if not cur.fetchone()[0]:
        raise SystemExit("ticket_words does not hold one document per ticket")
    pg.commit()
print(f"    bulk-loaded {sum(counts.values())} rows in {len(counts)} tables, counts checked "
      f"({time.monotonic() - begun:.0f} s)", flush=True)

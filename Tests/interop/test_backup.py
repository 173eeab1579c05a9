"""Backups and restores of the embedded SQLite database (issue 20, docs/operations.md):

- `deskgate backup --to FILE` while deskgate-mcp serves and writes: the copy passes
  `PRAGMA integrity_check` (read by Python's sqlite3) and holds every write the server
  acknowledged before the backup began;
- `deskgate restore --from FILE` refuses the database a server is serving, a database that holds
  data (both unless `--force`), a damaged file and a backup from a newer Deskgate, and otherwise
  restores a database that deskgate-mcp then serves;
- on PostgreSQL both commands refuse and give the pg_dump / pg_restore recipe.

Always on SQLite files: the backup is of the embedded default, whatever the suite's backend."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import threading
import time
from pathlib import Path

import httpx
import pytest

from conftest import binary
from mcp_support import modern_body, modern_headers, rpc_message


def deskgate(db: Path | str, keys: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(binary("deskgate")), "--database", str(db), "--keys", str(keys), *args],
                          capture_output=True, text=True, timeout=300)


def ok(out: subprocess.CompletedProcess) -> str:
    assert out.returncode == 0, out.stderr + out.stdout
    return out.stdout


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("backup")
    db, keys = root / "live.sqlite", root / "keys"
    ok(deskgate(db, keys, "init"))
    ok(deskgate(db, keys, "demo", "--tenant", "acme", "--tickets", "60"))
    token = json.loads(ok(deskgate(db, keys, "--json", "token", "create", "--tenant", "acme",
                                   "--user", "admin@acme.test", "--name", "backup")))["token"]
    return root, db, keys, token


def note(http: httpx.Client, url: str, token: str, ticket: int, body: str) -> bool:
    params = {"name": "add_ticket_note", "arguments": {"ticket": ticket, "body": body}}
    r = http.post(url, content=json.dumps(modern_body("tools/call", params)),
                  headers={**modern_headers("tools/call", "add_ticket_note"), "Authorization": f"Bearer {token}"})
    msg = rpc_message(r) if r.status_code == 200 else None
    return bool(msg and "result" in msg and not msg["result"].get("isError"))


def notes_in(path: Path) -> set[str]:
    with sqlite3.connect(path) as db:
        return {r[0] for r in db.execute("SELECT body FROM messages WHERE kind = 'note' AND body LIKE 'backup-run %'")}


def test_a_backup_taken_during_writes_is_whole_and_holds_every_acknowledged_write(site, start_server, tmp_path):
    root, db, keys, token = site
    server = start_server("--database", str(db), "--keys", str(keys), program="deskgate-mcp")
    url = f"{server.base_url}/t/acme/mcp"
    acked: list[tuple[str, float]] = []
    lock, stop = threading.Lock(), threading.Event()

    def write(worker: int):
        with httpx.Client(timeout=30) as http:
            n = 0
            while not stop.is_set():
                body = f"backup-run w{worker} n{n}"
                n += 1
                if note(http, url, token, 1 + worker, body):
                    with lock:
                        acked.append((body, time.monotonic()))

    threads = [threading.Thread(target=write, args=(i,), daemon=True) for i in range(3)]
    for t in threads:
        t.start()
    try:
        deadline = time.monotonic() + 20
        while len(acked) < 30 and time.monotonic() < deadline:
            time.sleep(0.02)
        began = time.monotonic()
        backup = tmp_path / "backups" / "during-writes.sqlite"
        report = json.loads(ok(deskgate(db, keys, "--json", "backup", "--to", str(backup))))
        ended = time.monotonic()
        time.sleep(0.3)                      # the writers go on after it, too
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=30)
    with lock:
        before = {body for body, at in acked if at < began}
        during = [at for _, at in acked if began <= at <= ended]
    assert len(before) >= 30, "the server acknowledged writes before the backup"
    assert during, "the server kept acknowledging writes while the backup ran"

    with sqlite3.connect(backup) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        version = copy.execute("SELECT max(version) FROM schema_migrations").fetchone()[0]
        tickets = copy.execute("SELECT count(*) FROM tickets").fetchone()[0]
    missing = before - notes_in(backup)
    assert not missing, f"{len(missing)} acknowledged writes are not in the backup, e.g. {sorted(missing)[:3]}"
    assert report["schema_version"] == version and report["tickets"] == tickets and report["tenants"] == 1
    assert not Path(str(backup) + "-wal").exists(), "the backup is one file"

    # A backup never overwrites a file.
    again = deskgate(db, keys, "backup", "--to", str(backup))
    assert again.returncode == 1 and "already exists" in again.stderr

    # The database being served is not restored over, unless forced.
    live = deskgate(db, keys, "restore", "--from", str(backup))
    assert live.returncode == 1 and "being served" in live.stderr, live.stderr
    server.stop()


def test_restore_checks_the_file_and_the_target_then_serves(site, start_server, tmp_path):
    root, db, keys, token = site
    backup = tmp_path / "plain.sqlite"
    ok(deskgate(db, keys, "backup", "--to", str(backup)))
    expected = notes_in(backup)

    restored = tmp_path / "restored" / "deskgate.sqlite"
    report = json.loads(ok(deskgate(restored, keys, "--json", "restore", "--from", str(backup))))
    assert report["tenants"] == 1 and report["migrated"] == []
    assert notes_in(restored) == expected
    server = start_server("--database", str(restored), "--keys", str(keys), program="deskgate-mcp")
    with httpx.Client(timeout=30) as http:
        assert note(http, f"{server.base_url}/t/acme/mcp", token, 3, "backup-run after the restore")
    server.stop()

    # A database with data is replaced only when told to.
    held = deskgate(restored, keys, "restore", "--from", str(backup))
    assert held.returncode == 1 and "--force" in held.stderr and "holds 1 tenant" in held.stderr
    assert "backup-run after the restore" in notes_in(restored), "the refused restore changed nothing"
    ok(deskgate(restored, keys, "restore", "--from", str(backup), "--force"))
    assert notes_in(restored) == expected

    # A damaged file is refused and the target is left as it was.
    damaged = tmp_path / "damaged.sqlite"
    shutil.copy(backup, damaged)
    with sqlite3.connect(damaged) as d:
        page_size = d.execute("PRAGMA page_size").fetchone()[0]
        root_page = d.execute("SELECT rootpage FROM sqlite_master WHERE name = 'messages'").fetchone()[0]
    with open(damaged, "r+b") as f:
        f.seek((root_page - 1) * page_size)
        f.write(b"\x0d" + os.urandom(page_size - 1))
    bad = deskgate(restored, keys, "restore", "--from", str(damaged), "--force")
    assert bad.returncode == 1 and ("integrity_check" in bad.stderr or "malformed" in bad.stderr), bad.stderr
    assert notes_in(restored) == expected

    # A backup from a newer Deskgate is refused.
    newer = tmp_path / "newer.sqlite"
    shutil.copy(backup, newer)
    with sqlite3.connect(newer) as d:
        d.execute("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'from the future', 0)")
    future = deskgate(restored, keys, "restore", "--from", str(newer), "--force")
    assert future.returncode == 1 and "schema version 999" in future.stderr
    # Neither is a file that is not a Deskgate database.
    stranger = tmp_path / "stranger.sqlite"
    with sqlite3.connect(stranger) as d:
        d.execute("CREATE TABLE t (x)")
    other = deskgate(restored, keys, "restore", "--from", str(stranger), "--force")
    assert other.returncode == 1 and "not a Deskgate database" in other.stderr


def test_on_postgresql_both_commands_give_the_pg_dump_recipe(tmp_path):
    url = "postgresql://deskgate@127.0.0.1:1/deskgate"
    for args in (("backup", "--to", str(tmp_path / "x.sqlite")), ("restore", "--from", str(tmp_path / "x.sqlite"))):
        out = deskgate(url, tmp_path / "keys", *args)
        assert out.returncode == 1 and "pg_dump" in out.stderr and "pg_restore" in out.stderr, out.stderr
        assert not (tmp_path / "x.sqlite").exists()

"""The two server processes as shells (issue 2): configuration contract, database with
migrations, /healthz and /readyz, one JSON log line per request, clean SIGTERM, and
start-up failures that say why in one line and exit non-zero."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
from pathlib import Path

import httpx
import pytest

import dbkit
from conftest import Server, binary

PROGRAMS = ["deskgate-mcp", "deskgate-auth"]


@pytest.fixture
def database(tmp_path):
    return dbkit.database(tmp_path / "var" / "deskgate.sqlite")


@pytest.mark.parametrize("program", PROGRAMS)
def test_health_readiness_and_migrated_database(start_server, database, program):
    server = start_server("--database", database, program=program)
    health = httpx.get(server.url("/healthz"))
    assert health.status_code == 200 and health.json() == {"status": "ok"}
    ready = httpx.get(server.url("/readyz"))
    assert ready.status_code == 200 and ready.json() == {"status": "ready"}
    assert health.headers["x-request-id"] != ready.headers["x-request-id"]

    with dbkit.connect(database) as db:
        tables = dbkit.tables(db)
        assert {"tenants", "users", "tickets", "messages", "personal_access_tokens", "oauth_grants",
                "signing_keys", "workflows", "activity"} <= tables
        assert db.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] >= 1
        if not db.postgres:
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"

    missing = httpx.get(server.url("/t/acme/nothing-here"))
    assert missing.status_code == 404

    assert server.stop() == 0
    lines = [json.loads(line) for line in server.stderr_text().splitlines() if line.startswith("{")]
    requests = [line for line in lines if line.get("event") == "request"]
    assert [(r["method"], r["path"], r["status"]) for r in requests] == [
        ("GET", "/healthz", 200), ("GET", "/readyz", 200), ("GET", "/t/acme/nothing-here", 404)]
    assert requests[0]["request_id"] == health.headers["x-request-id"]
    assert any(line.get("event") == "stopped" for line in lines)


@pytest.mark.parametrize("program", PROGRAMS)
def test_port_already_taken_is_one_line_and_non_zero(database, program, tmp_path):
    holder = socket.socket()
    holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEPORT, 1)  # even a REUSEPORT holder must block us
    holder.bind(("127.0.0.1", 0))
    holder.listen()
    port = holder.getsockname()[1]
    try:
        result = subprocess.run([str(binary(program)), "--database", database, "--port", str(port)],
                                capture_output=True, text=True, timeout=20)
    finally:
        holder.close()
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "address already in use" in lines[0] and str(port) in lines[0]


@pytest.mark.parametrize("program", PROGRAMS)
def test_unopenable_database_is_one_line_and_non_zero(program, tmp_path):
    """SQLite: a path under a file. PostgreSQL: a database the server does not have (the line
    must not show the URL's password)."""
    if dbkit.on_postgres():
        unopenable = dbkit.with_dbname(dbkit.server_url(), "no_such_database")
    else:
        blocker = tmp_path / "not-a-directory"
        blocker.write_text("x")
        unopenable = str(blocker / "db.sqlite")
    result = subprocess.run([str(binary(program)), "--database", unopenable, "--port", "0"],
                            capture_output=True, text=True, timeout=20)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "cannot open database" in lines[0], result.stderr
    password = dbkit.password_of(unopenable)
    assert not password or password not in result.stderr


def test_bad_configuration_names_the_setting(tmp_path):
    config = tmp_path / "deskgate.json"
    config.write_text(json.dumps({"mcp": {"port": "not-a-port"}}))
    result = subprocess.run([str(binary("deskgate-mcp")), "--config", str(config)],
                            capture_output=True, text=True, timeout=20)
    assert result.returncode == 2
    assert "mcp.port" in result.stderr and "not-a-port" in result.stderr


def test_config_file_then_environment_then_flags(start_server, tmp_path):
    """The file turns the access log off; the environment moves the database; flags win over both."""
    file_db = dbkit.database(tmp_path / "from-file.sqlite")
    env_db = dbkit.database(tmp_path / "from-env.sqlite")
    config = tmp_path / "deskgate.json"
    config.write_text(json.dumps({"database": file_db, "http": {"access_log": False}}))
    os.environ["DESKGATE_DATABASE"] = env_db
    try:
        server = start_server("--config", str(config), program="deskgate-mcp")
    finally:
        del os.environ["DESKGATE_DATABASE"]
    assert httpx.get(server.url("/readyz")).status_code == 200
    assert server.stop() == 0
    assert _migrated(env_db) and not _migrated(file_db)
    assert '"event":"request"' not in server.stderr_text()


def _migrated(database: str) -> bool:
    """SQLite: the file exists. PostgreSQL: the (pre-made, empty) database has the schema."""
    if not dbkit.is_url(database):
        return Path(database).exists()
    with dbkit.connect(database) as db:
        return "schema_migrations" in dbkit.tables(db)


def test_sigint_stops_cleanly(start_server, database):
    server = start_server("--database", database, program="deskgate-mcp")
    assert httpx.get(server.url("/healthz")).status_code == 200
    server.signal(signal.SIGINT)
    assert server.proc.wait(timeout=10) == 0
    with pytest.raises(httpx.ConnectError):
        httpx.get(server.url("/healthz"), timeout=2)

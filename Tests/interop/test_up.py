"""`deskgate up` (the README's run command): init, demo tenant, both servers as children,
URLs printed, Ctrl-C (SIGINT) stops everything with status 0."""

from __future__ import annotations

import os
import signal
import subprocess
import time

import httpx

import dbkit
from conftest import binary, read_output_until
from oauth_support import free_port


def test_up_runs_both_servers_with_demo_data_and_stops_on_ctrl_c(tmp_path):
    """On SQLite with no --database: the default file var/deskgate.sqlite under the working
    directory. On PostgreSQL: --database with a fresh database's URL."""
    auth_port, mcp_port = free_port(), free_port()
    env = {**os.environ, "DESKGATE_AUTH_PORT": str(auth_port), "DESKGATE_MCP_PORT": str(mcp_port)}
    database = dbkit.database(tmp_path / "var" / "deskgate.sqlite")
    where = ["--database", database] if dbkit.is_url(database) else []
    proc = subprocess.Popen([str(binary("deskgate")), *where, "up", "--tickets", "50"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        banner = read_output_until(proc, "Demo login", timeout=60)
        assert "Deskgate is running" in banner, banner
        assert f"http://127.0.0.1:{mcp_port}/t/acme/mcp" in banner
        assert f"http://127.0.0.1:{auth_port}/t/acme" in banner
        assert "admin@acme.test / deskgate-demo" in banner
        sign_in = f"http://127.0.0.1:{auth_port}/t/acme/login"
        assert sign_in in banner
        assert httpx.get(sign_in).status_code == 200

        for port in (auth_port, mcp_port):
            assert httpx.get(f"http://127.0.0.1:{port}/readyz").json() == {"status": "ready"}

        with dbkit.connect(database) as db:
            assert db.execute("SELECT count(*) FROM tickets WHERE workflow_version_id IS NULL").fetchone()[0] == 50
            # plus the demo workflows' tickets, one or more in every workflow state
            states = {r[0] for r in db.execute("SELECT act_state FROM tickets WHERE workflow_version_id IS NOT NULL")}
            assert states == {"in_draft", "on_going", "rejected", "withdrawn", "finished", "closed"}
            assert db.execute("SELECT count(*) FROM signing_keys WHERE state = 'active'").fetchone()[0] == 1
        key = tmp_path / "keys" / "es256.key.pem"
        assert key.stat().st_mode & 0o777 == 0o600

        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=20) == 0
        for port in (auth_port, mcp_port):
            try:
                httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                raise AssertionError(f"port {port} still answers after Ctrl-C")
            except httpx.ConnectError:
                pass
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()


def test_up_reuses_existing_data_without_a_new_demo(tmp_path):
    """The database from DESKGATE_DATABASE on PostgreSQL (the default file on SQLite)."""
    env = {**os.environ, "DESKGATE_AUTH_PORT": str(free_port()), "DESKGATE_MCP_PORT": str(free_port())}
    if dbkit.on_postgres():
        env["DESKGATE_DATABASE"] = dbkit.database(tmp_path / "var" / "deskgate.sqlite")
    init = subprocess.run([str(binary("deskgate")), "tenant", "list"], cwd=tmp_path, env=env,
                          capture_output=True, text=True)
    assert init.returncode == 1 and "deskgate init" in init.stderr
    subprocess.run([str(binary("deskgate")), "init"], cwd=tmp_path, env=env, check=True, capture_output=True)
    subprocess.run([str(binary("deskgate")), "tenant", "create", "globex", "--name", "Globex"], cwd=tmp_path,
                   env=env, check=True, capture_output=True)
    proc = subprocess.Popen([str(binary("deskgate")), "up"], cwd=tmp_path, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        banner = read_output_until(proc, "Database:", timeout=60)
        assert "/t/globex/mcp" in banner and "Demo login" not in banner, banner
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=20) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stdout.close()
        proc.stderr.close()

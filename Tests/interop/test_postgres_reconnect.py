"""deskgate-mcp after PostgreSQL drops its connections (a server restart, a failover, a network
cut look the same to a client): requests in flight fail with a clear 503 and Retry-After, never
a 500 or a hang, and later ones succeed on new connections, reads and writes alike, without
restarting the server. The drop is made by terminating every backend of the test's database
(what a restart does to them); each role may signal its own backends."""

from __future__ import annotations

import os

import pytest

import dbkit
from mcp_support import Deployment, Raw, cli, rpc_message

pytestmark = pytest.mark.skipif(not os.environ.get("DESKGATE_TEST_DATABASE_URL"),
                                reason="DESKGATE_TEST_DATABASE_URL not set (run inside scripts/with-postgres)")


def _drop_connections(url: str) -> int:
    """Terminates every other backend of the database: the owner's and, when the server runs as
    the servers' role (dbkit.as_server), that role's (a role may signal its own backends)."""
    dropped = 0
    for as_role in dict.fromkeys([url, dbkit.as_server(["--database", url])[1]]):
        with dbkit.connect(as_role, readonly=False) as db:
            dropped += db.execute("""SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity
                                     WHERE datname = current_database() AND usename = current_user
                                       AND pid <> pg_backend_pid()""").fetchone()[0]
    return dropped


def _until_ok(send, attempts: int = 10):
    """Sends until a 200; every answer before it must be a 503 with Retry-After."""
    refused = []
    for _ in range(attempts):
        resp = send()
        if resp.status_code == 200:
            return resp, refused
        assert resp.status_code == 503, (resp.status_code, resp.text[:300])
        assert resp.headers.get("retry-after") == "1"
        refused.append(resp)
    pytest.fail(f"still refused after {attempts} attempts")


def test_requests_after_the_database_drops_connections_get_503_then_succeed(tmp_path, start_server):
    url = dbkit.create_postgres_database("reconnect")
    keys = tmp_path / "keys"
    cli(url, keys, "init")
    cli(url, keys, "demo", "--tenant", "acme", "--tickets", "20")
    token = cli(url, keys, "token", "create", "--tenant", "acme", "--user", "admin@acme.test", "--name", "rc",
                json_out=True)["token"]
    dep = Deployment(root=tmp_path, database=url, keys=keys)
    dep.server = start_server("--database", url, "--keys", str(keys), program="deskgate-mcp")
    raw = Raw(dep, token)
    try:
        read = lambda: raw.modern("tools/call", {"name": "get_ticket_metadata", "arguments": {"ticket": 2}})
        tag = iter(range(1000))
        write = lambda: raw.modern("tools/call", {"name": "add_ticket_tags",
                                                   "arguments": {"ticket": 2, "tags": [f"rc{next(tag)}"]}})
        assert read().status_code == 200 and write().status_code == 200   # warm: every connection open

        for round_ in range(2):
            assert _drop_connections(url) >= 1
            ok, refused = _until_ok(read)
            assert not rpc_message(ok)["result"]["isError"]
            assert len(refused) <= 2, f"round {round_}: {len(refused)} refusals before reconnecting"
            ok, refused = _until_ok(write)
            result = rpc_message(ok)["result"]
            assert not result["isError"], result
            assert len(refused) <= 2
        # Nothing was half done: every tag the server acknowledged is on the ticket.
        with dbkit.connect(url) as db:
            tags = {r[0] for r in db.execute("""SELECT g.name FROM ticket_tags tt JOIN tags g ON g.id = tt.tag_id
                                                JOIN tickets t ON t.id = tt.ticket_id WHERE t.number = 2""").fetchall()}
        assert {"rc0"} <= tags
        assert dep.server.alive()
        assert "handler_failed" not in dep.server.stderr_text()   # a 500 would have logged this
    finally:
        raw.close()

"""A PAT's last use is recorded without a write per request (coalesced), and nothing noted is
lost when the server stops."""

from __future__ import annotations

import json
import subprocess

import httpx

import dbkit
from conftest import binary

MODERN_META = {"io.modelcontextprotocol/protocolVersion": "2026-07-28",
               "io.modelcontextprotocol/clientCapabilities": {}}


def test_last_used_is_recorded_by_shutdown(start_server, tmp_path):
    db = dbkit.database(tmp_path / "db.sqlite")
    run = lambda *a: subprocess.run([str(binary("deskgate")), "--database", db, "--keys", str(tmp_path / "k"), *a],
                                    capture_output=True, text=True, check=True).stdout
    run("demo", "--tickets", "5")
    token = json.loads(run("--json", "token", "create", "--tenant", "acme", "--user", "dana@acme.test"))
    server = start_server("--database", db, program="deskgate-mcp")
    for _ in range(3):
        response = httpx.post(server.url("/t/acme/mcp"),
                              json={"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {"_meta": MODERN_META}},
                              headers={"Authorization": f"Bearer {token['token']}", "MCP-Protocol-Version": "2026-07-28",
                                       "Mcp-Method": "tools/list"})
        assert response.status_code == 200, response.text
    with dbkit.connect(db) as conn:
        before = conn.execute("SELECT last_used_at FROM personal_access_tokens WHERE id = ?", (token["id"],)).fetchone()[0]
    assert before is None, "used-at should not be written per request"
    assert server.stop() == 0
    with dbkit.connect(db) as conn:
        after = conn.execute("SELECT last_used_at FROM personal_access_tokens WHERE id = ?", (token["id"],)).fetchone()[0]
    assert after is not None
    listed = json.loads(run("--json", "token", "list", "--tenant", "acme"))
    assert [t for t in listed if t["id"] == token["id"]][0]["last_used_at"] is not None

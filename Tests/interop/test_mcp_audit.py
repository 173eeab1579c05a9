"""The MCP audit log (issue 19, docs/audit.md): with the official MCP SDK, reads, a write, a tool
error and a write refused by the write quota; `deskgate audit export` as CSV and JSON Lines,
parsed by Python's csv and json, has every call with its outcome, tool and ticket numbers and
no token and no message text; a write's row is in the database as soon as the call returns (no
waiting for the batch); the admin page's downloads give the same rows."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import re
import subprocess
import time
from urllib.parse import urljoin

import httpx
import httpx2
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

import dbkit
from conftest import binary
from mcp_support import PASSWORD, TENANT
from oauth_support import forms_in

SECRET = "the door code is 4711-audit"
SECRET_TOO = "second note 9906-audit"
FIELDS = ["id", "at", "tenant", "user_id", "user_email", "token_id", "client_id", "tool", "args_digest", "tickets",
          "outcome", "reason", "duration_ms", "process"]


def call(url: str, token: str, calls: list[tuple[str, dict]]):
    async def go():
        headers = {"Authorization": f"Bearer {token}"}
        async with httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(30.0)) as hc:
            async with Client(streamable_http_client(url, http_client=hc), mode="legacy") as client:
                return [await client.call_tool(name, arguments) for name, arguments in calls]
    return asyncio.run(asyncio.wait_for(go(), timeout=120))


def audit_rows(db: str, tool: str) -> list[tuple]:
    with dbkit.connect(db) as conn:
        return [tuple(r) for r in conn.execute(
            "SELECT outcome, reason, tickets FROM mcp_audit WHERE tool = ? ORDER BY id", (tool,)).fetchall()]


def admin_session(auth_url: str) -> httpx.Client:
    http = httpx.Client(base_url=auth_url, follow_redirects=False, timeout=30)
    page = http.get(f"/t/{TENANT}/login")
    assert page.status_code == 200, page.text
    form = next(f for f in forms_in(page.text) if "password" in f.fields)
    fields = {**form.fields, "email": "admin@acme.test", "password": PASSWORD}
    signed = http.post(urljoin(f"{auth_url}/t/{TENANT}/login", form.action or f"/t/{TENANT}/login"), data=fields)
    assert signed.status_code in (302, 303), signed.text
    return http


def test_every_call_is_in_the_audit_export_without_tokens_or_text(start_server, tmp_path):
    db = dbkit.database(tmp_path / "db.sqlite")
    keys = tmp_path / "keys"

    def cli(*args: str) -> str:
        # Bytes, decoded as they are: text mode would turn the CSV's CRLF into LF.
        return subprocess.run([str(binary("deskgate")), "--database", db, "--keys", str(keys), *args],
                              capture_output=True, check=True, timeout=120).stdout.decode()

    cli("demo", "--tickets", "12")
    cli("tenant", "settings", TENANT, "--write-quota", "1")
    token = json.loads(cli("--json", "token", "create", "--tenant", TENANT, "--user", "admin@acme.test", "--name", "audit"))
    with dbkit.connect(db) as conn:
        number = conn.execute("""SELECT t.number FROM tickets t JOIN tenants n ON n.id = t.tenant_id
                                 WHERE n.slug = ? AND t.workflow_version_id IS NULL ORDER BY t.number LIMIT 1""",
                              (TENANT,)).fetchone()[0]
    mcp = start_server("--database", db, "--keys", str(keys), program="deskgate-mcp")
    url = mcp.url(f"/t/{TENANT}/mcp")

    context, departments, missing = call(url, token["token"], [
        ("get_ticket_context", {"ticket": number}), ("list_departments", {}), ("get_ticket_metadata", {"ticket": 999999})])
    assert not context.is_error and not departments.is_error, (context.content, departments.content)
    assert missing.is_error, missing.content

    # A write's row is in the database when its answer arrives: no waiting for the batch.
    keyed = {"ticket": number, "body": SECRET, "idempotency_key": "audit-k1"}
    (note,) = call(url, token["token"], [("add_ticket_note", keyed)])
    assert not note.is_error, note.content
    assert audit_rows(db, "add_ticket_note") == [("ok", None, str(number))]
    # Its retry is answered from the key, writes nothing, and says so; the digest is the same.
    (again,) = call(url, token["token"], [("add_ticket_note", dict(reversed(list(keyed.items()))))])
    assert not again.is_error, again.content
    assert audit_rows(db, "add_ticket_note")[-1] == ("ok", "idempotent_replay", str(number))
    (refused,) = call(url, token["token"], [("add_ticket_note", {"ticket": f"#{number}", "body": SECRET_TOO})])
    assert refused.is_error and refused.structured_content["error"] == "write_quota_exceeded", refused.content
    assert audit_rows(db, "add_ticket_note")[-1] == ("refused", "write_quota_token", str(number))

    expected = sorted([("get_ticket_context", "ok", str(number)), ("list_departments", "ok", ""),
                       ("get_ticket_metadata", "tool_error", "999999"), ("add_ticket_note", "ok", str(number)),
                       ("add_ticket_note", "ok", str(number)), ("add_ticket_note", "refused", str(number))])
    deadline = time.monotonic() + 10
    while True:
        text = cli("audit", "export", "--tenant", TENANT, "--since", "1h", "--format", "csv")
        rows = list(csv.DictReader(io.StringIO(text, newline="")))
        if len(rows) >= len(expected) or time.monotonic() > deadline:
            break
        time.sleep(0.3)
    assert text.startswith(",".join(FIELDS) + "\r\n")
    assert sorted((r["tool"], r["outcome"], r["tickets"]) for r in rows) == expected
    for r in rows:
        assert r["tenant"] == TENANT and r["user_email"] == "admin@acme.test" and r["token_id"] == str(token["id"])
        assert r["client_id"] == "" and re.fullmatch(r"[0-9a-f]{64}", r["args_digest"]), r
        assert r["process"].startswith("deskgate-mcp@") and int(r["duration_ms"]) >= 0
    notes = sorted((r for r in rows if r["tool"] == "add_ticket_note"), key=lambda r: int(r["id"]))
    assert [n["reason"] for n in notes] == ["", "idempotent_replay", "write_quota_token"]
    assert notes[0]["args_digest"] == notes[1]["args_digest"], "same arguments in another order, without the key"
    assert notes[0]["args_digest"] != notes[2]["args_digest"], "other arguments, another digest"

    jsonl = cli("audit", "export", "--tenant", TENANT, "--format", "jsonl")
    lines = [json.loads(line) for line in jsonl.splitlines()]
    assert [list(line) for line in lines] == [FIELDS] * len(lines)
    by_id = {str(line["id"]): line for line in lines}
    assert set(by_id) == {r["id"] for r in rows}
    for r in rows:
        line = by_id[r["id"]]
        assert (line["tool"], line["outcome"], line["args_digest"], line["token_id"]) == \
            (r["tool"], r["outcome"], r["args_digest"], int(r["token_id"]))
        assert ",".join(str(t) for t in line["tickets"]) == r["tickets"]
        assert line["reason"] == (r["reason"] or None) and line["client_id"] is None
    refused_line = next(line for line in lines if line["outcome"] == "refused")
    assert refused_line["reason"] == "write_quota_token" and refused_line["tickets"] == [number]

    for exported in (text, jsonl):
        assert token["token"] not in exported and "dgpat_" not in exported
        assert SECRET not in exported and SECRET_TOO not in exported and "4711" not in exported

    # The filters of the CLI.
    refused_only = list(csv.DictReader(io.StringIO(cli("audit", "export", "--tenant", TENANT, "--outcome", "refused"),
                                                   newline="")))
    assert [(r["tool"], r["reason"]) for r in refused_only] == [("add_ticket_note", "write_quota_token")]
    assert cli("audit", "export", "--tenant", TENANT, "--since", "2000-01-01", "--until", "2000-01-02") == ",".join(FIELDS) + "\r\n"
    out = tmp_path / "audit.jsonl"
    cli("audit", "export", "--tenant", TENANT, "--format", "jsonl", "--out", str(out))
    assert out.read_bytes().decode() == jsonl

    # The admin page: the same rows, as downloads, and the filtered page.
    auth = start_server("--database", db, "--keys", str(keys), program="deskgate-auth")
    http = admin_session(auth.base_url)
    try:
        download = http.get(f"/t/{TENANT}/admin/audit", params={"format": "csv"})
        assert download.status_code == 200, download.text
        assert download.headers["content-type"].startswith("text/csv")
        assert download.headers["content-disposition"] == f'attachment; filename="deskgate-audit-{TENANT}.csv"'
        assert download.text == text
        lines_page = http.get(f"/t/{TENANT}/admin/audit", params={"format": "jsonl", "tool": "add_ticket_note"})
        assert [json.loads(line)["outcome"] for line in lines_page.text.splitlines()] == ["ok", "ok", "refused"]
        page = http.get(f"/t/{TENANT}/admin/audit", params={"outcome": "refused"})
        assert page.status_code == 200 and "write_quota_token" in page.text and 'id="export-csv"' in page.text
        assert page.text.count('data-outcome="refused"') == 1 and 'data-outcome="ok"' not in page.text
        bad = http.get(f"/t/{TENANT}/admin/audit", params={"from": "yesterday"})
        assert bad.status_code == 400
    finally:
        http.close()
    anonymous = httpx.get(auth.url(f"/t/{TENANT}/admin/audit?format=csv"), follow_redirects=False, timeout=30)
    assert anonymous.status_code in (302, 303, 401, 403) and "add_ticket_note" not in anonymous.text


def test_reads_recorded_just_before_a_shutdown_are_written_by_it(start_server, tmp_path):
    db = dbkit.database(tmp_path / "db.sqlite")
    keys = tmp_path / "keys"
    run = lambda *a: subprocess.run([str(binary("deskgate")), "--database", db, "--keys", str(keys), *a],
                                    capture_output=True, check=True, timeout=120).stdout.decode()
    run("demo", "--tickets", "5")
    token = json.loads(run("--json", "token", "create", "--tenant", TENANT, "--user", "admin@acme.test"))
    server = start_server("--database", db, "--keys", str(keys), program="deskgate-mcp")
    meta = {"io.modelcontextprotocol/protocolVersion": "2026-07-28", "io.modelcontextprotocol/clientCapabilities": {}}
    for _ in range(3):
        response = httpx.post(server.url(f"/t/{TENANT}/mcp"), timeout=30,
                              json={"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                                    "params": {"name": "search_tickets", "arguments": {"query": "printer"}, "_meta": meta}},
                              headers={"Authorization": f"Bearer {token['token']}", "MCP-Protocol-Version": "2026-07-28",
                                       "Mcp-Method": "tools/call", "Mcp-Name": "search_tickets"})
        assert response.status_code == 200, response.text
    assert server.stop() == 0
    assert audit_rows(db, "search_tickets") == [("ok", None, "")] * 3

#!/usr/bin/env python3
"""Helpers for bench/mcp.sh: build the tools/call request (modern 2026-07-28 envelope or
handshake-era session), write the wrk Lua script, validate every server's answer against the
SQLite database before and after timing, and render the results table. Standard library only
(plus bench/benchlib.py for wrk parsing and /proc CPU times)."""

from __future__ import annotations

import json
import os
import sqlite3
import statistics
import sys
import urllib.request

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
import benchlib  # noqa: E402

MODERN = "2026-07-28"
HANDSHAKE = "2025-11-25"
TOOL = "get_ticket_metadata"


def body(era: str, ticket: int, rid: int = 1) -> dict:
    params: dict = {"name": TOOL, "arguments": {"ticket": ticket}}
    if era == "modern":
        params["_meta"] = {"io.modelcontextprotocol/protocolVersion": MODERN,
                           "io.modelcontextprotocol/clientCapabilities": {},
                           "io.modelcontextprotocol/clientInfo": {"name": "wrk", "version": "1"}}
    return {"jsonrpc": "2.0", "id": rid, "method": "tools/call", "params": params}


def headers(era: str, token: str, session: str = "") -> dict[str, str]:
    h = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream",
         "Authorization": f"Bearer {token}"}
    if era == "modern":
        h.update({"MCP-Protocol-Version": MODERN, "Mcp-Method": "tools/call", "Mcp-Name": TOOL})
    else:
        h["MCP-Protocol-Version"] = HANDSHAKE
        if session:
            h["Mcp-Session-Id"] = session
    return h


def _post(url: str, payload: dict, hdrs: dict[str, str]):
    req = urllib.request.Request(url, data=json.dumps(payload).encode(), headers=hdrs, method="POST")
    with urllib.request.urlopen(req, timeout=10) as r:
        return r.status, dict(r.headers.items()), r.read()


def _message(hdrs: dict[str, str], raw: bytes) -> dict:
    ctype = {k.lower(): v for k, v in hdrs.items()}.get("content-type", "")
    if ctype.startswith("text/event-stream"):
        msgs = []
        for block in raw.decode().replace("\r\n", "\n").split("\n\n"):
            data = "\n".join(l[5:].lstrip(" ") for l in block.splitlines() if l.startswith("data:"))
            if data.strip():
                msgs.append(json.loads(data))
        msgs = [m for m in msgs if "result" in m or "error" in m]
        return msgs[-1]
    return json.loads(raw)


def session(url: str, token: str) -> str:
    """initialize + notifications/initialized; prints the session id ('' when stateless)."""
    h = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream",
         "Authorization": f"Bearer {token}"}
    status, rh, raw = _post(url, {"jsonrpc": "2.0", "id": 1, "method": "initialize",
                                  "params": {"protocolVersion": HANDSHAKE, "capabilities": {},
                                             "clientInfo": {"name": "wrk", "version": "1"}}}, h)
    msg = _message(rh, raw)
    assert status == 200 and "result" in msg, (status, raw[:300])
    sid = {k.lower(): v for k, v in rh.items()}.get("mcp-session-id", "")
    h["MCP-Protocol-Version"] = msg["result"]["protocolVersion"]
    if sid:
        h["Mcp-Session-Id"] = sid
    status, _, _ = _post(url, {"jsonrpc": "2.0", "method": "notifications/initialized"}, h)
    assert status == 202, status
    return sid


def validate(url: str, era: str, token: str, sess: str, database: str, tenant: str) -> str:
    """The exact wrk request for a few tickets: HTTP 200, a tools/call result without isError,
    structuredContent subject/status equal to the database row."""
    db = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    tid = db.execute("SELECT id FROM tenants WHERE slug = ?", (tenant,)).fetchone()[0]
    for n in (1, 500, 1000):
        status, rh, raw = _post(url, body(era, n), headers(era, token, sess))
        msg = _message(rh, raw)
        if status != 200 or "result" not in msg or msg["result"].get("isError"):
            raise SystemExit(f"{url} ({era}) ticket {n}: HTTP {status} {raw[:400]!r}")
        sc = msg["result"].get("structuredContent") or {}
        subject, st = db.execute("SELECT subject, status FROM tickets WHERE tenant_id = ? AND number = ?",
                                 (tid, n)).fetchone()
        if (sc.get("subject"), sc.get("status")) != (subject, st):
            raise SystemExit(f"{url} ({era}) ticket {n}: {sc!r} != {(subject, st)!r}")
        text = [c for c in msg["result"].get("content", []) if c.get("type") == "text"]
        if not text:
            raise SystemExit(f"{url} ({era}) ticket {n}: no text content")
    return f"ok {len(raw)}-byte reply"


def answer(url: str, era: str, token: str, sess: str, ticket: int, out: str) -> str:
    """Records the body of one answer (for the canned ceiling target, deskgate-echo --canned)."""
    status, _, raw = _post(url, body(era, ticket), headers(era, token, sess))
    if status != 200 or b'"isError":false' not in raw:
        raise SystemExit(f"{url} ({era}) ticket {ticket}: HTTP {status} {raw[:400]!r}")
    with open(out, "wb") as f:
        f.write(raw)
    return f"recorded a {len(raw)}-byte answer"


def check_canned(url: str, era: str, token: str, sess: str, recorded: str) -> str:
    """The canned target answers the exact wrk request with the recorded bytes."""
    status, _, raw = _post(url, body(era, 1), headers(era, token, sess))
    if status != 200 or raw != open(recorded, "rb").read():
        raise SystemExit(f"{url}: HTTP {status}, not the recorded answer: {raw[:200]!r}")
    return f"ok {len(raw)}-byte canned reply"


def lua(era: str, token: str, sess: str, tickets: int) -> str:
    """wrk script: POST tools/call, cycling through ticket numbers 1..tickets (pre-formatted
    requests, so the generator does no JSON work while timing)."""
    hdr_lines = "\n".join(f'wrk.headers[{json.dumps(k)}] = {json.dumps(v)}' for k, v in headers(era, token, sess).items())
    template = json.dumps(body(era, 0, 1), separators=(",", ":")).replace('"ticket":0', '"ticket":%d')
    return f"""-- generated by bench/mcp_peer/benchtool.py ({era} era)
wrk.method = "POST"
{hdr_lines}
local reqs = {{}}
local n = 0
function init(args)
  for i = 1, {tickets} do
    reqs[i] = wrk.format(nil, nil, nil, string.format({json.dumps(template)}, i))
  end
end
function request()
  n = n % {tickets} + 1
  return reqs[n]
end
"""


def report(jsonl: str, meta: str) -> str:
    runs = [json.loads(l) for l in open(jsonl) if l.strip()]
    names = list(dict.fromkeys(r["server"] for r in runs))
    med = lambda xs: statistics.median(xs) if xs else float("nan")  # noqa: E731
    rows = {}
    for n in names:
        rs = [r for r in runs if r["server"] == n]
        rows[n] = {"rps": med([r["rps"] for r in rs]), "p50": med([r["p50_ms"] for r in rs]),
                   "p99": med([r["p99_ms"] for r in rs]), "cpu": med([r["cpu_us_per_req"] for r in rs]),
                   "n": len(rs), "errors": sum(r["non2xx"] + r["socket_errors"] for r in rs)}
    out = [meta.rstrip(), "", "| server / era | req/s | p50 | p99 | server CPU per request | runs | errors |",
           "|---|---:|---:|---:|---:|---:|---:|"]
    for n in names:
        r = rows[n]
        out.append(f"| {n} | {r['rps']:,.0f} | {r['p50']:.2f} ms | {r['p99']:.2f} ms | {r['cpu']:.1f} µs "
                   f"| {r['n']} | {r['errors']} |")

    def ratio(a: str, b: str) -> None:
        if a in rows and b in rows:
            x, y = rows[a], rows[b]
            out.append(f"| **{a} / {b}** | {x['rps'] / y['rps']:.2f}× | {x['p50'] / y['p50']:.2f}× "
                       f"| {x['p99'] / y['p99']:.2f}× | {x['cpu'] / y['cpu']:.2f}× | | |")

    out += ["", "Ratios (req/s: higher is better for us; p50, p99, CPU: lower is better for us):", "",
            "| ratio | req/s | p50 | p99 | CPU/req | | |", "|---|---:|---:|---:|---:|---:|---:|"]
    for era in ("modern", "handshake"):
        ratio(f"deskgate-mcp {era}", f"python-sdk {era}")
    for era in ("modern", "handshake"):
        ratio(f"deskgate-mcp {era}", "deskgate-echo /bench")
    # The ceiling: the same exchange with no MCP work. Ours / ceiling is the share of the
    # network path in our cost; ceiling / SDK is the most any server could reach against the
    # SDK on this machine.
    for ceiling in ("deskgate-echo canned", "nginx canned"):
        for era in ("modern", "handshake"):
            ratio(f"deskgate-mcp {era}", f"{ceiling} {era}")
    for ceiling in ("deskgate-echo canned", "nginx canned"):
        for era in ("modern", "handshake"):
            ratio(f"{ceiling} {era}", f"python-sdk {era}")
    out += ["", "Medians over the runs. Individual runs:", "",
            "| round | server / era | req/s | p50 | p99 | CPU/req | errors |", "|---:|---|---:|---:|---:|---:|---:|"]
    for r in runs:
        out.append(f"| {r['round']} | {r['server']} | {r['rps']:,.0f} | {r['p50_ms']:.2f} ms | {r['p99_ms']:.2f} ms "
                   f"| {r['cpu_us_per_req']:.1f} µs | {r['non2xx'] + r['socket_errors']} |")
    return "\n".join(out) + "\n"


def _raw_request(url: str, era: str, token: str, sess: str, ticket: int) -> bytes:
    """The bytes wrk sends for one tools/call (same headers and compact body as the Lua script)."""
    rest = url.split("://", 1)[1]
    hostport, _, path = rest.partition("/")
    payload = json.dumps(body(era, ticket), separators=(",", ":")).encode()
    lines = [f"POST /{path} HTTP/1.1", f"Host: {hostport}"]
    lines += [f"{k}: {v}" for k, v in headers(era, token, sess).items()]
    lines.append(f"Content-Length: {len(payload)}")
    return ("\r\n".join(lines) + "\r\n\r\n").encode() + payload


def _read_response(sock, buf: bytearray) -> tuple[int, bytes]:
    while b"\r\n\r\n" not in buf:
        chunk = sock.recv(65536)
        if not chunk:
            raise SystemExit("connection closed by the server")
        buf += chunk
    head, _, rest = bytes(buf).partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            raise SystemExit("connection closed by the server")
        rest += chunk
    del buf[:]
    buf += rest[length:]
    return status, rest[:length]


def drive(url: str, era: str, token: str, sess: str, calls: int, connections: int, tickets: int) -> str:
    """A fixed load for profiling: `calls` requests over `connections` keep-alive sockets, in
    lock-step rounds (send one request on every socket, then read every answer), cycling through
    tickets 1..tickets. Deterministic request count, so instruction counts divide exactly.
    url "GET:<url>" sends a plain GET instead (the bare-core floor, deskgate-echo /bench)."""
    import socket
    get = url.startswith("GET:")
    if get:
        url = url[4:]
    host, port = url.split("://", 1)[1].split("/", 1)[0].split(":")
    socks = [socket.create_connection((host, int(port))) for _ in range(connections)]
    for s in socks:
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    bufs = [bytearray() for _ in socks]
    if get:
        path = "/" + url.split("://", 1)[1].split("/", 1)[1]
        fixed = f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode()
    sent = done = 0
    ticket = 0
    while done < calls:
        active = []
        for i, s in enumerate(socks):
            if sent >= calls:
                break
            ticket = ticket % tickets + 1
            s.sendall(fixed if get else _raw_request(url, era, token, sess, ticket))
            sent += 1
            active.append(i)
        for i in active:
            status, reply = _read_response(socks[i], bufs[i])
            if status != 200 or (not get and (b'"isError":true' in reply or b'"result"' not in reply)):
                raise SystemExit(f"call {done}: HTTP {status} {reply[:300]!r}")
            done += 1
    for s in socks:
        s.close()
    return f"{done} calls ok"


def main(argv: list[str]) -> None:
    cmd = argv[1]
    if cmd == "session":                      # session URL TOKEN
        print(session(argv[2], argv[3]))
    elif cmd == "validate":                   # validate URL ERA TOKEN SESSION DATABASE TENANT
        print(validate(*argv[2:8]))
    elif cmd == "answer":                     # answer URL ERA TOKEN SESSION TICKET OUT
        print(answer(argv[2], argv[3], argv[4], argv[5], int(argv[6]), argv[7]))
    elif cmd == "check-canned":               # check-canned URL ERA TOKEN SESSION FILE
        print(check_canned(*argv[2:7]))
    elif cmd == "lua":                        # lua ERA TOKEN SESSION TICKETS
        sys.stdout.write(lua(argv[2], argv[3], argv[4], int(argv[5])))
    elif cmd == "token":                      # token < JSON from `deskgate --json token create`
        print(json.load(sys.stdin)["token"])
    elif cmd == "drive":                      # drive URL ERA TOKEN SESSION CALLS CONNECTIONS TICKETS
        print(drive(argv[2], argv[3], argv[4], argv[5], int(argv[6]), int(argv[7]), int(argv[8])))
    elif cmd == "report":                     # report RESULTS.jsonl META
        sys.stdout.write(report(argv[2], argv[3] if len(argv) > 3 else ""))
    else:
        benchlib.main(argv)                   # cpu, freeport, fetch, record


if __name__ == "__main__":
    main(sys.argv)

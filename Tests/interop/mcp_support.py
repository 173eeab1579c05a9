"""Support for the MCP interop tests (issue 3): a demo deployment of deskgate-mcp (database,
tenants, personal access tokens), a raw JSON-RPC client on httpx for protocol edges, a
read-only view of the database (SQLite or PostgreSQL, see dbkit), and argument building from a tool's inputSchema.

Import the fixtures into a test module (`from mcp_support import deployment, ...`); they are
module-scoped, so each test module gets one database and one server process."""

from __future__ import annotations

import itertools
import json
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

import dbkit
from conftest import Server, binary

TENANT = "acme"
OTHER_TENANT = "globex"
DEMO_TICKETS = 200
PASSWORD = "deskgate-demo"
ALL_SCOPES = ("tickets:read", "tickets:write", "directory:read")
MODERN = "2026-07-28"
HANDSHAKE_VERSIONS = ("2025-11-25", "2025-06-18", "2025-03-26")
PV_META = "io.modelcontextprotocol/protocolVersion"
CAPS_META = "io.modelcontextprotocol/clientCapabilities"
INFO_META = "io.modelcontextprotocol/clientInfo"
SERVER_INFO_META = "io.modelcontextprotocol/serverInfo"

READ_TOOLS = {"get_ticket_context", "get_ticket_messages", "get_ticket_metadata", "get_ticket_tags", "get_ticket_activity",
              "list_agents", "list_departments", "search_tickets"}
WRITE_TOOLS = {"add_ticket_tags", "remove_ticket_tags", "resolve_ticket", "reopen_ticket", "assign_ticket",
               "transfer_ticket", "add_ticket_note", "create_ticket"}
# The workflow family (issue 5), exposed next to the help-desk family unless a tenant narrows it.
WORKFLOW_READ_TOOLS = {"ticket_list", "ticket_detail", "ticket_prepare_handle", "user_list"}
WORKFLOW_WRITE_TOOLS = {"ticket_handle"}
ALL_TOOLS = READ_TOOLS | WRITE_TOOLS | WORKFLOW_READ_TOOLS | WORKFLOW_WRITE_TOOLS


# --- CLI -----------------------------------------------------------------------------------

def cli(database: str | Path, keys: Path, *args: str, json_out: bool = False) -> Any:
    cmd = [str(binary("deskgate")), "--database", str(database), "--keys", str(keys)]
    if json_out:
        cmd.append("--json")
    cmd += list(args)
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120, cwd=keys.parent)
    if proc.returncode != 0:
        pytest.fail(f"{' '.join(cmd[1:])} exited {proc.returncode}: {proc.stderr.strip()}{proc.stdout.strip()}")
    return json.loads(proc.stdout) if json_out else proc.stdout


@dataclass
class Token:
    token: str
    id: str
    user: str
    tenant: str
    scopes: tuple[str, ...]


@dataclass
class Deployment:
    """One database with the acme (200 tickets) and globex (20 tickets) demo tenants, and one
    deskgate-mcp serving it."""

    root: Path
    database: str        # a SQLite path or a PostgreSQL URL (dbkit)
    keys: Path
    server: Server | None = None
    tokens: dict[str, Token] = field(default_factory=dict)

    # -- setup
    def create_token(self, user: str, scopes: tuple[str, ...] = ALL_SCOPES, tenant: str = TENANT,
                     name: str | None = None) -> Token:
        args = ["token", "create", "--tenant", tenant, "--user", user]
        for s in scopes:
            args += ["--scope", s]
        if name:
            args += ["--name", name]
        out = cli(self.database, self.keys, *args, json_out=True)
        assert isinstance(out.get("token"), str) and out["token"].startswith("dgpat_"), out
        assert out.get("id") is not None, out
        return Token(token=out["token"], id=str(out["id"]), user=user, tenant=tenant, scopes=tuple(scopes))

    def revoke(self, token: Token) -> None:
        cli(self.database, self.keys, "token", "revoke", "--tenant", token.tenant, token.id)

    # -- URLs
    @property
    def base_url(self) -> str:
        assert self.server is not None
        return self.server.base_url

    def mcp_url(self, tenant: str = TENANT) -> str:
        return f"{self.base_url}/t/{tenant}/mcp"

    def prm_url(self, tenant: str = TENANT) -> str:
        return f"{self.base_url}/.well-known/oauth-protected-resource/t/{tenant}/mcp"

    # -- database (read-only)
    def db(self) -> dbkit.Connection:
        return dbkit.connect(self.database)

    def query(self, sql: str, *params: Any) -> list[Any]:
        with self.db() as conn:
            return conn.execute(sql, params).fetchall()

    def one(self, sql: str, *params: Any) -> Any | None:
        rows = self.query(sql, *params)
        return rows[0] if rows else None

    def tenant_id(self, slug: str = TENANT) -> int:
        return self.one("SELECT id FROM tenants WHERE slug = ?", slug)["id"]

    def user_id(self, email: str, tenant: str = TENANT) -> int:
        return self.one("SELECT id FROM users WHERE tenant_id = ? AND email = ?", self.tenant_id(tenant), email)["id"]

    def ticket(self, number: int, tenant: str = TENANT) -> Any | None:
        return self.one("SELECT * FROM tickets WHERE tenant_id = ? AND number = ?", self.tenant_id(tenant), number)

    def ticket_tags(self, number: int) -> set[str]:
        rows = self.query("""SELECT g.name FROM ticket_tags tt JOIN tags g ON g.id = tt.tag_id
                             JOIN tickets t ON t.id = tt.ticket_id
                             WHERE t.tenant_id = ? AND t.number = ?""", self.tenant_id(), number)
        return {r["name"].lower() for r in rows}

    def activity_count(self) -> int:
        return self.one("SELECT count(*) AS n FROM activity WHERE tenant_id = ?", self.tenant_id())["n"]

    def snapshot(self) -> dict[str, Any]:
        """Everything a write tool could change in tenant acme."""
        tid = self.tenant_id()
        with self.db() as conn:
            return {
                "tickets": [tuple(r) for r in conn.execute(
                    "SELECT * FROM tickets WHERE tenant_id = ? ORDER BY id", (tid,))],
                "messages": conn.execute("SELECT count(*), max(id) FROM messages WHERE tenant_id = ?",
                                         (tid,)).fetchone()[:],
                "ticket_tags": sorted(tuple(r) for r in conn.execute(
                    "SELECT tt.* FROM ticket_tags tt JOIN tickets t ON t.id = tt.ticket_id WHERE t.tenant_id = ?",
                    (tid,))),
                "activity": conn.execute("SELECT count(*), max(id) FROM activity WHERE tenant_id = ?",
                                         (tid,)).fetchone()[:],
            }


def make_deployment(tmp_path_factory, start: bool = True) -> Deployment:
    root = tmp_path_factory.mktemp("mcp")
    dep = Deployment(root=root, database=dbkit.database(root / "deskgate.sqlite"), keys=root / "keys")
    cli(dep.database, dep.keys, "init")
    cli(dep.database, dep.keys, "demo", "--tenant", TENANT, "--tickets", str(DEMO_TICKETS))
    cli(dep.database, dep.keys, "demo", "--tenant", OTHER_TENANT, "--tickets", "20")
    dep.tokens["admin"] = dep.create_token("admin@acme.test", name="interop admin")
    dep.tokens["read"] = dep.create_token("admin@acme.test", ("tickets:read",), name="interop read-only")
    dep.tokens["viewer"] = dep.create_token("viewer@acme.test", name="interop viewer")
    dep.tokens["dana"] = dep.create_token("dana@acme.test", name="interop dana")
    dep.tokens["globex"] = dep.create_token("admin@globex.test", tenant=OTHER_TENANT, name="interop globex")
    if start:
        dep.server = Server("deskgate-mcp", ["--database", dep.database, "--keys", str(dep.keys)],
                            label="deskgate-mcp (mcp interop)")
    return dep


@pytest.fixture(scope="module")
def deployment(tmp_path_factory, request):
    dep = make_deployment(tmp_path_factory)
    yield dep
    assert dep.server is not None
    crashed = dep.server.crashed()
    dep.server.stop()
    if request.session.testsfailed or crashed:
        dep.server.save_stderr(f"mcp-{request.module.__name__}")
    dep.server.close()
    if crashed:
        pytest.fail(crashed)


# --- raw JSON-RPC over httpx -------------------------------------------------------------------

_ids = itertools.count(1000)


def next_id() -> int:
    return next(_ids)


def parse_sse(text: str) -> list[dict]:
    """JSON-RPC messages carried by an SSE body (events with data)."""
    messages = []
    for block in re.split(r"\r?\n\r?\n", text):
        data = [line[5:].lstrip(" ") if line.startswith("data:") else None for line in block.splitlines()]
        data = [d for d in data if d is not None]
        if data and "".join(data).strip():
            messages.append(json.loads("\n".join(data)))
    return messages


def rpc_message(resp: httpx.Response) -> dict | None:
    """The JSON-RPC response in an HTTP response (JSON or SSE), or None for an empty body."""
    ctype = resp.headers.get("content-type", "").lower()
    if not resp.content:
        return None
    if ctype.startswith("text/event-stream"):
        msgs = [m for m in parse_sse(resp.text) if "result" in m or "error" in m]
        assert msgs, f"SSE response without a JSON-RPC response: {resp.text[:500]!r}"
        return msgs[-1]
    assert ctype.startswith("application/json"), f"unexpected content type {ctype!r}: {resp.text[:300]!r}"
    return resp.json()


def auth_headers(token: Token | str | None) -> dict[str, str]:
    if token is None:
        return {}
    value = token.token if isinstance(token, Token) else token
    return {"Authorization": f"Bearer {value}"}


BASE_HEADERS = {"Accept": "application/json, text/event-stream", "Content-Type": "application/json"}


def modern_meta(version: str = MODERN) -> dict:
    return {PV_META: version, CAPS_META: {}, INFO_META: {"name": "deskgate-interop", "version": "1"}}


def modern_body(method: str, params: dict | None = None, id: Any = None, version: str = MODERN) -> dict:
    p = dict(params or {})
    p["_meta"] = {**modern_meta(version), **p.get("_meta", {})}
    return {"jsonrpc": "2.0", "id": next_id() if id is None else id, "method": method, "params": p}


def modern_headers(method: str, name: str | None = None, version: str = MODERN) -> dict[str, str]:
    h = {**BASE_HEADERS, "MCP-Protocol-Version": version, "Mcp-Method": method}
    if name is not None:
        h["Mcp-Name"] = name
    return h


class RpcError(AssertionError):
    pass


class Raw:
    """A raw client for one tenant endpoint with one token."""

    def __init__(self, dep: Deployment, token: Token | None, tenant: str = TENANT):
        self.dep = dep
        self.token = token
        self.url = dep.mcp_url(tenant)
        self.http = httpx.Client(timeout=30)
        self.session_id: str | None = None
        self.version: str | None = None

    def close(self) -> None:
        self.http.close()

    def post(self, body: Any, headers: dict[str, str] | None = None, *, raw: bytes | None = None,
             auth: bool = True) -> httpx.Response:
        h = {**BASE_HEADERS, **(auth_headers(self.token) if auth else {}), **(headers or {})}
        content = raw if raw is not None else json.dumps(body).encode()
        return self.http.post(self.url, content=content, headers=h)

    # -- modern era
    def modern(self, method: str, params: dict | None = None, *, id: Any = None,
               headers: dict[str, str] | None = None) -> httpx.Response:
        name = (params or {}).get("name") if method in ("tools/call", "prompts/get") else None
        if method == "resources/read":
            name = (params or {}).get("uri")
        return self.post(modern_body(method, params, id), {**modern_headers(method, name), **(headers or {})})

    def modern_result(self, method: str, params: dict | None = None) -> dict:
        resp = self.modern(method, params)
        msg = rpc_message(resp)
        if resp.status_code != 200 or msg is None or "error" in msg:
            raise RpcError(f"{method}: HTTP {resp.status_code} {resp.text[:500]!r}")
        return msg["result"]

    # -- handshake era
    def initialize(self, version: str = "2025-11-25") -> dict:
        resp = self.post({"jsonrpc": "2.0", "id": next_id(), "method": "initialize",
                          "params": {"protocolVersion": version, "capabilities": {},
                                     "clientInfo": {"name": "deskgate-interop", "version": "1"}}})
        msg = rpc_message(resp)
        if resp.status_code != 200 or msg is None or "result" not in msg:
            raise RpcError(f"initialize: HTTP {resp.status_code} {resp.text[:500]!r}")
        self.session_id = resp.headers.get("mcp-session-id")
        self.version = msg["result"]["protocolVersion"]
        note = self.legacy_post({"jsonrpc": "2.0", "method": "notifications/initialized"})
        assert note.status_code == 202, (note.status_code, note.text)
        return msg["result"]

    def legacy_headers(self) -> dict[str, str]:
        h = {}
        if self.session_id:
            h["Mcp-Session-Id"] = self.session_id
        if self.version:
            h["MCP-Protocol-Version"] = self.version
        return h

    def legacy_post(self, body: Any, headers: dict[str, str] | None = None) -> httpx.Response:
        return self.post(body, {**self.legacy_headers(), **(headers or {})})

    def legacy(self, method: str, params: dict | None = None, *, id: Any = None) -> httpx.Response:
        body = {"jsonrpc": "2.0", "id": next_id() if id is None else id, "method": method}
        if params is not None:
            body["params"] = params
        return self.legacy_post(body)

    def legacy_result(self, method: str, params: dict | None = None) -> dict:
        resp = self.legacy(method, params)
        msg = rpc_message(resp)
        if resp.status_code != 200 or msg is None or "error" in msg:
            raise RpcError(f"{method}: HTTP {resp.status_code} {resp.text[:500]!r}")
        return msg["result"]

    # -- era-neutral helpers
    def call(self, era: str, method: str, params: dict | None = None) -> dict:
        if era == "modern":
            return self.modern_result(method, params)
        if self.version is None:
            self.initialize()
        return self.legacy_result(method, params)

    def tools(self, era: str = "modern") -> dict[str, dict]:
        tools: dict[str, dict] = {}
        cursor = None
        for _ in range(50):
            res = self.call(era, "tools/list", {"cursor": cursor} if cursor else {})
            for t in res["tools"]:
                tools[t["name"]] = t
            cursor = res.get("nextCursor")
            if not cursor:
                return tools
        raise AssertionError("tools/list did not end after 50 pages")

    def tool(self, name: str, arguments: dict, era: str = "modern") -> dict:
        return self.call(era, "tools/call", {"name": name, "arguments": arguments})


@pytest.fixture
def raw_factory(deployment):
    clients: list[Raw] = []

    def make(token: Token | str | None = "admin", tenant: str = TENANT) -> Raw:
        tok = deployment.tokens[token] if isinstance(token, str) else token
        c = Raw(deployment, tok, tenant)
        clients.append(c)
        return c

    yield make
    for c in clients:
        c.close()


# --- results and schemas ----------------------------------------------------------------------

def text_of(result: dict) -> str:
    return "\n".join(c.get("text", "") for c in result.get("content", []) if c.get("type") == "text")


def check_tool_result(tool: dict, result: dict) -> dict:
    """A successful tools/call result: structuredContent valid against outputSchema, one text item."""
    import jsonschema

    assert result.get("isError") is not True, f"{tool['name']} failed: {text_of(result)!r}"
    assert "outputSchema" in tool, f"{tool['name']} declares no outputSchema"
    sc = result.get("structuredContent")
    assert isinstance(sc, dict), f"{tool['name']}: structuredContent missing or not an object: {result!r}"
    validator_cls = jsonschema.validators.validator_for(tool["outputSchema"], default=jsonschema.Draft202012Validator)
    validator_cls.check_schema(tool["outputSchema"])
    validator_cls(tool["outputSchema"]).validate(sc)
    texts = [c for c in result.get("content", []) if c.get("type") == "text"]
    assert texts and texts[0].get("text"), f"{tool['name']}: no text content item"
    return sc


def validate_arguments(tool: dict, args: dict) -> None:
    import jsonschema

    schema = tool["inputSchema"]
    jsonschema.validators.validator_for(schema, default=jsonschema.Draft202012Validator)(schema).validate(args)


def find_values(obj: Any, key_pred) -> list[Any]:
    """All values in a nested JSON value under keys matching key_pred."""
    out = []
    if isinstance(obj, dict):
        for k, v in obj.items():
            if key_pred(k):
                out.append(v)
            out += find_values(v, key_pred)
    elif isinstance(obj, list):
        for v in obj:
            out += find_values(v, key_pred)
    return out


def strings_in(obj: Any) -> set[str]:
    if isinstance(obj, str):
        return {obj}
    if isinstance(obj, dict):
        return set().union(*(strings_in(v) for v in obj.values())) if obj else set()
    if isinstance(obj, list):
        return set().union(*(strings_in(v) for v in obj)) if obj else set()
    return set()


def ints_in(obj: Any) -> set[int]:
    if isinstance(obj, bool):
        return set()
    if isinstance(obj, int):
        return {obj}
    if isinstance(obj, dict):
        return set().union(*(ints_in(v) for v in obj.values())) if obj else set()
    if isinstance(obj, list):
        return set().union(*(ints_in(v) for v in obj)) if obj else set()
    return set()


# --- building arguments from inputSchema --------------------------------------------------------

def _types(schema: dict) -> list[str]:
    t = schema.get("type")
    if isinstance(t, list):
        return t
    if t:
        return [t]
    out = []
    for alt in schema.get("anyOf", []) + schema.get("oneOf", []):
        out += _types(alt)
    return out


@dataclass
class ArgHints:
    """Domain values the builder puts into properties it recognises by name."""
    ticket: int
    agent_email: str = "dana@acme.test"
    agent_id: int | None = None
    department: str = "IT"
    department_id: int | None = None
    tags: tuple[str, ...] = ("mcp-interop",)
    text: str = "Written by the MCP interop suite."
    subject: str = "Interop: printer on fire"
    requester_email: str = "interop.customer@example.com"
    query: str = "invoice"


def _value_for(name: str, schema: dict, h: ArgHints) -> Any:
    n = name.lower()
    types = _types(schema)
    if "enum" in schema:
        enum = schema["enum"]
        for preferred in ("normal", "IT", h.department):
            if preferred in enum:
                return preferred
        return enum[0]
    if "const" in schema:
        return schema["const"]
    if "boolean" in types:
        return False
    if "array" in types:
        item = schema.get("items", {}) if isinstance(schema.get("items"), dict) else {}
        if "tag" in n:
            return list(h.tags)
        return [_value_for(n.rstrip("s"), item, h)]
    if "object" in types:
        return build_object(schema, h, all_props=False)
    is_int = "integer" in types or "number" in types
    is_str = "string" in types or not types
    if "ticket" in n or n in ("number", "id"):
        return h.ticket if is_int else f"#{h.ticket}"
    if any(k in n for k in ("assignee", "agent", "user", "owner")):
        return h.agent_id if is_int and not is_str and h.agent_id is not None else h.agent_email
    if "department" in n or n in ("team", "queue", "group"):
        return h.department_id if is_int and not is_str and h.department_id is not None else h.department
    if "tag" in n:
        return h.tags[0]
    if any(k in n for k in ("requester", "contact", "customer", "email")):
        return h.requester_email
    if any(k in n for k in ("subject", "title")):
        return h.subject
    if n == "q" or any(k in n for k in ("query", "search", "keyword")):
        return h.query
    if n in ("priority",):
        return "normal"
    if n in ("status", "state"):
        return "open"
    if any(k in n for k in ("limit", "per_page", "page_size", "size", "count", "max")):
        return min(max(schema.get("minimum", 1), 5), schema.get("maximum", 5))
    if "page" in n:
        return 1
    if is_int:
        return schema.get("minimum", 1)
    if any(k in n for k in ("body", "note", "text", "content", "message", "comment", "description", "reason")):
        return h.text
    return h.text


def build_object(schema: dict, h: ArgHints, all_props: bool = False, overrides: dict | None = None) -> dict:
    props = schema.get("properties", {})
    required = set(schema.get("required", []))
    out: dict[str, Any] = {}
    for name, sub in props.items():
        if name in (overrides or {}):
            out[name] = overrides[name]
        elif name in required or all_props:
            out[name] = _value_for(name, sub, h)
    for name, v in (overrides or {}).items():
        out.setdefault(name, v)
    return out


def build_arguments(tool: dict, h: ArgHints, *, dry_run: bool | None = None, **overrides: Any) -> dict:
    """Valid arguments for `tool`: the required properties, filled by name/type, plus overrides
    whose names exist in the schema; `dry_run` when asked for. Checked against inputSchema."""
    schema = tool["inputSchema"]
    props = schema.get("properties", {})
    ov = {k: v for k, v in overrides.items() if k in props}
    if dry_run is not None:
        assert "dry_run" in props, f"{tool['name']} has no dry_run property: {schema!r}"
        ov["dry_run"] = dry_run
    args = build_object(schema, h, overrides=ov)
    validate_arguments(tool, args)
    return args


def prop_named(tool: dict, *candidates: str, contains: str | None = None) -> str | None:
    props = tool["inputSchema"].get("properties", {})
    for c in candidates:
        if c in props:
            return c
    if contains:
        for p in props:
            if contains in p.lower():
                return p
    return None


def www_auth_params(header: str) -> dict[str, str]:
    """Parameters of a `Bearer k="v", k2="v2"` challenge."""
    assert header.lower().startswith("bearer"), header
    return {m.group(1).lower(): m.group(2) if m.group(2) is not None else m.group(3)
            for m in re.finditer(r'([A-Za-z_]+)=(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))', header)}

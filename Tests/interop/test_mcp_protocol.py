"""deskgate-mcp protocol edges with raw httpx (issue 3): discovery and 401/403 challenges,
tenant isolation and revocation, JSON-RPC error codes and id echo, both MCP eras on one
endpoint (handshake sessions and the stateless 2026-07-28 envelope), Origin checks, and the
help-desk tools checked against the SQLite database (read-only)."""

from __future__ import annotations

import json
import re

import httpx
import pytest

from mcp_support import (ALL_SCOPES, ALL_TOOLS, WORKFLOW_READ_TOOLS, WORKFLOW_WRITE_TOOLS, HANDSHAKE_VERSIONS, MODERN, READ_TOOLS, SERVER_INFO_META,
                         WRITE_TOOLS, ArgHints, build_arguments, check_tool_result, deployment, find_values,
                         ints_in, modern_body, modern_headers, prop_named, raw_factory, rpc_message, strings_in,
                         text_of, www_auth_params)

__all__ = ["deployment", "raw_factory"]  # fixtures used by name

ERAS = ["modern", "handshake"]


def _error(resp: httpx.Response) -> dict:
    msg = rpc_message(resp)
    assert msg is not None and "error" in msg, f"HTTP {resp.status_code}: expected a JSON-RPC error, got {resp.text[:400]!r}"
    assert msg.get("jsonrpc") == "2.0", msg
    assert isinstance(msg["error"].get("code"), int) and isinstance(msg["error"].get("message"), str), msg
    return msg


# --- discovery and authentication ---------------------------------------------------------------

def test_protected_resource_metadata(deployment):
    # Clients (the python SDK among them) send MCP-Protocol-Version on discovery GETs: it must not matter.
    for headers in ({}, {"MCP-Protocol-Version": MODERN}):
        resp = httpx.get(deployment.prm_url(), headers=headers)
        assert resp.status_code == 200, resp.text
        assert resp.headers["content-type"].startswith("application/json")
        doc = resp.json()
        assert doc["resource"] == deployment.mcp_url()
        assert sorted(doc["scopes_supported"]) == sorted(ALL_SCOPES)
        assert doc["bearer_methods_supported"] == ["header"]
        assert "offline_access" not in doc["scopes_supported"]
    other = httpx.get(deployment.prm_url("globex")).json()
    assert other["resource"] == deployment.mcp_url("globex")


@pytest.mark.parametrize("method", ["POST", "GET", "DELETE"])
def test_no_token_is_401_with_resource_metadata(deployment, method):
    body = json.dumps(modern_body("server/discover")).encode() if method == "POST" else None
    resp = httpx.request(method, deployment.mcp_url(), content=body,
                         headers={**modern_headers("server/discover"), "Accept": "application/json, text/event-stream"})
    assert resp.status_code == 401, (resp.status_code, resp.text)
    params = www_auth_params(resp.headers["www-authenticate"])
    assert params["resource_metadata"] == deployment.prm_url()
    assert "error" not in params, "no credentials were sent: RFC 6750 §3 says no error code"
    # the advertised document is reachable without a token
    assert httpx.get(params["resource_metadata"]).status_code == 200


@pytest.mark.parametrize("token", ["dgpat_notarealtoken0000000000000000000000", "garbage", ""])
def test_bad_token_is_401_invalid_token(deployment, raw_factory, token):
    raw = raw_factory(None)
    resp = raw.post(modern_body("server/discover"), {**modern_headers("server/discover"),
                                                     "Authorization": f"Bearer {token}".rstrip()})
    assert resp.status_code == 401, resp.text
    params = www_auth_params(resp.headers["www-authenticate"])
    assert params["resource_metadata"] == deployment.prm_url()
    if token:
        assert params.get("error") == "invalid_token"


def test_alternative_token_header(deployment, raw_factory):
    raw = raw_factory(None)
    resp = raw.post(modern_body("server/discover"),
                    {**modern_headers("server/discover"), "X-Deskgate-Access-Token": deployment.tokens["admin"].token})
    assert resp.status_code == 200, resp.text
    assert "result" in rpc_message(resp)


def test_token_in_query_string_is_not_accepted(deployment):
    resp = httpx.post(deployment.mcp_url() + f"?access_token={deployment.tokens['admin'].token}",
                      json=modern_body("server/discover"), headers=modern_headers("server/discover"))
    assert resp.status_code == 401


def test_other_tenants_token_is_refused(deployment, raw_factory):
    # a globex token at acme's endpoint, both eras
    raw = raw_factory("globex")
    resp = raw.modern("tools/list")
    assert resp.status_code == 401, resp.text
    assert www_auth_params(resp.headers["www-authenticate"]).get("error") == "invalid_token"
    init = raw.post({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                     "params": {"protocolVersion": "2025-11-25", "capabilities": {},
                                "clientInfo": {"name": "x", "version": "1"}}})
    assert init.status_code == 401
    # ...while it works at its own tenant's endpoint
    assert raw_factory("globex", tenant="globex").modern_result("tools/list")["tools"]


def test_revoked_token_is_refused_on_the_next_call(deployment, raw_factory):
    tok = deployment.create_token("sam@acme.test", name="interop revoke me")
    raw = raw_factory(tok)
    raw.modern_result("tools/list")
    legacy = raw_factory(tok)
    legacy.initialize()
    deployment.revoke(tok)
    resp = raw.modern("tools/list")
    assert resp.status_code == 401, resp.text
    assert www_auth_params(resp.headers["www-authenticate"]).get("error") == "invalid_token"
    # an open session does not outlive its token
    assert legacy.legacy("tools/list").status_code == 401
    assert deployment.one("SELECT revoked_at FROM personal_access_tokens WHERE id = ?", int(tok.id))["revoked_at"]


@pytest.mark.parametrize("era", ERAS)
def test_read_only_token_sees_no_write_tools_and_gets_403_step_up(deployment, raw_factory, era):
    raw = raw_factory("read")
    names = set(raw.tools(era))
    writes = WRITE_TOOLS | WORKFLOW_WRITE_TOOLS
    assert not names & writes, f"write tools listed for a tickets:read token: {names & writes}"
    assert {"get_ticket_metadata", "get_ticket_messages", "search_tickets"} <= names
    before = deployment.snapshot()
    params = {"name": "add_ticket_tags", "arguments": {"ticket": 5, "tags": ["nope"]}}
    resp = raw.modern("tools/call", params) if era == "modern" else raw.legacy("tools/call", params)
    assert resp.status_code == 403, (resp.status_code, resp.text)
    challenge = www_auth_params(resp.headers["www-authenticate"])
    assert challenge.get("error") == "insufficient_scope"
    assert "tickets:write" in challenge.get("scope", "").split()
    assert deployment.snapshot() == before


def test_directory_tools_need_directory_scope(deployment, raw_factory):
    raw = raw_factory("read")
    names = set(raw.tools())
    assert "list_agents" not in names and "list_departments" not in names and "user_list" not in names
    resp = raw.modern("tools/call", {"name": "list_agents", "arguments": {}})
    assert resp.status_code == 403
    assert "directory:read" in www_auth_params(resp.headers["www-authenticate"]).get("scope", "").split()


def test_origin_not_allowed_is_403(deployment, raw_factory):
    raw = raw_factory("admin")
    for origin in ("http://evil.example", "https://attacker.test:8443", "null"):
        resp = raw.post(modern_body("server/discover"), {**modern_headers("server/discover"), "Origin": origin})
        assert resp.status_code == 403, (origin, resp.status_code, resp.text)
    init = raw.post({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                     "params": {"protocolVersion": "2025-11-25", "capabilities": {}, "clientInfo": {"name": "x", "version": "1"}}},
                    {"Origin": "http://evil.example"})
    assert init.status_code == 403
    # no Origin at all (server-to-server clients) is fine
    assert raw.modern("server/discover").status_code == 200


# --- JSON-RPC framing ----------------------------------------------------------------------------

@pytest.mark.parametrize("era", ERAS)
def test_parse_error(deployment, raw_factory, era):
    raw = raw_factory("admin")
    headers = modern_headers("tools/list") if era == "modern" else {}
    if era == "handshake":
        raw.initialize()
        headers = raw.legacy_headers()
    for bad in (b'{"jsonrpc": "2.0", "id": 1, "method": "tools/list"', b"not json", b'{"a":}'):
        resp = raw.post(None, headers, raw=bad)
        assert resp.status_code == 400, (bad, resp.status_code, resp.text)
        msg = _error(resp)
        assert msg["error"]["code"] == -32700, msg
        assert msg.get("id") is None


@pytest.mark.parametrize("era", ERAS)
def test_invalid_request(deployment, raw_factory, era):
    raw = raw_factory("admin")
    if era == "handshake":
        raw.initialize()
        headers = raw.legacy_headers()
    else:
        headers = modern_headers("tools/list")
    bodies = [
        {"jsonrpc": "1.0", "id": 1, "method": "tools/list"},          # wrong version
        {"jsonrpc": "2.0", "id": 2},                                    # no method
        {"jsonrpc": "2.0", "id": 3, "method": 42},                      # method not a string
        {"jsonrpc": "2.0", "id": {"x": 1}, "method": "tools/list"},     # id of the wrong type
        [{"jsonrpc": "2.0", "id": 4, "method": "tools/list"}],          # batches were removed in 2025-06-18
        "just a string",
    ]
    for body in bodies:
        resp = raw.post(body, headers)
        assert 400 <= resp.status_code < 500, (body, resp.status_code, resp.text)
        msg = _error(resp)
        assert msg["error"]["code"] == -32600, (body, msg)


def test_unknown_method_modern_is_404_32601(raw_factory):
    raw = raw_factory("admin")
    resp = raw.modern("tickets/teleport", {})
    assert resp.status_code == 404, (resp.status_code, resp.text)
    msg = _error(resp)
    assert msg["error"]["code"] == -32601


def test_unknown_method_handshake_is_32601(raw_factory):
    raw = raw_factory("admin")
    raw.initialize()
    resp = raw.legacy("tickets/teleport", {}, id=77)
    msg = _error(resp)
    assert msg["error"]["code"] == -32601 and msg["id"] == 77


@pytest.mark.parametrize("era", ERAS)
def test_invalid_params(raw_factory, era):
    raw = raw_factory("admin")
    if era == "handshake":
        raw.initialize()
        send = lambda method, params: raw.legacy(method, params)  # noqa: E731
    else:
        send = lambda method, params: raw.modern(method, params)  # noqa: E731
    for method, params in [("tools/call", {"name": "no_such_tool", "arguments": {}}),
                           ("tools/call", {"arguments": {"ticket": 1}}),                 # no name
                           ("tools/call", {"name": "get_ticket_metadata", "arguments": [1, 2]}),
                           ("tools/list", {"cursor": "definitely-not-a-cursor"})]:
        resp = send(method, params)
        msg = _error(resp)
        allowed = (-32602, -32020) if era == "modern" and "name" not in params else (-32602,)  # no Mcp-Name either
        assert msg["error"]["code"] in allowed, (method, params, msg)


def test_modern_request_without_meta_is_32602(raw_factory):
    raw = raw_factory("admin")
    body = {"jsonrpc": "2.0", "id": 9, "method": "tools/list", "params": {}}
    resp = raw.post(body, modern_headers("tools/list"))
    assert resp.status_code == 400, resp.text
    assert _error(resp)["error"]["code"] == -32602


ID_CASES = [("string", "req-α\"1\\"), ("int", 42), ("zero", 0), ("negative", -7), ("big", 9007199254740991)]


@pytest.mark.parametrize("era", ERAS)
@pytest.mark.parametrize("label,rid", ID_CASES, ids=[c[0] for c in ID_CASES])
def test_ids_are_echoed_exactly(raw_factory, era, label, rid):
    raw = raw_factory("admin")
    if era == "handshake":
        raw.initialize()
        resp = raw.legacy("tools/list", {}, id=rid)
    else:
        resp = raw.modern("tools/list", {}, id=rid)
    msg = rpc_message(resp)
    assert msg["id"] == rid and type(msg["id"]) is type(rid), (rid, msg.get("id"))
    # errors echo the id as well
    err = raw.legacy("nope/nope", {}, id=rid) if era == "handshake" else raw.modern("nope/nope", {}, id=rid)
    assert _error(err)["id"] == rid


def test_fractional_looking_id_is_not_rewritten(raw_factory):
    """JSON-RPC says ids SHOULD NOT have fractions and MCP says string or integer: a server may
    refuse 1.0 with -32600 (id null), but if it answers it must echo 1.0, not 1 or "1.0"."""
    raw = raw_factory("admin")
    body = json.dumps(modern_body("tools/list", id=1)).replace('"id": 1,', '"id": 1.0,').encode()
    assert b'"id": 1.0' in body
    resp = raw.post(None, modern_headers("tools/list"), raw=body)
    text = resp.text
    msg = rpc_message(resp)
    if "error" in msg and msg["error"]["code"] == -32600:
        return
    assert "result" in msg, msg
    assert re.search(r'"id"\s*:\s*1\.0\b', text), f"id rewritten: {text[:200]!r}"


def test_notifications_get_202_and_no_body(raw_factory):
    raw = raw_factory("admin")
    raw.initialize()
    for note in ({"jsonrpc": "2.0", "method": "notifications/initialized"},
                 {"jsonrpc": "2.0", "method": "notifications/cancelled", "params": {"requestId": 123456}},
                 {"jsonrpc": "2.0", "method": "notifications/roots/list_changed"},
                 {"jsonrpc": "2.0", "method": "notifications/whatever"}):
        resp = raw.legacy_post(note)
        assert resp.status_code == 202, (note, resp.status_code, resp.text)
        assert resp.content == b""
    # a JSON-RPC *response* from the client is accepted the same way
    resp = raw.legacy_post({"jsonrpc": "2.0", "id": "srv-1", "result": {}})
    assert resp.status_code == 202 and resp.content == b""


# --- handshake era: initialize, sessions, versions ------------------------------------------------

@pytest.mark.parametrize("version", HANDSHAKE_VERSIONS)
def test_initialize_negotiates_each_handshake_version(raw_factory, version):
    raw = raw_factory("admin")
    result = raw.initialize(version)
    assert result["protocolVersion"] == version
    assert result["serverInfo"]["name"] == "deskgate"
    assert isinstance(result["serverInfo"].get("version"), str)
    assert "tools" in result["capabilities"]
    assert raw.session_id and re.fullmatch(r"[\x21-\x7e]+", raw.session_id), raw.session_id
    tools = raw.legacy_result("tools/list")["tools"]
    assert {t["name"] for t in tools} == ALL_TOOLS
    assert raw.legacy_result("ping") == {}


def test_initialize_with_unknown_version_gets_a_supported_one(raw_factory):
    raw = raw_factory("admin")
    resp = raw.post({"jsonrpc": "2.0", "id": 1, "method": "initialize",
                     "params": {"protocolVersion": "2099-01-01", "capabilities": {},
                                "clientInfo": {"name": "x", "version": "1"}}})
    msg = rpc_message(resp)
    if "error" in msg:
        assert msg["error"]["code"] in (-32602, -32022)
    else:
        assert msg["result"]["protocolVersion"] in HANDSHAKE_VERSIONS


def test_session_ids_are_distinct_and_unknown_ids_get_404(raw_factory):
    a, b = raw_factory("admin"), raw_factory("admin")
    a.initialize()
    b.initialize()
    assert a.session_id != b.session_id
    c = raw_factory("admin")
    c.session_id, c.version = "deskgate-no-such-session", "2025-11-25"
    resp = c.legacy("tools/list")
    assert resp.status_code == 404, (resp.status_code, resp.text)


def test_session_is_bound_to_its_token(deployment, raw_factory):
    a = raw_factory("admin")
    a.initialize()
    thief = raw_factory("dana")
    thief.session_id, thief.version = a.session_id, a.version
    resp = thief.legacy("tools/list")
    assert resp.status_code in (401, 403, 404), (resp.status_code, resp.text)


def test_delete_ends_the_session(raw_factory):
    raw = raw_factory("admin")
    raw.initialize()
    raw.legacy_result("tools/list")
    resp = raw.http.delete(raw.url, headers={**raw.legacy_headers(), "Authorization": f"Bearer {raw.token.token}"})
    assert resp.status_code in (200, 202, 204), (resp.status_code, resp.text)
    after = raw.legacy("tools/list")
    assert after.status_code == 404, (after.status_code, after.text)


def test_get_opens_an_sse_stream_or_405(raw_factory):
    raw = raw_factory("admin")
    raw.initialize()
    headers = {**raw.legacy_headers(), "Accept": "text/event-stream", "Authorization": f"Bearer {raw.token.token}"}
    with raw.http.stream("GET", raw.url, headers=headers, timeout=5) as resp:
        assert resp.status_code in (200, 405), resp.status_code
        if resp.status_code == 200:
            assert resp.headers["content-type"].startswith("text/event-stream")


def test_unsupported_protocol_version_header_is_400(raw_factory):
    raw = raw_factory("admin")
    raw.initialize()
    resp = raw.legacy_post({"jsonrpc": "2.0", "id": 5, "method": "tools/list"}, {"MCP-Protocol-Version": "1999-12-31"})
    assert resp.status_code == 400, (resp.status_code, resp.text)
    # no header at all: the server assumes 2025-03-26 and serves the request
    h = {"Mcp-Session-Id": raw.session_id}
    resp = raw.post({"jsonrpc": "2.0", "id": 6, "method": "tools/list"}, h)
    assert resp.status_code == 200, (resp.status_code, resp.text)


# --- modern era: server/discover, envelope, routing headers -------------------------------------------

def test_server_discover(raw_factory):
    result = raw_factory("admin").modern_result("server/discover")
    assert MODERN in result["supportedVersions"]
    assert result.get("resultType") == "complete"
    assert "tools" in result["capabilities"]
    assert result["_meta"][SERVER_INFO_META]["name"] == "deskgate"
    assert isinstance(result.get("ttlMs"), int) and result["ttlMs"] >= 0
    assert result.get("cacheScope") in ("public", "private")


def test_modern_results_carry_result_type_and_cache_hints(raw_factory):
    raw = raw_factory("admin")
    listing = raw.modern_result("tools/list")
    assert listing.get("resultType") == "complete"
    assert isinstance(listing.get("ttlMs"), int) and listing["ttlMs"] >= 0
    assert listing.get("cacheScope") == "private", "tools/list depends on the token's scopes"
    call = raw.tool("get_ticket_metadata", {"ticket": 1})
    assert call.get("resultType") == "complete"


def test_modern_unsupported_version_is_400_32022(raw_factory):
    raw = raw_factory("admin")
    body = modern_body("tools/list", version="2099-01-01")
    resp = raw.post(body, modern_headers("tools/list", version="2099-01-01"))
    assert resp.status_code == 400, (resp.status_code, resp.text)
    msg = _error(resp)
    assert msg["error"]["code"] == -32022
    assert MODERN in msg["error"]["data"]["supported"]


@pytest.mark.parametrize("case", ["method-mismatch", "method-missing", "name-mismatch", "name-missing",
                                  "version-mismatch"])
def test_modern_routing_header_mismatch_is_400_32020(raw_factory, case):
    raw = raw_factory("admin")
    params = {"name": "get_ticket_metadata", "arguments": {"ticket": 1}}
    body = modern_body("tools/call", params)
    headers = modern_headers("tools/call", "get_ticket_metadata")
    if case == "method-mismatch":
        headers["Mcp-Method"] = "tools/list"
    elif case == "method-missing":
        del headers["Mcp-Method"]
    elif case == "name-mismatch":
        headers["Mcp-Name"] = "get_ticket_tags"
    elif case == "name-missing":
        del headers["Mcp-Name"]
    elif case == "version-mismatch":
        headers["MCP-Protocol-Version"] = "2025-11-25"
    resp = raw.post(body, headers)
    assert resp.status_code == 400, (case, resp.status_code, resp.text)
    assert _error(resp)["error"]["code"] in ((-32020,) if case != "version-mismatch" else (-32020, -32022)), resp.text


def test_modern_base64_mcp_name(raw_factory):
    raw = raw_factory("admin")
    import base64
    params = {"name": "get_ticket_metadata", "arguments": {"ticket": 1}}
    headers = modern_headers("tools/call", "=?base64?" + base64.b64encode(b"get_ticket_metadata").decode() + "?=")
    resp = raw.post(modern_body("tools/call", params), headers)
    assert resp.status_code == 200, resp.text
    assert rpc_message(resp)["result"]["structuredContent"]


def test_modern_ignores_session_headers_and_refuses_get_delete(raw_factory, deployment):
    raw = raw_factory("admin")
    resp = raw.modern("tools/list", headers={"Mcp-Session-Id": "whatever", "Last-Event-ID": "1"})
    assert resp.status_code == 200, resp.text
    assert "mcp-session-id" not in resp.headers
    h = {"Authorization": f"Bearer {raw.token.token}", "MCP-Protocol-Version": MODERN, "Accept": "text/event-stream"}
    assert raw.http.get(raw.url, headers=h).status_code == 405
    assert raw.http.delete(raw.url, headers=h).status_code == 405


def test_discover_and_initialize_coexist(raw_factory):
    raw = raw_factory("admin")
    raw.modern_result("server/discover")
    raw.initialize("2025-11-25")
    assert raw.legacy_result("tools/list")["tools"]
    assert raw_factory("admin").modern_result("tools/list")["tools"]


# --- tools ---------------------------------------------------------------------------------------

def _ticket_numbers(dep, where: str = "1=1", *params) -> list[int]:
    return [r["number"] for r in dep.query(
        f"SELECT number FROM tickets WHERE tenant_id = ? AND {where} ORDER BY number", dep.tenant_id(), *params)]


@pytest.mark.parametrize("era", ERAS)
def test_tools_list_is_complete_and_well_formed(raw_factory, era):
    tools = raw_factory("admin").tools(era)
    assert set(tools) == ALL_TOOLS
    for name, t in tools.items():
        assert re.fullmatch(r"[a-z_]+", name)
        assert t.get("description"), name
        assert t["inputSchema"].get("type") == "object", name
        assert t.get("outputSchema", {}).get("type") == "object", name
        ann = t.get("annotations", {})
        assert ann.get("readOnlyHint") is (name in READ_TOOLS | WORKFLOW_READ_TOOLS), (name, ann)
        if name in WRITE_TOOLS | WORKFLOW_WRITE_TOOLS:
            assert "dry_run" in t["inputSchema"].get("properties", {}), name
            assert t["inputSchema"]["properties"]["dry_run"].get("type") == "boolean", name


@pytest.mark.parametrize("era", ERAS)
def test_get_ticket_metadata_matches_the_database(deployment, raw_factory, era):
    raw = raw_factory("admin")
    tools = raw.tools(era)
    tool = tools["get_ticket_metadata"]
    for n in (1, 2, 57, 123, 200):
        for ticket_arg in (n, f"#{n}"):
            args = build_arguments(tool, ArgHints(ticket=n), ticket=ticket_arg)
            sc = check_tool_result(tool, raw.tool("get_ticket_metadata", args, era))
            row = deployment.ticket(n)
            assert sc.get("subject") == row["subject"], (n, sc)
            assert sc.get("status") == row["status"], (n, sc)
            assert n in ints_in(sc)


@pytest.mark.parametrize("bad", [{"ticket": 99999}, {"ticket": "#99999"}, {"ticket": 0}, {"ticket": "abc"},
                                 {"ticket": -3}, {}, {"ticket": 1.5}, {"ticket": None}])
def test_bad_arguments_are_tool_errors(raw_factory, bad):
    raw = raw_factory("admin")
    result = raw.tool("get_ticket_metadata", bad)
    assert result.get("isError") is True, result
    assert text_of(result).strip(), "a tool error says why"


def test_invisible_ticket_reads_like_a_missing_one(deployment, raw_factory):
    dana = deployment.user_id("dana@acme.test")
    tid = deployment.tenant_id()
    hidden = deployment.query("""
        SELECT number FROM tickets t WHERE tenant_id = ?
          AND (assignee_id IS NULL OR assignee_id <> ?) AND (creator_id IS NULL OR creator_id <> ?)
          AND (department_id IS NULL OR department_id NOT IN
               (SELECT department_id FROM department_members WHERE tenant_id = ? AND user_id = ?))
        ORDER BY number LIMIT 1""", tid, dana, dana, tid, dana)
    assert hidden, "demo data should have a ticket dana cannot see"
    n = hidden[0]["number"]
    raw = raw_factory("dana")
    seen = raw.tool("get_ticket_metadata", {"ticket": n})
    missing = raw.tool("get_ticket_metadata", {"ticket": 99999})
    assert seen.get("isError") is True and missing.get("isError") is True, seen
    norm = lambda r, num: re.sub(rf"#?\b{num}\b", "#N", text_of(r))  # noqa: E731
    assert norm(seen, n) == norm(missing, 99999), "no existence oracle"
    assert "not found" in text_of(seen).lower()
    assert deployment.ticket(n)["subject"] not in json.dumps(seen)


def test_other_tenants_ticket_numbers_name_our_own_tickets(deployment, raw_factory):
    """Ticket #5 at acme's endpoint is acme's #5, never globex's."""
    sc = raw_factory("admin").tool("get_ticket_metadata", {"ticket": 5})["structuredContent"]
    assert sc["subject"] == deployment.ticket(5)["subject"]
    globex = raw_factory("globex", tenant="globex").tool("get_ticket_metadata", {"ticket": 5})["structuredContent"]
    assert globex["subject"] == deployment.ticket(5, tenant="globex")["subject"]
    missing = raw_factory("globex", tenant="globex").tool("get_ticket_metadata", {"ticket": 150})
    assert missing.get("isError") is True


def test_read_tools_all_answer_and_validate(deployment, raw_factory):
    raw = raw_factory("admin")
    tools = raw.tools()
    n = _ticket_numbers(deployment)[10]
    for name in sorted(READ_TOOLS):
        args = build_arguments(tools[name], ArgHints(ticket=n))
        check_tool_result(tools[name], raw.tool(name, args))


def test_list_departments_and_agents_match_the_database(deployment, raw_factory):
    raw = raw_factory("admin")
    tools = raw.tools()
    deps = check_tool_result(tools["list_departments"], raw.tool("list_departments", build_arguments(
        tools["list_departments"], ArgHints(ticket=1))))
    names = {r["name"] for r in deployment.query("SELECT name FROM departments WHERE tenant_id = ?", deployment.tenant_id())}
    assert names == {"Support", "Billing", "IT"}
    assert names <= strings_in(deps)
    agents = check_tool_result(tools["list_agents"], raw.tool("list_agents", build_arguments(
        tools["list_agents"], ArgHints(ticket=1))))
    emails = {"admin@acme.test", "dana@acme.test", "sam@acme.test", "priya@acme.test", "lee@acme.test"}
    got = {s.lower() for s in strings_in(agents)}
    agent_names = {r["name"] for r in deployment.query(
        "SELECT name FROM users WHERE tenant_id = ? AND email IN (?,?,?,?,?)", deployment.tenant_id(), *sorted(emails))}
    assert emails <= got or {a.lower() for a in agent_names} <= got, agents
    assert not any("globex" in s for s in got)


def test_search_tickets_finds_by_subject(deployment, raw_factory):
    raw = raw_factory("admin")
    tool = raw.tools()["search_tickets"]
    row = deployment.one("SELECT number, subject FROM tickets WHERE tenant_id = ? AND number = 1", deployment.tenant_id())
    word = max(re.findall(r"[A-Za-z]{5,}", row["subject"]), key=len)
    qprop = prop_named(tool, "query", "q", "text", "search", contains="query")
    assert qprop, tool["inputSchema"]
    args = build_arguments(tool, ArgHints(ticket=1, query=word), **{qprop: word})
    limit = prop_named(tool, "limit", "per_page", "page_size")
    if limit:
        args[limit] = tool["inputSchema"]["properties"][limit].get("maximum", 50)
    sc = check_tool_result(tool, raw.tool("search_tickets", args))
    expect = {r["number"] for r in deployment.query(
        "SELECT number FROM tickets WHERE tenant_id = ? AND lower(subject) LIKE lower(?)",  # SQLite's LIKE folds case
        deployment.tenant_id(), f"%{word}%")}
    found = ints_in(sc)
    assert row["number"] in found or len(expect) > 20, (word, sc)


def test_get_ticket_messages_pages_with_an_opaque_cursor(deployment, raw_factory):
    raw = raw_factory("admin")
    tool = raw.tools()["get_ticket_messages"]
    tid = deployment.tenant_id()
    best = deployment.one("""SELECT t.number, count(m.id) AS n FROM tickets t JOIN messages m ON m.ticket_id = t.id
                             WHERE t.tenant_id = ? GROUP BY t.id ORDER BY n DESC, t.number LIMIT 1""", tid)
    n, total = best["number"], best["n"]
    assert total >= 3
    cursor_prop = prop_named(tool, "cursor", contains="cursor")
    assert cursor_prop, tool["inputSchema"]
    limit = prop_named(tool, "limit", "per_page", "page_size", contains="limit")
    args = build_arguments(tool, ArgHints(ticket=n))
    if limit:
        args[limit] = max(tool["inputSchema"]["properties"][limit].get("minimum", 1), 2)
    for p, sub in tool["inputSchema"].get("properties", {}).items():  # ask for internal notes too, if optional
        if sub.get("type") == "boolean" and ("note" in p or "internal" in p):
            args[p] = True
    bodies: list[str] = []
    rows = deployment.query("SELECT m.body, m.kind FROM messages m JOIN tickets t ON t.id = m.ticket_id "
                            "WHERE t.tenant_id = ? AND t.number = ?", tid, n)
    db_bodies = {r["body"] for r in rows}
    reply_bodies = {r["body"] for r in rows if r["kind"] == "reply"}
    pages, cursor = 0, None
    while True:
        call_args = dict(args, **({cursor_prop: cursor} if cursor else {}))
        sc = check_tool_result(tool, raw.tool("get_ticket_messages", call_args))
        pages += 1
        bodies += [s for s in strings_in(sc) if s in db_bodies]
        nexts = [v for v in find_values(sc, lambda k: "cursor" in k.lower()) if v]
        cursor = nexts[0] if nexts else None
        if not cursor or pages > total + 2:
            break
        assert isinstance(cursor, str), f"cursor should be an opaque string: {cursor!r}"
    assert pages <= total + 2, "cursor never ended"
    assert reply_bodies <= set(bodies) <= db_bodies, (len(reply_bodies), len(set(bodies)), len(db_bodies))
    if limit:
        assert pages > 1, "a small page size should need more than one page"
    bad = raw.tool("get_ticket_messages", dict(args, **{cursor_prop: "%%%not-a-cursor"}))
    assert bad.get("isError") is True


# --- write tools: dry_run, effects, activity ----------------------------------------------------------

def _hints(dep, n: int) -> ArgHints:
    tid = dep.tenant_id()
    it = dep.one("SELECT id FROM departments WHERE tenant_id = ? AND name = 'IT'", tid)["id"]
    return ArgHints(ticket=n, agent_id=dep.user_id("dana@acme.test"), department_id=it)


@pytest.mark.parametrize("name", sorted(WRITE_TOOLS))
def test_dry_run_changes_nothing(deployment, raw_factory, name):
    raw = raw_factory("admin")
    tool = raw.tools()[name]
    n = _ticket_numbers(deployment, "status = 'resolved'" if name == "reopen_ticket" else "status <> 'resolved'")[3]
    args = build_arguments(tool, _hints(deployment, n), dry_run=True)
    if name == "remove_ticket_tags":
        # Removing a tag the ticket does not have is refused (and says so): use one it has.
        row = deployment.one("SELECT t.number AS n, g.name AS tag FROM ticket_tags tt JOIN tickets t ON t.id = tt.ticket_id "
                             "JOIN tags g ON g.id = tt.tag_id WHERE t.tenant_id = ? ORDER BY t.number LIMIT 1",
                             deployment.tenant_id())
        args.update({"ticket": row["n"], "tags": [row["tag"]]})
    before = deployment.snapshot()
    result = raw.tool(name, args)
    assert result.get("isError") is not True, (name, args, text_of(result))
    check_tool_result(tool, result)
    assert deployment.snapshot() == before, f"{name} dry_run changed the database"


def _activity_since(dep, last_id: int | None) -> list:
    return dep.query("SELECT * FROM activity WHERE tenant_id = ? AND id > ? ORDER BY id", dep.tenant_id(), last_id or 0)


def _last_activity_id(dep) -> int:
    return dep.one("SELECT coalesce(max(id), 0) AS m FROM activity")["m"]


@pytest.mark.parametrize("era", ERAS)
def test_writes_apply_and_land_in_activity(deployment, raw_factory, era):
    raw = raw_factory("admin")
    tools = raw.tools(era)
    token = deployment.tokens["admin"]
    admin_id = deployment.user_id("admin@acme.test")
    offset = 5 if era == "modern" else 10
    h0 = _hints(deployment, 1)
    candidates = _ticket_numbers(deployment, "status IN ('open', 'pending') AND department_id <> ? "
                                 "AND (assignee_id IS NULL OR assignee_id <> ?)", h0.department_id, h0.agent_id)
    n = candidates[offset]
    h = _hints(deployment, n)
    tid = deployment.tenant_id()

    def run(name: str, **overrides) -> dict:
        mark = _last_activity_id(deployment)
        args = build_arguments(tools[name], h, dry_run=False, **overrides)
        result = raw.tool(name, args, era)
        check_tool_result(tools[name], result)
        rows = _activity_since(deployment, mark)
        assert rows, f"{name}: no activity row"
        for r in rows:
            assert r["via"] == "mcp", dict(r)
            assert str(r["token_id"]) == token.id, (dict(r), token.id)
            assert r["actor_user_id"] == admin_id, dict(r)
        return result

    tag = f"interop-{era}"
    h.tags = (tag,)
    run("add_ticket_tags")
    assert tag in deployment.ticket_tags(n)
    run("remove_ticket_tags")
    assert tag not in deployment.ticket_tags(n)

    run("assign_ticket")
    assert deployment.ticket(n)["assignee_id"] == deployment.user_id("dana@acme.test")
    run("transfer_ticket")
    assert deployment.ticket(n)["department_id"] == h.department_id

    msgs = deployment.one("SELECT count(*) AS c FROM messages m JOIN tickets t ON t.id = m.ticket_id "
                          "WHERE t.tenant_id = ? AND t.number = ? AND m.kind = 'note'", tid, n)["c"]
    h.text = f"Interop note ({era})"
    run("add_ticket_note")
    note = deployment.one("SELECT m.* FROM messages m JOIN tickets t ON t.id = m.ticket_id "
                          "WHERE t.tenant_id = ? AND t.number = ? ORDER BY m.id DESC LIMIT 1", tid, n)
    assert note["kind"] == "note" and note["body"] == h.text and note["author_user_id"] == admin_id
    assert deployment.one("SELECT count(*) AS c FROM messages m JOIN tickets t ON t.id = m.ticket_id "
                          "WHERE t.tenant_id = ? AND t.number = ? AND m.kind = 'note'", tid, n)["c"] == msgs + 1

    run("resolve_ticket")
    assert deployment.ticket(n)["status"] == "resolved"
    run("reopen_ticket")
    assert deployment.ticket(n)["status"] != "resolved"

    before_max = deployment.one("SELECT max(number) AS m FROM tickets WHERE tenant_id = ?", tid)["m"]
    h.subject = f"Interop created ticket ({era})"
    result = run("create_ticket")
    created = deployment.one("SELECT * FROM tickets WHERE tenant_id = ? AND number > ?", tid, before_max)
    assert created is not None and created["subject"] == h.subject
    assert created["number"] in ints_in(result["structuredContent"])


def test_viewer_writes_are_tool_errors(deployment, raw_factory):
    raw = raw_factory("viewer")
    tools = raw.tools()
    tid, viewer = deployment.tenant_id(), deployment.user_id("viewer@acme.test")
    visible = deployment.one("""SELECT number FROM tickets WHERE tenant_id = ? AND department_id IN
                                (SELECT department_id FROM department_members WHERE tenant_id = ? AND user_id = ?)
                                ORDER BY number LIMIT 1""", tid, tid, viewer)
    assert visible, "the demo viewer should belong to a department with tickets"
    sc = check_tool_result(tools["get_ticket_metadata"], raw.tool("get_ticket_metadata", {"ticket": visible["number"]}))
    assert sc["subject"] == deployment.ticket(visible["number"])["subject"]
    admin_tools = raw_factory("admin").tools()
    before = deployment.snapshot()
    n = visible["number"]
    for name in sorted(WRITE_TOOLS):
        args = build_arguments(admin_tools[name], _hints(deployment, n), dry_run=False)
        resp = raw.modern("tools/call", {"name": name, "arguments": args})
        msg = rpc_message(resp)
        if name in tools:   # listed (the token has tickets:write): the role refuses it as a tool error
            assert resp.status_code == 200 and msg["result"].get("isError") is True, (name, resp.text[:300])
            assert text_of(msg["result"]).strip()
        else:               # hidden from a viewer: refused one way or another
            assert resp.status_code != 200 or "error" in msg or msg["result"].get("isError") is True, name
    assert deployment.snapshot() == before


def test_bad_write_arguments_change_nothing(deployment, raw_factory):
    raw = raw_factory("admin")
    tools = raw.tools()
    before = deployment.snapshot()
    n = _ticket_numbers(deployment)[70]
    cases = [("assign_ticket", ("assignee", "agent", "user", "assignee_email"), "assign", "nobody@nowhere.test"),
             ("transfer_ticket", ("department", "department_name"), "department", "No Such Department"),
             ("add_ticket_tags", ("ticket",), "ticket", 99999),
             ("resolve_ticket", ("ticket",), "ticket", "#0"),
             ("add_ticket_note", ("body", "note", "text", "content", "message"), "body", "")]
    for name, candidates, contains, value in cases:
        args = build_arguments(tools[name], _hints(deployment, n), dry_run=False)
        prop = prop_named(tools[name], *candidates, contains=contains)
        assert prop, (name, tools[name]["inputSchema"])
        if isinstance(value, str) and "string" not in json.dumps(tools[name]["inputSchema"]["properties"][prop]):
            value = 999999  # an id-typed property: a missing id
        args[prop] = value
        result = raw.tool(name, args)
        assert result.get("isError") is True, (name, args, result)
    assert deployment.snapshot() == before


def test_dry_run_must_be_boolean(raw_factory):
    raw = raw_factory("admin")
    result = raw.tool("resolve_ticket", {"ticket": 1, "dry_run": "yes"})
    assert result.get("isError") is True


def test_ticket_references_are_trimmed_alike_in_every_tool(deployment, raw_factory):
    """Every tool that names a ticket reads " #N ", "N\\t" and "#N" as the same ticket (surrounding
    white space is trimmed) and refuses "# N" (space inside) as an invalid reference."""
    raw = raw_factory("admin")
    tools = raw.tools()
    before = deployment.snapshot()
    n = _ticket_numbers(deployment, "status <> 'resolved'")[5]
    checked = []
    for name, tool in sorted(tools.items()):
        props = tool["inputSchema"].get("properties", {})
        key = next((k for k in ("ticket", "ticket_id") if k in props), None)
        if key is None:
            continue
        args = build_arguments(tool, _hints(deployment, n), dry_run=True) if name in WRITE_TOOLS | WORKFLOW_WRITE_TOOLS \
            else build_arguments(tool, _hints(deployment, n))
        if "dry_run" in props:
            args["dry_run"] = True

        def outcome(reference):
            result = raw.tool(name, {**args, key: reference})
            # Customer text is fenced with a boundary drawn per response (issue 18): the same for the comparison.
            content = re.sub(r"customer-text [0-9a-f]{16}", "customer-text B", json.dumps(result.get("content")))
            return result.get("isError", False), result.get("structuredContent"), content

        plain = outcome(f"#{n}")
        for spaced in (f" #{n} ", f"{n}\t", f"\n{n}"):
            assert outcome(spaced) == plain, (name, spaced)
        refused = raw.tool(name, {**args, key: f"# {n}"})
        assert refused.get("isError") is True, (name, refused)
        checked.append(name)
    assert {"get_ticket_context", "resolve_ticket", "ticket_detail", "ticket_handle"} <= set(checked), checked
    assert deployment.snapshot() == before

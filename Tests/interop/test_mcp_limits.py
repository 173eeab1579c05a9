"""Limits a model can plan around (issue 19, docs/limits.md), driven by clients nobody here
wrote (the official MCP SDK, httpx):

- over a token's request rate, HTTP 429 with Retry-After, the IETF RateLimit and
  RateLimit-Policy fields and a JSON-RPC error (code -32029) whose data gives the numbers; the
  SDK surfaces it as an MCPError on both the Streamable HTTP and the HTTP+SSE transports;
- the tenant's rate holds over all of its tokens together;
- over the write quota, a tool error (isError) whose structuredContent names the limit, what is
  left and retry_after_seconds, and nothing is written;
- the use is counted (mcp_usage) and shown on the MCP Integration page per token and on the
  admin "Limits and usage" page, whose form sets the limits the MCP server then applies.

The multi-process half (limits shared by two deskgate-mcp on one PostgreSQL database, an
idempotent retry across them) is in test_multi_process.py."""

from __future__ import annotations

import asyncio
import re
import time
from datetime import datetime, timezone
from urllib.parse import urljoin

import httpx
import httpx2
import pytest
from mcp import Client, MCPError
from mcp.client.sse import sse_client
from mcp.client.streamable_http import streamable_http_client

from mcp_support import PASSWORD, TENANT, OTHER_TENANT, Raw, cli, rpc_message
from oauth_support import forms_in, make_oauth_deployment, stop_deployment

RATE_LIMITED = -32029


@pytest.fixture(scope="module")
def dep(tmp_path_factory, request):
    d = make_oauth_deployment(tmp_path_factory, tickets=40)
    yield d
    stop_deployment(d, request)


def limits(dep, **values: int) -> None:
    """Sets acme's limits from the CLI; every one not given goes back to its default."""
    defaults = {"rate": 1200, "tenant_rate": 6000, "write_quota": 500, "tenant_write_quota": 5000}
    args = []
    for name, default in defaults.items():
        args += [f"--{name.replace('_', '-')}", str(values.get(name, default))]
    cli(dep.database, dep.keys, "tenant", "settings", TENANT, *args)


def metadata(raw: Raw, number: int = 1) -> httpx.Response:
    return raw.modern("tools/call", {"name": "get_ticket_metadata", "arguments": {"ticket": number}})


def fields(header: str) -> dict[str, dict[str, str]]:
    """A structured-field list like `"token";r=4;t=12, "tenant";r=5990;t=1` as {name: params}."""
    out = {}
    for item in header.split(","):
        name, *params = [p.strip() for p in item.split(";")]
        out[name.strip('"')] = dict(p.split("=", 1) for p in params)
    return out


def open_ticket(dep) -> int:
    return dep.one("""SELECT number FROM tickets WHERE tenant_id = ? AND status IN ('open', 'pending', 'new')
                      AND workflow_version_id IS NULL ORDER BY number DESC LIMIT 1""", dep.tenant_id())["number"]


def usage_rows(dep, subject: str) -> tuple[int, int, int]:
    row = dep.one("""SELECT CAST(COALESCE(SUM(calls), 0) AS INTEGER) AS calls, CAST(COALESCE(SUM(writes), 0) AS INTEGER) AS writes,
                            CAST(COALESCE(SUM(refused), 0) AS INTEGER) AS refused
                     FROM mcp_usage WHERE tenant_id = ? AND subject = ?""", dep.tenant_id(), subject)
    return row["calls"], row["writes"], row["refused"]


def wait_for_usage(dep, subject: str, expected: tuple[int, int, int]) -> None:
    """The counts reach the database within the meter's one-second sync."""
    deadline = time.monotonic() + 10
    while usage_rows(dep, subject) != expected and time.monotonic() < deadline:
        time.sleep(0.2)
    assert usage_rows(dep, subject) == expected


def away_from_the_hour() -> None:
    """A write quota renews at the top of each UTC hour: keep a quota test inside one hour."""
    now = datetime.now(timezone.utc)
    left = 3600 - (now.minute * 60 + now.second)
    if left < 20:
        time.sleep(left + 1)


def test_over_a_tokens_rate_http_says_429_with_the_fields_and_a_json_rpc_error(dep):
    limits(dep, rate=5)
    try:
        token, other = dep.create_token("admin@acme.test", name="rate 5"), dep.create_token("admin@acme.test", name="rate other")
        raw = Raw(dep, token)
        for left in range(4, -1, -1):
            r = metadata(raw)
            assert r.status_code == 200, r.text[:300]
            assert not rpc_message(r)["result"].get("isError")
            policy, current = fields(r.headers["ratelimit-policy"]), fields(r.headers["ratelimit"])
            assert policy["token"] == {"q": "5", "w": "60"} and policy["tenant"] == {"q": "6000", "w": "60"}
            assert int(current["token"]["r"]) == left, (left, r.headers["ratelimit"])
        r = raw.modern("tools/call", {"name": "get_ticket_metadata", "arguments": {"ticket": 1}}, id="over-the-rate")
        assert r.status_code == 429, r.text[:300]
        retry = int(r.headers["retry-after"])
        assert 1 <= retry <= 60
        assert fields(r.headers["ratelimit"])["token"]["r"] == "0"
        body = r.json()
        assert body["id"] == "over-the-rate" and body["error"]["code"] == RATE_LIMITED
        data = body["error"]["data"]
        assert data == {"error": "rate_limited", "limit": "requests", "scope": "token", "quota": 5, "window_seconds": 60,
                        "remaining": 0, "retry_after_seconds": retry}
        assert "5 a minute" in body["error"]["message"] and str(retry) in body["error"]["message"]
        raw.close()

        # Another token of the same person has its own window.
        other_raw = Raw(dep, other)
        assert metadata(other_raw).status_code == 200
        other_raw.close()

        # The official SDK surfaces the refusal as the JSON-RPC error, with its numbers.
        async def sdk_call():
            async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {token.token}"}, timeout=30) as hc:
                async with Client(streamable_http_client(dep.mcp_url(), http_client=hc), mode="legacy") as client:
                    await client.call_tool("get_ticket_metadata", {"ticket": 1})

        with pytest.raises(BaseException) as info:
            asyncio.run(asyncio.wait_for(sdk_call(), timeout=60))
        error = first_mcp_error(info.value)
        assert error is not None, repr(info.value)
        assert error.error.code == RATE_LIMITED and error.error.data["retry_after_seconds"] >= 1
    finally:
        limits(dep)


def first_mcp_error(e: BaseException) -> MCPError | None:
    if isinstance(e, MCPError):
        return e
    for inner in getattr(e, "exceptions", ()):
        found = first_mcp_error(inner)
        if found:
            return found
    return first_mcp_error(e.__cause__) if e.__cause__ else None


def test_the_tenants_rate_holds_over_all_its_tokens(dep):
    limits(dep, rate=0, tenant_rate=6)
    try:
        raws = [Raw(dep, dep.create_token(user, name=f"tenant rate {user}"))
                for user in ("admin@acme.test", "dana@acme.test", "admin@acme.test")]
        statuses = [metadata(raws[i % 3]).status_code for i in range(9)]
        assert statuses == [200] * 6 + [429] * 3, statuses
        refused = metadata(raws[0])
        assert refused.json()["error"]["data"]["scope"] == "tenant"
        assert "token" not in fields(refused.headers["ratelimit-policy"]), "no per-token rate is set"
        # Another tenant is not touched by acme's limit.
        globex = Raw(dep, dep.create_token("admin@globex.test", tenant=OTHER_TENANT, name="globex"), tenant=OTHER_TENANT)
        far = metadata(globex)
        assert far.status_code == 200
        # Far from its limits (1,200 and 6,000 a minute) an answer carries no RateLimit fields.
        assert "ratelimit" not in far.headers and "ratelimit-policy" not in far.headers
        for r in raws + [globex]:
            r.close()
    finally:
        limits(dep)


def test_over_the_write_quota_a_tool_error_says_when_and_writes_nothing(dep):
    away_from_the_hour()
    limits(dep, write_quota=2)
    try:
        token = dep.create_token("admin@acme.test", name="quota 2")
        number = open_ticket(dep)

        async def go():
            async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {token.token}"}, timeout=30) as hc:
                async with Client(streamable_http_client(dep.mcp_url(), http_client=hc)) as client:
                    done = [await client.call_tool("add_ticket_tags", {"ticket": number, "tags": [f"quota-{i}"]})
                            for i in range(3)]
                    read = await client.call_tool("get_ticket_tags", {"ticket": number})
                    return done, read

        (first, second, third), read = asyncio.run(asyncio.wait_for(go(), timeout=60))
        assert not first.is_error and not second.is_error, (first.content, second.content)
        assert third.is_error
        s = third.structured_content
        assert s["error"] == "write_quota_exceeded" and s["limit"] == "writes" and s["scope"] == "token"
        assert s["quota"] == 2 and s["remaining"] == 0 and s["window_seconds"] == 3600
        now = datetime.now(timezone.utc)
        to_the_hour = 3600 - (now.minute * 60 + now.second)
        assert abs(s["retry_after_seconds"] - to_the_hour) <= 3, (s, to_the_hour)
        assert "Nothing was changed" in third.content[0].text and "2 changes an hour" in third.content[0].text
        assert "quota-2" not in dep.ticket_tags(number) and {"quota-0", "quota-1"} <= dep.ticket_tags(number)
        # Reads go on: the quota is for changes.
        assert not read.is_error

        subject = f"pat:{token.id}"
        # Every POST of the SDK's session is a request (its discover or initialize included), so
        # the calls are at least the four tool calls; the writes and the refusal are exact.
        deadline = time.monotonic() + 10
        while usage_rows(dep, subject)[1:] != (2, 1) and time.monotonic() < deadline:
            time.sleep(0.2)
        calls, writes, refused = usage_rows(dep, subject)
        assert (writes, refused) == (2, 1) and 4 <= calls <= 8, (calls, writes, refused)
    finally:
        limits(dep)


class Pages:
    """deskgate-auth's pages for one signed-in person, over httpx."""

    def __init__(self, dep, email: str):
        self.http = httpx.Client(base_url=dep.auth_url, follow_redirects=False, timeout=30)
        page = self.http.get(f"/t/{TENANT}/login")
        form = next(f for f in forms_in(page.text) if "password" in f.fields)
        r = self.http.post(urljoin(str(page.url), form.action), data={**form.fields, "email": email, "password": PASSWORD})
        assert r.status_code == 303, r.text[:300]

    def get(self, path: str) -> httpx.Response:
        r = self.http.get(f"/t/{TENANT}{path}")
        assert r.status_code == 200, (path, r.status_code, r.text[:300])
        return r

    def close(self):
        self.http.close()


def usage_text(calls: int, writes: int, refused: int) -> str:
    text = f"{calls:,} call{'s' if calls != 1 else ''}, {writes:,} change{'s' if writes != 1 else ''}"
    return text + (f", {refused:,} refused over a limit" if refused else "")


def test_use_is_shown_per_token_and_per_agent_and_the_admin_form_sets_the_limits(dep):
    away_from_the_hour()
    limits(dep, rate=3)
    try:
        token = dep.create_token("admin@acme.test", name="shown on the page")
        raw = Raw(dep, token)
        statuses = [metadata(raw).status_code for _ in range(5)]
        assert statuses == [200, 200, 200, 429, 429]
        raw.close()
        wait_for_usage(dep, f"pat:{token.id}", (3, 0, 2))

        pages = Pages(dep, "admin@acme.test")
        profile = pages.get("/profile/mcp").text
        item = re.search(rf'<tr[^>]*data-token-id="{token.id}".*?</tr>', profile, re.S)
        assert item, "the token is on the MCP Integration page"
        assert f'<td data-label="Use, 30 days" class="usage">{usage_text(3, 0, 2)}</td>' in item.group(0)

        admin = pages.get("/admin/usage").text
        c, w, rf = usage_rows(dep, "tenant")
        assert f'<p id="tenant-usage">{usage_text(c, w, rf)}</p>' in admin
        admin_id = dep.user_id("admin@acme.test")
        agent = re.search(rf'<tr data-agent-id="{admin_id}">.*?</tr>', admin, re.S)
        assert agent, "the admin is in the per-agent table"
        # Calls, changes, refused: right-aligned numbers; this token's 5 requests (2 refused) are in them.
        calls, _, refused = [int(n.replace(",", "")) for n in re.findall(r'class="num">([\d,]+)</td>', agent.group(0))]
        assert calls >= 3 and refused >= 2

        # The admin form sets the limits; the MCP server applies them on the next request.
        form = next(f for f in forms_in(admin) if f.action.endswith("/admin/usage"))
        bad = pages.http.post(form.action, data={**form.fields, "calls_per_minute": "lots"})
        assert bad.status_code == 422 and "Enter a whole number" in bad.text
        saved = pages.http.post(form.action, data={**form.fields, "calls_per_minute": "7", "writes_per_hour": "9"})
        assert saved.status_code == 303, saved.text[:300]
        fresh = Raw(dep, dep.create_token("admin@acme.test", name="after the form"))
        r = metadata(fresh)
        assert fields(r.headers["ratelimit-policy"])["token"] == {"q": "7", "w": "60"}
        fresh.close()
        shown = cli(dep.database, dep.keys, "tenant", "settings", TENANT, json_out=True)
        assert shown["limits"]["calls_per_minute"] == 7 and shown["limits"]["writes_per_hour"] == 9
        events = dep.query("SELECT kind FROM security_events WHERE tenant_id = ? AND kind = 'usage_limits_changed'",
                           dep.tenant_id())
        assert events, "the change is in the security log"

        # An agent is not let in.
        dana = Pages(dep, "dana@acme.test")
        assert dana.http.get(f"/t/{TENANT}/admin/usage").status_code in (403, 404)
        dana.close()
        pages.close()
    finally:
        limits(dep)


def test_legacy_sse_refusal_ends_the_call_on_the_stream_and_the_post_is_429(dep):
    limits(dep, rate=4)
    try:
        token = dep.create_token("admin@acme.test", name="sse rate 4")

        async def go():
            outcomes = []
            transport = sse_client(f"{dep.base_url}/t/{TENANT}/sse", headers={"Authorization": f"Bearer {token.token}"})
            async with Client(transport, mode="legacy") as client:   # initialize + initialized: 2 requests
                for _ in range(3):
                    try:
                        result = await client.call_tool("get_ticket_metadata", {"ticket": 1})
                        outcomes.append("ok" if not result.is_error else "tool error")
                    except MCPError as e:
                        outcomes.append(e.error.code)
                        break
            return outcomes

        # The SDK spends some of the 4 on its own requests (initialize, its notification, the
        # tools/list it validates results with): a call or two succeed, then the refusal ends the
        # waiting call instead of leaving it to hang.
        outcomes = asyncio.run(asyncio.wait_for(go(), timeout=60))
        assert outcomes[-1] == RATE_LIMITED and outcomes[:-1] and set(outcomes[:-1]) == {"ok"}, outcomes
        wait_for_usage(dep, f"pat:{token.id}", (4, 0, 1))

        # The POST itself is the 429, with the same fields as Streamable HTTP.
        with httpx.Client(timeout=30, headers={"Authorization": f"Bearer {token.token}"}) as http:
            with http.stream("GET", f"{dep.base_url}/t/{TENANT}/sse") as stream:
                lines = stream.iter_lines()          # kept: closing the iterator would close the stream
                assert next(lines) == "event: endpoint"
                endpoint = next(lines).removeprefix("data: ")
                r = http.post(urljoin(dep.base_url, endpoint),
                              json={"jsonrpc": "2.0", "id": 1, "method": "tools/call",
                                    "params": {"name": "get_ticket_metadata", "arguments": {"ticket": 1}}})
                assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1, (endpoint, r.status_code, r.text[:300])
                assert r.json()["error"]["code"] == RATE_LIMITED
    finally:
        limits(dep)

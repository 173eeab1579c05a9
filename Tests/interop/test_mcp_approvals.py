"""Writes that wait for a person (issue 18), driven by the official MCP Python SDK client with
Selenium (Debian's chromium) doing the person's part on deskgate-auth's approval page:

- 2026-07-28: the write returns `input_required` with a URL-mode elicitation; the SDK's own
  multi-round-trip driver calls our elicitation callback (the browser approves), then retries
  with the sealed `requestState`, and the change is committed once;
- 2025-11-25 with URL elicitation declared: the call's response is an event stream carrying the
  server's `elicitation/create`; the SDK calls our callback (the browser approves), and the same
  stream then carries the result; a decline in the client ends the call at once;
- a client without URL elicitation: a tool error with the link and an `approval_id`; the call
  again with it commits; a replay, other arguments, a decline, a forged or foreign request
  state, another agent's session on the page, all refused with the reason.
Every change is checked in the database: nothing is written before the approval, exactly once
after it, and the ticket's history names who approved."""

from __future__ import annotations

import asyncio
import base64
import json
from urllib.parse import urlsplit

import httpx2
import pytest
from mcp import Client, MCPError
from mcp.client.streamable_http import streamable_http_client
from mcp_types import ElicitResult
from selenium.webdriver.common.by import By

from browser_support import browser, login, screenshot, wait_for  # noqa: F401 (fixture)
from mcp_support import PASSWORD, TENANT, OTHER_TENANT, Raw, cli, modern_body, modern_headers, rpc_message
from oauth_support import make_oauth_deployment, stop_deployment

AGENT = "dana@acme.test"
MODERN = "2026-07-28"


@pytest.fixture(scope="module")
def dep(tmp_path_factory, request):
    d = make_oauth_deployment(tmp_path_factory, tickets=150)
    # Every write of acme waits for a person; globex keeps writing freely.
    cli(d.database, d.keys, "tenant", "settings", TENANT, "--approval", "writes")
    d.tokens["dana"] = d.create_token(AGENT, name="approvals dana")
    d.tokens["admin"] = d.create_token("admin@acme.test", name="approvals admin")
    d.tokens["globex"] = d.create_token("admin@globex.test", tenant=OTHER_TENANT, name="approvals globex")
    yield d
    stop_deployment(d, request)


def dana_ticket(dep, used: set[int] = set()) -> int:
    """A ticket Dana (Support) can change that no other test of this module touched."""
    rows = dep.query("""SELECT t.number FROM tickets t JOIN departments d ON d.id = t.department_id
                        WHERE t.tenant_id = ? AND d.name = 'Support' AND t.status IN ('open', 'pending', 'new')
                          AND t.workflow_version_id IS NULL ORDER BY t.number""", dep.tenant_id())
    for row in rows:
        if row["number"] not in used:
            used.add(row["number"])
            return row["number"]
    pytest.fail("no Support ticket left for the test")


class Person:
    """Dana at a browser: signs in once, then approves or declines the pages she is sent to."""

    def __init__(self, dep, driver, email: str = AGENT):
        self.dep, self.driver, self.email = dep, driver, email
        self.signed_in = False
        self.seen: list[str] = []

    def decide(self, url: str, decision: str = "approve", shot: str | None = None) -> None:
        assert url.startswith(self.dep.issuer(TENANT) + "/approvals/"), url
        self.seen.append(url)
        if not self.signed_in:
            login(self.driver, self.dep.auth_url, TENANT, self.email, PASSWORD, next_path=urlsplit(url).path)
            self.signed_in = True
        else:
            self.driver.get(url)
        wait_for(self.driver, "#summary")
        if shot:
            screenshot(self.driver, shot)
        self.driver.find_element(By.ID, decision).click()
        status = wait_for(self.driver, "#status").text
        assert ("Approved" if decision == "approve" else "Declined") in status, status


def sdk(dep, token: str, mode: str, callback=None, tenant: str = TENANT):
    async def run(body):
        headers = {"Authorization": f"Bearer {token}"}
        async with httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(60.0)) as hc:
            transport = streamable_http_client(dep.mcp_url(tenant), http_client=hc)
            async with Client(transport, mode=mode, elicitation_callback=callback) as client:
                return await body(client)
    return run


def url_callback(person: Person, decision: str = "approve", shot: str | None = None):
    calls = []

    async def callback(context, params):
        calls.append(params)
        assert params.mode == "url", params
        await asyncio.to_thread(person.decide, params.url, decision, shot)
        return ElicitResult(action="accept")
    callback.calls = calls
    return callback


def history(dep, number: int) -> list[dict]:
    return [dict(r) for r in dep.query("""SELECT a.action, a.via, a.after_json, u.email FROM activity a
                                          LEFT JOIN users u ON u.id = a.actor_user_id
                                          JOIN tickets t ON t.id = a.ticket_id
                                          WHERE t.tenant_id = ? AND t.number = ? ORDER BY a.id""", dep.tenant_id(), number)]


def approvals(dep) -> list[dict]:
    return [dict(r) for r in dep.query("SELECT * FROM approvals WHERE tenant_id = ? ORDER BY created_at", dep.tenant_id())]


def test_modern_era_input_required_loop_with_the_browser_approving(dep, browser):
    number = dana_ticket(dep)
    person = Person(dep, browser())
    callback = url_callback(person, shot="approval-page")

    async def body(client):
        return await client.call_tool("add_ticket_tags", {"ticket": number, "tags": ["approved-modern"]})

    result = asyncio.run(sdk(dep, dep.tokens["dana"].token, MODERN, callback)(body))
    assert not result.is_error, result.content
    assert len(callback.calls) == 1, "one approval, one elicitation"
    assert "approved-modern" in dep.ticket_tags(number)
    rows = history(dep, number)
    granted = [r for r in rows if r["action"] == "approval.granted"]
    assert granted and granted[-1]["email"] == AGENT and granted[-1]["via"] == "web"
    write = [r for r in rows if r["action"] == "ticket.add_tags"][-1]
    assert "Dana Whitfield" in json.loads(write["after_json"])["approved_by"]
    used = [a for a in approvals(dep) if a["tool"] == "add_ticket_tags" and a["used_at"] is not None]
    assert len(used) == 1 and used[0]["decision"] == "approved"


def test_handshake_session_with_url_elicitation_gets_an_elicitation_request_then_the_result(dep, browser):
    """2025-11-25: the tools/call response is an event stream carrying the server's
    `elicitation/create` (URL mode); the SDK calls our callback (the browser approves) and
    answers it; the same stream then carries the call's result."""
    number = dana_ticket(dep)
    person = Person(dep, browser())
    callback = url_callback(person)

    async def body(client):
        return await client.call_tool("resolve_ticket", {"ticket": number, "note": "fixed by approval"})

    result = asyncio.run(sdk(dep, dep.tokens["dana"].token, "legacy", callback)(body))
    assert not result.is_error, result.content
    assert len(callback.calls) == 1 and callback.calls[0].elicitation_id
    assert dep.ticket(number)["status"] == "resolved"
    assert [r["action"] for r in history(dep, number)][-2:] == ["approval.granted", "ticket.resolve"]


def test_handshake_decline_in_the_client_ends_the_call_at_once(dep):
    number = dana_ticket(dep)
    before = dep.ticket(number)["status"]

    async def decline(context, params):
        return ElicitResult(action="decline")

    async def body(client):
        return await client.call_tool("resolve_ticket", {"ticket": number})

    result = asyncio.run(sdk(dep, dep.tokens["dana"].token, "legacy", decline)(body))
    assert result.is_error and "declined" in result.content[0].text
    assert dep.ticket(number)["status"] == before
    declined = [r for r in history(dep, number) if r["action"] == "approval.declined"]
    assert declined and declined[-1]["via"] == "mcp"


def test_client_without_elicitation_gets_a_link_and_an_approval_id(dep, browser):
    number = dana_ticket(dep)
    person = Person(dep, browser())
    arguments = {"ticket": number, "tags": ["approved-by-id"]}

    async def body(client):
        asked = await client.call_tool("add_ticket_tags", arguments)
        assert asked.is_error, "the call did not complete: it waits for a person"
        meta = asked.meta["io.deskgate/approval"]
        text = asked.content[0].text
        assert meta["approval_url"] in text and meta["approval_id"] in text
        assert dep.ticket_tags(number).isdisjoint({"approved-by-id"})
        # Before the person decides, the retry is still waiting: nothing written.
        early = await client.call_tool("add_ticket_tags", {**arguments, "approval_id": meta["approval_id"]})
        assert early.is_error and early.meta["io.deskgate/approval"]["approval_id"] == meta["approval_id"]
        await asyncio.to_thread(person.decide, meta["approval_url"])
        other = await client.call_tool("add_ticket_tags", {"ticket": number, "tags": ["smuggled"],
                                                           "approval_id": meta["approval_id"]})
        done = await client.call_tool("add_ticket_tags", {**arguments, "approval_id": meta["approval_id"]})
        replay = await client.call_tool("add_ticket_tags", {**arguments, "approval_id": meta["approval_id"]})
        return other, done, replay

    other, done, replay = asyncio.run(sdk(dep, dep.tokens["dana"].token, "legacy")(body))
    assert other.is_error and "other arguments" in other.content[0].text
    assert not done.is_error, done.content
    assert replay.is_error and "already used" in replay.content[0].text
    tags = dep.ticket_tags(number)
    assert "approved-by-id" in tags and "smuggled" not in tags
    writes = [r for r in history(dep, number) if r["action"] == "ticket.add_tags"]
    assert len(writes) == 1, "the approved change was committed exactly once"


def test_a_decline_is_a_tool_error_and_nothing_changes(dep, browser):
    number = dana_ticket(dep)
    before = dep.ticket(number)["status"]
    callback = url_callback(Person(dep, browser()), decision="decline")

    async def body(client):
        return await client.call_tool("resolve_ticket", {"ticket": number})

    result = asyncio.run(sdk(dep, dep.tokens["dana"].token, MODERN, callback)(body))
    assert result.is_error and "declined" in result.content[0].text
    assert dep.ticket(number)["status"] == before
    assert [r["action"] for r in history(dep, number)][-1] == "approval.declined"


def test_reads_and_dry_runs_never_wait(dep):
    number = dana_ticket(dep)

    async def body(client):
        read = await client.call_tool("get_ticket_metadata", {"ticket": number})
        dry = await client.call_tool("resolve_ticket", {"ticket": number, "dry_run": True})
        return read, dry

    count = len(approvals(dep))
    read, dry = asyncio.run(sdk(dep, dep.tokens["dana"].token, MODERN)(body))
    assert not read.is_error and not dry.is_error and dry.structured_content["applied"] is False
    assert len(approvals(dep)) == count


def test_another_agents_session_sees_no_approval_page(dep, browser):
    raw = Raw(dep, dep.tokens["dana"])
    try:
        asked = raw.call("legacy", "tools/call", {"name": "add_ticket_tags",
                                                   "arguments": {"ticket": dana_ticket(dep), "tags": ["not-yours"]}})
    finally:
        raw.close()
    url = asked["_meta"]["io.deskgate/approval"]["approval_url"]
    driver = browser()
    login(driver, dep.auth_url, TENANT, "admin@acme.test", PASSWORD, next_path=urlsplit(url).path)
    assert "not found" in driver.find_element(By.TAG_NAME, "main").text.lower()
    assert not driver.find_elements(By.ID, "approve")
    # Dana's MCP Integration page lists it as waiting for her.
    person = Person(dep, browser())
    login(person.driver, dep.auth_url, TENANT, AGENT, PASSWORD, next_path=f"/t/{TENANT}/profile/mcp")
    pending = wait_for(person.driver, "#pending-approvals").get_attribute("innerHTML")
    assert urlsplit(url).path in pending


def elicit_capabilities() -> dict:
    return {"elicitation": {"form": {}, "url": {}}}


def modern_call(dep, token, arguments: dict, tenant: str = TENANT, extra: dict | None = None) -> dict:
    params = {"name": "add_ticket_tags", "arguments": arguments, **(extra or {}),
              "_meta": {"io.modelcontextprotocol/clientCapabilities": elicit_capabilities()}}
    with httpx2.Client(timeout=30) as http:
        resp = http.post(dep.mcp_url(tenant), content=json.dumps(modern_body("tools/call", params)).encode(),
                         headers={**modern_headers("tools/call", "add_ticket_tags"), "Authorization": f"Bearer {token.token}"})
    message = rpc_message(resp)
    assert resp.status_code == 200 and "result" in message, resp.text
    return message["result"]


def test_request_state_forged_or_from_another_caller_is_refused(dep):
    number = dana_ticket(dep)
    arguments = {"ticket": number, "tags": ["state-check"]}
    first = modern_call(dep, dep.tokens["dana"], arguments)
    assert first["resultType"] == "input_required"
    request = first["inputRequests"]["deskgate_approval"]
    assert request["method"] == "elicitation/create" and request["params"]["mode"] == "url"
    state = first["requestState"]
    body, tag = state.split(".")
    forged_body = base64.urlsafe_b64encode(base64.urlsafe_b64decode(body + "==").replace(b"\n", b"\n ", 1)).rstrip(b"=").decode()
    responses = {"inputResponses": {"deskgate_approval": {"action": "accept"}}}
    for label, token, state_text, args in [
        ("tampered body", dep.tokens["dana"], forged_body + "." + tag, arguments),
        ("other arguments", dep.tokens["dana"], state, {**arguments, "tags": ["other"]}),
        ("another agent's token", dep.tokens["admin"], state, arguments),
    ]:
        retry = modern_call(dep, token, args, extra={"requestState": state_text, **responses})
        assert retry.get("isError") is True, (label, retry)
        assert "requestState is not valid" in retry["content"][0]["text"], (label, retry)
    assert "state-check" not in dep.ticket_tags(number)


def test_a_token_can_tighten_but_not_loosen_the_tenant_rule(dep):
    # globex has no rule: a token created with --approval writes still waits, another does not.
    strict = cli(dep.database, dep.keys, "token", "create", "--tenant", OTHER_TENANT, "--user", "admin@globex.test",
                 "--approval", "writes", json_out=True)
    assert strict["approval"] == "writes"
    listed = cli(dep.database, dep.keys, "token", "list", "--tenant", OTHER_TENANT, json_out=True)
    assert {t["id"]: t["approval"] for t in listed}[strict["id"]] == "writes"
    assert {t["id"]: t["approval"] for t in listed}[int(dep.tokens["globex"].id)] == "none"
    number = dep.one("SELECT number FROM tickets WHERE tenant_id = ? ORDER BY number LIMIT 1",
                     dep.tenant_id(OTHER_TENANT))["number"]

    async def body(client):
        return await client.call_tool("add_ticket_tags", {"ticket": number, "tags": ["strict"]})

    waiting = asyncio.run(sdk(dep, strict["token"], "legacy", tenant=OTHER_TENANT)(body))
    assert waiting.is_error and "io.deskgate/approval" in (waiting.meta or {})
    free = asyncio.run(sdk(dep, dep.tokens["globex"].token, "legacy", tenant=OTHER_TENANT)(body))
    assert not free.is_error, free.content


def test_an_apps_own_rule_and_the_admins_allowed_apps_reach_its_access_tokens(dep):
    """An app's grant that asks first makes its writes wait even where the tenant does not
    (globex); and when the admin stops allowing the app, the access tokens it already holds
    are refused from the next request, not only new ones."""
    grant = dep.insert_grant("admin@globex.test", client_id="careful-app", tenant=OTHER_TENANT)
    conn = dep.writable()
    try:
        conn.execute("UPDATE oauth_grants SET approval = 'writes' WHERE id = ?", (grant,))
    finally:
        conn.close()
    token = dep.mint(dep.claims("admin@globex.test", grant, tenant=OTHER_TENANT, client_id="careful-app"))
    number = dep.one("SELECT number FROM tickets WHERE tenant_id = ? ORDER BY number LIMIT 1",
                     dep.tenant_id(OTHER_TENANT))["number"]

    async def body(client):
        return await client.call_tool("add_ticket_tags", {"ticket": number, "tags": ["careful"]})

    waiting = asyncio.run(sdk(dep, token, "legacy", tenant=OTHER_TENANT)(body))
    assert waiting.is_error and "io.deskgate/approval" in (waiting.meta or {}), waiting.content
    row = dep.one("SELECT client_id, token_id FROM approvals WHERE id = ?", waiting.meta["io.deskgate/approval"]["approval_id"])
    assert row["client_id"] == "careful-app" and row["token_id"] is None

    def status() -> int:
        with httpx2.Client(timeout=30) as http:
            resp = http.post(dep.mcp_url(OTHER_TENANT), content=json.dumps(modern_body("tools/list", {})).encode(),
                             headers={**modern_headers("tools/list"), "Authorization": f"Bearer {token}"})
            return resp.status_code

    assert status() == 200
    cli(dep.database, dep.keys, "tenant", "settings", OTHER_TENANT, "--allow-apps", "some-other-app")
    try:
        assert status() == 401, "an app the admin no longer allows is refused with its existing token"
    finally:
        cli(dep.database, dep.keys, "tenant", "settings", OTHER_TENANT, "--allow-apps", "")
    assert status() == 200


def test_an_approved_keyed_call_retried_replays_instead_of_asking_again(dep, browser):
    number = dana_ticket(dep)
    person = Person(dep, browser())
    arguments = {"ticket": number, "tags": ["keyed-approval"], "idempotency_key": "approval-retry-1"}

    async def body(client):
        asked = await client.call_tool("add_ticket_tags", arguments)
        meta = asked.meta["io.deskgate/approval"]
        await asyncio.to_thread(person.decide, meta["approval_url"])
        done = await client.call_tool("add_ticket_tags", {**arguments, "approval_id": meta["approval_id"]})
        retried = await client.call_tool("add_ticket_tags", {**arguments, "approval_id": meta["approval_id"]})
        bare = await client.call_tool("add_ticket_tags", arguments)
        return done, retried, bare

    done, retried, bare = asyncio.run(sdk(dep, dep.tokens["dana"].token, "legacy")(body))
    assert not done.is_error, done.content
    for replay in (retried, bare):
        assert not replay.is_error, replay.content
        assert replay.structured_content == done.structured_content
        assert "io.deskgate/idempotent_replay" in replay.meta
    assert len([r for r in history(dep, number) if r["action"] == "ticket.add_tags"]) == 1

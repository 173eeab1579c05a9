"""The workflow tool family (ticket_list, ticket_detail, ticket_prepare_handle, ticket_handle,
user_list) driven by the official MCP Python SDK over Streamable HTTP (both eras), stdio and the
HTTP+SSE transport, against the demo tenant's two workflows (docs/workflows.md). Expected values
come from the database and the documented demo scenario, not from the server's own lists."""

from __future__ import annotations

import asyncio
import subprocess
import os
from contextlib import asynccontextmanager

import httpx2
import pytest
from mcp import Client
from mcp.client.sse import sse_client
from mcp.client.stdio import StdioServerParameters, stdio_client
from mcp.client.streamable_http import streamable_http_client

from conftest import binary
from mcp_support import deployment

__all__ = ["deployment"]

MODES = ["auto", "legacy"]


@pytest.fixture(scope="module")
def people(deployment):
    for name in ("lee", "sam", "priya"):
        deployment.tokens[name] = deployment.create_token(f"{name}@acme.test", name=f"interop {name}")
    return deployment


@asynccontextmanager
async def client_for(dep, who: str, mode: str = "auto"):
    headers = {"Authorization": f"Bearer {dep.tokens[who].token}"}
    async with httpx2.AsyncClient(headers=headers, timeout=httpx2.Timeout(30.0)) as http:
        async with Client(streamable_http_client(dep.mcp_url(), http_client=http), mode=mode, read_timeout_seconds=30) as c:
            yield c


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, timeout=90))


async def call(client, name: str, **arguments):
    result = await client.call_tool(name, arguments)
    return result


def numbers_where(dep, sql: str, *params) -> set[int]:
    tid = dep.tenant_id()
    return {r["number"] for r in dep.query(
        f"SELECT number FROM tickets WHERE tenant_id = ? AND workflow_version_id IS NOT NULL AND {sql}", tid, *params)}


def number_of(dep, subject: str) -> int:
    return dep.one("SELECT number FROM tickets WHERE tenant_id = ? AND subject = ?", dep.tenant_id(), subject)["number"]


def listed(result) -> set[int]:
    assert not result.is_error, result.content
    return {t["number"] for t in result.structured_content["ticket_list"]}


@pytest.mark.parametrize("mode", MODES)
def test_each_category_lists_what_the_user_relates_to(people, mode):
    dep = people
    dana, lee = dep.user_id("dana@acme.test"), dep.user_id("lee@acme.test")

    async def go():
        async with client_for(dep, "admin", mode) as admin:
            everything = await call(admin, "ticket_list", category="all", per_page=100)
            assert listed(everything) == numbers_where(dep, "1 = 1")
            assert everything.structured_content["total"] == 15
            assert everything.structured_content["total_is_lower_bound"] is False   # always present; exact here
        async with client_for(dep, "dana", mode) as c:
            assert listed(await call(c, "ticket_list", category="owner", per_page=100)) == numbers_where(dep, "creator_id = ?", dana)
            duty = listed(await call(c, "ticket_list"))                       # default category: duty
            assert duty == {number_of(dep, "Refund: duplicate charge, Northwind"), number_of(dep, "Refund: unused seats, Contoso")}
            refused = await call(c, "ticket_list", category="all")
            assert refused.is_error and "admin" in refused.content[0].text
        async with client_for(dep, "lee", mode) as c:
            worked = listed(await call(c, "ticket_list", category="worked"))
            assert worked == {number_of(dep, s) for s in ("GitHub org access", "VPN for on-call", "Production database read access")}
            assert worked == {r["number"] for r in dep.query(
                "SELECT DISTINCT t.number FROM activity a JOIN tickets t ON t.id = a.ticket_id "
                "WHERE a.actor_user_id = ? AND a.action LIKE 'workflow.%' AND a.action <> 'workflow.create'", lee)}
        async with client_for(dep, "viewer", mode) as c:                    # Support may view refunds, not IT requests
            refunds = numbers_where(dep, "workflow_version_id IN (SELECT v.id FROM workflow_versions v JOIN workflows w "
                                         "ON w.id = v.workflow_id WHERE w.name = 'Refund approval')")
            assert listed(await call(c, "ticket_list", category="view", per_page=50)) == refunds
        async with client_for(dep, "sam", mode) as c:                       # sam may intervene in IT requests
            it = numbers_where(dep, "workflow_version_id IN (SELECT v.id FROM workflow_versions v JOIN workflows w "
                                    "ON w.id = v.workflow_id WHERE w.name = 'IT access request')")
            assert listed(await call(c, "ticket_list", category="intervene", per_page=50)) == it
    run(go())


def test_filters_paging_and_the_default_window(people):
    dep = people

    async def go():
        async with client_for(dep, "admin") as c:
            finished = await call(c, "ticket_list", category="all", act_state="finished")
            assert listed(finished) == numbers_where(dep, "act_state = 'finished'") and len(listed(finished)) == 2
            found = await call(c, "ticket_list", category="all", search_value="REFUND", per_page=50)
            assert listed(found) == numbers_where(dep, "lower(subject) LIKE '%refund%'")
            page = await call(c, "ticket_list", category="all", per_page=5, page=9, reverse=0)
            sc = page.structured_content
            assert sc["page"] == 3 and sc["total"] == 15 and len(sc["ticket_list"]) == 5 and sc["requested_page"] == 9
            oldest_first = [t["number"] for t in (await call(c, "ticket_list", category="all", per_page=3, reverse=0))
                            .structured_content["ticket_list"]]
            assert oldest_first == sorted(numbers_where(dep, "1 = 1"))[:3]
            assert sc["create_start"] and sc["create_end"]                # the default window is reported
            none = await call(c, "ticket_list", category="all", create_start="2001-01-01", create_end="2001-12-31")
            assert listed(none) == set()
            bad = await call(c, "ticket_list", category="everything")
            assert bad.is_error and "duty" in bad.content[0].text
    run(go())


def test_filters_by_workflow_node_ticket_number_and_creator(people):
    dep = people
    tid = dep.tenant_id()
    workflows = {r["name"]: r["id"] for r in dep.query("SELECT id, name FROM workflows WHERE tenant_id = ?", tid)}
    it, refund = workflows["IT access request"], workflows["Refund approval"]
    in_workflow = "workflow_version_id IN (SELECT id FROM workflow_versions WHERE workflow_id = ?)"
    approval = dep.one("SELECT n.id FROM workflow_nodes n JOIN workflow_versions v ON v.id = n.version_id "
                       "WHERE v.workflow_id = ? AND n.key = 'it_approval' ORDER BY v.version DESC LIMIT 1", it)["id"]
    finance = dep.one("SELECT n.id FROM workflow_nodes n JOIN workflow_versions v ON v.id = n.version_id "
                      "WHERE v.workflow_id = ? AND n.key = 'finance_review' ORDER BY v.version DESC LIMIT 1", refund)["id"]
    at = "id IN (SELECT ticket_id FROM ticket_positions WHERE node_id = ?)"
    dana, priya = dep.user_id("dana@acme.test"), dep.user_id("priya@acme.test")

    async def go():
        async with client_for(dep, "admin") as c:
            async def numbers(**filters) -> set[int]:
                return listed(await call(c, "ticket_list", category="all", per_page=100, **filters))
            expected_it = numbers_where(dep, in_workflow, it)
            assert expected_it and expected_it != numbers_where(dep, "1 = 1")
            assert await numbers(workflow_ids=str(it)) == expected_it
            assert await numbers(workflow_ids=f"{it},{refund}") == numbers_where(dep, "1 = 1")
            assert await numbers(workflow_ids=[refund]) == numbers_where(dep, in_workflow, refund)   # an array works too
            assert await numbers(workflow_ids="999999") == set()

            waiting = numbers_where(dep, at, approval)
            assert waiting and await numbers(node_ids=str(approval)) == waiting
            assert await numbers(node_ids=f"{approval}, {finance}") == waiting | numbers_where(dep, at, finance)

            some = sorted(numbers_where(dep, "1 = 1"))[:3]
            assert await numbers(ticket_ids=",".join(map(str, some))) == set(some)
            assert await numbers(ticket_ids=f"#{some[0]},999999") == {some[0]}
            helpdesk = dep.one("SELECT number FROM tickets WHERE tenant_id = ? AND workflow_version_id IS NULL LIMIT 1", tid)["number"]
            assert await numbers(ticket_ids=str(helpdesk)) == set()       # ticket_list lists workflow tickets only

            assert await numbers(creator_id=str(dana)) == numbers_where(dep, "creator_id = ?", dana)
            assert await numbers(creator_id=str(priya), workflow_ids=str(it)) == numbers_where(dep, f"creator_id = ? AND {in_workflow}", priya, it)
            bad = await call(c, "ticket_list", category="all", creator_id="1,2")
            assert bad.is_error and "creator_id" in bad.content[0].text
            bad = await call(c, "ticket_list", category="all", node_ids="entry")
            assert bad.is_error and "entry" in bad.content[0].text
    run(go())


def test_detail_depends_on_the_node_and_the_user(people):
    dep = people
    n = number_of(dep, "GitHub org access")                             # waits at "Provision access" for lee

    async def go():
        async with client_for(dep, "lee") as c:
            d = (await call(c, "ticket_prepare_handle", ticket_id=str(n))).structured_content
            assert d["ticket"]["current_nodes"][0]["node_id"] == "provisioning"
            assert d["required_fields"] == ["provisioned"]
            assert d["field_permissions"]["system"] == "readonly"
            assert d["form_schema"]["workflow_metadata"]["name"] == "IT access request"
            provision = next(a for a in d["actions"] if a["id"] == "provisioned")
            assert provision["type"] == "agree" and provision["fields_to_supply"] == ["provisioned"]
            assert d["admin_actions"] == []
            rows = d["form_schema"]["component_info_list"]
            assert [r["type"] for r in rows] == ["row"]
            fields = {f["component_key"]: f for f in rows[0]["children"]}
            assert fields["system"]["props"]["value"] == "GitHub" and fields["approver_note"]["props"]["value"] == "Read access only"
            assert fields["system"]["type"] == "select" and fields["system"]["props"]["label"] == "System"
            assert fields["system"]["props"]["options"] == ["VPN", "GitHub", "Payroll", "Production database"]
            assert {k: f["component_permission"] for k, f in fields.items()} == d["field_permissions"]
            assert fields["provisioned"]["component_permission"] == "required" and "options" not in fields["provisioned"]["props"]
            assert "fields" not in d["form_schema"]                       # the form is given once
        async with client_for(dep, "dana") as c:                         # the creator: sees it, acts on nothing but comments
            d = (await call(c, "ticket_detail", ticket_id=n)).structured_content
            assert [a["type"] for a in d["actions"]] == ["add_comment"]
            keys = {f["component_key"] for r in d["form_schema"]["component_info_list"] for f in r["children"]}
            assert "provisioned" not in keys or d["required_fields"] == []
            assert set(d["readonly_fields"]) == keys
        async with client_for(dep, "admin") as c:
            d = (await call(c, "ticket_detail", ticket_id=f"#{n}")).structured_content
            assert [a["id"] for a in d["admin_actions"]] == ["force_forward", "force_close"]
        async with client_for(dep, "priya") as c:                        # not related, no IT permission: not found
            hidden = await call(c, "ticket_detail", ticket_id=n)
            missing = await call(c, "ticket_detail", ticket_id=99999)
            assert hidden.is_error and missing.is_error
            assert hidden.content[0].text.replace(str(n), "N") == missing.content[0].text.replace("99999", "N")
    run(go())


def test_dry_runs_predict_success_and_failure_and_writes_land_in_history(people):
    dep = people
    n = number_of(dep, "VPN for travel next week")                      # waits at "IT approval"

    async def go():
        async with client_for(dep, "lee") as c:
            before = dep.snapshot()
            dry = await call(c, "ticket_handle", ticket_id=n, action_type="agree", action_id="approve",
                             fields={"approver_note": "ok for a week"}, dry_run=True)
            assert not dry.is_error and dry.structured_content["status"] == "validated"
            assert [x["node_id"] for x in dry.structured_content["current_nodes"]] == ["provisioning"]   # VPN: routine
            assert dep.snapshot() == before                              # nothing written
            real = await call(c, "ticket_handle", ticket_id=n, action_type="agree", action_id="approve",
                              fields={"approver_note": "ok for a week"})
            assert real.structured_content["status"] == "handled"
            assert real.structured_content["current_nodes"] == dry.structured_content["current_nodes"]
            assert real.structured_content["current_nodes"][0]["assignees"][0]["email"] == "lee@acme.test"
            # A failure predicted exactly: the required field is missing in both.
            dry_fail = await call(c, "ticket_handle", ticket_id=n, action_type="agree", action_id="provisioned", dry_run=True)
            real_fail = await call(c, "ticket_handle", ticket_id=n, action_type="agree", action_id="provisioned")
            assert dry_fail.is_error and real_fail.is_error
            assert dry_fail.content[0].text == real_fail.content[0].text and "provisioned" in real_fail.content[0].text
            done = await call(c, "ticket_handle", ticket_id=n,
                              handle_request={"action_type": "agree", "action_id": "provisioned", "fields": {"provisioned": True}})
            assert done.structured_content["act_state"] == "finished" and done.structured_content["current_nodes"] == []
    run(go())
    row = dep.ticket(n)
    assert row["act_state"] == "finished" and row["status"] == "resolved"
    history = dep.query("SELECT action, via, token_id, actor_user_id FROM activity WHERE ticket_id = ? ORDER BY id", row["id"])
    mine = [h for h in history if h["token_id"] == dep.tokens["lee"].id]
    assert [h["action"] for h in mine] == ["workflow.agree", "workflow.agree"]
    assert all(h["via"] == "mcp" and h["actor_user_id"] == dep.user_id("lee@acme.test") for h in mine)


def test_gateways_consult_forward_and_refusals(people):
    dep = people
    payroll = number_of(dep, "Payroll export for the audit")            # at "Security review" (admin)
    draft = number_of(dep, "GitHub access for the new contractor")      # sam's draft
    opened = {}

    async def go():
        async with client_for(dep, "admin") as c:
            cleared = await call(c, "ticket_handle", ticket_id=payroll, action_type="agree", action_id="clear",
                                 fields={"approver_note": "audit access, two weeks"})
            assert [x["node_id"] for x in cleared.structured_content["current_nodes"]] == ["provisioning"]
            opened.update(cleared.structured_content["opened_child"])           # the transition's open_child
            assert opened["title"] == "Review the sensitive access in 90 days" and opened["act_state"] == "in_draft"
            consult = await call(c, "ticket_handle", ticket_id=payroll, action_type="force_forward", action_id="force_forward",
                                 action_props={"target_assignee_id": "sam@acme.test"})
            assert consult.structured_content["current_nodes"][0]["assignees"][0]["email"] == "sam@acme.test"
        async with client_for(dep, "sam") as c:
            asked = await call(c, "ticket_handle", ticket_id=payroll, action_type="consult", action_id="consult",
                               action_props={"target_assignee_id": dep.user_id("priya@acme.test"), "comment": "budget?"})
            assert asked.structured_content["current_nodes"][0]["consultant"]["email"] == "priya@acme.test"
            blocked = await call(c, "ticket_handle", ticket_id=payroll, action_type="agree", action_id="provisioned",
                                 fields={"provisioned": True})
            assert blocked.is_error and "not available" in blocked.content[0].text
            submitted = await call(c, "ticket_handle", ticket_id=draft, action_type="agree", action_id="submit")
            assert [x["node_id"] for x in submitted.structured_content["current_nodes"]] == ["it_approval"]
            unknown = await call(c, "ticket_handle", ticket_id=draft, action_type="teleport", action_id="x")
            assert unknown.is_error and "action_type" in unknown.content[0].text
        async with client_for(dep, "priya") as c:
            answered = await call(c, "ticket_handle", ticket_id=payroll, action_type="consult_submit",
                                  action_id="consult_submit", action_props={"comment": "within budget"})
            assert answered.structured_content["current_nodes"][0]["consultant"] is None
        async with client_for(dep, "viewer") as c:
            refund = number_of(dep, "Refund: duplicate charge, Northwind")
            refused = await call(c, "ticket_handle", ticket_id=refund, action_type="add_comment", action_id="add_comment",
                                 action_props={"comment": "hello"})
            assert refused.is_error and "viewer" in refused.content[0].text
        async with client_for(dep, "read") as c:
            names = {t.name for t in (await c.list_tools()).tools}
            assert "ticket_list" in names and "ticket_handle" not in names
    run(go())
    child = dep.ticket(opened["number"])
    assert child["parent_ticket_id"] == dep.ticket(payroll)["id"] and child["creator_id"] == dep.user_id("admin@acme.test")
    notes = dep.query("SELECT body FROM messages WHERE ticket_id = ? ORDER BY id", dep.ticket(payroll)["id"])
    assert [r["body"] for r in notes][-2:] == ["Consult someone: budget?", "Answer the consultation: within budget"]


def test_sub_tickets_name_their_parent_and_children(people):
    dep = people
    tid = dep.tenant_id()
    audit = dep.ticket(number_of(dep, "Payroll export for the audit"))  # the demo's parent
    github = dep.ticket(number_of(dep, "GitHub org access"))            # lee sees it (his to provision), priya does not
    foreign = dep.one("SELECT id FROM tickets WHERE tenant_id = ? ORDER BY id LIMIT 1", dep.tenant_id("globex"))["id"]

    def children_of(parent_id: int) -> set[int]:
        return {r["number"] for r in dep.query("SELECT number FROM tickets WHERE tenant_id = ? AND parent_ticket_id = ?",
                                               tid, parent_id)}

    async def go():
        async with client_for(dep, "admin") as c:
            children = children_of(audit["id"])
            assert {dep.ticket(n)["subject"] for n in children} >= {
                "Payroll export: VPN for the external auditor", "Payroll export: GitHub read access for the audit scripts"}
            assert listed(await call(c, "ticket_list", category="all", parent_ticket_id=str(audit["id"]), per_page=50)) == children
            assert listed(await call(c, "ticket_list", category="all", parent_ticket_id=str(github["id"]))) == set()
            d = (await call(c, "ticket_detail", ticket_id=audit["number"])).structured_content
            assert {t["number"] for t in d["ticket"]["child_tickets"]} == children and d["ticket"]["parent_ticket"] is None
            assert {t["title_author_kind"] for t in d["ticket"]["child_tickets"]} == {"agent"}
            kid = (await call(c, "ticket_detail", ticket_id=min(children))).structured_content["ticket"]
            assert (kid["parent_ticket"]["id"], kid["parent_ticket"]["number"]) == (audit["id"], audit["number"])
            assert kid["child_tickets"] == []
        async with client_for(dep, "lee") as c:
            mark = dep.one("SELECT coalesce(max(id), 0) AS m FROM activity")["m"]
            made = await call(c, "create_ticket", subject="Hardware token for GitHub 2FA", body="Please send one.",
                              parent_ticket=f"#{github['number']}")
            assert not made.is_error, made.content
            row = dep.ticket(made.structured_content["ticket_number"])
            assert row["parent_ticket_id"] == github["id"] and made.structured_content["after"]["parent"] == f"#{github['number']}"
            d = (await call(c, "ticket_detail", ticket_id=github["number"])).structured_content
            assert [t["number"] for t in d["ticket"]["child_tickets"]] == [row["number"]]
            history = dep.query("SELECT ticket_id, action, actor_user_id, via, token_id FROM activity "
                                "WHERE id > ? AND tenant_id = ? ORDER BY id", mark, tid)
            assert {(h["ticket_id"], h["action"]) for h in history} == {(github["id"], "ticket.open_child"), (row["id"], "ticket.create")}
            assert all(h["actor_user_id"] == dep.user_id("lee@acme.test") and h["via"] == "mcp"
                       and str(h["token_id"]) == dep.tokens["lee"].id for h in history)
        async with client_for(dep, "priya") as c:                        # a hidden, a missing, another tenant's parent
            before = dep.snapshot()
            hidden = await call(c, "create_ticket", subject="x", body="y", parent_ticket=github["number"])
            missing = await call(c, "create_ticket", subject="x", body="y", parent_ticket=99999)
            elsewhere = await call(c, "create_ticket", subject="x", body="y", parent_ticket=f"id:{foreign}")
            assert hidden.is_error and missing.is_error and elsewhere.is_error
            assert "parent_ticket" in hidden.content[0].text and "not found" in elsewhere.content[0].text
            assert hidden.content[0].text.replace(str(github["number"]), "N") == missing.content[0].text.replace("99999", "N")
            bad = await call(c, "create_ticket", subject="x", body="y", parent_ticket="twelve")
            assert bad.is_error and "parent_ticket" in bad.content[0].text
            assert dep.snapshot() == before
    run(go())


def test_user_list_filters_and_pages(people):
    dep = people
    billing = dep.one("SELECT id FROM departments WHERE tenant_id = ? AND name = 'Billing'", dep.tenant_id())["id"]

    async def go():
        async with client_for(dep, "dana") as c:
            everyone = (await call(c, "user_list", per_page=100, dept_id="0")).structured_content
            assert everyone["total"] == dep.one("SELECT count(*) AS n FROM users WHERE tenant_id = ?", dep.tenant_id())["n"]
            in_billing = (await call(c, "user_list", dept_id=str(billing), simple=False)).structured_content
            assert {u["email"] for u in in_billing["user_list"]} == {"admin@acme.test", "priya@acme.test"}
            priya = next(u for u in in_billing["user_list"] if u["email"] == "priya@acme.test")
            assert priya["type"] == "agent" and [d["is_primary"] for d in priya["dept_info_list"]] == [True]
            found = (await call(c, "user_list", search_value="OKAFOR")).structured_content
            assert [u["email"] for u in found["user_list"]] == ["sam@acme.test"] and "type" not in found["user_list"][0]
            last = (await call(c, "user_list", per_page=4, page=50)).structured_content
            assert last["page"] == 2 and last["requested_page"] == 50 and len(last["user_list"]) == 2
            bad = await call(c, "user_list", user_ids="1,abc")
            assert bad.is_error and "abc" in bad.content[0].text
            ids = [dep.user_id("lee@acme.test"), dep.user_id("priya@acme.test")]
            named = (await call(c, "user_list", user_ids=f"{ids[0]}, {ids[1]}", per_page=100)).structured_content
            assert sorted(u["id"] for u in named["user_list"]) == sorted(ids) and named["total"] == 2
            assert [u["email"] for u in (await call(c, "user_list", user_ids=[ids[0]])).structured_content["user_list"]] \
                == ["lee@acme.test"]
            none = (await call(c, "user_list", user_ids=str(ids[0]), dept_id=str(billing))).structured_content
            assert none["user_list"] == [] and none["total"] == 0           # filters combine: lee is not in Billing
            zero = (await call(c, "user_list", per_page=100, dept_id="00000000-0000-0000-0000-000000000000")).structured_content
            assert zero["total"] == everyone["total"]                        # the all-zero UUID: no department filter
            assert (await call(c, "user_list", per_page=100, dept_id=0)).structured_content["total"] == everyone["total"]
            odd = await call(c, "user_list", dept_id="00000000-0000-0000-0000-000000000001")
            assert odd.is_error and "dept_id" in odd.content[0].text
    run(go())


def test_workflow_tools_over_stdio_and_sse(people):
    dep = people
    env = {**os.environ, "DESKGATE_ACCESS_TOKEN": dep.tokens["dana"].token, "DESKGATE_DATABASE": str(dep.database)}
    stdio = StdioServerParameters(command=str(binary("deskgate-mcp")), args=["--stdio", "--tenant", "acme"], env=env)
    owner = numbers_where(dep, "creator_id = ?", dep.user_id("dana@acme.test"))

    async def go():
        async with Client(stdio_client(stdio)) as c:
            assert listed(await call(c, "ticket_list", category="owner", per_page=50)) == owner
        headers = {"Authorization": f"Bearer {dep.tokens['dana'].token}"}
        async with Client(sse_client(f"{dep.base_url}/t/acme/sse", headers=headers), mode="legacy") as c:
            assert listed(await call(c, "ticket_list", category="owner", per_page=50)) == owner
    run(go())


def test_tenant_settings_choose_families_and_read_only_mode_on_the_next_request(people):
    dep = people
    from mcp_support import cli

    async def go():
        try:
            cli(dep.database, dep.keys, "tenant", "settings", "acme", "--tool-families", "helpdesk")
            async with client_for(dep, "admin") as c:
                listed_names = {t.name for t in (await c.list_tools()).tools}
                assert "ticket_list" not in listed_names and "get_ticket_metadata" in listed_names
                with pytest.raises(Exception):
                    await c.call_tool("ticket_list", {})
            cli(dep.database, dep.keys, "tenant", "settings", "acme", "--tool-families", "helpdesk,workflow", "--read-only", "on")
            async with client_for(dep, "admin") as c:
                listed_names = {t.name for t in (await c.list_tools()).tools}
                assert "ticket_list" in listed_names and not listed_names & {"ticket_handle", "resolve_ticket", "create_ticket"}
                before = dep.snapshot()
                with pytest.raises(Exception) as refused:
                    await c.call_tool("add_ticket_note", {"ticket": 3, "body": "read-only?"})
                assert "read-only" in str(refused.value)
                assert dep.snapshot() == before
        finally:
            cli(dep.database, dep.keys, "tenant", "settings", "acme", "--read-only", "off")
        async with client_for(dep, "admin") as c:
            assert "ticket_handle" in {t.name for t in (await c.list_tools()).tools}
    run(go())


def test_tools_turned_off_by_name_are_gone_from_the_list_and_refused(people):
    """A tenant admin's policy (issue 18): `--deny-tools` takes tools out by name, beyond the
    families; a denied tool is absent from tools/list and refused by tools/call with a reason,
    writing nothing; an unknown name is a usage error; "" turns them all back on."""
    dep = people
    from mcp_support import cli

    async def go():
        try:
            cli(dep.database, dep.keys, "tenant", "settings", "acme", "--deny-tools", "create_ticket,ticket_list")
            async with client_for(dep, "admin") as c:
                listed_names = {t.name for t in (await c.list_tools()).tools}
                assert not listed_names & {"create_ticket", "ticket_list"}
                assert {"ticket_detail", "resolve_ticket", "get_ticket_activity"} <= listed_names
                before = dep.snapshot()
                with pytest.raises(Exception) as refused:
                    await c.call_tool("create_ticket", {"subject": "denied?", "body": "x", "department_id": 1})
                assert "turned off for this tenant" in str(refused.value)
                assert dep.snapshot() == before
            bad = subprocess.run([str(binary("deskgate")), "--database", str(dep.database), "--keys", str(dep.keys),
                                  "tenant", "settings", "acme", "--deny-tools", "no_such_tool"], capture_output=True, text=True)
            assert bad.returncode != 0 and "no tool named no_such_tool" in bad.stderr
        finally:
            cli(dep.database, dep.keys, "tenant", "settings", "acme", "--deny-tools", "")
        async with client_for(dep, "admin") as c:
            assert {"create_ticket", "ticket_list"} <= {t.name for t in (await c.list_tools()).tools}
    run(go())


def test_help_desk_tickets_are_in_the_support_workflow_and_resolve_is_its_transition(people):
    """Resolve/reopen of the help-desk family are ordinary transitions of the
    default workflow. The workflow tools see a help-desk ticket in "Support", ticket_handle
    resolves it through the same command as resolve_ticket, and each family sees the other's
    change."""
    dep = people
    tid = dep.tenant_id()
    n = dep.one("SELECT t.number FROM tickets t JOIN departments d ON d.id = t.department_id "
                "WHERE t.tenant_id = ? AND t.workflow_version_id IS NULL AND d.name = 'IT' "
                "AND t.status IN ('open', 'pending') ORDER BY t.number LIMIT 1", tid)["number"]

    async def go():
        async with client_for(dep, "lee") as c:
            d = (await call(c, "ticket_prepare_handle", ticket_id=n)).structured_content
            assert d["form_schema"]["workflow_metadata"]["name"] == "Support"
            assert d["form_schema"]["component_info_list"] == [] and d["required_fields"] == []
            offered = {(a["type"], a["id"]) for a in d["actions"]}
            assert ("agree", "resolve") in offered and ("other", "reopen") not in offered

            before = dep.snapshot()
            dry = await call(c, "ticket_handle", ticket_id=n, action_type="agree", action_id="resolve",
                             action_props={"comment": "fixed by restarting the VPN gateway"}, dry_run=True)
            assert not dry.is_error and dry.structured_content["status"] == "validated", dry
            assert dep.snapshot() == before
            mark = dep.one("SELECT coalesce(max(id), 0) AS m FROM activity")["m"]
            real = await call(c, "ticket_handle", ticket_id=n, action_type="agree", action_id="resolve",
                              action_props={"comment": "fixed by restarting the VPN gateway"})
            assert real.structured_content["status"] == "handled"
            assert real.structured_content["act_state"] == dry.structured_content["act_state"] == "finished"
            meta = (await call(c, "get_ticket_metadata", ticket=n)).structured_content
            assert meta["status"] == "resolved"
            rows = dep.query("SELECT * FROM activity WHERE id > ? AND tenant_id = ?", mark, tid)
            assert [r["action"] for r in rows] == ["ticket.resolve"]
            assert rows[0]["via"] == "mcp" and str(rows[0]["token_id"]) == dep.tokens["lee"].id

            # The help-desk family reopens it; the workflow family sees the transition change.
            reopened = await call(c, "reopen_ticket", ticket=n)
            assert not reopened.is_error, reopened
            d = (await call(c, "ticket_detail", ticket_id=n)).structured_content
            assert {(a["type"], a["id"]) for a in d["actions"]} >= {("agree", "resolve")}
            assert d["ticket"]["act_state"] == "on_going"

        # Another department's agent cannot see it in either family: the same "not found".
        async with client_for(dep, "priya") as c:
            hidden = await call(c, "ticket_detail", ticket_id=n)
            also = await call(c, "get_ticket_metadata", ticket=n)
            assert hidden.is_error and also.is_error and "not found" in hidden.content[0].text.lower()
    run(go())


def test_titles_say_who_wrote_them(people):
    """Provenance in the workflow family (issue 18): workflow tickets are opened by the tenant's
    users; a help-desk ticket a customer opened, read through ticket_detail, says it is the
    customer's title."""
    dep = people
    customer = dep.one("""SELECT number FROM tickets WHERE tenant_id = ? AND workflow_version_id IS NULL
                          AND creator_id IS NULL AND requester_contact_id IS NOT NULL ORDER BY number LIMIT 1""",
                       dep.tenant_id())

    async def go():
        async with client_for(dep, "admin") as c:
            listing = await call(c, "ticket_list", category="all", per_page=20)
            workflow = listing.structured_content["ticket_list"][0]["number"]
            detail = await call(c, "ticket_detail", ticket_id=str(workflow))
            mail = await call(c, "ticket_detail", ticket_id=f"#{customer['number']}")
            return listing, detail, mail

    assert customer is not None, "the demo has tickets customers opened by mail"
    listing, detail, mail = run(go())
    rows = listing.structured_content["ticket_list"]
    assert rows and {r["title_author_kind"] for r in rows} == {"agent"}
    assert not detail.is_error, detail.content
    assert detail.structured_content["ticket"]["title_author_kind"] == "agent"
    fields = [c for row in detail.structured_content["form_schema"]["component_info_list"] for c in row.get("children", [])]
    assert fields and {f["props"]["author_kind"] for f in fields} == {"agent"}
    assert not mail.is_error, mail.content
    assert mail.structured_content["ticket"]["title_author_kind"] == "customer"

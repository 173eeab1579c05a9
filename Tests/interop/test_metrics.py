"""/metrics on both servers (issue 20): the Prometheus text format as the official client's
parser reads it, and counters that move by exactly the calls made: MCP tools/call by tool, era
and outcome, token checks by kind and result, HTTP requests by route pattern and status, tokens
issued by grant type and refused by reason, open streams; and --metrics-listen. Labels never
carry a tenant or a token."""

from __future__ import annotations

import base64
import hashlib
import secrets
import subprocess
import time
from urllib.parse import urlencode

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

import dbkit
from conftest import binary
from mcp_support import TENANT, Raw, rpc_message
from oauth_support import (OTHER_TENANT, REDIRECT_URI, SCOPES, Browser, free_port, oauth_deployment,
                           require_authorization_server)

__all__ = ["oauth_deployment"]

DANA = "dana@acme.test"
MCP_ROUTE = {"method": "POST", "route": "/t/{tenant}/mcp"}


def scrape(base_url: str) -> dict[tuple[str, tuple], float]:
    """Every sample as (name, sorted labels) -> value, after checking the response and the format."""
    response = httpx.get(base_url + "/metrics")
    assert response.status_code == 200, response.text[:300]
    assert response.headers["content-type"].startswith("text/plain; version=0.0.4")
    samples: dict[tuple[str, tuple], float] = {}
    for family in text_string_to_metric_families(response.text):
        assert family.documentation, family.name
        for sample in family.samples:
            key = (sample.name, tuple(sorted(sample.labels.items())))
            assert key not in samples, f"duplicate series {key}"
            samples[key] = sample.value
    return samples


def value(samples, name: str, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


def delta(before, after, name: str, **labels) -> float:
    return value(after, name, **labels) - value(before, name, **labels)


def call(dep, token: str | None, tool: str, arguments: dict) -> httpx.Response:
    raw = Raw(dep, token)
    try:
        return raw.modern("tools/call", {"name": tool, "arguments": arguments})
    finally:
        raw.close()


@pytest.fixture(scope="module")
def tokens(oauth_deployment):
    dep = oauth_deployment
    grant = dep.insert_grant(DANA)
    return {"pat": dep.create_token(DANA).token,
            "read": dep.create_token(DANA, ("tickets:read",)).token,
            "oauth": dep.mint(dep.claims(DANA, grant))}


def test_both_servers_expose_their_families_in_the_text_format(oauth_deployment):
    dep = oauth_deployment
    for server, program in ((dep.server, "deskgate-mcp"), (dep.auth, "deskgate-auth")):
        samples = scrape(server.base_url)
        names = {name for name, _ in samples}
        build = [labels for name, labels in samples if name == "deskgate_build_info"]
        assert len(build) == 1 and dict(build[0])["program"] == program, build
        for expected in ("deskgate_http_open_connections", "deskgate_http_open_streams", "deskgate_db_write_queue_depth",
                         "deskgate_db_write_jobs_total", "deskgate_db_read_pool_connections", "deskgate_worker_queue_depth",
                         "deskgate_db_commit_duration_seconds_count", "deskgate_db_write_batch_size_count",
                         "deskgate_process_start_time_seconds"):
            assert expected in names, (program, expected)
        # The scrape's own connection is open while it is served.
        assert value(samples, "deskgate_http_open_connections") >= 1
        for name, labels in samples:
            for label, text in labels:
                assert TENANT not in text and OTHER_TENANT not in text, (name, labels)
    mcp_names = {name for name, _ in scrape(dep.server.base_url)}
    assert {"deskgate_mcp_token_checks_total", "deskgate_mcp_token_cache_lookups_total"} <= mcp_names
    auth_names = {name for name, _ in scrape(dep.auth.base_url)}
    assert {"deskgate_oauth_tokens_issued_total", "deskgate_oauth_token_requests_refused_total"} <= auth_names


def test_mcp_counters_move_by_exactly_the_calls_made(oauth_deployment, tokens):
    dep = oauth_deployment
    before = scrape(dep.server.base_url)

    ok = call(dep, tokens["pat"], "get_ticket_metadata", {"ticket": 1})
    assert ok.status_code == 200 and rpc_message(ok)["result"]["isError"] is False, ok.text[:300]
    # A write runs on the worker pool: counted when its work ends.
    write = call(dep, tokens["oauth"], "add_ticket_tags", {"ticket": 2, "tags": ["metrics"]})
    assert write.status_code == 200 and rpc_message(write)["result"]["isError"] is False, write.text[:300]
    missing = call(dep, tokens["pat"], "get_ticket_metadata", {"ticket": 999_999})
    assert missing.status_code == 200 and rpc_message(missing)["result"]["isError"] is True, missing.text[:300]
    step_up = call(dep, tokens["read"], "add_ticket_tags", {"ticket": 2, "tags": ["no"]})
    assert step_up.status_code == 403, step_up.text[:300]
    unknown = call(dep, tokens["pat"], "no_such_tool", {})
    assert unknown.status_code == 200 and "error" in rpc_message(unknown), unknown.text[:300]
    bad = call(dep, "dgpat_" + "x" * 40, "get_ticket_metadata", {"ticket": 1})
    assert bad.status_code == 401, bad.text[:300]
    assert httpx.get(dep.server.base_url + "/t/acme/no-such-route").status_code == 404

    after = scrape(dep.server.base_url)
    calls = "deskgate_mcp_tool_calls_total"
    assert delta(before, after, calls, tool="get_ticket_metadata", era="modern", outcome="ok") == 1
    assert delta(before, after, calls, tool="get_ticket_metadata", era="modern", outcome="tool_error") == 1
    assert delta(before, after, calls, tool="add_ticket_tags", era="modern", outcome="ok") == 1
    assert delta(before, after, calls, tool="add_ticket_tags", era="modern", outcome="scope_required") == 1
    assert delta(before, after, calls, tool="unknown", era="modern", outcome="rpc_error") == 1
    checks = "deskgate_mcp_token_checks_total"
    assert delta(before, after, checks, kind="pat", result="accepted") == 4
    assert delta(before, after, checks, kind="oauth_access_token", result="accepted") == 1
    assert delta(before, after, checks, kind="pat", result="invalid") == 1
    requests = "deskgate_http_requests_total"
    assert delta(before, after, requests, **MCP_ROUTE, status="200") == 4
    assert delta(before, after, requests, **MCP_ROUTE, status="403") == 1
    assert delta(before, after, requests, **MCP_ROUTE, status="401") == 1
    assert delta(before, after, requests, method="other", route="unmatched", status="404") == 1
    latency = "deskgate_http_request_duration_seconds"
    assert delta(before, after, latency + "_count", **MCP_ROUTE, status_class="2xx") == 4
    assert delta(before, after, latency + "_bucket", **MCP_ROUTE, status_class="2xx", le="+Inf") == 4
    assert delta(before, after, latency + "_sum", **MCP_ROUTE, status_class="2xx") > 0
    # The write committed through the writer thread: at least one more batch, of at least one job.
    assert delta(before, after, "deskgate_db_write_batch_size_count") >= 1
    assert delta(before, after, "deskgate_db_write_jobs_total", result="committed") >= 1
    lookups = "deskgate_mcp_token_cache_lookups_total"
    pat_lookups = sum(delta(before, after, lookups, cache="pat", result=r) for r in ("hit", "miss"))
    assert pat_lookups >= 4


def test_histogram_buckets_are_cumulative(oauth_deployment):
    samples = scrape(oauth_deployment.server.base_url)
    series: dict[tuple, list[tuple[float, float]]] = {}
    for (name, labels), number in samples.items():
        if name.endswith("_bucket"):
            rest = tuple(item for item in labels if item[0] != "le")
            bound = dict(labels)["le"]
            series.setdefault((name, rest), []).append((float(bound), number))
    assert series
    for (name, rest), buckets in series.items():
        counts = [count for _, count in sorted(buckets)]
        assert counts == sorted(counts), (name, rest, buckets)
        count = value(samples, name[: -len("_bucket")] + "_count", **dict(rest))
        assert counts[-1] == count, (name, rest)


def test_token_endpoint_counts_refusals_by_reason(oauth_deployment):
    dep = oauth_deployment
    before = scrape(dep.auth.base_url)
    unknown_client = httpx.post(dep.auth.base_url + f"/t/{TENANT}/oauth/token",
                                data={"grant_type": "refresh_token", "refresh_token": "x", "client_id": "nobody"})
    assert unknown_client.status_code == 401 and unknown_client.json()["error"] == "invalid_client"
    unknown_tenant = httpx.post(dep.auth.base_url + "/t/nobody/oauth/token",
                                data={"grant_type": "refresh_token", "client_id": "x"})
    assert unknown_tenant.status_code == 404, unknown_tenant.text
    after = scrape(dep.auth.base_url)
    refused = "deskgate_oauth_token_requests_refused_total"
    assert delta(before, after, refused, reason="invalid_client") == 1
    assert delta(before, after, refused, reason="not_found") == 1
    assert delta(before, after, "deskgate_oauth_tokens_issued_total", grant_type="authorization_code") == 0
    route = {"method": "POST", "route": "/t/{tenant}/oauth/token"}
    assert delta(before, after, "deskgate_http_requests_total", **route, status="401") == 1
    assert delta(before, after, "deskgate_http_requests_total", **route, status="404") == 1


def test_metrics_listen_moves_metrics_off_the_main_port(start_server, tmp_path):
    """--metrics-listen: /metrics on its own address, and no longer on the public port."""
    db = dbkit.database(tmp_path / "db.sqlite")
    subprocess.run([str(binary("deskgate")), "--database", db, "--keys", str(tmp_path / "k"), "demo", "--tickets", "2"],
                   capture_output=True, check=True)
    port = free_port()
    server = start_server("--database", db, "--metrics-listen", f"127.0.0.1:{port}", program="deskgate-mcp")
    assert httpx.get(server.url("/metrics")).status_code == 404
    assert httpx.get(server.url("/healthz")).status_code == 200
    samples = scrape(f"http://127.0.0.1:{port}")
    assert value(samples, "deskgate_http_requests_total", method="GET", route="/healthz", status="200") == 1
    assert value(samples, "deskgate_http_requests_total", method="other", route="unmatched", status="404") == 1


def test_open_streams_and_connections_follow_an_event_stream(oauth_deployment, tokens):
    """The HTTP+SSE stream is an open stream while it lasts, and no longer once the client leaves."""
    dep = oauth_deployment
    base = dep.server.base_url
    before = scrape(base)
    assert value(before, "deskgate_http_open_streams") == 0
    with httpx.Client(timeout=10) as http:
        with http.stream("GET", base + f"/t/{TENANT}/sse", headers={"Authorization": f"Bearer {tokens['pat']}"}) as stream:
            assert stream.status_code == 200
            during = scrape(base)
            assert value(during, "deskgate_http_open_streams") == 1
            assert value(during, "deskgate_http_open_connections") >= 2   # the stream's and the scrape's
            assert delta(before, during, "deskgate_http_requests_total", method="GET", route="/t/{tenant}/sse", status="200") == 1
    for _ in range(50):
        if value(scrape(base), "deskgate_http_open_streams") == 0:
            break
        time.sleep(0.1)
    assert value(scrape(base), "deskgate_http_open_streams") == 0


def test_token_endpoint_counts_tokens_issued_by_grant_type(oauth_deployment):
    """A whole code flow (public client, PKCE), one refresh, and one refresh token nobody issued."""
    dep = oauth_deployment
    metadata = require_authorization_server(dep)
    registered = httpx.post(metadata["registration_endpoint"], json={
        "client_name": "Deskgate interop (metrics)", "redirect_uris": [REDIRECT_URI], "token_endpoint_auth_method": "none",
        "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"], "scope": " ".join(SCOPES)})
    assert registered.status_code == 201, registered.text
    client_id = registered.json()["client_id"]
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    url = metadata["authorization_endpoint"] + "?" + urlencode({
        "response_type": "code", "client_id": client_id, "redirect_uri": REDIRECT_URI, "scope": " ".join(SCOPES),
        "state": "s", "code_challenge": challenge, "code_challenge_method": "S256", "resource": dep.resource()})
    before = scrape(dep.auth.base_url)
    redirect = Browser(dep, DANA).visit(url)
    assert redirect.code, redirect
    endpoint = metadata["token_endpoint"]
    issued = httpx.post(endpoint, data={"grant_type": "authorization_code", "code": redirect.code, "client_id": client_id,
                                        "redirect_uri": REDIRECT_URI, "code_verifier": verifier, "resource": dep.resource()})
    assert issued.status_code == 200, issued.text
    refreshed = httpx.post(endpoint, data={"grant_type": "refresh_token", "refresh_token": issued.json()["refresh_token"],
                                           "client_id": client_id})
    assert refreshed.status_code == 200, refreshed.text
    unknown = httpx.post(endpoint, data={"grant_type": "refresh_token", "refresh_token": "dgrt_nobody", "client_id": client_id})
    assert unknown.status_code == 400 and unknown.json()["error"] == "invalid_grant", unknown.text
    after = scrape(dep.auth.base_url)
    assert delta(before, after, "deskgate_oauth_tokens_issued_total", grant_type="authorization_code") == 1
    assert delta(before, after, "deskgate_oauth_tokens_issued_total", grant_type="refresh_token") == 1
    assert delta(before, after, "deskgate_oauth_token_requests_refused_total", reason="invalid_grant") == 1
    assert delta(before, after, "deskgate_http_requests_total", method="POST", route="/t/{tenant}/oauth/token", status="200") == 2

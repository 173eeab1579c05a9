#!/usr/bin/env python3
"""Helpers for bench/auth.sh: obtain OAuth tokens through the real flow (dynamic registration,
login and consent forms, PKCE code exchange), write the wrk Lua script that chains refresh
tokens per connection, and render the results. Standard library only (plus benchtool.py and
benchlib.py beside it)."""

from __future__ import annotations

import base64
import hashlib
import http.cookiejar
import json
import os
import secrets
import statistics
import sys
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "mcp_peer"))
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402
import benchtool  # noqa: E402

REDIRECT = "http://127.0.0.1:53682/callback"
SCOPES = "tickets:read tickets:write directory:read"


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class _Forms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append({"action": a.get("action", ""), "fields": {}, "buttons": []})
        elif self.forms and tag in ("input", "button") and a.get("name"):
            if a.get("type", "submit" if tag == "button" else "text").lower() == "submit":
                self.forms[-1]["buttons"].append((a["name"], a.get("value", "")))
            else:
                self.forms[-1]["fields"][a["name"]] = a.get("value", "")


class Flow:
    """One public client and one signed-in browser: each `tokens()` is an authorization
    (consent remembered after the first) plus a code exchange."""

    def __init__(self, auth: str, mcp: str, tenant: str, email: str, password: str):
        self.auth, self.tenant, self.email, self.password = auth, tenant, email, password
        self.resource = f"{mcp}/t/{tenant}/mcp"
        self.issuer = f"{auth}/t/{tenant}"
        self.meta = json.loads(urllib.request.urlopen(
            f"{auth}/.well-known/oauth-authorization-server/t/{tenant}", timeout=10).read())
        reg = self._json("POST", self.meta["registration_endpoint"], json.dumps({
            "client_name": "bench/auth.sh", "redirect_uris": [REDIRECT], "token_endpoint_auth_method": "none",
            "grant_types": ["authorization_code", "refresh_token"], "response_types": ["code"],
            "scope": SCOPES}).encode(), {"Content-Type": "application/json"})
        self.client_id = reg["client_id"]
        self.browser = urllib.request.build_opener(_NoRedirect(), urllib.request.HTTPCookieProcessor(
            http.cookiejar.CookieJar()))

    def _json(self, method: str, url: str, data: bytes, headers: dict[str, str]) -> dict:
        req = urllib.request.Request(url, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(req, timeout=10) as r:
                return json.loads(r.read())
        except urllib.error.HTTPError as e:
            raise SystemExit(f"{method} {url}: HTTP {e.code} {e.read()[:300]!r}")

    def _open(self, url: str, data: dict | None = None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        try:
            r = self.browser.open(urllib.request.Request(url, data=body), timeout=10)
            return r.status, r.headers, r.read().decode()
        except urllib.error.HTTPError as e:  # 3xx (not followed) and 4xx land here
            return e.code, e.headers, e.read().decode()

    def code(self, challenge: str, state: str) -> str:
        q = urllib.parse.urlencode({"response_type": "code", "client_id": self.client_id, "redirect_uri": REDIRECT,
                                    "state": state, "code_challenge": challenge, "code_challenge_method": "S256",
                                    "scope": SCOPES, "resource": self.resource})
        status, headers, text = self._open(f"{self.meta['authorization_endpoint']}?{q}")
        for _ in range(10):
            if status in (301, 302, 303, 307, 308):
                target = urllib.parse.urljoin(self.auth, headers["Location"])
                if target.startswith(REDIRECT):
                    params = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(target).query))
                    if params.get("state") != state or "code" not in params:
                        raise SystemExit(f"bad redirect: {target}")
                    return params["code"]
                status, headers, text = self._open(target)
                continue
            p = _Forms()
            p.feed(text)
            form = next((f for f in p.forms if "password" in f["fields"] or f["buttons"]), None)
            if form is None:
                raise SystemExit(f"no form on the page (HTTP {status}): {text[:300]!r}")
            data = dict(form["fields"])
            if "password" in data:
                data.update(email=self.email, password=self.password)
            else:
                data["decision"] = "approve"
            status, headers, text = self._open(urllib.parse.urljoin(self.auth, form["action"]), data)
        raise SystemExit("authorization did not redirect back")

    def tokens(self) -> dict:
        verifier = secrets.token_urlsafe(48)
        challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
        code = self.code(challenge, secrets.token_urlsafe(16))
        return self._json("POST", self.meta["token_endpoint"], urllib.parse.urlencode({
            "grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT, "client_id": self.client_id,
            "code_verifier": verifier, "resource": self.resource}).encode(),
            {"Content-Type": "application/x-www-form-urlencoded"})


def refresh_lua(token_url: str, client_id: str, refresh_tokens: list[str]) -> str:
    """wrk script: POST grant_type=refresh_token. Refresh tokens rotate on every use, so each
    connection carries its own chain: wrk calls response() and then request() for the same
    connection back to back, and the token read from one response is the next request's."""
    path = urllib.parse.urlsplit(token_url).path
    pool = ",\n  ".join(json.dumps(t) for t in refresh_tokens)
    prefix = urllib.parse.urlencode({"grant_type": "refresh_token", "client_id": client_id}) + "&refresh_token="
    return f"""-- generated by bench/auth_tool.py
wrk.method = "POST"
wrk.path = {json.dumps(path)}
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
local pool = {{
  {pool}
}}
-- Rotated tokens read from answers, oldest first. wrk may answer several connections before it
-- writes their next requests, so a single variable would drop chains; a queue never reuses one.
local fresh = {{}}
local first = 0
function setup(thread)
  thread:set("first", first)
  first = first + 1
end
function init(args)
  -- threads take disjoint slices of the pool: every chain starts from its own token
  local slice, i = {{}}, 0
  for k = 1, #pool do
    if (k - 1) % {{THREADS}} == first then i = i + 1; slice[i] = pool[k] end
  end
  pool = slice
end
local function escape(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end
function request()
  local token = table.remove(fresh, 1) or table.remove(pool) or "exhausted"
  return wrk.format(nil, nil, nil, {json.dumps(prefix)} .. escape(token))
end
function response(status, headers, body)
  if status == 200 then
    local token = body:match('"refresh_token"%s*:%s*"([^"]+)"')
    if token then fresh[#fresh + 1] = token end
  end
end
"""


def main(argv: list[str]) -> None:
    cmd = argv[1]
    if cmd == "tokens":          # tokens AUTH MCP TENANT EMAIL PASSWORD COUNT > JSON
        flow = Flow(*argv[2:7])
        issued = [flow.tokens() for _ in range(int(argv[7]))]
        json.dump({"client_id": flow.client_id, "token_endpoint": flow.meta["token_endpoint"],
                   "access_token": issued[0]["access_token"], "expires_in": issued[0]["expires_in"],
                   "refresh_tokens": [t["refresh_token"] for t in issued]}, sys.stdout)
    elif cmd == "field":         # field NAME < JSON
        print(json.load(sys.stdin)[argv[2]])
    elif cmd == "refresh-lua":   # refresh-lua TOKENS.json THREADS
        d = json.load(open(argv[2]))
        sys.stdout.write(refresh_lua(d["token_endpoint"], d["client_id"], d["refresh_tokens"])
                         .replace("{THREADS}", argv[3]))
    elif cmd == "report":        # report RESULTS.jsonl META
        sys.stdout.write(report(argv[2], argv[3]))
    elif cmd in ("lua", "validate", "session", "token"):
        benchtool.main(argv)
    else:
        benchlib.main(argv)      # cpu, freeport, fetch, record


def report(jsonl: str, meta: str) -> str:
    runs = [json.loads(l) for l in open(jsonl) if l.strip()]
    names = list(dict.fromkeys(r["server"] for r in runs))
    rows = {}
    for n in names:
        rs = [r for r in runs if r["server"] == n]
        rows[n] = {k: statistics.median([r[f] for r in rs]) for k, f in
                   (("rps", "rps"), ("p50", "p50_ms"), ("p99", "p99_ms"), ("cpu", "cpu_us_per_req"))}
        rows[n]["errors"] = sum(r["non2xx"] + r["socket_errors"] for r in rs)
        rows[n]["n"] = len(rs)
    out = [meta.rstrip(), "", "| target | req/s | p50 | p99 | server CPU per request | runs | errors |",
           "|---|---:|---:|---:|---:|---:|---:|"]
    for n in names:
        r = rows[n]
        out.append(f"| {n} | {r['rps']:,.0f} | {r['p50']:.2f} ms | {r['p99']:.2f} ms | {r['cpu']:.1f} µs "
                   f"| {r['n']} | {r['errors']} |")
    jwt, pat = "tools/call, JWT access token", "tools/call, PAT"
    if jwt in rows and pat in rows:
        a, b = rows[jwt], rows[pat]
        out += ["", "| JWT / PAT | req/s | p50 | p99 | CPU/request |", "|---|---:|---:|---:|---:|",
                f"| ratio | {a['rps'] / b['rps']:.3f}× | {a['p50'] / b['p50']:.3f}× | {a['p99'] / b['p99']:.3f}× "
                f"| {a['cpu'] / b['cpu']:.3f}× |"]
    out += ["", "Individual runs:", "", "| round | target | req/s | p50 | p99 | CPU/req | errors |",
            "|---:|---|---:|---:|---:|---:|---:|"]
    for r in runs:
        out.append(f"| {r['round']} | {r['server']} | {r['rps']:,.0f} | {r['p50_ms']:.2f} ms | {r['p99_ms']:.2f} ms "
                   f"| {r['cpu_us_per_req']:.1f} µs | {r['non2xx'] + r['socket_errors']} |")
    return "\n".join(out) + "\n"


if __name__ == "__main__":
    main(sys.argv)

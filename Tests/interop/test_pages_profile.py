"""The MCP Integration profile page in a real browser (issue 6): a token generated on the page,
read from it once, used by the official MCP SDK, listed masked, revoked after a confirmation and
refused at the next call; an MCP client's whole OAuth flow with the browser doing login and
consent, the app listed and revoked the same way; the 10-token limit; validation messages next
to their fields; sign out; CSRF; security headers; nothing loaded from outside; keyboard reach
and visible focus; screenshots at both widths."""

from __future__ import annotations

import asyncio
import datetime
import re
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlsplit

import httpx
import httpx2
import pytest
from mcp import Client
from mcp.client.auth import OAuthClientProvider
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.auth import AuthorizationCodeResult, OAuthClientMetadata
from pydantic import AnyUrl
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from browser_support import (DESKTOP, PHONE, assert_desk_table, assert_phone_cards, browser, foreign_requests,  # noqa: F401
                             login, screenshot, table_layout, wait_for)
from mcp_support import ALL_TOOLS, PASSWORD, TENANT, Raw, cli
from oauth_support import oauth_deployment  # noqa: F401  (module-scoped fixture)
from test_oauth_mcp_sdk import MemoryStorage

PROFILE = f"/t/{TENANT}/profile/mcp"


def run(coro):
    return asyncio.run(asyncio.wait_for(coro, timeout=120))


def profile_url(dep) -> str:
    return f"{dep.auth_url}{PROFILE}"


def signed_in(browser, dep, email: str, width: int = DESKTOP):
    driver = browser(width)
    login(driver, dep.auth_url, TENANT, email, PASSWORD)
    return driver


def banner(driver) -> str:
    return wait_for(driver, ".banner").text


def active_tokens(dep, email: str) -> int:
    return dep.one("""SELECT COUNT(*) AS n FROM personal_access_tokens WHERE tenant_id = ? AND user_id = ?
                      AND revoked_at IS NULL""", dep.tenant_id(), dep.user_id(email))["n"]


def generate(driver, name: str = "") -> None:
    field = wait_for(driver, "#token-name")
    field.clear()
    if name:
        field.send_keys(name)
    driver.find_element(By.CSS_SELECTOR, "form[action$='/profile/mcp/tokens'] button[type=submit]").click()


def session_http(driver, dep) -> httpx.Client:
    """An httpx client carrying the browser's cookies (to send what a browser form would not)."""
    jar = httpx.Cookies()
    for c in driver.get_cookies():
        jar.set(c["name"], c["value"], domain=urlsplit(dep.auth_url).hostname, path=c.get("path", "/"))
    return httpx.Client(base_url=dep.auth_url, cookies=jar, follow_redirects=False, timeout=30)


def csrf_of(html: str) -> str:
    match = re.search(r'name="csrf" value="([^"]+)"', html)
    assert match, "no csrf field on the page"
    return match.group(1)


async def list_tools_with(dep, token: str) -> set[str]:
    async with httpx2.AsyncClient(headers={"Authorization": f"Bearer {token}"}, timeout=httpx2.Timeout(30.0)) as http:
        async with Client(streamable_http_client(dep.mcp_url(), http_client=http)) as client:
            return {t.name for t in (await client.list_tools()).tools}


def assert_page_headers(resp: httpx.Response) -> None:
    csp = resp.headers["content-security-policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, csp
    assert "frame-ancestors 'none'" in csp and "default-src 'none'" in csp, csp
    assert "script-src 'self'" in csp or "script-src" not in csp, csp
    assert resp.headers["x-frame-options"] == "DENY"
    assert resp.headers["referrer-policy"] == "no-referrer"
    assert resp.headers["x-content-type-options"] == "nosniff"
    assert "no-store" in resp.headers["cache-control"]


# --- tokens ------------------------------------------------------------------------------------

def test_a_token_is_shown_once_works_is_listed_masked_and_revoked_after_confirmation(oauth_deployment, browser):
    dep = oauth_deployment
    email = f"dana@{TENANT}.test"
    driver = browser()
    # Login with no `next` lands on this page.
    login(driver, dep.auth_url, TENANT, email, PASSWORD)
    assert urlsplit(driver.current_url).path == PROFILE
    wait_for(driver, "#no-tokens")
    assert wait_for(driver, "#mcp-url").text == dep.mcp_url()
    assert f"{urlsplit(dep.mcp_url()).netloc}/t/{TENANT}/sse" in driver.find_element(By.ID, "sse-url").text
    for tool in ("Claude Desktop", "Cursor", "VS Code"):
        assert tool in driver.page_source
    assert dep.mcp_url() in driver.find_element(By.ID, "snippet-cursor").text
    # Copy buttons are revealed by /assets/copy.js (CSP script-src 'self' lets it run).
    assert driver.find_element(By.CSS_SELECTOR, "button[data-copy=snippet-cursor]").is_displayed()
    assert [a.text for a in driver.find_elements(By.CSS_SELECTOR, "header nav a")] == ["MCP Integration"]
    assert foreign_requests(driver) == []
    screenshot(driver, "profile-empty")
    driver.set_window_size(PHONE, 1000)
    screenshot(driver, "profile-empty")
    driver.set_window_size(DESKTOP, 1000)

    # Every scope is checked and the expiry is two years by default.
    boxes = driver.find_elements(By.CSS_SELECTOR, "input[type=checkbox][name=scope]")
    assert {b.get_attribute("value") for b in boxes} == {"tickets:read", "tickets:write", "directory:read"}
    assert all(b.is_selected() for b in boxes)
    assert driver.find_element(By.ID, "token-days").get_attribute("value") == str(two_years_in_days())

    generate(driver, "Interop laptop")
    assert "generated" in banner(driver)
    token = wait_for(driver, "#new-token").text.strip()
    assert token.startswith("dgpat_") and len(token) > 30
    assert "will not be shown again" in driver.find_element(By.CSS_SELECTOR, ".reveal").text
    assert token not in driver.current_url
    assert urlsplit(driver.current_url).path == PROFILE       # POST-redirect-GET
    # The copy button puts exactly the token on the clipboard.
    driver.find_element(By.CSS_SELECTOR, "button[data-copy=new-token]").click()
    WebDriverWait(driver, 5).until(
        lambda d: d.find_element(By.CSS_SELECTOR, "button[data-copy=new-token]").text == "Copied")
    copied = driver.execute_async_script("const done = arguments[0]; navigator.clipboard.readText().then(done, () => done(null));")
    assert copied in (token, None), "the clipboard holds the token (or cannot be read headless)"
    assert foreign_requests(driver) == []
    screenshot(driver, "profile-token-shown")
    driver.set_window_size(PHONE, 1000)
    screenshot(driver, "profile-token-shown")
    driver.set_window_size(DESKTOP, 1000)

    # Reloading shows it no more; the list shows it masked only.
    driver.get(profile_url(dep))
    item = wait_for(driver, "#token-list tbody tr")
    assert not driver.find_elements(By.ID, "new-token")
    assert token not in driver.page_source
    masked = item.find_element(By.CSS_SELECTOR, "code.masked").text
    assert masked.startswith("dgpat_") and masked.endswith(token[-4:]) and masked != token
    assert "Interop laptop" in item.text and "tickets:write" in item.text and "never" in item.text

    # The token works with the official MCP SDK.
    # (Its "last used" is written in batches by deskgate-mcp, so it is not waited for here.)
    assert run(list_tools_with(dep, token)) == ALL_TOOLS

    # Revoke: the list leads to a confirmation; Cancel changes nothing; the confirm button revokes.
    wait_for(driver, "#token-list tbody tr a.danger").click()
    wait_for(driver, "section.confirm")
    assert masked in driver.page_source
    driver.find_element(By.LINK_TEXT, "Cancel").click()
    wait_for(driver, "#token-list tbody tr")
    assert active_tokens(dep, email) == 1
    driver.find_element(By.CSS_SELECTOR, "#token-list tbody tr a.danger").click()
    wait_for(driver, "section.confirm button.danger").click()
    assert "revoked" in banner(driver)
    wait_for(driver, "#no-tokens")
    assert active_tokens(dep, email) == 0
    raw = Raw(dep, token)
    try:
        refused = raw.modern("tools/list", {})
    finally:
        raw.close()
    assert refused.status_code == 401, refused.text[:300]
    # The token was never written to either server's log (access log and security events).
    assert token not in dep.auth.stderr_text() and token not in dep.server.stderr_text()
    assert "profile/mcp" in dep.auth.stderr_text(), "the auth server's log is where we looked"


def test_the_eleventh_token_is_refused_with_the_limit_explained(oauth_deployment, browser):
    dep = oauth_deployment
    email = f"priya@{TENANT}.test"
    for i in range(9):
        dep.create_token(email, name=f"cli {i}")
    driver = signed_in(browser, dep, email)
    generate(driver, "tenth")
    assert "generated" in banner(driver)
    wait_for(driver, "#new-token")
    # Ten active: the form is replaced by the explanation.
    driver.get(profile_url(dep))
    assert "Revoke a token" in wait_for(driver, "#token-limit").text
    assert not driver.find_elements(By.ID, "token-name")
    assert len(driver.find_elements(By.CSS_SELECTOR, "#token-list tbody tr")) == 10

    # A form opened before the limit was reached is refused by the server, and says why.
    first = dep.one("SELECT id FROM personal_access_tokens WHERE user_id = ? AND name = 'cli 0'", dep.user_id(email))
    cli(dep.database, dep.keys, "token", "revoke", "--tenant", TENANT, str(first["id"]))
    driver.get(profile_url(dep))
    wait_for(driver, "#token-name")
    dep.create_token(email, name="raced in")
    generate(driver, "eleventh")
    assert "most active tokens" in banner(driver)
    assert "Revoke a token" in wait_for(driver, "#token-limit").text
    assert active_tokens(dep, email) == 10
    assert "eleventh" not in driver.page_source


def test_validation_errors_are_shown_next_to_their_fields(oauth_deployment, browser):
    dep = oauth_deployment
    email = f"lee@{TENANT}.test"
    driver = signed_in(browser, dep, email)
    wait_for(driver, "#token-name").send_keys("keeps its name")
    for box in driver.find_elements(By.CSS_SELECTOR, "input[type=checkbox][name=scope]"):
        box.click()
    days = driver.find_element(By.ID, "token-days")
    days.clear()
    days.send_keys("9999")
    driver.find_element(By.CSS_SELECTOR, "form[action$='/profile/mcp/tokens'] button[type=submit]").click()
    assert "not generated" in banner(driver)
    scope_error = wait_for(driver, "#scope-error")
    assert "at least one scope" in scope_error.text
    # Next to the field: inside the scopes fieldset, and right after the days input's hint.
    assert driver.execute_script("return document.getElementById('scope-error').closest('fieldset') !== null")
    days_error = driver.find_element(By.ID, "expires_in_days-error")
    assert f"1 to {two_years_in_days()}" in days_error.text
    days = driver.find_element(By.ID, "token-days")
    assert days.get_attribute("aria-invalid") == "true"
    assert "expires_in_days-error" in days.get_attribute("aria-describedby")
    assert days.get_attribute("value") == "9999"
    assert driver.find_element(By.ID, "token-name").get_attribute("value") == "keeps its name"
    assert not driver.find_elements(By.ID, "name-error"), "a valid field gets no message"
    assert active_tokens(dep, email) == 0
    screenshot(driver, "profile-validation")


# --- authorized apps: the OAuth flow with the browser doing login and consent --------------------

class Callback:
    """A tiny listener standing in for the MCP client's redirect URI."""

    def __init__(self):
        self.query: dict[str, str] | None = None
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802
                if urlsplit(self.path).path == "/callback":   # not the browser's /favicon.ico after it
                    owner.query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
                body = b"<!doctype html><title>Done</title><p>You can close this window.</p>"
                self.send_response(200)
                self.send_header("Content-Type", "text/html")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.uri = f"http://127.0.0.1:{self.server.server_port}/callback"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def browser_consents(driver, dep, email: str, url: str, callback: Callback) -> None:
    """What a person does when the MCP client opens the authorization URL: sign in, approve."""
    driver.get(url)
    wait_for(driver, "input[name=email]").send_keys(email)
    driver.find_element(By.CSS_SELECTOR, "input[name=password]").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    wait_for(driver, "button[value=approve]").click()
    WebDriverWait(driver, 15).until(lambda d: d.current_url.startswith(callback.uri))


def test_an_mcp_clients_oauth_flow_in_the_browser_then_the_app_is_listed_and_revoked(oauth_deployment, browser):
    dep = oauth_deployment
    email = f"sam@{TENANT}.test"
    driver = browser()
    callback = Callback()
    storage = MemoryStorage()
    app_name = "Interop MCP app (browser)"

    async def redirect_handler(url: str) -> None:
        await asyncio.to_thread(browser_consents, driver, dep, email, url, callback)

    async def callback_handler() -> AuthorizationCodeResult:
        q = callback.query
        assert q and q.get("code"), q
        return AuthorizationCodeResult(code=q["code"], state=q.get("state"), iss=q.get("iss"))

    metadata = OAuthClientMetadata(client_name=app_name, redirect_uris=[AnyUrl(callback.uri)],
                                   token_endpoint_auth_method="none")
    provider = OAuthClientProvider(server_url=dep.mcp_url(), client_metadata=metadata, storage=storage,
                                   redirect_handler=redirect_handler, callback_handler=callback_handler)

    async def connect():
        async with httpx2.AsyncClient(auth=provider, timeout=httpx2.Timeout(30.0)) as hc:
            async with Client(streamable_http_client(dep.mcp_url(), http_client=hc)) as client:
                return {t.name for t in (await client.list_tools()).tools}

    try:
        assert run(connect()) == ALL_TOOLS
    finally:
        callback.close()
    access = storage.tokens.access_token

    # The same browser is signed in: the profile page lists the app.
    dep.create_token(email, name="Second laptop")
    driver.get(profile_url(dep))
    app = wait_for(driver, "#app-list tbody tr")
    assert app_name in app.text and "127.0.0.1" in app.text and "tickets:read" in app.text
    headers = [th.get_attribute("textContent") for th in driver.find_elements(By.CSS_SELECTOR, "#app-list thead th[scope=col]")]
    assert "Last used" in headers and "Approved" in headers
    wait_for(driver, "#token-list tbody tr")
    assert foreign_requests(driver) == []
    # Desk width: tables with column headers; 375 px: the same rows as labelled cards.
    assert_desk_table(table_layout(driver, "token-list"), ["Name", "Token", "Scopes", "Asks you first", "Created", "Last used",
                                                           "Use, 30 days", "Expires", "Actions"])
    assert_desk_table(table_layout(driver, "app-list"), ["App", "Returns to", "Scopes", "Approved", "Last used",
                                                         "Use, 30 days", "Actions"])
    screenshot(driver, "profile-listed")
    driver.set_window_size(PHONE, 1000)
    screenshot(driver, "profile-listed")
    assert_phone_cards(table_layout(driver, "token-list"))
    assert_phone_cards(table_layout(driver, "app-list"))
    overflow = driver.execute_script("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"profile page scrolls sideways by {overflow}px at 375px"
    driver.set_window_size(DESKTOP, 1000)

    raw = Raw(dep, access)
    try:
        assert raw.modern("tools/list", {}).status_code == 200
        app.find_element(By.CSS_SELECTOR, "a.danger").click()
        wait_for(driver, "section.confirm")
        assert app_name in driver.find_element(By.TAG_NAME, "h1").text
        screenshot(driver, "profile-confirm-revoke")
        driver.find_element(By.CSS_SELECTOR, "section.confirm button.danger").click()
        assert "revoked" in banner(driver)
        wait_for(driver, "#no-apps")
        refused = raw.modern("tools/list", {})
    finally:
        raw.close()
    assert refused.status_code == 401, refused.text[:300]


# --- session, CSRF, headers, keyboard -------------------------------------------------------------

def test_sign_out_ends_the_session_and_the_page_then_asks_for_login(oauth_deployment, browser):
    dep = oauth_deployment
    driver = signed_in(browser, dep, f"admin@{TENANT}.test")
    # An admin also sees the Admin entry.
    assert [a.text for a in driver.find_elements(By.CSS_SELECTOR, "header nav a")] == ["MCP Integration", "Admin"]
    old = session_http(driver, dep)
    wait_for(driver, "form.signout button").click()
    WebDriverWait(driver, 10).until(lambda d: urlsplit(d.current_url).path == f"/t/{TENANT}/login")
    driver.get(profile_url(dep))
    WebDriverWait(driver, 10).until(lambda d: urlsplit(d.current_url).path == f"/t/{TENANT}/login")
    assert parse_qs(urlsplit(driver.current_url).query)["next"] == [PROFILE]
    # The old cookie is dead on the server, not just deleted in the browser.
    r = old.get(PROFILE)
    assert r.status_code == 303 and r.headers["location"].startswith(f"/t/{TENANT}/login?next=")
    old.close()
    # Signing in again returns to the page asked for.
    driver.find_element(By.CSS_SELECTOR, "input[name=email]").send_keys(f"admin@{TENANT}.test")
    driver.find_element(By.CSS_SELECTOR, "input[name=password]").send_keys(PASSWORD)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: urlsplit(d.current_url).path == PROFILE)


def test_forms_without_the_sessions_csrf_token_are_refused(oauth_deployment, browser):
    dep = oauth_deployment
    email = f"viewer@{TENANT}.test"
    driver = signed_in(browser, dep, email)
    http = session_http(driver, dep)
    try:
        page = http.get(PROFILE)
        assert page.status_code == 200
        csrf = csrf_of(page.text)
        form = {"name": "forged", "scope": "tickets:read", "expires_in_days": "30"}
        for sent in ({}, {"csrf": "x" * len(csrf)}, {"csrf": ""}):
            r = http.post(f"{PROFILE}/tokens", data={**form, **sent})
            assert r.status_code == 403 and "Form expired" in r.text, r.status_code
        assert active_tokens(dep, email) == 0
        token = dep.create_token(email, scopes=("tickets:read",), name="keep")
        r = http.post(f"{PROFILE}/tokens/{token.id}/revoke", data={})
        assert r.status_code == 403 and active_tokens(dep, email) == 1
        r = http.post(f"/t/{TENANT}/logout", data={"csrf": "nope"})
        assert r.status_code == 403 and http.get(PROFILE).status_code == 200
        # With the token the same form works (and follows POST-redirect-GET).
        r = http.post(f"{PROFILE}/tokens", data={**form, "csrf": csrf})
        assert r.status_code == 303 and r.headers["location"] == PROFILE
        assert "dgpat_" not in r.headers["location"] and not any("dgpat_" in v for v in r.headers.get_list("set-cookie"))
        assert active_tokens(dep, email) == 2
        # Someone else's token id is "not found" here, and nothing is revoked.
        other = dep.create_token(f"dana@{TENANT}.test", name="not yours")
        r = http.post(f"{PROFILE}/tokens/{other.id}/revoke", data={"csrf": csrf})
        assert r.status_code == 303
        assert "not found" in http.get(PROFILE).text
        assert dep.one("SELECT revoked_at FROM personal_access_tokens WHERE id = ?", int(other.id))["revoked_at"] is None
    finally:
        http.close()


def test_every_profile_page_carries_the_security_headers(oauth_deployment, browser):
    dep = oauth_deployment
    email = f"viewer@{TENANT}.test"
    anonymous = httpx.get(profile_url(dep), follow_redirects=False)
    assert anonymous.status_code == 303
    assert anonymous.headers["location"] == f"/t/{TENANT}/login?next=%2Ft%2F{TENANT}%2Fprofile%2Fmcp"
    driver = signed_in(browser, dep, email)
    token = dep.create_token(email, scopes=("tickets:read",), name="headers")
    http = session_http(driver, dep)
    try:
        for path in (PROFILE, f"{PROFILE}/tokens/{token.id}/revoke"):
            r = http.get(path)
            assert r.status_code == 200, (path, r.status_code)
            assert_page_headers(r)
            assert "<script>" not in r.text and " style=" not in r.text and "onclick" not in r.text
        r = http.post(f"{PROFILE}/tokens", data={"name": "x" * 101, "scope": "tickets:read",
                                                  "expires_in_days": "30", "csrf": csrf_of(http.get(PROFILE).text)})
        assert r.status_code == 422 and "name-error" in r.text
        assert_page_headers(r)
        script = http.get("/assets/copy.js")
        assert script.status_code == 200 and script.headers["content-type"].startswith("text/javascript")
        assert http.get(f"/t/nowhere/profile/mcp").status_code == 404
    finally:
        http.close()


def test_every_control_is_reachable_with_tab_and_shows_its_focus(oauth_deployment, browser):
    dep = oauth_deployment
    email = f"viewer@{TENANT}.test"
    driver = signed_in(browser, dep, email)
    wait_for(driver, "#token-list tbody tr")
    controls = driver.execute_script("""
        return [...document.querySelectorAll('a[href], button, input:not([type=hidden]), select, textarea, [tabindex="0"]')]
            .filter(e => !e.hidden && e.offsetParent !== null)
            .map(e => e.id || e.getAttribute('aria-label') || e.textContent.trim() || e.name);""")
    assert len(controls) > 10, controls
    body = driver.find_element(By.TAG_NAME, "body")
    body.click()
    reached, styles = [], {}
    for _ in range(len(controls) + 15):
        driver.switch_to.active_element.send_keys(Keys.TAB)
        info = driver.execute_script("""
            const e = document.activeElement, s = getComputedStyle(e);
            return [e.id || e.getAttribute('aria-label') || e.textContent.trim() || e.name,
                    e.matches(':focus-visible'), s.outlineStyle, s.outlineWidth, s.boxShadow, e.tagName];""")
        reached.append(info[0])
        styles.setdefault(info[5], info)
    missing = [c for c in controls if c not in reached]
    assert not missing, f"not reachable with Tab: {missing}"
    for tag in ("A", "BUTTON", "INPUT"):
        _, visible, outline, width, shadow, _ = styles[tag]
        assert visible, f"{tag} focused by keyboard is not :focus-visible"
        assert (outline != "none" and width not in ("0px", "")) or shadow != "none", (tag, outline, width, shadow)


def two_years_in_days() -> int:
    """Days from today (UTC) to the same date two calendar years on (29 February to the 28th):
    730, or 731 when a leap day falls between."""
    today = datetime.datetime.now(datetime.timezone.utc).date()
    try:
        later = today.replace(year=today.year + 2)
    except ValueError:
        later = today.replace(year=today.year + 2, day=28)
    return (later - today).days

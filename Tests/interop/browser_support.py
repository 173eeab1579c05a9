"""A real browser for the page tests (issue 6): Debian's chromium driven by Selenium through
Debian's chromium-driver, headless, at the two widths the pages must read well at.

Screenshots go to {test output}/screens/{name}-{width}.png; with DESKGATE_UPDATE_SCREENS=1 the
desktop ones are also copied to docs/screens/ (that is how the committed pictures are made), on
the SQLite pass only."""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import WebDriverWait

import dbkit
from conftest import OUTPUT_DIR, REPO_ROOT

DESKTOP = 1440
PHONE = 375
WIDTHS = (DESKTOP, PHONE)
CHROMIUM = os.environ.get("DESKGATE_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("DESKGATE_CHROMEDRIVER", "/usr/bin/chromedriver")


def new_browser(width: int = DESKTOP, height: int = 1000) -> webdriver.Chrome:
    for path in (CHROMIUM, CHROMEDRIVER):
        if not Path(path).is_file():
            pytest.fail(f"{path} not found: install Debian's chromium and chromium-driver (.ci/run does)")
    options = Options()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--no-first-run", "--disable-extensions", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--metrics-recording-only",
                f"--window-size={width},{height}"):
        options.add_argument(arg)
    # Clipboard reads in the copy-button test need the permission granted up front.
    options.add_experimental_option("prefs", {"profile.content_settings.exceptions.clipboard": {
        "*": {"setting": 1}}})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(20)
    driver.set_window_size(width, height)
    return driver


@pytest.fixture
def browser():
    """Factory: browser(width=1440) -> a fresh Chrome session (own cookies), quit at teardown."""
    drivers: list[webdriver.Chrome] = []

    def start(width: int = DESKTOP) -> webdriver.Chrome:
        d = new_browser(width)
        drivers.append(d)
        return d

    yield start
    for d in drivers:
        try:
            d.quit()
        except Exception:  # a crashed browser must not hide the test's own failure
            pass


def wait_for(driver, css: str, timeout: float = 10.0):
    return WebDriverWait(driver, timeout).until(EC.presence_of_element_located((By.CSS_SELECTOR, css)))


def screenshot(driver, name: str) -> Path:
    """Save the whole page (full height) at the driver's current width."""
    width = driver.get_window_size()["width"]
    height = driver.execute_script("return Math.max(document.body.scrollHeight, 600)")
    driver.set_window_size(width, min(int(height) + 120, 6000))
    dest_dir = OUTPUT_DIR / "screens"
    dest_dir.mkdir(parents=True, exist_ok=True)
    dest = dest_dir / f"{name}-{width}.png"
    driver.save_screenshot(str(dest))
    # The docs' pictures come from the SQLite pass only (the PostgreSQL pass would redo them).
    if width == DESKTOP and os.environ.get("DESKGATE_UPDATE_SCREENS") == "1" and not dbkit.on_postgres():
        docs = REPO_ROOT / "docs" / "screens"
        docs.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(dest, docs / f"{name}.png")
    return dest


def foreign_requests(driver, *allowed_hosts: str) -> list[str]:
    """Every resource the page loaded from a host other than the ones given (the pages must
    work offline: no CDN, no font service, no analytics)."""
    names = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
        ".concat([document.location.href])")
    allowed = set(allowed_hosts) | {"127.0.0.1"}
    return [n for n in names if urlsplit(n).hostname not in allowed and not n.startswith("data:")]


def login(driver, auth_base: str, tenant: str, email: str, password: str, next_path: str = "") -> None:
    """Sign in through the real login form; lands wherever the server sends the browser."""
    url = f"{auth_base}/t/{tenant}/login" + (f"?next={next_path}" if next_path else "")
    driver.get(url)
    wait_for(driver, "input[name=email]").send_keys(email)
    driver.find_element(By.CSS_SELECTOR, "input[name=password]").send_keys(password)
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit], form input[type=submit]").click()
    WebDriverWait(driver, 10).until(lambda d: "/login" not in urlsplit(d.current_url).path)


# How a RecordTable (Sources/DeskgateAuth/Web/RecordTable.swift) is laid out in the browser: per
# row, each cell's content height in lines, whether every key=value member of its details sits on
# one line, and the computed styles that decide word breaking; for the table, its width against
# the box it must fit in.
_TABLE_LAYOUT_JS = """
const table = document.getElementById(arguments[0]);
if (!table) return null;
const wrap = table.parentElement;
function lines(el) {
  const range = document.createRange();
  range.selectNodeContents(el);
  const height = range.getBoundingClientRect().height;
  const lineHeight = parseFloat(getComputedStyle(el).lineHeight);
  return {lines: Math.round(height / lineHeight), height: height, lineHeight: lineHeight};
}
const rows = [...table.tBodies[0].rows].map(tr => ({
  attributes: Object.fromEntries([...tr.attributes].map(a => [a.name, a.value])),
  display: getComputedStyle(tr).display,
  right: tr.getBoundingClientRect().right,
  cells: [...tr.cells].map(td => Object.assign(lines(td), {
    label: td.dataset.label, className: td.className, text: td.innerText,
    before: getComputedStyle(td, '::before').content,
    overflowWrap: getComputedStyle(td).overflowWrap, wordBreak: getComputedStyle(td).wordBreak,
    members: [...td.querySelectorAll('.kv')].map(kv => Object.assign(lines(kv), {text: kv.textContent})),
  })),
}));
const head = table.tHead.getBoundingClientRect();
return {
  rows: rows,
  headers: [...table.tHead.querySelectorAll('th')].map(th => ({text: th.textContent, scope: th.getAttribute('scope')})),
  headVisible: head.height > 2 && head.width > 2,
  caption: table.caption ? table.caption.textContent : null,
  tableWidth: table.scrollWidth, wrapWidth: wrap.clientWidth, wrapScrolls: wrap.scrollWidth > wrap.clientWidth,
  pageWidth: document.documentElement.scrollWidth, viewport: window.innerWidth,
};
"""


def table_layout(driver, table_id: str) -> dict:
    layout = driver.execute_script(_TABLE_LAYOUT_JS, table_id)
    assert layout is not None, f"no table #{table_id} on {driver.current_url}"
    return layout


def assert_desk_table(layout: dict, headers: list[str]) -> None:
    """A real table: visible column headers with scope=col, a caption, rows as table rows, and
    nothing wider than the page's content box."""
    assert [h["text"] for h in layout["headers"]] == headers
    assert all(h["scope"] == "col" for h in layout["headers"])
    assert layout["headVisible"] and layout["caption"]
    assert layout["rows"] and all(r["display"] == "table-row" for r in layout["rows"])
    # Words wrap whole: no cell may break one anywhere to squeeze its column.
    for row in layout["rows"]:
        for cell in row["cells"]:
            assert cell["overflowWrap"] in ("normal", "break-word") and cell["wordBreak"] == "normal", cell
    assert not layout["wrapScrolls"], f"the table is {layout['tableWidth']}px in a {layout['wrapWidth']}px box"
    assert layout["pageWidth"] <= layout["viewport"]


def assert_phone_cards(layout: dict) -> None:
    """Under 900 px: each row a card (grid), each cell labelled by its column's name, the
    header row out of sight, nothing past the screen's edge."""
    assert not layout["headVisible"]
    for row in layout["rows"]:
        assert row["display"] == "grid", row
        assert row["right"] <= layout["viewport"]
        for cell in row["cells"]:
            if "row-actions" not in cell["className"]:
                assert cell["before"] == f'"{cell["label"]}"', cell
    assert layout["pageWidth"] <= layout["viewport"]

"""The sign-in page in a real browser (issue 6's base): a wrong password is refused on the page,
the right one signs in, nothing is loaded from outside, and the page reads at both widths."""

from __future__ import annotations

from selenium.webdriver.common.by import By

from browser_support import PHONE, WIDTHS, browser, foreign_requests, login, screenshot, wait_for  # noqa: F401
from mcp_support import PASSWORD, TENANT
from oauth_support import oauth_deployment  # noqa: F401  (module-scoped fixture)


def test_login_page_refuses_a_wrong_password_then_signs_in(oauth_deployment, browser):
    dep = oauth_deployment
    driver = browser()
    driver.get(f"{dep.auth_url}/t/{TENANT}/login")
    wait_for(driver, "input[name=email]").send_keys(f"dana@{TENANT}.test")
    driver.find_element(By.CSS_SELECTOR, "input[name=password]").send_keys("not-the-password")
    driver.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    error = wait_for(driver, "[role=alert]")
    assert "password" in error.text.lower()
    assert driver.find_element(By.CSS_SELECTOR, "input[name=email]").get_attribute("value") == f"dana@{TENANT}.test"
    login(driver, dep.auth_url, TENANT, f"dana@{TENANT}.test", PASSWORD)
    assert "/login" not in driver.current_url
    assert any(c["name"].startswith("__Host-") or c["httpOnly"] for c in driver.get_cookies())


def test_login_page_loads_nothing_from_outside_and_reads_at_both_widths(oauth_deployment, browser):
    dep = oauth_deployment
    for width in WIDTHS:
        driver = browser(width)
        driver.get(f"{dep.auth_url}/t/{TENANT}/login")
        wait_for(driver, "input[name=email]")
        assert foreign_requests(driver) == []
        # Nothing wider than the viewport: no sideways scrolling on a phone.
        overflow = driver.execute_script(
            "return document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"page scrolls sideways by {overflow}px at {width}px"
        label_for = driver.execute_script(
            "return [...document.querySelectorAll('input:not([type=hidden])')]"
            ".every(i => i.labels && i.labels.length > 0)")
        assert label_for, "every visible input has a label"
        screenshot(driver, "login")
    assert width == PHONE

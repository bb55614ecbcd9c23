"""Browser tests: Debian's Chromium driven by Playwright against the live test server.

Playwright's synchronous API runs an event loop in the test thread; the test still talks
to the database directly (factories, assertions), which Django only allows with
DJANGO_ALLOW_ASYNC_UNSAFE.
"""

import os
import shutil

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield browser
        browser.close()


# Every page runs under keyplan's Content-Security-Policy: anything it blocks (an inline
# script or handler, eval, a <style> element, a resource from elsewhere) is reported.
REPORT_CSP_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", function (e) {
  console.error("Content Security Policy violation: " + e.violatedDirective + " blocked " +
                (e.blockedURI || "inline") + " in " + e.sourceFile + ":" + e.lineNumber);
});
"""


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context; records every request so tests can prove nothing is
    fetched from outside the keyplan server (it must work offline), and fails on
    JavaScript errors and on anything the Content-Security-Policy blocked."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(REPORT_CSP_VIOLATIONS)
    page = context.new_page()
    page.set_default_timeout(10000)
    page.requests_made = []
    page.on("request", lambda request: page.requests_made.append(request.url))
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    page.csp_violations = []
    page.on(
        "console",
        lambda message: (
            page.csp_violations.append(message.text)
            if "Content Security Policy" in message.text
            else None
        ),
    )
    yield page
    context.close()
    outside = [
        url
        for url in page.requests_made
        if not url.startswith(live_server.url) and not url.startswith(("data:", "blob:"))
    ]
    assert not outside, f"requests left the keyplan server: {outside}"
    assert not page.errors, f"JavaScript errors: {page.errors}"
    assert not page.csp_violations, f"Content Security Policy violations: {page.csp_violations}"


def sign_in(page, live_server, username, password="pw"):
    page.goto(f"{live_server.url}/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def phone_on_whitespace(browser, live_server, *, width=390, height=844):
    """A phone (touch, no pointer) signed in as the demo's rep on the territory's white-space
    page, its model learned (the first visit learns it), and the JavaScript errors it meets
    (a list the test asserts empty). The territory: the seed-42 demo cut to 80 accounts."""
    from io import StringIO

    from django.core.management import call_command

    call_command("generate", "--seed", "42", "--accounts", "80", stdout=StringIO())
    context = browser.new_context(
        viewport={"width": width, "height": height}, has_touch=True, is_mobile=True
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, live_server, "rep", "demo")
    page.goto(f"{live_server.url}/territory/whitespace/")  # learns today's model
    page.goto(f"{live_server.url}/territory/whitespace/")
    return page, errors

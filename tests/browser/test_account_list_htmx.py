"""Typing in the accounts search refreshes the table in place (htmx): the address follows
the search, only matching rows remain, the page is not reloaded, and nothing is fetched
from outside the keyplan server."""

import pytest

from tests.browser.conftest import sign_in
from tests.factories import AccountFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ROWS = "#results tbody tr td:first-child a"


def test_search_refreshes_the_table_without_a_page_load(page, live_server):
    rep = UserFactory(username="rita")
    for name in ("Acme Robotics", "Acme Foods", "Beta Shipping"):
        AccountFactory(name=name, owner=rep)
    loads = []
    page.on("load", lambda _: loads.append(page.url))
    sign_in(page, live_server, "rita")
    page.goto(f"{live_server.url}/accounts/")
    assert page.locator(ROWS).all_text_contents() == [
        "Acme Foods",
        "Acme Robotics",
        "Beta Shipping",
    ]
    page.evaluate("window.__stillHere = true")
    loads_before = len(loads)
    fragments = []
    page.on(
        "request",
        lambda r: fragments.append(r.url) if r.headers.get("hx-request") == "true" else None,
    )

    page.locator("#id_q").press_sequentially("acme", delay=30)
    page.wait_for_url("**/accounts/?*q=acme*")
    page.wait_for_function("() => document.querySelectorAll('#results tbody tr').length === 2")
    assert page.locator(ROWS).all_text_contents() == ["Acme Foods", "Acme Robotics"]
    assert page.evaluate("window.__stillHere") is True  # the same document: no page load
    assert len(loads) == loads_before
    assert fragments and all(url.startswith(f"{live_server.url}/accounts/?") for url in fragments)

    page.locator("#results th a", has_text="Name").click()  # sorting refreshes in place too
    page.wait_for_url("**sort=**")
    page.wait_for_function(
        "() => document.querySelector('#results tbody tr td:first-child a').textContent"
        " === 'Acme Robotics'"
    )
    assert page.locator(ROWS).all_text_contents() == ["Acme Robotics", "Acme Foods"]
    assert page.evaluate("window.__stillHere") is True and len(loads) == loads_before

    # The page, its script and style, and the fragments all came from the keyplan server
    # (the page fixture fails the test for any request that went elsewhere).
    assert any(url.endswith(".js") for url in page.requests_made)
    assert any(url.endswith(".css") for url in page.requests_made)

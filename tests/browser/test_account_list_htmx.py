"""Typing in the accounts search refreshes the table in place (htmx), keeps the URL in
step, and loads nothing from outside the server."""

import pytest

from tests.browser.conftest import sign_in
from tests.factories import AccountFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_search_refreshes_the_table_without_a_page_load(page, live_server):
    rep = UserFactory(username="rita")
    for name in ("Acme Robotics", "Acme Foods", "Beta Shipping"):
        AccountFactory(name=name, owner=rep)
    sign_in(page, live_server, "rita")
    page.goto(f"{live_server.url}/accounts/")
    page.evaluate("window.__stillHere = true")
    page.fill("#id_q", "acme")
    page.wait_for_function("document.querySelectorAll('#results tbody tr').length === 2")
    rows = page.locator("#results tbody tr").all_inner_texts()
    assert all("Acme" in row for row in rows)
    assert page.evaluate("window.__stillHere") is True  # no full page load
    page.wait_for_url("**/accounts/?*q=acme*")
    page.locator("th a", has_text="Name").click()
    page.wait_for_url("**sort=**")
    assert page.evaluate("window.__stillHere") is True

"""A rep signed in through the login form sees their own accounts (and what sits under
them) and nothing of another rep's: the list leaves them out, searching does not find
them, and typing their address gives the plain 404 page."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.factories import AccountFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_rep_sees_only_their_accounts_and_a_404_for_anyone_elses(page, live_server):
    rita, otto = UserFactory(username="rita"), UserFactory(username="otto")
    rita_corp = AccountFactory(name="Rita Corp", owner=rita)
    AccountFactory(name="Rita Plant", parent=rita_corp, kind="division")
    otto_corp = AccountFactory(name="Otto Corp", owner=otto)
    otto_plant = AccountFactory(name="Otto Plant", parent=otto_corp, kind="division")

    sign_in(page, live_server, "rita")
    page.click("nav >> text=Accounts")
    # The click only starts the navigation: wait for the list (auto-retrying) before reading.
    expect(page.locator("#results tbody tr td:first-child")).to_have_text(
        ["Rita Corp", "Rita Plant"]
    )

    page.goto(f"{live_server.url}/accounts/?q=Otto")
    assert page.locator("#results tbody tr td:first-child a").count() == 0
    assert "No accounts match these filters." in page.inner_text("#results")

    for hidden in (otto_corp, otto_plant):
        response = page.goto(f"{live_server.url}/accounts/{hidden.pk}/")
        assert response.status == 404
        assert page.inner_text("h1") == "Not found"
        assert "not visible to you" in page.inner_text("main")
        assert hidden.name not in page.content()

    # Her own account opens: the 404s above are about visibility, not a broken page.
    response = page.goto(f"{live_server.url}/accounts/{rita_corp.pk}/")
    assert response.status == 200 and page.inner_text("h1") == "Rita Corp"

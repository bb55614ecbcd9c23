"""Making, replacing or turning off the calendar address opens the settings page at the
calendar card; the message saying what happened ("the old one no longer works …") is
in that card, on screen, not above the page's top edge where nobody saw it."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 390])
def test_the_calendar_message_is_on_screen(page, live_server, width):
    UserFactory(username="rep", first_name="Rita", last_name="Rep")
    page.set_viewport_size({"width": width, "height": 800})
    sign_in(page, live_server, "rep")
    page.goto(f"{live_server.url}/me/")
    message = page.get_by_test_id("calendar-message")

    page.get_by_test_id("regenerate-feed").click()
    expect(message).to_have_text(
        "Your calendar address is ready: subscribe to it in your calendar application."
    )
    expect(message).to_be_in_viewport()

    page.get_by_test_id("regenerate-feed").click()
    expect(message).to_contain_text("the old one no longer works")
    expect(message).to_be_in_viewport()

    page.get_by_test_id("revoke-feed").click()
    expect(message).to_have_text("Your calendar address no longer works.")
    expect(message).to_be_in_viewport()
    expect(page.locator("main > .message")).to_have_count(0)  # said once, in the card

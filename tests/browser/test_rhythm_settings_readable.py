"""The settings page reads as a form: each email kind's three choices sit beside their
words (the radio buttons were stretched across the card, their words on other lines),
and the whole calendar address can be read before it is copied (it was cut off after
about 25 characters in a narrow box)."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1280, 390])
def test_each_choice_sits_beside_its_words(page, live_server, width):
    UserFactory(username="rep", first_name="Rita", last_name="Rep")
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, "rep")
    page.goto(f"{live_server.url}/me/")
    group = page.get_by_role("group", name="Actions due and overdue")
    expect(group).to_be_visible()
    for words in ("Immediately", "In the daily digest", "Off"):
        choice = group.get_by_role("radio", name=words)
        expect(choice).to_be_visible()
        radio = choice.bounding_box()
        label = group.locator("label", has_text=words).bounding_box()
        assert radio["width"] < 30, f"the {words!r} button is {radio['width']} px wide"
        # The button is inside its label, on the label's line.
        assert label["y"] <= radio["y"] + radio["height"] / 2 <= label["y"] + label["height"]
        assert label["x"] <= radio["x"] < label["x"] + 30
    group.get_by_text("Off").click()
    expect(group.get_by_role("radio", name="Off")).to_be_checked()
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1280, 390])
def test_the_whole_calendar_address_shows(page, live_server, width, settings):
    settings.KEYPLAN_BASE_URL = "https://keyplan.sales.example-company.com"
    UserFactory(username="rep", first_name="Rita", last_name="Rep")
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, "rep")
    page.goto(f"{live_server.url}/me/")
    page.get_by_test_id("regenerate-feed").click()
    address = page.get_by_test_id("feed-url")
    expect(address).to_have_value(
        re.compile(r"^https://keyplan\.sales\.example-company\.com/calendar/.+\.ics$")
    )
    hidden = address.evaluate(
        "e => [e.scrollWidth - e.clientWidth, e.scrollHeight - e.clientHeight]"
    )
    assert hidden == [0, 0], f"part of the address is hidden: {hidden} px across, down"
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width

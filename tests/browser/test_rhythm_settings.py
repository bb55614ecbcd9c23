"""In the browser at a phone's width: a person opens their own settings from the top
bar, makes their calendar address, copies it, and turns off an email kind."""

import re

import pytest
from playwright.sync_api import expect

from keyplan.rhythm.services import settings_for
from tests.browser.conftest import sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_settings_at_390_px(page, live_server):
    person = UserFactory(username="rep", first_name="Rita", last_name="Rep")
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, live_server, "rep")
    page.get_by_test_id("menu-button").click()
    page.get_by_test_id("my-settings").click()
    expect(page.get_by_role("heading", name="Your settings")).to_be_visible()

    page.get_by_test_id("regenerate-feed").click()
    address = page.get_by_test_id("feed-url")
    expect(address).to_have_value(re.compile(r"^http://127\.0\.0\.1:8000/calendar/.+\.ics$"))
    page.get_by_test_id("copy-feed").click()
    expect(page.get_by_text("Copied.")).to_be_visible()

    page.locator("input[name=actions][value=off]").check()
    page.get_by_test_id("save-settings").click()
    expect(page.get_by_text("Your settings are saved.")).to_be_visible()
    expect(page.locator("input[name=actions][value=off]")).to_be_checked()
    assert settings_for(type(person).objects.get(pk=person.pk)).actions == "off"
    width = page.evaluate("document.scrollingElement.scrollWidth")
    assert width <= 390, f"the settings page is {width} px wide at 390 px"

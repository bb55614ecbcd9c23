"""A person makes an API token from their settings, on a phone and on a desktop: the key
shows whole, once, with the sentence that it will not be shown again; the list then
shows the token by its first characters only, and the page never scrolls sideways."""

import re

import pytest
from playwright.sync_api import expect

from keyplan.people.models import ApiToken
from keyplan.people.tokens import token_digest
from tests.browser.conftest import sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_sideways_scroll(page, width):
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1280, 390])
def test_a_new_token_is_shown_once_and_then_only_by_its_prefix(page, live_server, width):
    rep = UserFactory(username="rep", first_name="Rita", last_name="Rep")
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, "rep")
    page.goto(f"{live_server.url}/me/")
    page.get_by_test_id("my-tokens-link").click()
    expect(page.get_by_test_id("no-tokens")).to_be_visible()
    no_sideways_scroll(page, width)

    page.get_by_label("What it is for (optional)").fill("Nightly CRM sync with a long name")
    page.get_by_test_id("make-token-button").click()
    expect(page.get_by_test_id("shown-once")).to_contain_text(
        "it is shown this once and will not be shown again"
    )
    key_box = page.get_by_test_id("new-key")
    expect(key_box).to_have_value(re.compile(r"^[A-Za-z0-9_-]{43}$"))
    key = key_box.input_value()
    assert ApiToken.objects.get(user=rep).digest == token_digest(key)
    hidden = key_box.evaluate(
        "e => [e.scrollWidth - e.clientWidth, e.scrollHeight - e.clientHeight]"
    )
    assert hidden == [0, 0], f"part of the key is hidden: {hidden} px across, down"
    row = page.get_by_test_id("token-row")
    expect(row).to_contain_text(f"{key[:8]}…")
    expect(row).to_contain_text("never used")
    no_sideways_scroll(page, width)

    page.goto(f"{live_server.url}/me/api-tokens/")
    expect(page.get_by_test_id("token-row")).to_contain_text("Nightly CRM sync")
    expect(page.get_by_test_id("new-key")).to_have_count(0)
    assert key not in page.content()
    no_sideways_scroll(page, width)

    page.get_by_test_id("revoke-token").click()
    expect(page.get_by_test_id("revoke-confirmation")).to_contain_text(
        "is refused from the moment you revoke it"
    )
    no_sideways_scroll(page, width)
    page.get_by_test_id("confirm-revoke").click()
    revoked = f"API token {key[:8]}… (“Nightly CRM sync with a long name”) revoked"
    expect(page.get_by_text(revoked)).to_be_visible()
    expect(page.get_by_test_id("no-tokens")).to_be_visible()
    assert not ApiToken.objects.filter(user=rep).exists()

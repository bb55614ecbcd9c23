"""A person changes their own password from their settings (the old one asked first), on
a phone and on a desktop: this browser stays signed in, the API token they held stops
working, and the new password signs them in."""

import pytest
from django.test import Client
from playwright.sync_api import expect

from keyplan.audit.models import AuditEvent
from keyplan.people.tokens import token_issue
from tests.browser.conftest import sign_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHOTS = "/tmp/shots-walk2"


@pytest.mark.parametrize("width", [1280, 390])
def test_a_person_changes_their_password_and_their_token_ends(page, live_server, width):
    rep = UserFactory(username="rita", first_name="Rita", last_name="Rep")
    _, key = token_issue(user=rep, name="Nightly CRM sync")
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    assert api.get("/api/v1/accounts/").status_code == 200
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, live_server, "rita")

    page.goto(f"{live_server.url}/me/")
    page.get_by_test_id("my-password-link").click()
    page.locator("#id_old_password").fill("not my password")
    page.locator("#id_new_password1").fill("Correct-Horse-77")
    page.locator("#id_new_password2").fill("Correct-Horse-77")
    page.get_by_test_id("change-password").click()
    expect(page.locator(".errorlist")).to_contain_text("Your old password was entered incorrectly")
    assert page.evaluate("document.scrollingElement.scrollWidth") <= width
    page.screenshot(path=f"{SHOTS}/password-error-{width}.png", full_page=True)

    page.locator("#id_old_password").fill("pw")
    page.locator("#id_new_password1").fill("Correct-Horse-77")
    page.locator("#id_new_password2").fill("Correct-Horse-77")
    page.get_by_test_id("change-password").click()
    page.wait_for_url(f"{live_server.url}/me/")
    expect(page.locator(".message.success")).to_have_text(
        "Your password is changed; your other sessions are signed out. Your 1 API token "
        "ended with the old password: make new ones for your scripts."
    )
    page.screenshot(path=f"{SHOTS}/password-changed-{width}.png", full_page=True)

    page.goto(f"{live_server.url}/accounts/")  # still signed in here
    assert "/login/" not in page.url
    assert api.get("/api/v1/accounts/").status_code == 401
    assert AuditEvent.objects.filter(action="password_set", object_id=str(rep.pk)).exists()
    page.context.clear_cookies()
    sign_in(page, live_server, "rita", password="Correct-Horse-77")

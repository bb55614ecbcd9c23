"""A session that ended while the page was open: the next click, even one htmx answers in
place, takes the whole window to the sign-in page with a message saying why, and signing
in again comes back to the page."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.sessions.models import Session

from keyplan.people.sessions import SEEN_AT
from tests.browser.conftest import sign_in
from tests.factories import AccountFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def idle_every_session(minutes):
    for row in Session.objects.all():
        session = SessionStore(session_key=row.session_key)
        if SEEN_AT in session:
            session[SEEN_AT] -= minutes * 60
            session.save()


def test_an_idle_session_ends_on_the_next_click(page, live_server):
    rep = UserFactory(username="rita")
    AccountFactory(name="Acme Robotics", owner=rep)
    sign_in(page, live_server, "rita")
    page.goto(f"{live_server.url}/accounts/")
    idle_every_session(61)

    page.locator("#id_q").press_sequentially("acme", delay=30)
    page.wait_for_url("**/login/?next=*")
    message = page.locator(".message").inner_text()
    assert message == (
        "Your session ended after 60 minutes without activity. Please sign in again."
    )
    assert page.locator("#results").count() == 0  # no sign-in form inside the table

    page.fill("#id_username", "rita")
    page.fill("#id_password", "pw")
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/accounts/")
    assert "Acme Robotics" in page.locator("#results").inner_text()

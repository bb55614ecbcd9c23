"""A session ends after an hour without activity, and in any case twelve hours after
signing in; the person lands on the sign-in page told why."""

import time

import pytest
from django.test import Client

from keyplan.people.sessions import SEEN_AT, SIGNED_IN_AT

pytestmark = pytest.mark.django_db


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def age_session(client, *, idle_minutes=0, signed_in_hours=0):
    """Pretends the last request was ``idle_minutes`` ago and the sign-in
    ``signed_in_hours`` ago."""
    session = client.session
    now = time.time()
    session[SEEN_AT] = int(now - idle_minutes * 60)
    session[SIGNED_IN_AT] = int(now - max(signed_in_hours * 3600, idle_minutes * 60))
    session.save()


def test_an_hour_without_activity_ends_the_session(org):
    client = signed_in(org.rep)
    assert client.get("/accounts/").status_code == 200
    age_session(client, idle_minutes=61)

    response = client.get("/accounts/")
    assert response.status_code == 302
    assert response["Location"] == "/login/?next=/accounts/"
    login_page = client.get(response["Location"]).content.decode()
    assert "Your session ended after 60 minutes without activity. Please sign in again." in (
        login_page
    )
    # Signed out for good: the next page asks to sign in again too.
    assert client.get("/accounts/").status_code == 302
    assert "_auth_user_id" not in client.session


def test_activity_keeps_the_session_alive(org):
    client = signed_in(org.rep)
    age_session(client, idle_minutes=59)
    assert client.get("/accounts/").status_code == 200
    assert time.time() - client.session[SEEN_AT] < 5  # the clock restarted
    age_session(client, idle_minutes=59, signed_in_hours=2)
    assert client.get("/accounts/").status_code == 200


def test_twelve_hours_after_signing_in_the_session_ends_however_active(org):
    client = signed_in(org.rep)
    age_session(client, idle_minutes=1, signed_in_hours=12)
    response = client.get("/accounts/", follow=True)
    assert response.redirect_chain[-1][0] == "/login/?next=/accounts/"
    assert "sessions last at most 12 hours" in response.content.decode()


def test_the_limits_are_settings(org, settings):
    settings.KEYPLAN_SESSION_IDLE_MINUTES = 5
    client = signed_in(org.rep)
    age_session(client, idle_minutes=6)
    response = client.get("/accounts/", follow=True)
    assert "Your session ended after 5 minutes without activity" in response.content.decode()


def test_an_htmx_request_sends_the_whole_window_to_the_sign_in_page(org):
    client = signed_in(org.rep)
    age_session(client, idle_minutes=61)
    response = client.get(
        "/accounts/?page=2",
        HTTP_HX_REQUEST="true",
        HTTP_HX_CURRENT_URL="http://testserver/accounts/?q=steel",
    )
    assert response.status_code == 204
    assert response["HX-Redirect"] == "/login/?next=%2Faccounts%2F%3Fq%3Dsteel"


def test_a_session_past_its_time_no_longer_reads_the_api(org):
    client = signed_in(org.rep)
    assert client.get("/api/v1/accounts/").status_code == 200
    age_session(client, idle_minutes=61)
    assert client.get("/api/v1/accounts/").status_code == 401


def test_signing_in_with_the_form_starts_the_clocks(org):
    client = Client()
    assert client.post("/login/", {"username": "rep", "password": "pw"}).status_code == 302
    assert time.time() - client.session[SIGNED_IN_AT] < 5
    assert time.time() - client.session[SEEN_AT] < 5

"""Wrong passwords lock a username out from an address, on the sign-in form and the API
token endpoint alike; the lock ends on its own after a while, or an administrator lifts it."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.core.management import call_command
from django.test import Client
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

LIMIT = 5  # the default KEYPLAN_LOGIN_FAILURE_LIMIT


def sign_in(client, username, password):
    return client.post("/login/", {"username": username, "password": password})


def lock_out(client, username="rep"):
    responses = [sign_in(client, username, f"guess-{n}") for n in range(LIMIT)]
    return responses


def time_travel(minutes):
    """Moves every recorded failed attempt ``minutes`` into the past."""
    for attempt in AccessAttempt.objects.all():
        attempt.attempt_time -= datetime.timedelta(minutes=minutes)
        attempt.save()


def test_five_wrong_passwords_lock_the_sign_in_form(org):
    client = Client()
    responses = lock_out(client)
    for response in responses[:-1]:
        assert response.status_code == 200
        assert "Please enter a correct username and password" in response.content.decode()
    locked = responses[-1]
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "Too many wrong passwords for “rep” from this address (5 attempts)" in page
    assert "signing in is locked for 15 minutes, until" in page
    assert "Traceback" not in page

    # Even the right password is refused now, and nobody is signed in.
    right = sign_in(client, "rep", "pw")
    assert right.status_code == 429
    assert "Too many wrong passwords" in right.content.decode()
    assert "_auth_user_id" not in client.session


def test_the_lock_is_for_that_username_from_that_address(org):
    lock_out(Client())
    # The same person from another address, and another person from the same address,
    # still sign in.
    elsewhere = Client(REMOTE_ADDR="10.1.2.3")
    assert sign_in(elsewhere, "rep", "pw").status_code == 302
    assert sign_in(Client(), "rep2", "pw").status_code == 302


def test_the_right_password_works_again_after_the_lock_period(org):
    client = Client()
    lock_out(client)
    time_travel(minutes=14)
    assert sign_in(client, "rep", "pw").status_code == 429
    time_travel(minutes=2)
    response = sign_in(client, "rep", "pw")
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200


def test_a_successful_sign_in_forgets_earlier_mistakes(org):
    client = Client()
    for n in range(LIMIT - 1):
        sign_in(client, "rep", f"guess-{n}")
    assert sign_in(client, "rep", "pw").status_code == 302
    client.post("/logout/")
    for n in range(LIMIT - 1):
        assert sign_in(client, "rep", f"again-{n}").status_code == 200


def test_five_wrong_passwords_lock_the_token_endpoint(org):
    api = APIClient()
    for n in range(LIMIT - 1):
        response = api.post("/api/v1/auth/token/", {"username": "rep", "password": f"guess-{n}"})
        assert response.status_code == 400
    response = api.post(
        "/api/v1/auth/token/", {"username": "rep", "password": "guess"}, format="json"
    )
    assert response.status_code == 429
    assert response.json()["detail"].startswith("Too many wrong passwords for “rep”")
    right = api.post("/api/v1/auth/token/", {"username": "rep", "password": "pw"})
    assert right.status_code == 429 and "token" not in right.json()

    time_travel(minutes=16)
    right = api.post("/api/v1/auth/token/", {"username": "rep", "password": "pw"})
    assert right.status_code == 200 and right.json()["token"]


def test_the_form_and_the_api_count_together(org):
    for n in range(LIMIT - 2):
        sign_in(Client(), "rep", f"guess-{n}")
    api = APIClient()
    api.post("/api/v1/auth/token/", {"username": "rep", "password": "one more"})
    response = api.post("/api/v1/auth/token/", {"username": "rep", "password": "and another"})
    assert response.status_code == 429


def test_an_administrator_sees_the_lock_and_lifts_it(org):
    lock_out(Client())
    admin = Client()
    admin.force_login(org.ops)
    page = admin.get(f"/people/{org.rep.pk}/edit/").content.decode()
    assert "Signing in is locked after too many wrong passwords" in page
    assert "from 127.0.0.1 until" in page

    response = admin.post(f"/people/{org.rep.pk}/unlock/", follow=True)
    assert f"{org.rep.get_full_name()} can sign in again." in response.content.decode()
    assert "Signing in is not locked." in response.content.decode()
    assert sign_in(Client(), "rep", "pw").status_code == 302


def test_a_rep_cannot_unlock(org):
    lock_out(Client())
    rep2 = Client()
    rep2.force_login(org.rep2)
    assert rep2.post(f"/people/{org.rep.pk}/unlock/").status_code == 403
    assert sign_in(Client(), "rep", "pw").status_code == 429


def test_the_command_line_unlocks_too(org):
    lock_out(Client())
    call_command("axes_reset_username", "rep")
    assert sign_in(Client(), "rep", "pw").status_code == 302


def test_behind_a_proxy_the_lock_is_per_forwarded_address(org, settings):
    settings.KEYPLAN_TRUSTED_PROXIES = 1
    # Everyone arrives from the proxy's address; the proxy appends the real one.
    attacker = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="spoofed, 203.0.113.9")
    lock_out(attacker)
    assert sign_in(attacker, "rep", "pw").status_code == 429
    colleague = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert sign_in(colleague, "rep", "pw").status_code == 302
    assert AccessAttempt.objects.get().ip_address == "203.0.113.9"


def test_the_people_list_shows_who_is_locked_out(org):
    admin = Client()
    admin.force_login(org.ops)
    assert "Locked out after too many wrong passwords" not in admin.get("/people/").content.decode()
    lock_out(Client(), "rep")
    lock_out(Client(REMOTE_ADDR="10.9.9.9"), "nobody")
    page = admin.get("/people/").content.decode()
    assert "Locked out after too many wrong passwords" in page
    assert f'<a href="/people/{org.rep.pk}/edit/">{org.rep} (rep)</a>' in page
    assert "from 127.0.0.1, until" in page
    assert "“nobody” (no such person)" in page and "from 10.9.9.9, until" in page


def test_changing_browsers_does_not_escape_the_lock_and_the_admin_sees_it(org):
    for n in range(LIMIT):
        response = sign_in(Client(HTTP_USER_AGENT=f"browser {n}"), "rep", f"guess-{n}")
    assert response.status_code == 429
    assert sign_in(Client(HTTP_USER_AGENT="yet another"), "rep", "pw").status_code == 429
    admin = Client()
    admin.force_login(org.ops)
    page = admin.get(f"/people/{org.rep.pk}/edit/").content.decode()
    assert page.count("from 127.0.0.1 until") == 1


def test_the_audit_log_says_how_long_the_lock_lasts(org):
    from keyplan.audit.models import AuditEvent

    lock_out(Client())
    entry = AuditEvent.objects.filter(action="locked_out").latest("pk")
    assert entry.summary == (
        "Too many wrong passwords from this address: signing in is locked for 15 minutes."
    )
    assert "for a while" not in entry.summary

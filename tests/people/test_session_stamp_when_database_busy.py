"""Recording that a session was used never fails a page: while the database is busy (a
large import holding SQLite's write lock) a signed-in person still reads their pages; the
stamp waits for a later request instead of the page answering 400 "the session was
deleted" after a 20-second wait."""

import time

import pytest
from django.contrib.sessions.backends.base import UpdateError
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.test import Client

from keyplan.people.sessions import SEEN_AT, SIGNED_IN_AT

pytestmark = pytest.mark.django_db


def signed_in_a_while_ago(user, minutes=5):
    client = Client()
    client.force_login(user)
    session = client.session
    then = int(time.time() - minutes * 60)
    session[SEEN_AT] = session[SIGNED_IN_AT] = then
    session.save()
    return client, then


def refuse_session_writes(monkeypatch):
    """The database refuses the session write, as a locked SQLite file does once its wait
    is over (Django's session store turns the database error into UpdateError)."""

    def locked(self, must_create=False):
        raise UpdateError

    monkeypatch.setattr(SessionStore, "save", locked)


def test_a_page_is_served_while_the_session_stamp_cannot_be_written(org, monkeypatch):
    client, then = signed_in_a_while_ago(org.rep)
    refuse_session_writes(monkeypatch)

    response = client.get("/accounts/")

    assert response.status_code == 200
    assert "Accounts" in response.content.decode()
    monkeypatch.undo()
    assert client.session[SEEN_AT] == then  # not written this time
    # A later request, with the database free again, writes it.
    assert client.get("/accounts/").status_code == 200
    assert time.time() - client.session[SEEN_AT] < 5


def test_the_api_is_served_too(org, monkeypatch):
    client, _ = signed_in_a_while_ago(org.rep)
    refuse_session_writes(monkeypatch)
    assert client.get("/api/v1/accounts/").status_code == 200


def test_a_change_the_page_makes_to_the_session_is_still_saved_with_the_stamp(org):
    client, _ = signed_in_a_while_ago(org.rep)
    # Signing out changes the session: it ends, stamp or not.
    assert client.post("/logout/").status_code == 302
    assert "_auth_user_id" not in client.session
    assert client.get("/accounts/").status_code == 302


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's file-wide write lock")
def test_the_short_wait_for_the_stamp_leaves_other_writes_their_usual_wait(org):
    client, _ = signed_in_a_while_ago(org.rep)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        usual = cursor.fetchone()[0]
    assert client.get("/accounts/").status_code == 200
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] == usual

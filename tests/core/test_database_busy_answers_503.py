"""A save that cannot get the database's write lock in time (SQLite's busy timeout ran
out while a large import was being written) is not a server fault: the API answers 503
with Retry-After and a sentence, the web answers a page that says nothing was saved and
leads back to the form, where the typed text still is. Never a 500 with a trace."""

from unittest import mock

import pytest
from django.db import OperationalError

from keyplan.accounts.models import Account

pytestmark = pytest.mark.django_db


def locked(*args, **kwargs):
    raise OperationalError("database is locked")


def test_an_api_write_that_cannot_get_the_lock_answers_503_with_retry_after(org, loading_client):
    loading_client.force_authenticate(org.ops)
    client = loading_client
    client.raise_request_exception = False
    with mock.patch("keyplan.api.views.account_update", side_effect=locked):
        response = client.patch(
            f"/api/v1/accounts/{org.mine.pk}/", {"name": "Renamed"}, format="json"
        )
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json() == {
        "detail": "The database is busy. Another change, such as a large import, was being "
        "written and yours could not wait any longer, so nothing was saved. Try again in a "
        "few seconds."
    }
    assert Account.objects.get(pk=org.mine.pk).name == "Mine Group"


def test_a_web_save_that_cannot_get_the_lock_answers_a_page_back_to_the_form(client, org):
    client.force_login(org.ops)
    client.raise_request_exception = False
    with mock.patch("keyplan.accounts.views._save_account", side_effect=locked):
        response = client.post(
            f"/accounts/{org.theirs.pk}/edit/",
            {"name": "Typed with care", "kind": "legal_entity", "version": 1},
        )
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert "The database is busy" in page
    assert "nothing was saved" in page
    assert "what you typed is still there" in page
    assert "data-go-back" in page
    assert "Traceback" not in page and "OperationalError" not in page
    assert Account.objects.get(pk=org.theirs.pk).name == "Theirs Inc"


def test_other_database_errors_are_still_a_plain_500(client, org):
    client.force_login(org.ops)
    client.raise_request_exception = False
    with mock.patch(
        "keyplan.accounts.views._save_account", side_effect=OperationalError("no such table: x")
    ):
        response = client.post(
            f"/accounts/{org.theirs.pk}/edit/",
            {"name": "Typed with care", "kind": "legal_entity", "version": 1},
        )
    assert response.status_code == 500
    assert "Retry-After" not in response


def test_with_debug_on_a_busy_database_is_still_503_not_the_debug_page(client, org, settings):
    settings.DEBUG = True
    client.force_login(org.ops)
    client.raise_request_exception = False
    with mock.patch("keyplan.accounts.views._save_account", side_effect=locked):
        response = client.post(
            f"/accounts/{org.theirs.pk}/edit/",
            {"name": "Typed with care", "kind": "legal_entity", "version": 1},
        )
    assert response.status_code == 503
    assert "The database is busy" in response.content.decode()

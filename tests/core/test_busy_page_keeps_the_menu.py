"""The page of a save the busy database refused (503) keeps the signed-in layout: the
menu, the person's name and "Sign out", so they can go on working elsewhere while the
import finishes. When the layout itself cannot be rendered, the plain page still says
what happened (as the 500 page does)."""

from unittest import mock

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def locked(*args, **kwargs):
    raise OperationalError("database is locked")


def refused_save(client, org):
    client.force_login(org.ops)
    client.raise_request_exception = False
    with mock.patch("keyplan.accounts.views._save_account", side_effect=locked):
        return client.post(
            f"/accounts/{org.theirs.pk}/edit/",
            {"name": "Typed with care", "kind": "legal_entity", "version": 1},
        )


def test_the_busy_page_shows_the_signed_in_menu(client, org):
    response = refused_save(client, org)
    assert response.status_code == 503
    page = response.content.decode()
    assert "The database is busy" in page and "what you typed is still there" in page
    assert 'data-testid="menu-button"' in page
    assert org.ops.get_full_name() in page and "Sign out" in page
    assert 'href="/accounts/"' in page


def test_when_the_menu_cannot_be_rendered_the_plain_busy_page_still_says_why(client, org):
    with mock.patch("keyplan.core.context_processors._unread", side_effect=locked):
        response = refused_save(client, org)
    assert response.status_code == 503
    page = response.content.decode()
    assert "The database is busy" in page and "nothing was saved" in page
    assert 'data-testid="menu-button"' not in page
    assert "Traceback" not in page and "OperationalError" not in page

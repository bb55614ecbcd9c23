"""A 503 is a state for the administrator to watch, not a fault of keyplan's code: a
``/healthz`` probe that finds the database unavailable, or a save that waited its time out
behind a large import, is logged once at WARNING with the reason, never at ERROR by
Django's request logger (which monitoring pages someone for)."""

import logging
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import Client

pytestmark = pytest.mark.django_db


def test_an_unavailable_database_on_healthz_is_one_warning_with_the_reason(caplog):
    failure = OperationalError('connection to server at "db.internal" (10.1.2.3) failed')
    with (
        caplog.at_level(logging.INFO),
        mock.patch.object(connection, "cursor", side_effect=failure),
    ):
        response = Client().get("/healthz")
    assert response.status_code == 503
    assert [r.levelname for r in caplog.records if r.levelno >= logging.ERROR] == []
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len(warnings) == 1
    assert "the database does not answer" in warnings[0].getMessage()
    assert "db.internal" in warnings[0].getMessage()  # the reason, for the administrator


def test_a_save_the_busy_database_refused_is_one_warning(caplog, org, loading_client):
    loading_client.force_authenticate(org.ops)
    loading_client.raise_request_exception = False
    with (
        caplog.at_level(logging.INFO),
        mock.patch(
            "keyplan.api.views.account_update",
            side_effect=OperationalError("database is locked"),
        ),
    ):
        response = loading_client.patch(
            f"/api/v1/accounts/{org.mine.pk}/", {"name": "Renamed"}, format="json"
        )
    assert response.status_code == 503
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
    warnings = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert warnings == [
        f"The database was busy: PATCH /api/v1/accounts/{org.mine.pk}/ answered 503 with "
        "Retry-After 5 s (nothing saved)."
    ]

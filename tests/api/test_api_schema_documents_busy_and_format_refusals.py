"""The schema documents the answers every endpoint can give beyond its own refusals: 503
with Retry-After when the database was busy too long (nothing saved), 406 for an Accept
header the API cannot answer and 415 for a body it cannot read. Real answers of each kind
pass schemathesis's checks (status documented, body of the documented shape, documented
headers present), so the schemathesis runs cannot pass by luck or fail on them."""

from unittest import mock

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import OperationalError, close_old_connections
from schemathesis.specs.openapi.checks import (
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from keyplan.accounts.models import Account
from keyplan.people.tokens import token_issue

pytestmark = pytest.mark.django_db

CHECKS = [status_code_conformance, response_schema_conformance, response_headers_conformance]


@pytest.fixture
def schema(client):
    return client.get("/api/schema/?format=json").json()


@pytest.fixture
def api():
    """The schema as schemathesis reads it, calling keyplan inside the test's transaction."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", WSGIHandler())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_every_operation_documents_503_with_retry_after_and_406(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            where = f"{method.upper()} {path}"
            assert "406" in responses, where
            busy = responses.get("503")
            assert busy, f"{where} leaves out 503"
            assert busy["headers"]["Retry-After"]["required"] is True, where
            assert busy["content"]["application/json"]["schema"]["$ref"].endswith("/Error")
            if "requestBody" in operation:
                assert "415" in responses, where


def test_every_read_documents_the_headers_of_figures_from_before_a_change(schema):
    """A read answered from the facts before a sales change still being taken in says so
    in three headers (territory.middleware): the schema names them on every read's
    answer, as optional, so a client knows to look for them."""
    pareto = schema["paths"]["/api/v1/analyses/pareto/"]["get"]["responses"]["200"]
    headers = pareto["headers"]
    assert set(headers) >= {
        "Keyplan-Figures-Computed-At",
        "Keyplan-Facts-Changed-At",
        "Keyplan-Figures-Note",
    }
    assert headers["Keyplan-Figures-Computed-At"]["schema"]["format"] == "date-time"
    assert not any(h["required"] for h in headers.values())
    for path, operations in schema["paths"].items():
        if "get" in operations:
            answer = operations["get"]["responses"]["200"]
            assert "Keyplan-Figures-Note" in answer.get("headers", {}), path


def _headers(org):
    return {"Authorization": f"Token {token_issue(user=org.ops)[1]}"}


def test_a_busy_database_answers_as_the_schema_says(api, org):
    operation = api["/api/v1/accounts/{id}/"]["PATCH"]
    case = operation.Case(
        path_parameters={"id": org.mine.pk},
        body={"name": "Renamed", "version": org.mine.version},
        media_type="application/json",
    )
    with mock.patch(
        "keyplan.api.views.account_update",
        side_effect=OperationalError("database is locked"),
    ):
        response = case.call(headers=_headers(org))
    assert response.status_code == 503
    assert {k.lower(): v for k, v in response.headers.items()}["retry-after"] == ["5"]
    case.validate_response(response, checks=CHECKS)
    assert Account.objects.get(pk=org.mine.pk).name == "Mine Group"


def test_an_accept_header_the_api_cannot_answer_is_a_documented_406(api, org):
    case = api["/api/v1/accounts/"]["GET"].Case()
    response = case.call(headers={**_headers(org), "Accept": "application/xml"})
    assert response.status_code == 406
    case.validate_response(response, checks=CHECKS)


def test_a_body_the_api_cannot_read_is_a_documented_415(api, org):
    case = api["/api/v1/accounts/"]["POST"].Case(body="name=x", media_type="text/plain")
    response = case.call(headers={**_headers(org), "Content-Type": "text/plain"})
    assert response.status_code == 415
    case.validate_response(response, checks=CHECKS)
    assert not Account.objects.filter(name="x").exists()

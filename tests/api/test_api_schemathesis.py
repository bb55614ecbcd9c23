"""schemathesis over every operation of the API schema: requests generated from the schema
(a few per operation) as the administrator on a small generated territory, and every
answer is no server error and is what the schema says (status documented, body of the
documented shape).

Path ids are drawn from the records that exist as well as generated, and a change or
delete sends the version it read half the time, so the run reaches the views' real work
(not only 404 and 428). Bounded in time: a handful of examples per operation, no
shrinking; a failure names the operation and the request that failed."""

from io import StringIO

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)
from werkzeug.test import Client

from keyplan.people.models import User
from keyplan.people.tokens import token_issue

pytestmark = pytest.mark.django_db

EXAMPLES = 6
CHANGES = {"PUT", "PATCH", "DELETE"}
# No 500; a status the schema documents; a body of the documented shape.
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


@pytest.fixture
def wsgi_app():
    """keyplan's WSGI application answering inside the test's transaction: the
    connection is not closed at the end of each request (as Django's test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield WSGIHandler()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _ids(browser, headers, list_path):
    """Ids of up to 20 records the list endpoint shows (none for an endpoint that is
    not a list)."""
    response = browser.get(f"{list_path}?page_size=20", headers=headers)
    if response.status_code != 200:
        return []
    body = response.get_json()
    rows = body.get("results", []) if isinstance(body, dict) else body
    return [row["id"] for row in rows if isinstance(row, dict) and "id" in row]


def _property(operation, *, ids, auth, browser):
    """The property checked for one operation: no server error, and an answer of the
    documented status and shape."""

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(), data=st.data())
    def answers_as_documented(case, data):
        if ids and "id" in (case.path_parameters or {}) and data.draw(st.booleans()):
            case.path_parameters["id"] = data.draw(st.sampled_from(ids))
        headers = auth()
        if operation.method.upper() in CHANGES and data.draw(st.booleans()):
            read = browser.get(case.formatted_path, headers=headers)
            if read.status_code == 200 and read.headers.get("ETag"):
                headers["If-Match"] = read.headers["ETag"]
        # A request that fails on PostgreSQL must not poison the ones after it.
        savepoint = transaction.savepoint()
        response = case.call(headers=headers)
        if response.status_code >= 500:
            transaction.savepoint_rollback(savepoint)
        else:
            transaction.savepoint_commit(savepoint)
        case.validate_response(response, checks=CHECKS)

    return answers_as_documented


def test_every_operation_answers_as_its_schema_says(wsgi_app):
    call_command("generate", "--accounts", "60", "--seed", "11", stdout=StringIO())
    admin = User.objects.get(username="admin")
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app)
    browser = Client(wsgi_app)

    def auth() -> dict:
        # DELETE /auth/token/ gives the token up: sign in again before each request.
        return {"Authorization": f"Token {token_issue(user=admin)[1]}"}

    failures: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 100, "every operation of the schema is run"
    known_ids: dict[str, list[int]] = {}
    for operation in operations:
        base = operation.path.split("{id}")[0]
        if "{id}" in operation.path and base not in known_ids:
            known_ids[base] = _ids(browser, auth(), base)
        check = _property(operation, ids=known_ids.get(base, []), auth=auth, browser=browser)
        try:
            check()
        except (Exception, BaseExceptionGroup) as exc:  # every operation's failure is reported
            found = "\n".join(str(e) for e in getattr(exc, "exceptions", [exc]))
            failures.append(f"{operation.method.upper()} {operation.path}: {found[:3000]}")
    assert not failures, f"{len(failures)} operations failed:\n\n" + "\n\n".join(failures)

"""schemathesis's stateful run over the API: sequences of calls chained by the links
between operations (a create's ``id`` to the item's read, change and delete; a list's
ids to the items), as the administrator on a small generated territory. Every answer is
no server error, of a status the schema documents, of the documented content type and
body shape; an item just created can be read, an item just deleted cannot.

The links come from the schema (``api/schema.py`` declares them from each create's and
list's ``id`` to the item's operations) and from schemathesis's own inference. A change or
delete is sent as a well-behaved client sends it, with the version it read (If-Match), so
the sequences reach the views' real work; the stateless test sends it half the time, for
the 428. Bounded: a fixed number of scenarios and steps, a fixed seed, no shrinking; each
scenario starts from the same territory (a savepoint rolled back after it)."""

from io import StringIO

import pytest
import schemathesis
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, Phase, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ensure_resource_availability,
    response_schema_conformance,
    status_code_conformance,
    use_after_free,
)
from werkzeug.test import Client

from keyplan.people.models import User
from keyplan.people.tokens import token_issue
from tests.api.test_api_schemathesis import wsgi_app  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db

SCENARIOS = 60
STEPS = 8
CHANGES = {"PUT", "PATCH", "DELETE"}
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    ensure_resource_availability,
    use_after_free,
]


def test_sequences_of_calls_answer_as_the_schema_says(wsgi_app):  # noqa: F811
    call_command("generate", "--accounts", "30", "--seed", "11", stdout=StringIO())
    admin = User.objects.get(username="admin")
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", wsgi_app)
    browser = Client(wsgi_app)
    # Valid requests: the stateless test sends the invalid ones.
    schema.config.generation.update(modes=[GenerationMode.POSITIVE])
    machine = schema.as_state_machine()
    steps: list[str] = []

    class Workflow(machine):
        def setup(self):
            self.savepoint = transaction.savepoint()

        def teardown(self):
            transaction.savepoint_rollback(self.savepoint)

        def before_call(self, case):
            # A list asked without filters gives ids to follow (the stateless test tries
            # the filters); random filters mostly name nothing and end the sequence.
            if case.method.upper() == "GET" and "{" not in case.operation.path:
                case.query = {}

        def get_call_kwargs(self, case):
            # DELETE /auth/token/ gives the token up: a fresh one for each call.
            headers = {"Authorization": f"Token {token_issue(user=admin)[1]}"}
            if case.method.upper() in CHANGES:
                read = browser.get(case.formatted_path, headers=headers)
                if read.status_code == 200 and read.headers.get("ETag"):
                    headers["If-Match"] = read.headers["ETag"]
            return {"headers": headers}

        def call(self, case, **kwargs):
            # A request that fails on PostgreSQL must not poison the ones after it.
            savepoint = transaction.savepoint()
            response = case.call(**kwargs)
            if response.status_code >= 500:
                transaction.savepoint_rollback(savepoint)
            else:
                transaction.savepoint_commit(savepoint)
            steps.append(f"{case.method.upper()} {case.operation.path} {response.status_code}")
            return response

        def validate_response(self, response, case, additional_checks=None, **kwargs):
            case.validate_response(
                response, checks=CHECKS, transport_kwargs=kwargs, recorder=self.recorder
            )

    Workflow.run(
        settings=settings(
            max_examples=SCENARIOS,
            stateful_step_count=STEPS,
            deadline=None,
            database=None,
            derandomize=True,
            phases=[Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
    )
    # The sequences reached real records: items read, changed and deleted by the id an
    # earlier call gave, in several collections.
    followed = [s for s in steps if "{id}" in s and s.endswith((" 200", " 204"))]
    collections = {s.split()[1].split("{id}")[0] for s in followed}
    assert len(followed) >= 20, "\n".join(steps)
    assert len(collections) >= 4, collections

"""The feed reads each kind in one query: its cost does not grow with the number of
events."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from keyplan.plans import services
from tests.rhythm.conftest import add_action, days
from tests.rhythm.feed_helpers import feed_url


def _queries(url) -> tuple[int, bytes]:
    with CaptureQueriesContext(connection) as queries:
        response = Client().get(url)
    assert response.status_code == 200
    return len(queries), response.content


def test_queries_do_not_grow_with_events(org, plan):
    plan.team.add(org.rep)
    url = feed_url(org.rep)

    def add(n):
        for i in range(n):
            add_action(plan, org.rep, f"Action {n}-{i}", days(5 + i))
            services.element_save(
                kind="milestone", plan=plan, user=org.rep, title=f"M {n}-{i}", date=days(9 + i)
            )

    add(1)
    few, content = _queries(url)
    assert content.count(b"BEGIN:VEVENT") == 2
    add(8)
    many, content = _queries(url)
    assert content.count(b"BEGIN:VEVENT") == 18
    assert many == few
    assert few <= 10, few  # the owner, their settings, the scope, one per kind

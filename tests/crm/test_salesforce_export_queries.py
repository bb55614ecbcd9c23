"""The export reads in a fixed number of queries, however many records it sends."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from keyplan.crm.salesforce_rows import collect
from keyplan.plans import services
from tests.crm.conftest import TODAY
from tests.factories import ContactFactory, InteractionFactory

pytestmark = pytest.mark.django_db


def _queries() -> int:
    with CaptureQueriesContext(connection) as captured:
        changes = collect(user=None, since=None, at=timezone.now())
    assert changes.files["Task.csv"]
    return len(captured)


def test_more_records_take_no_more_queries(crm):
    before = _queries()
    for n in range(6):
        idea = services.element_save(
            kind="idea", plan=crm.plan, user=crm.sam, title=f"Idea {n}", annual_value=Decimal(n + 1)
        )
        services.idea_move(idea=idea, user=crm.sam, stage="qualified")
        services.idea_move(idea=idea, user=crm.sam, stage="opportunity")
        contact = ContactFactory(account=crm.globex, external_id=None)
        services.element_save(
            kind="action",
            plan=crm.plan,
            user=crm.sam,
            title=f"Call {n}",
            owner=crm.sam,
            due_date=TODAY + datetime.timedelta(days=n + 1),
            effort_hours=Decimal("1"),
            contacts=[crm.cfo, contact],
        )
        meeting = InteractionFactory(account=crm.globex, kind="call", date=TODAY)
        meeting.contacts.set([contact])
        meeting.participants.set([crm.sam])
    assert _queries() == before

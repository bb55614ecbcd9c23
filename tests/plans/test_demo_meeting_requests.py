"""The demo shows the executive program's meeting requests: the demo manager has asked
the demo executive for a meeting on the overdue account (open, waiting for the
executive), and one on the first plan was accepted for a morning two weeks ahead — so
the program shows that pairing's next meeting planned."""

import datetime

import pytest
from django.utils import timezone

from keyplan.people.models import User
from keyplan.plans.choices import MeetingStatus
from keyplan.plans.executive_program import executive_program
from keyplan.plans.models import AccountPlan, ExecutiveMeetingRequest
from keyplan.plans.relationships import relationship_map
from tests.territory.conftest import run_generate

pytestmark = pytest.mark.django_db


def test_one_open_request_and_one_accepted(db):
    run_generate("--accounts", 60, "--seed", 11)
    plans = list(AccountPlan.objects.order_by("pk"))
    overdue = next(p for p in plans if relationship_map(p).pairings[0].overdue)
    asked = ExecutiveMeetingRequest.objects.get(status=MeetingStatus.REQUESTED)
    assert asked.plan == overdue
    assert (asked.asked_by.username, asked.executive.username) == ("manager", "exec")
    assert list(asked.contacts.all()) == [asked.pairing.their_executive]
    accepted = ExecutiveMeetingRequest.objects.get(status=MeetingStatus.ACCEPTED)
    assert accepted.plan == plans[0]
    day = timezone.localdate() + datetime.timedelta(days=16)
    assert timezone.localtime(accepted.starts_at).date() == day
    rows = {r.plan.pk: r for r in executive_program(User.objects.get(username="manager")).rows}
    assert rows[plans[0].pk].next_planned == day
    assert rows[overdue.pk].next_planned is None and rows[overdue.pk].late

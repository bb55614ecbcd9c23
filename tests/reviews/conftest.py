import datetime
import re
from decimal import Decimal

import pytest
from django.utils import timezone

from keyplan.plans import services as plan_services
from keyplan.salesplan.periods import Period
from tests.factories import AccountFactory

Q1 = Period(2027, 1)  # January - March 2027
MON = datetime.date(2027, 1, 4)
# "Now" for the tests: a Sunday before the quarter, so every day of Q1 is still to come.
BEFORE_Q1 = timezone.make_aware(datetime.datetime(2027, 1, 3, 12, 0))


def at(day: datetime.date, hh: int, mm: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hh, mm)))


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def active_plan(account, owner, goal="1000000"):
    plan = plan_services.plan_create(
        account=account,
        user=owner,
        period_start=datetime.date(2027, 1, 1),
        period_end=datetime.date(2027, 12, 31),
        revenue_goal=Decimal(goal),
    )
    return plan_services.plan_activate(plan=plan, user=owner)


@pytest.fixture
def team(org):
    """The org's manager with two reps: rep with two active plans (Atlas Freight, Mine
    Group), rep2 with one (Teammate Corp); the rep outside the team has one too."""
    org.atlas = AccountFactory(name="Atlas Freight", owner=org.rep)
    org.plan_atlas = active_plan(org.atlas, org.rep)
    org.plan_mine = active_plan(org.mine, org.rep)
    org.plan_teammate = active_plan(org.teammate, org.rep2)
    org.plan_theirs = active_plan(org.theirs, org.other)
    return org

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from keyplan.mutual import services as mutual
from keyplan.mutual.links import share_path
from keyplan.plans import services
from tests.factories import ContactFactory

START = datetime.date(2027, 1, 1)
END = datetime.date(2027, 12, 31)


class Plan:
    pass


@pytest.fixture
def mutual_plan(org):
    """The rep's plan for "Mine Group" with two of the customer's people, a goal of
    theirs, an agreed idea and a dropped one, a joint action (with Clara) and one of ours
    alone, and a milestone."""
    p = Plan()
    p.org = org
    p.clara = ContactFactory(
        account=org.mine, first_name="Clara", last_name="Finance", email="clara@mine.example"
    )
    p.ivan = ContactFactory(
        account=org.mine, first_name="Ivan", last_name="Tech", email="ivan@mine.example"
    )
    p.plan = services.plan_create(
        account=org.mine,
        user=org.rep,
        period_start=START,
        period_end=END,
        revenue_goal=Decimal("1000000"),
    )
    p.goal = services.element_save(
        kind="goal",
        plan=p.plan,
        user=org.rep,
        level="corporate",
        title="Halve unplanned downtime",
        customer_aspiration="Plants that never stop",
    )
    p.idea = services.element_save(
        kind="idea",
        plan=p.plan,
        user=org.rep,
        title="Predictive maintenance pilot",
        annual_value=Decimal("250000"),
        in_proposal=True,
        goal=p.goal,
    )
    objective = services.element_save(
        kind="objective",
        plan=p.plan,
        user=org.rep,
        category="revenue",
        title="Sell the pilot",
        metric="revenue",
        target=Decimal("250000"),
        due_date=datetime.date(2027, 6, 30),
        owner=org.rep,
    )
    strategy = services.element_save(
        kind="strategy", plan=p.plan, user=org.rep, objective=objective, description="Prove it"
    )
    p.joint = services.element_save(
        kind="action",
        plan=p.plan,
        user=org.rep,
        strategy=strategy,
        title="Walk the plant floor together",
        owner=org.rep,
        due_date=datetime.date(2027, 2, 1),
        effort_hours=Decimal("4"),
        contacts=[p.clara],
    )
    p.ours = services.element_save(
        kind="action",
        plan=p.plan,
        user=org.rep,
        strategy=strategy,
        title="Price the pilot below the rival",
        owner=org.rep,
        due_date=datetime.date(2027, 2, 5),
        effort_hours=Decimal("2"),
    )
    p.milestone = services.element_save(
        kind="milestone",
        plan=p.plan,
        user=org.rep,
        title="Pilot signed",
        date=datetime.date(2027, 4, 1),
    )
    return p


def share(p, **kwargs):
    kwargs.setdefault("recipients", [p.clara, p.ivan])
    return mutual.share_create(plan=p.plan, user=p.org.rep, **kwargs)


def expire(item):
    type(item).objects.filter(pk=item.pk).update(expires_at=timezone.now())


__all__ = ["share", "share_path", "expire"]

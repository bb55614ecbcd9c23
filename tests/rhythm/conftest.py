import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from keyplan.plans import services
from tests.factories import ContactFactory

TODAY = timezone.localdate()


def days(n: int) -> datetime.date:
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def plan(org):
    """An active-period plan for the rep's account "Mine Group", from a month ago to
    eleven months ahead, so its dates sit inside the feed's window whatever today is."""
    org.cfo = ContactFactory(account=org.mine, first_name="Clara", last_name="Finance", title="CFO")
    return services.plan_create(
        account=org.mine,
        user=org.rep,
        period_start=days(-30),
        period_end=days(335),
        revenue_goal=Decimal("1000000"),
    )


def add_action(plan, user, title, due, owner=None, **extra):
    return services.element_save(
        kind="action",
        plan=plan,
        user=user,
        title=title,
        owner=owner or user,
        due_date=due,
        effort_hours=Decimal("2"),
        **extra,
    )

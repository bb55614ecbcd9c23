import datetime
from decimal import Decimal

import pytest

from keyplan.plans import services
from tests.factories import ContactFactory

START = datetime.date(2027, 1, 1)
END = datetime.date(2027, 12, 31)


@pytest.fixture
def plan(org):
    """A draft plan for the rep's account "Mine Group" (goal 1M, stretch 1.5M), with two
    contacts at the account."""
    org.cfo = ContactFactory(account=org.mine, first_name="Clara", last_name="Finance", title="CFO")
    org.cio = ContactFactory(account=org.mine, first_name="Ivan", last_name="Tech", title="CIO")
    return services.plan_create(
        account=org.mine,
        user=org.rep,
        period_start=START,
        period_end=END,
        revenue_goal=Decimal("1000000"),
        stretch_goal=Decimal("1500000"),
    )


def add_idea(plan, user, value, **fields):
    fields.setdefault("title", f"Idea worth {value}")
    return services.element_save(
        kind="idea", plan=plan, user=user, annual_value=Decimal(value), **fields
    )

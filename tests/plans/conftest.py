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


def form_data(client, url) -> dict:
    """The fields of the form at ``url`` (opened in place, with htmx) as a browser
    submits them untouched: {name: [values]}."""
    import lxml.html

    form = lxml.html.fromstring(client.get(url, HTTP_HX_REQUEST="true").content.decode()).forms[0]
    data: dict = {}
    for name, value in form.form_values():
        data.setdefault(name, []).append(value)
    return data

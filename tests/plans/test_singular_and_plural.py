"""Counts on the plan page read as words: "1 idea without a root cause", "1 day
overdue" — never "1 idea(s)" or "1 days"."""

import datetime
from decimal import Decimal

from keyplan.plans import services
from tests.plans.conftest import add_idea


def test_plan_steps_count_in_singular(client, org, plan):
    add_idea(plan, org.rep, "100000", title="Route optimisation")
    client.force_login(org.rep)
    html = client.get(plan.get_absolute_url()).content.decode()
    assert "1 idea without a root cause" in html and "(s)" not in html


def test_an_action_one_day_late_is_one_day_overdue(client, org, plan):
    services.element_save(
        kind="action",
        plan=plan,
        user=org.rep,
        title="Send the proposal",
        owner=org.rep,
        due_date=datetime.date.today() - datetime.timedelta(days=1),
        effort_hours=Decimal("2"),
        confirm_outside_period=True,
    )
    client.force_login(org.rep)
    html = client.get(plan.get_absolute_url()).content.decode()
    assert "1 day overdue" in html and "1 days overdue" not in html

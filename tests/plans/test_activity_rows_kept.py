"""The activity feed writes each change's before → after rows once and shows them again
from what it kept (keyplan.plans.feed): a new change shows at once with its own rows,
and a kept row is never shown for a different change under the same id."""

from decimal import Decimal

from keyplan.plans import services
from keyplan.plans.feed import rows_html
from keyplan.plans.models import PlanChange


def _feed(client, plan) -> str:
    return client.get(plan.get_absolute_url()).content.decode().split('data-testid="activity"')[1]


def test_every_visit_shows_each_change_with_its_rows(org, plan, client):
    client.force_login(org.rep)
    services.plan_update(plan=plan, user=org.rep, revenue_goal=Decimal("1200000"))
    first = _feed(client, plan)
    assert "revenue goal: 1,000,000 USD → 1,200,000 USD" in first
    assert _feed(client, plan) == first  # shown again from what was kept: the same

    services.plan_update(plan=plan, user=org.manager, revenue_goal=Decimal("1500000"))
    feed = _feed(client, plan)
    # The new change at once, on top, and the earlier one as before.
    assert feed.index("1,200,000 USD → 1,500,000 USD") < feed.index("1,000,000 USD → 1,200,000 USD")


def test_a_change_under_a_kept_id_shows_its_own_rows(org, plan):
    services.plan_update(plan=plan, user=org.rep, revenue_goal=Decimal("1200000"))
    change = PlanChange.objects.filter(plan=plan).first()
    assert "1,000,000 USD → 1,200,000 USD" in rows_html(change)
    # Another change with the same id (as after a rolled-back transaction) and other
    # values: its own rows, not the ones kept.
    other = PlanChange(
        pk=change.pk,
        plan=plan,
        action=change.action,
        subject="plan",
        label=change.label,
        changes={"revenue_goal": ["1000000", "900000"]},
    )
    assert "1,000,000 USD → 900,000 USD" in rows_html(other)
    goal = PlanChange(
        pk=change.pk,
        plan=plan,
        action="updated",
        subject="goal",
        label="Lead IT",
        changes={"title": ["Get promoted", "Lead IT"]},
    )
    assert "title: Get promoted → Lead IT" in rows_html(goal)

"""Every change to a plan is recorded (who, when, what, before → after) and shown as
the plan's activity feed."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from keyplan.plans import services
from keyplan.plans.models import PlanChange


def test_each_change_is_recorded_with_before_and_after(org, plan, client):
    services.plan_update(plan=plan, user=org.manager, revenue_goal=Decimal("1200000"))
    goal = services.element_save(
        kind="goal", plan=plan, user=org.rep, level="personal", title="Get promoted"
    )
    services.element_save(kind="goal", plan=plan, user=org.rep, instance=goal, title="Lead IT")
    services.element_delete(kind="goal", plan=plan, user=org.rep, instance=goal)

    changes = list(PlanChange.objects.filter(plan=plan).order_by("pk"))
    assert [(c.user.username, c.action, c.subject) for c in changes] == [
        ("rep", "created", "plan"),
        ("manager", "updated", "plan"),
        ("rep", "created", "goal"),
        ("rep", "updated", "goal"),
        ("rep", "deleted", "goal"),
    ]
    assert changes[1].changes == {"revenue_goal": ["1000000", "1200000"]}
    assert changes[3].changes == {"title": ["Get promoted", "Lead IT"]}

    client.force_login(org.rep)
    feed = client.get(plan.get_absolute_url()).content.decode().split('data-testid="activity"')[1]
    assert str(org.manager) in feed and "revenue goal: 1,000,000 USD → 1,200,000 USD" in feed
    assert "title: Get promoted → Lead IT" in feed
    assert "removed customer goal" in feed


def test_a_refused_change_leaves_no_record(org, plan):
    before = PlanChange.objects.count()
    with pytest.raises(ValidationError):
        services.plan_update(plan=plan, user=org.rep, revenue_goal=Decimal("-5"))
    assert PlanChange.objects.count() == before

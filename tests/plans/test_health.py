"""Plan health 0-100 with its reasons, hand-computed."""

import datetime
from decimal import Decimal

from django.utils import timezone

from keyplan.plans import services
from keyplan.plans.health import plan_health
from tests.factories import ContactFactory
from tests.plans.conftest import add_idea

TODAY = datetime.date(2027, 4, 1)


def _points(health):
    return {r.label: round(r.points, 2) for r in health.reasons}


def test_an_empty_draft_scores_little_with_every_reason_listed(org, plan):
    health = plan_health(plan, today=TODAY)
    assert _points(health) == {
        "Plan steps complete": round(20 / 6, 2),  # only "Investments": none are needed yet
        "Pipeline coverage": 0,
        "Decision makers covered": 0,
        "Actions on time": 15,
        "Objectives on track": 0,
        "Confirmed current": 0,
    }
    assert health.score == 18 and health.band == "poor"
    details = {r.label: r.detail for r in health.reasons}
    assert details["Decision makers covered"] == "no decision maker identified"
    assert details["Confirmed current"] == "never confirmed"


def test_hand_computed_score(org, plan):
    # Coverage 1.25x of 1M: 20 x 1.25 / 2.5 = 10 points.
    add_idea(plan, org.rep, "1250000", root_cause="Manual routing")
    # Two decision makers, one with a strong relationship: 15 x 1/2 = 7.5.
    ContactFactory(account=org.mine, decision_role="decision_maker", relationship_strength="strong")
    ContactFactory(account=org.mine, decision_role="decision_maker", relationship_strength="weak")
    # Overdue: one by 3 days (-2), one by 10 days (-5): 15 - 7 = 8.
    for due in (TODAY - datetime.timedelta(days=3), TODAY - datetime.timedelta(days=10)):
        services.element_save(
            kind="action",
            plan=plan,
            user=org.rep,
            title="Late",
            owner=org.rep,
            due_date=due,
            effort_hours=Decimal("1"),
        )
    # One objective of two on track: 7.5.
    for target in ("1", "1000"):
        o = services.element_save(
            kind="objective",
            plan=plan,
            user=org.rep,
            category="marketing",
            title=target,
            metric="events",
            target=Decimal(target),
            due_date=datetime.date(2027, 12, 31),
            owner=org.rep,
        )
        services.element_save(
            kind="objective", plan=plan, user=org.rep, instance=o, manual_value=Decimal("1")
        )
    # Confirmed 60 days before: 15 x (120 - 60) / 90 = 10.
    plan.confirmed_at = timezone.make_aware(datetime.datetime(2027, 1, 31, 12))
    plan.save()

    health = plan_health(plan, today=TODAY)
    points = _points(health)
    assert points["Pipeline coverage"] == 10
    assert points["Decision makers covered"] == 7.5
    assert points["Actions on time"] == 8
    assert points["Objectives on track"] == 7.5
    assert points["Confirmed current"] == 10
    steps = points["Plan steps complete"]
    assert steps == round(20 * 1 / 6, 2)  # only "Investments" is complete (none needed)
    assert health.score == round(steps + 10 + 7.5 + 8 + 7.5 + 10)
    reasons = {r.label: r.detail for r in health.reasons}
    assert reasons["Actions on time"] == "2 overdue, 1 of them by more than 7 days"
    assert reasons["Confirmed current"] == "60 days ago"


def test_confirming_the_plan_restores_its_points_and_is_shown(org, plan, client):
    before = _points(plan_health(plan))["Confirmed current"]
    client.force_login(org.rep)
    client.post(f"/plans/{plan.pk}/confirm/", {"action": "confirm"})
    plan.refresh_from_db()
    assert before == 0 and _points(plan_health(plan))["Confirmed current"] == 15
    html = client.get(plan.get_absolute_url()).content.decode()
    assert 'data-testid="health-score"' in html and "0 days ago" in html


def test_coverage_points_follow_the_exact_amounts(org, plan):
    add_idea(plan, org.rep, "2499999")
    [reason] = [r for r in plan_health(plan, today=TODAY).reasons if r.label == "Pipeline coverage"]
    assert 19.99 < reason.points < 20  # just short of 2.5x, like the gauge says

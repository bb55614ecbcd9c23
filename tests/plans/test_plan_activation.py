"""Draft → active → archived; one active plan per account and period."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from keyplan.plans import services


def test_activating_a_new_plan_archives_the_overlapping_active_one(org, plan):
    services.plan_activate(plan=plan, user=org.rep)
    newer = services.plan_create(
        account=org.mine,
        user=org.rep,
        period_start=datetime.date(2027, 7, 1),
        period_end=datetime.date(2028, 6, 30),
        revenue_goal=Decimal("2000000"),
    )
    services.plan_activate(plan=newer, user=org.rep)
    plan.refresh_from_db()
    newer.refresh_from_db()
    assert (plan.status, newer.status) == ("archived", "active")
    assert plan.changes.filter(label__contains="replaced by").exists()


def test_a_plan_without_a_revenue_goal_stays_a_draft(org):
    plan = services.plan_create(account=org.mine, user=org.rep)
    with pytest.raises(ValidationError, match="revenue goal"):
        services.plan_activate(plan=plan, user=org.rep)
    plan.refresh_from_db()
    assert plan.status == "draft"


def test_web_activate_button(org, plan, client):
    client.force_login(org.rep)
    response = client.post(f"/plans/{plan.pk}/status/", {"action": "activate"}, follow=True)
    assert "The plan is active." in response.content.decode()
    plan.refresh_from_db()
    assert plan.status == "active" and plan.activated_at is not None


def test_confirming_does_not_invalidate_a_teammates_open_edit(org, plan):
    services.plan_confirm(plan=plan, user=org.manager)
    services.plan_update(plan=plan, user=org.rep, version=1, our_aspirations="Their partner")
    plan.refresh_from_db()
    assert plan.our_aspirations == "Their partner" and plan.confirmed_by == org.manager


def test_activation_does_not_archive_a_plan_the_user_cannot_edit(org, plan):
    from tests.factories import AccountTeamMemberFactory, UserFactory

    services.plan_activate(plan=plan, user=org.rep)
    engineer = UserFactory(username="se2")
    AccountTeamMemberFactory(account=org.mine_child, user=engineer, role="solution_engineer")
    other = services.plan_create(account=org.mine, user=org.rep, revenue_goal=Decimal("5"))
    other.team.set([engineer])
    other.owner = engineer
    other.save()
    # the engineer edits the new plan (its owner) but cannot archive the rep's active plan
    with pytest.raises(ValidationError, match="Ask its owner"):
        services.plan_activate(plan=other, user=engineer)
    plan.refresh_from_db()
    assert plan.status == "active"

"""The plan's rules answer 400 naming each field at fault, with the same messages as
the plan page; nothing is saved."""

import datetime

import pytest

from keyplan.plans import services
from keyplan.plans.models import AccountPlan, Idea
from tests.factories import ContactFactory
from tests.plans.api.conftest import add_idea, patch, post

pytestmark = pytest.mark.django_db


def test_negative_revenue_goal(as_user, org):
    response = post(as_user(org.rep), "plans/", {"account": org.mine.pk, "revenue_goal": "-5"})
    assert response.status_code == 400
    assert list(response.json()) == ["revenue_goal"]
    assert not AccountPlan.objects.exists()


def test_stretch_goal_below_the_revenue_goal(as_user, org, plan):
    client = as_user(org.rep)
    response = post(
        client,
        "plans/",
        {"account": org.mine.pk, "revenue_goal": "1000000", "stretch_goal": "900000"},
    )
    assert response.status_code == 400
    assert "must be at least the revenue goal" in response.json()["stretch_goal"][0]
    # The rule holds for a change too, against the goal already saved.
    response = patch(client, f"plans/{plan.pk}/", {"stretch_goal": "500000"})
    assert response.status_code == 400
    assert list(response.json()) == ["stretch_goal"]
    plan.refresh_from_db()
    assert str(plan.stretch_goal) == "1500000.00" and plan.version == 1


def test_idea_linked_to_a_goal_of_another_plan(as_user, org, plan):
    other_plan = services.plan_create(
        account=org.mine,
        user=org.rep,
        period_start=datetime.date(2028, 1, 1),
        period_end=datetime.date(2028, 12, 31),
    )
    foreign_goal = services.element_save(
        kind="goal", plan=other_plan, user=org.rep, level="corporate", title="Next year's goal"
    )
    response = post(
        as_user(org.rep),
        "plan-ideas/",
        {"plan": plan.pk, "title": "Lab", "annual_value": "1000", "goal": foreign_goal.pk},
    )
    assert response.status_code == 400
    assert "goal of another plan" in response.json()["goal"][0]
    assert not Idea.objects.exists()


def test_idea_linked_to_a_goal_the_user_cannot_see(as_user, org, plan):
    hidden_plan = services.plan_create(account=org.teammate, user=org.rep2)
    hidden_goal = services.element_save(
        kind="goal", plan=hidden_plan, user=org.rep2, level="corporate", title="Secret"
    )
    response = post(
        as_user(org.rep),
        "plan-ideas/",
        {"plan": plan.pk, "title": "Lab", "annual_value": "1000", "goal": hidden_goal.pk},
    )
    assert response.status_code == 400
    assert "does not exist" in response.json()["goal"][0] and "Secret" not in response.text


def test_idea_expected_outside_the_plan_period(as_user, org, plan):
    client = as_user(org.rep)
    response = post(
        client,
        "plan-ideas/",
        {"plan": plan.pk, "title": "Lab", "annual_value": "1000", "expected_date": "2028-03-01"},
    )
    assert response.status_code == 400
    assert "outside the plan period" in response.json()["expected_date"][0]
    idea = add_idea(client, plan, expected_date="2027-03-01")
    response = patch(client, f"plan-ideas/{idea['id']}/", {"expected_date": "2026-12-31"})
    assert response.status_code == 400
    assert list(response.json()) == ["expected_date"]


def test_references_the_user_cannot_see_are_not_found(as_user, org, plan):
    stranger = ContactFactory(account=org.theirs)
    response = post(
        as_user(org.rep),
        "plan-goals/",
        {
            "plan": plan.pk,
            "level": "personal",
            "title": "Promotion",
            "contacts": [stranger.pk],
            "source_contact": stranger.pk,
            "organisation": org.theirs.pk,
        },
    )
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"contacts", "source_contact", "organisation"}
    assert all("does not exist" in str(messages) for messages in body.values())
    assert str(stranger) not in str(body) and "Theirs" not in str(body)


def test_a_visible_contact_of_another_account_is_refused_by_the_rules(as_user, org, plan):
    elsewhere = ContactFactory(account=org.teammate)
    response = post(
        as_user(org.manager),
        "plan-goals/",
        {"plan": plan.pk, "level": "personal", "title": "Promotion", "contacts": [elsewhere.pk]},
    )
    assert response.status_code == 400
    assert "works at another account" in response.json()["contacts"][0]

"""A new plan can carry forward the open customer goals and ideas of the account's
previous plan, each marked as carried from it."""

import pytest

from tests.plans.api.conftest import add_idea, get, post

pytestmark = pytest.mark.django_db


def test_new_plan_carries_forward_open_goals_and_ideas(as_user, org, plan):
    client = as_user(org.rep)
    goal = post(
        client, "plan-goals/", {"plan": plan.pk, "level": "corporate", "title": "Cut downtime"}
    ).json()
    kept = add_idea(client, plan, title="Retrofit", goal=goal["id"])
    dropped = add_idea(client, plan, title="Old idea")
    post(client, f"plan-ideas/{dropped['id']}/move/", {"stage": "dropped"})

    response = post(
        client,
        "plans/",
        {
            "account": org.mine.pk,
            "period_start": "2028-01-01",
            "period_end": "2028-12-31",
            "carry_forward": True,
        },
    )
    assert response.status_code == 201, response.content
    new = response.json()
    assert new["carried_from"] == plan.pk
    assert "carry_forward" not in new
    goals = get(client, f"plan-goals/?plan={new['id']}").json()["results"]
    assert [(g["title"], g["carried_from"]) for g in goals] == [("Cut downtime", goal["id"])]
    ideas = get(client, f"plan-ideas/?plan={new['id']}").json()["results"]
    assert [(i["title"], i["carried_from"]) for i in ideas] == [("Retrofit", kept["id"])]
    assert ideas[0]["goal"] == goals[0]["id"]


def test_without_carry_forward_the_new_plan_starts_empty(as_user, org, plan):
    client = as_user(org.rep)
    add_idea(client, plan)
    new = post(
        client,
        "plans/",
        {"account": org.mine.pk, "period_start": "2028-01-01", "period_end": "2028-12-31"},
    ).json()
    assert new["carried_from"] is None
    assert get(client, f"plan-ideas/?plan={new['id']}").json()["count"] == 0

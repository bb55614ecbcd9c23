"""Every change made through the API appears in the plan's activity feed, newest
first, with who made it and what changed."""

import pytest

from keyplan.plans.models import AccountPlan
from tests.plans.api.conftest import add_idea, get, patch, post

pytestmark = pytest.mark.django_db


def test_every_write_appears_in_the_activity_feed(as_user, org):
    # One client, signed in as one person at a time.
    rep = as_user(org.rep)
    plan = post(rep, "plans/", {"account": org.mine.pk, "revenue_goal": "1000000"}).json()
    pk = plan["id"]
    patch(rep, f"plans/{pk}/", {"revenue_goal": "1200000", "version": 1})
    goal = post(rep, "plan-goals/", {"plan": pk, "level": "corporate", "title": "Grow"}).json()
    patch(rep, f"plan-goals/{goal['id']}/", {"title": "Grow fast"})
    value = post(rep, "plan-values/", {"plan": pk, "metric": "Uptime", "amount": "5"}).json()
    rep.delete(f"/api/v1/plan-values/{value['id']}/")
    post(rep, "plan-vendors/", {"plan": pk, "name": "Rival AG"})
    idea = add_idea(rep, AccountPlan.objects.get(pk=pk), needs_investment=True)
    post(rep, f"plan-ideas/{idea['id']}/move/", {"stage": "qualified"})
    case = post(
        rep,
        "plan-investments/",
        {"idea": idea["id"], "title": "Lab", "cost": "10", "expected_return": "50"},
    ).json()
    post(rep, f"plan-investments/{case['id']}/submit/")
    post(as_user(org.manager), f"plan-investments/{case['id']}/decide/", {"approve": True})
    rep = as_user(org.rep)
    post(rep, f"plans/{pk}/activate/")
    post(rep, f"plans/{pk}/archive/")

    response = get(rep, f"plans/{pk}/activity/?page_size=100")
    assert response.status_code == 200
    feed = response.json()
    entries = [(row["action"], row["subject"]) for row in reversed(feed["results"])]
    expected = [
        ("created", "plan"),
        ("updated", "plan"),
        ("created", "goal"),
        ("updated", "goal"),
        ("created", "value"),
        ("deleted", "value"),
        ("created", "vendor"),
        ("created", "idea"),
        ("status", "idea"),
        ("created", "investment"),
        ("status", "investment"),
        ("decided", "investment"),
        ("status", "plan"),
        ("status", "plan"),
    ]
    # Each write in order (the service may record more, e.g. a version kept on activation).
    remaining = iter(entries)
    assert all(entry in remaining for entry in expected), entries
    assert feed["count"] == len(entries)
    newest = feed["results"][0]
    assert newest["changes"] == {"status": ["active", "archived"]}
    assert newest["user"] == org.rep.pk and newest["user_name"] == str(org.rep)
    decided = next(row for row in feed["results"] if row["action"] == "decided")
    assert decided["user_name"] == str(org.manager)
    plan_change = [row for row in feed["results"] if row["action"] == "updated"][-1]
    assert plan_change["changes"] == {"revenue_goal": ["1000000", "1200000"]}


def test_the_feed_is_paginated(as_user, org, plan):
    client = as_user(org.rep)
    for n in range(4):
        post(client, "plan-values/", {"plan": plan.pk, "metric": f"M{n}", "amount": "1"})
    page = get(client, f"plans/{plan.pk}/activity/?page_size=2").json()
    assert page["count"] == 5 and len(page["results"]) == 2 and page["next"]
    assert page["results"][0]["label"] == "M3"

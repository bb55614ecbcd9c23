"""A small plan's health and versions through the API, against figures worked out by
hand: every reason's points, the score and band; versions kept on demand and at a
review, listed newest first, and compared (b=0 is the plan as it stands)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from keyplan.plans import services
from tests.plans.api.conftest import get, post

pytestmark = pytest.mark.django_db


@pytest.fixture
def small(org):
    """A plan that started 100 days ago (goal 1M) with one 500k idea, two open actions
    overdue (3 and 10 days), one done action long past, one objective reached by hand
    and one without a value."""
    today = timezone.localdate()
    plan = services.plan_create(
        account=org.mine,
        user=org.rep,
        period_start=today - datetime.timedelta(days=100),
        period_end=today + datetime.timedelta(days=265),
        revenue_goal=Decimal("1000000"),
    )
    save = services.element_save
    save(kind="idea", plan=plan, user=org.rep, title="Lab", annual_value=Decimal("500000"))
    for days, status in ((3, "planned"), (10, "scheduled"), (30, "done")):
        save(
            kind="action",
            plan=plan,
            user=org.rep,
            title=f"Action {days}",
            owner=org.rep,
            due_date=today - datetime.timedelta(days=days),
            effort_hours=Decimal("4"),
            status=status,
        )
    for title, value in (("Reached", Decimal("100")), ("Open", None)):
        save(
            kind="objective",
            plan=plan,
            user=org.rep,
            category="marketing",
            title=title,
            metric="events",
            target=Decimal("100"),
            due_date=plan.period_end,
            owner=org.rep,
            manual_value=value,
        )
    return plan


def test_health_reasons_and_score(as_user, org, small):
    client = as_user(org.rep)
    assert post(client, f"plans/{small.pk}/confirm/").status_code == 200
    steps = get(client, f"plans/{small.pk}/").json()["progress"]
    # Of the six guided steps only "investments" is complete (no idea needs one).
    assert [s["key"] for s in steps if s["done"]] == ["investments"]
    response = get(client, f"plans/{small.pk}/health/")
    assert response.status_code == 200
    body = response.json()
    reasons = {r["label"]: (r["points"], r["out_of"], r["detail"]) for r in body["reasons"]}
    assert reasons == {
        "Plan steps complete": (20 / 6, 20, "1 of 6 steps"),
        # 500k of ideas against a 1M goal: 0.5x, a fifth of 2.5x -> 4 of 20.
        "Pipeline coverage": (4.0, 20, "0.50x of the goal (2.5x wanted)"),
        "Decision makers covered": (0, 15, "no decision maker identified"),
        # 3 days overdue: -2; 10 days: -5; the done one does not count.
        "Actions on time": (8, 15, "2 overdue, 1 of them by more than 7 days"),
        # One of two objectives on track.
        "Objectives on track": (7.5, 15, "1 of 2"),
        "Confirmed current": (15, 15, "0 days ago"),
    }
    # 3.33 + 4 + 0 + 8 + 7.5 + 15 = 37.83
    assert (body["score"], body["band"]) == (38, "poor")


def test_objective_progress_of_the_small_plan(as_user, org, small):
    rows = get(as_user(org.rep), f"plan-objectives/?plan={small.pk}").json()["results"]
    progress = {row["title"]: row["progress"] for row in rows}
    assert progress["Reached"]["percent"] == 100 and progress["Reached"]["on_track"]
    assert progress["Open"] == {
        "current": None,
        "percent": None,
        "on_track": False,
        "source": "by hand — no value entered yet",
    }


def test_versions_are_kept_listed_and_compared(as_user, org, small):
    client = as_user(org.rep)
    first = post(client, f"plans/{small.pk}/versions/", {"note": "Before the QBR"})
    assert first.status_code == 201, first.content
    assert (first.json()["number"], first.json()["reason"], first.json()["note"]) == (
        1,
        "on_demand",
        "Before the QBR",
    )
    services.plan_update(plan=small, user=org.rep, revenue_goal=Decimal("1200000"))
    services.element_save(
        kind="qualitative", plan=small, user=org.rep, text="Be their automation partner"
    )
    reached = small.objectives.get(title="Reached")
    services.element_save(
        kind="objective", plan=small, user=org.rep, instance=reached, title="Reached early"
    )
    review = post(client, f"plans/{small.pk}/confirm/", {"review": True, "note": "Q1 review"})
    assert review.status_code == 200
    listed = get(client, f"plans/{small.pk}/versions/").json()
    assert listed["count"] == 2
    assert [(v["number"], v["reason"]) for v in listed["results"]] == [
        (2, "review"),
        (1, "on_demand"),
    ]
    diff = get(client, f"plans/{small.pk}/versions/compare/?a=1&b=2").json()
    assert diff["a"] == 1 and diff["b"] == 2
    assert diff["numbers"]["revenue_goal"] == ["1000000", "1200000"]
    assert diff["sections"]["qualitative"] == {
        "label": "Qualitative goals",
        "added": ["Be their automation partner"],
        "removed": [],
        "changed": [],
    }
    assert diff["sections"]["objectives"]["changed"] == [
        ["Reached early", {"title": ["Reached", "Reached early"]}]
    ]
    assert set(diff["sections"]) == {"qualitative", "objectives"}
    # b=0: the plan as it stands.
    small.qualitative_goals.get().delete()
    now = get(client, f"plans/{small.pk}/versions/compare/?a=2&b=0").json()
    assert now["numbers"] == {}
    assert now["sections"]["qualitative"]["removed"] == ["Be their automation partner"]
    assert get(client, f"plans/{small.pk}/versions/compare/?a=x&b=0").status_code == 400
    assert get(client, f"plans/{small.pk}/versions/compare/?a=9&b=0").status_code == 404
    huge = "9" * 30
    assert get(client, f"plans/{small.pk}/versions/compare/?a=1&b={huge}").status_code == 400

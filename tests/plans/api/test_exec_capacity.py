"""Capacity through the API: hours planned per person per month across all plans that
are not archived, against the hours each has (weekly hours x days in the month / 7),
for the people the user may see (optionally one team), and for one plan's people."""

import calendar
import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from keyplan.plans import services
from keyplan.plans.capacity import add_months, month_start
from tests.plans.api.conftest import get

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded(org):
    """The rep has 7 hours a week for account work (a month's days in hours) and 40
    hours of actions next month: 25 planned, 15 done; a cancelled 100 does not count."""
    org.rep.weekly_hours = Decimal("7")
    org.rep.save(update_fields=["weekly_hours"])
    first = month_start(timezone.localdate())
    plan = services.plan_create(
        account=org.mine,
        user=org.rep,
        period_start=first,
        period_end=add_months(first, 12) - datetime.timedelta(days=1),
    )
    next_month = add_months(first, 1)
    for hours, status in ((25, "planned"), (15, "done"), (100, "cancelled")):
        services.element_save(
            kind="action",
            plan=plan,
            user=org.rep,
            title=f"{hours}h",
            owner=org.rep,
            due_date=next_month + datetime.timedelta(days=4),
            effort_hours=Decimal(hours),
            status=status,
        )
    return plan, first, next_month


def _days(month):
    return calendar.monthrange(month.year, month.month)[1]


def test_team_capacity_for_the_manager(as_user, org, loaded):
    _, first, next_month = loaded
    response = get(as_user(org.manager), "capacity/")
    assert response.status_code == 200
    body = response.json()
    assert body["months"] == [add_months(first, i).isoformat() for i in range(6)]
    people = {row["name"]: row for row in body["people"]}
    assert str(org.rep) in people and str(org.rep2) in people
    assert str(org.other) not in people
    rep = people[str(org.rep)]
    assert rep["user"] == org.rep.pk and rep["over"] is True
    load = rep["loads"][1]
    days = _days(next_month)
    assert load == {
        "month": next_month.isoformat(),
        "planned": "40.0",
        "help": "0.0",  # of planned: committed help (none here)
        "available": f"{days}.0",
        "over": True,
        "percent": round(100 * 40 / days),
    }
    assert rep["loads"][0]["planned"] == "0.0" and not rep["loads"][0]["over"]
    assert {"id": org.team.pk, "name": "Enterprise"} in body["teams"]
    assert body["total"] == len(body["people"])


def test_one_team_and_a_bad_team(as_user, org, loaded):
    client = as_user(org.manager)
    body = get(client, f"capacity/?team={org.team.pk}").json()
    assert sorted(row["user"] for row in body["people"]) == sorted([org.rep.pk, org.rep2.pk])
    assert get(client, "capacity/?team=x").status_code == 400
    assert get(client, f"capacity/?team={'9' * 30}").status_code == 400


def test_rep_of_another_team_does_not_see_the_rep(as_user, org, loaded):
    body = get(as_user(org.other), "capacity/").json()
    assert org.rep.pk not in [row["user"] for row in body["people"]]


def test_plan_capacity(as_user, org, loaded):
    plan, _, next_month = loaded
    body = get(as_user(org.rep), f"plans/{plan.pk}/capacity/").json()
    assert body["months"] == [next_month.isoformat()]
    assert [row["user"] for row in body["people"]] == [org.rep.pk]
    assert body["people"][0]["loads"][0]["planned"] == "40.0"

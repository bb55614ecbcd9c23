"""Plan lists are paginated and filtered by account, status and owner; the parts of
plans are filtered by plan; filters only narrow what the user may see."""

import datetime

import pytest

from keyplan.plans import services
from tests.plans.api.conftest import add_idea, get, post

pytestmark = pytest.mark.django_db


def ids(client, url):
    response = get(client, url)
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_plans_are_filtered_by_account_status_and_owner(as_user, org, plan):
    teammate_plan = services.plan_create(account=org.teammate, user=org.rep2)
    later = services.plan_create(
        account=org.mine,
        user=org.rep,
        owner=org.manager,
        period_start=datetime.date(2028, 1, 1),
        period_end=datetime.date(2028, 12, 31),
        revenue_goal=1,
    )
    services.plan_activate(plan=later, user=org.manager)
    client = as_user(org.manager)
    assert ids(client, "plans/") == [later.pk, plan.pk, teammate_plan.pk]  # newest period first
    assert ids(client, f"plans/?account={org.mine.pk}") == [later.pk, plan.pk]
    assert ids(client, "plans/?status=active") == [later.pk]
    assert ids(client, f"plans/?owner={org.manager.pk}") == [later.pk]
    assert ids(client, f"plans/?owner={org.rep2.pk}") == [teammate_plan.pk]
    assert get(client, "plans/?account=99999999999999999999").status_code == 400
    assert get(client, "plans/?status=nonsense").status_code == 400
    # A filter cannot widen what a rep sees.
    assert ids(as_user(org.rep), f"plans/?account={org.teammate.pk}") == []
    page = get(as_user(org.manager), "plans/?page_size=2").json()
    assert page["count"] == 3 and len(page["results"]) == 2


def test_parts_are_filtered_by_plan(as_user, org, plan):
    other = services.plan_create(
        account=org.mine,
        user=org.rep,
        period_start=datetime.date(2028, 1, 1),
        period_end=datetime.date(2028, 12, 31),
    )
    client = as_user(org.rep)
    here = add_idea(client, plan)
    there = add_idea(client, other)
    assert ids(client, f"plan-ideas/?plan={plan.pk}") == [here["id"]]
    assert ids(client, f"plan-ideas/?plan={other.pk}") == [there["id"]]
    case = post(
        client,
        "plan-investments/",
        {"idea": there["id"], "title": "Kit", "cost": "1", "expected_return": "2"},
    ).json()
    assert ids(client, f"plan-investments/?plan={other.pk}") == [case["id"]]
    assert ids(client, f"plan-investments/?plan={plan.pk}") == []
    assert ids(client, "plan-investments/?status=draft") == [case["id"]]

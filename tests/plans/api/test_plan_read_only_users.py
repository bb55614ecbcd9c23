"""Who only reads: a rep of another team sees neither the plan nor its parts; an
executive reads all of it but every change is refused with 403 and changes nothing."""

import pytest

from keyplan.plans.models import CustomerGoal, PlanChange
from tests.plans.api.conftest import add_idea, get, patch, post

ELEMENTS = ["plan-goals", "plan-values", "plan-vendors", "plan-ideas", "plan-investments"]

pytestmark = pytest.mark.django_db


@pytest.fixture
def goal(as_user, org, plan):
    response = post(
        as_user(org.rep), "plan-goals/", {"plan": plan.pk, "level": "corporate", "title": "Grow"}
    )
    assert response.status_code == 201
    return response.json()


def test_rep_of_another_team_sees_nothing_of_the_plan(as_user, org, plan, goal):
    client = as_user(org.other)
    assert get(client, f"plans/{plan.pk}/").status_code == 404
    assert get(client, f"plans/{plan.pk}/activity/").status_code == 404
    assert get(client, f"plan-goals/{goal['id']}/").status_code == 404
    for endpoint in ELEMENTS:
        assert get(client, f"{endpoint}/").json()["count"] == 0, endpoint
    # Naming the plan to add to it is answered as for a plan that does not exist.
    response = post(client, "plan-goals/", {"plan": plan.pk, "level": "corporate", "title": "x"})
    assert response.status_code == 400
    assert "does not exist" in response.json()["plan"][0]


def test_executive_reads_the_plan_but_cannot_change_it(as_user, org, plan, goal):
    add_idea(as_user(org.rep), plan)
    assert get(as_user(org.rep), f"plans/{plan.pk}/").json()["edit_refusal"] is None
    client = as_user(org.executive)
    detail = get(client, f"plans/{plan.pk}/")
    assert detail.status_code == 200
    assert "you can read it" in detail.json()["edit_refusal"]
    assert get(client, f"plan-goals/{goal['id']}/").json()["title"] == "Grow"
    assert get(client, f"plan-ideas/?plan={plan.pk}").json()["count"] == 1
    before = PlanChange.objects.count()
    refused = [
        patch(client, f"plans/{plan.pk}/", {"revenue_goal": "2000000"}),
        post(client, f"plans/{plan.pk}/activate/"),
        post(client, f"plans/{plan.pk}/archive/"),
        post(client, "plan-goals/", {"plan": plan.pk, "level": "corporate", "title": "Mine"}),
        patch(client, f"plan-goals/{goal['id']}/", {"title": "Shrink"}),
        client.delete(f"/api/v1/plan-goals/{goal['id']}/"),
    ]
    for response in refused:
        assert response.status_code == 403, response.content
        assert "you can read it" in response.json()["detail"]
    assert CustomerGoal.objects.get().title == "Grow"
    plan.refresh_from_db()
    assert (plan.status, plan.version, str(plan.revenue_goal)) == ("draft", 1, "1000000.00")
    assert PlanChange.objects.count() == before
